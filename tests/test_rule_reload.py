"""Editing a rule file is seen by the next ``Resources`` (and the next ``analyze_text`` call), never hidden
by a cache keyed by the file's path. Each test copies the package's rules to a temporary folder, builds
``Resources`` on it, edits one file in place and builds ``Resources`` again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline import analyze_text, load_settings
from pipeline.document import Document
from pipeline.resources import Resources
from pipeline.stages import boilerplate, metadata
from pipeline.stages.ingest import make_document

PACKAGE_RULES = Path(__file__).parent.parent / "pipeline" / "rules"


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(PACKAGE_RULES, folder)
    return folder


def resources_for(rules: Path) -> Resources:
    return Resources(dataclasses.replace(load_settings(), rules_dir=str(rules)))


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, encoding="utf-8")


def page(resources: Resources, html: str, url: str) -> Document:
    doc = make_document(html.encode("utf-8"), "page.html", resources.settings, url=url)
    return metadata.run(boilerplate.run(doc, resources), resources)


def test_vocabulary_edit_changes_the_counts(rules):
    text = "The mission deployed in excess of 40 monitors along the contact line."
    before = analyze_text(text, published="2021-03-01", language="en", resources=resources_for(rules))["counts"]
    assert "more than" not in set(before["qualifier"].dropna())
    vocabulary = rules / "vocabulary.toml"
    source = vocabulary.read_text("utf-8")
    assert source.count('qualifiers = { "up to" = "up to",') == 1
    vocabulary.write_text(source.replace('qualifiers = { "up to" = "up to",', 'qualifiers = { "in excess of" = "more than", "up to" = "up to",'), encoding="utf-8")
    after = analyze_text(text, published="2021-03-01", language="en", resources=resources_for(rules))["counts"]
    row = after[after["value"] == 40].iloc[0]
    assert row["qualifier"] == "more than" and "monitors" in row["object"]


def test_pattern_file_edit_adds_an_organization(rules):
    text = "Volunteers of the Harbour Lantern Collective met the mayor on Tuesday."
    before = analyze_text(text, published="2021-03-01", language="en", resources=resources_for(rules))["organizations"]
    assert "Harbour Lantern Collective" not in set(before["name"])
    append(rules / "patterns" / "organizations.jsonl",
           '{"id": "org/harbour-lantern-collective", "label": "ORG", "pattern": "Harbour Lantern Collective", "norm": "Harbour Lantern Collective"}\n')
    after = analyze_text(text, published="2021-03-01", language="en", resources=resources_for(rules))["organizations"]
    assert "Harbour Lantern Collective" in set(after["name"])


def test_gazetteer_csv_edit_adds_a_place(rules):
    assert resources_for(rules).gazetteer.lookup("Old Harbour Quarter") is None
    append(rules / "gazetteers" / "aliases.csv", "Old Harbour Quarter,Old Harbour Quarter,region,GE,\n")
    place = resources_for(rules).gazetteer.lookup("Old Harbour Quarter")
    assert (place.name, place.kind, place.country) == ("Old Harbour Quarter", "region", "GE")


def test_word_forms_edit_changes_how_russian_place_names_decline(rules):
    assert resources_for(rules).gazetteer.lookup_inflected("Киеве").name == "Kyiv"
    forms = rules / "gazetteers" / "word_forms.toml"
    forms.write_text(forms.read_text("utf-8").replace('"у", "ю", "е", "а"', '"у", "ю", "а"'), encoding="utf-8")
    assert resources_for(rules).gazetteer.lookup_inflected("Киеве") is None


def test_a_misspelt_word_forms_key_names_the_file_and_the_key(rules):
    forms = rules / "gazetteers" / "word_forms.toml"
    forms.write_text(forms.read_text("utf-8").replace("case_endings =", "case_ending ="), encoding="utf-8")
    with pytest.raises(ValueError, match=r"word_forms\.toml: \[russian\] case_endings"):
        resources_for(rules).gazetteer


HTML_WITH_META = """<html><head><title>Water project opens</title><meta name="x-issued" content="2019-06-04"></head>
<body><h1>Water project opens</h1><p>The new pumping station in the valley was opened by the regional authorities on a warm
afternoon, in the presence of residents and engineers who had worked on it for three years.</p>
<p>It will supply clean water to more than ten villages, the engineers said after the ceremony.</p></body></html>"""


def test_dates_toml_edit_is_read_by_the_metadata_stage(rules):
    before = page(resources_for(rules), HTML_WITH_META, "https://example.net/water")
    assert before.published != "2019-06-04"
    dates = rules / "dates.toml"
    source = dates.read_text("utf-8")
    assert source.count('published = [\n  "article:published_time",') == 1
    dates.write_text(source.replace('published = [\n  "article:published_time",', 'published = [\n  "x-issued", "article:published_time",'), encoding="utf-8")
    after = page(resources_for(rules), HTML_WITH_META, "https://example.net/water")
    assert (after.published, after.published_source) == ("2019-06-04", "meta")


HTML_WITH_LABELS = """<html><head><title>Border crossing reopens</title></head><body>
<h1>Border crossing reopens</h1>
<div class="info"><span class="label">Kind of text:</span> <span class="value">Bulletin de presse</span></div>
<div class="info"><span class="label">Issued on:</span> <span class="value">12 May 2018</span></div>
<p>The crossing point between the two districts reopened on Saturday after repairs to the bridge, allowing
farmers to take their produce to the market on the other bank again, local officials said.</p>
<p>Traffic was light in the morning but grew steadily through the afternoon as word spread in the villages.</p>
</body></html>"""


def test_labels_toml_edit_names_a_new_field_label(rules):
    before = page(resources_for(rules), HTML_WITH_LABELS, "https://example.net/crossing")
    assert before.published_source != "site field"
    labels = rules / "labels.toml"
    source = labels.read_text("utf-8")
    assert source.count("[fields.published]\nlabels = [\n") == 1
    labels.write_text(source.replace("[fields.published]\nlabels = [\n", '[fields.published]\nlabels = [\n  "Issued on",\n'), encoding="utf-8")
    after = page(resources_for(rules), HTML_WITH_LABELS, "https://example.net/crossing")
    assert after.published == "2018-05-12" and after.published_source == "site field"


def test_content_types_toml_edit_maps_a_new_label(rules):
    labels = rules / "labels.toml"
    source = labels.read_text("utf-8")
    labels.write_text(source.replace("[fields.content_type]\nlabels = [\n", '[fields.content_type]\nlabels = [\n  "Kind of text",\n'), encoding="utf-8")
    before = page(resources_for(rules), HTML_WITH_LABELS, "https://example.net/crossing")
    assert before.content_type != "Press release"
    types = rules / "content_types.toml"
    source = types.read_text("utf-8")
    assert source.count('labels = ["Communiqué",') == 1
    types.write_text(source.replace('labels = ["Communiqué",', 'labels = ["Bulletin de presse", "Communiqué",'), encoding="utf-8")
    after = page(resources_for(rules), HTML_WITH_LABELS, "https://example.net/crossing")
    assert after.content_type == "Press release"


HTML_WITH_SIDEBAR = """<html><head><title>Court ruling</title></head><body>
<div id="story"><h1>Court ruling</h1>
<p>The appeals court upheld the lower court's decision on Thursday, ending a dispute over grazing rights that had
divided two neighbouring communities for more than a decade.</p>
<p>Both sides said they would respect the ruling, and the local council promised to mark the boundary this summer.</p></div>
<div id="aside"><p>Subscribe to our weekly newsletter to get the latest stories from the region delivered to your inbox every Monday.</p></div>
</body></html>"""


def test_a_new_site_profile_file_is_used(rules):
    before = page(resources_for(rules), HTML_WITH_SIDEBAR, "https://news.example.org/court")
    assert not (before.body_source or "").startswith("profile:")
    (rules / "sites" / "news.example.org.toml").write_text(
        'name = "news.example.org"\nhosts = ["news.example.org"]\n\n[article]\ncontent_root = ["div#story"]\ntitle = ["div#story h1"]\n',
        encoding="utf-8")
    after = page(resources_for(rules), HTML_WITH_SIDEBAR, "https://news.example.org/court")
    assert after.body_source == "profile:news.example.org"
    assert "newsletter" not in after.body_text and after.body_text.startswith("The appeals court")


def test_unchanged_files_reuse_what_was_built(rules):
    first, second = resources_for(rules), resources_for(rules)
    assert first.vocabulary is second.vocabulary and first.nlp is second.nlp


@pytest.mark.parametrize("published", ["2021-03-01", dt.date(2021, 3, 1), dt.datetime(2021, 3, 1, 15, 30), pd.Timestamp("2021-03-01")])
def test_analyze_text_takes_the_publication_date_in_any_usual_type(published):
    dates = analyze_text("The talks resumed last Friday in Geneva.", published=published, language="en")["dates"]
    assert dates.loc[dates["text"].str.contains("Friday"), "resolved"].tolist() == ["2021-02-26"]
