"""Site profiles, the label vocabulary and the boilerplate cues: loading, validation, matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.extract.cues import load_cues
from pipeline.extract.html import parse_html
from pipeline.extract.labels import load_labels, save_labels
from pipeline.sites import Selector, load_profile, load_profiles

RULES = Path(__file__).resolve().parents[1] / "pipeline" / "rules"
CRAWL = Path(__file__).parent / "fixtures" / "crawl"


@pytest.fixture(scope="module")
def profiles():
    return load_profiles(RULES / "sites")


def doc_at(url: str | None, html: str = "<html><body><p>x</p></body></html>") -> Document:
    from pipeline.stages.ingest import site_of

    return Document("d", "d", "html", text=html, url=url, site=site_of(url), tree=parse_html(html))


def test_osce_profile_is_loaded_with_every_selector_list(profiles):
    osce = profiles.by_name["osce.org"]
    assert osce.hosts == ("osce.org",)
    for key in ("content_root", "title", "type_label", "metadata_block", "exclude"):
        assert osce.article[key], key
    for key in ("row", "title_link", "teaser"):
        assert osce.listing[key], key


@pytest.mark.parametrize("url", ["https://www.osce.org/cio/74164", "https://osce.org/x", "https://polis.osce.org/y"])
def test_profile_found_by_host(profiles, url):
    profile, how = profiles.for_document(doc_at(url))
    assert profile is profiles.by_name["osce.org"] and how == "host"


@pytest.mark.parametrize("url", ["https://notosce.org/x", "https://osce.org.example.com/x", None])
def test_other_hosts_get_no_profile(profiles, url):
    assert profiles.for_document(doc_at(url)) == (None, "none")


def test_profile_found_by_page_signature_when_the_host_is_unknown(profiles):
    html = (CRAWL / "html" / "001_142343c9e64c5976.html").read_text("utf-8")
    profile, how = profiles.for_document(doc_at("https://archive.example.org/copy/1", html))
    assert profile is profiles.by_name["osce.org"] and how == "signature"


def test_selectors_accept_css_and_xpath():
    tree = parse_html("<html><body><div class='a b'><p id='x'>one</p></div></body></html>")
    assert [e.get("id") for e in Selector("div.b > p").all(tree)] == ["x"]
    assert [e.get("id") for e in Selector("//p[@id='x']").all(tree)] == ["x"]
    assert Selector("./body/div").all(tree)


def test_bad_profiles_are_rejected(tmp_path):
    (tmp_path / "bad.toml").write_text('name = "bad"\n[article]\ncontent_root = ["div[["]\n', "utf-8")
    with pytest.raises(ValueError, match="bad selector"):
        load_profile(tmp_path / "bad.toml")
    (tmp_path / "bad.toml").write_text('name = "bad"\n[article]\nbody = ["div"]\n', "utf-8")
    with pytest.raises(ValueError, match="unknown keys"):
        load_profile(tmp_path / "bad.toml")


def test_without_sites_keeps_the_vocabulary(profiles):
    generic = profiles.without_sites()
    assert generic.profiles == () and generic.labels is profiles.labels and generic.cues is profiles.cues


# ------------------------------------------------------------------------------------ labels


@pytest.mark.parametrize(
    "label, field",
    [
        ("Date:", "published"),
        ("Date:\u00a0", "published"),
        ("PUBLISHING DATE :", "published"),
        ("Content type:", "content_type"),
        ("Where we are:", "sources"),
        ("What we do:", "fields_of_work"),
        ("Source:", "sources"),
        ("Fields of work:", "fields_of_work"),
        ("Дата:", "published"),
        ("Источник:", "sources"),
        ("Направления деятельности:", "fields_of_work"),
        ("Originator:", "sources"),
        ("Topics:", "fields_of_work"),
        ("Share:", None),
    ],
)
def test_labels_name_their_fields(profiles, label, field):
    assert profiles.labels.field_for(label) == field


def test_type_labels_come_from_the_content_types_file(profiles):
    assert profiles.labels.is_content_type("Press release")
    assert profiles.labels.is_content_type("Пресс-релиз")
    assert not profiles.labels.is_content_type("Albania")


def test_labels_file_is_saved_sorted(tmp_path):
    vocabulary = load_labels(RULES / "labels.toml")
    save_labels(vocabulary, tmp_path / "labels.toml")
    assert (tmp_path / "labels.toml").read_text("utf-8") == (RULES / "labels.toml").read_text("utf-8")


def test_a_label_naming_two_fields_is_rejected(tmp_path):
    (tmp_path / "labels.toml").write_text(
        '[fields.published]\nlabels = ["Date"]\n[fields.updated]\nlabels = ["date:"]\n', "utf-8"
    )
    with pytest.raises(ValueError, match="names both"):
        load_labels(tmp_path / "labels.toml")


# ------------------------------------------------------------------------------------ cues


def test_cues_match_whole_class_tokens():
    cues = load_cues(RULES / "boilerplate.toml")
    assert cues.excluded_box("box related-posts") == "related"
    assert cues.excluded_box("newsletter_signup") == "newsletter"
    assert cues.excluded_box("unrelated article-body") is None
    assert cues.kind_of("main-menu") == ("navigation", "menu")
    assert cues.kind_of("site-footer") == ("footer", "footer")
    assert cues.kind_of("entry-content") is None
