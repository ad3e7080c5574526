"""Boilerplate stage: the body, the page's own fields and the blocks, on real pages against gold.

Covers text renderings (the seed and a Russian one), osce.org pages with the site profile and the
same pages with profiles disabled (generic path), the mirror copy on another host, a fragment in
the newer osce.org theme, templates learned across pages, hostile inputs, and the extraction scores.
"""

from __future__ import annotations

import gzip
import json
import shutil
import time
from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.document import Document, Drop
from pipeline.evaluation.extraction import (
    check_page,
    evaluate_extraction,
    fulltext_summary,
    shingle_scores,
    snippet_counts,
    snippet_summary,
)
from pipeline.resources import Resources
from pipeline.stages import Stage, boilerplate
from pipeline.stages.ingest import make_document
from pipeline.templates import HostTemplate, page_fingerprints

FIXTURES = Path(__file__).parent / "fixtures"
CRAWL = FIXTURES / "crawl"
SEED = FIXTURES / "seed" / "000_975be6301a0f2c82.txt"
SEED_GOLD = json.loads((FIXTURES / "seed" / "seed_000.json").read_text("utf-8"))["document"]["must"]
URLS = {Path(r["file"]).name: r["url"] for r in map(json.loads, (CRAWL / "crawl.jsonl").read_text("utf-8").splitlines()) if r}


def gold_of(page: Path) -> dict:
    return json.loads((CRAWL / "gold" / f"{page.name}.json").read_text("utf-8"))


ARTICLES = sorted(p for p in (CRAWL / "html").glob("*.html") if gold_of(p)["page_kind"] != "listing")
OSCE_ARTICLES = [p for p in ARTICLES if "osce.org" in URLS[p.name]]
MIRROR = next(p for p in ARTICLES if "osce.org" not in URLS[p.name])
RUSSIAN_RENDERING = next(p for p in (CRAWL / "text").glob("*.txt") if gold_of(p)["document"]["language"] == "ru")


@pytest.fixture(scope="module")
def settings():
    return load_settings()


@pytest.fixture(scope="module")
def resources(settings):
    return Resources(settings)


@pytest.fixture(scope="module")
def generic_resources(settings):
    """The same rules with every site profile switched off: generic extraction only."""
    resources = Resources(settings)
    resources.profiles = resources.profiles.without_sites()
    return resources


def process(path: Path, resources, settings, url: str | None = None) -> Document:
    doc = make_document(path.read_bytes(), str(path), settings, url=url or URLS.get(path.name))
    return boilerplate.run(doc, resources)


def paragraphs(body: str) -> list[str]:
    return body.split("\n\n") if body else []


# ------------------------------------------------------------------------------------ text renderings


def test_seed_rendering_gives_exactly_its_seven_paragraphs(resources, settings):
    doc = process(SEED, resources, settings, url="https://www.osce.org/cio/74164")
    body = doc.body_text
    assert body.startswith("VIENNA, 18 November 2010 - The 56 OSCE participating States today agreed")
    assert body.startswith(SEED_GOLD["body_first_words"])
    assert body.endswith(SEED_GOLD["body_last_words"])
    assert len(paragraphs(body)) == SEED_GOLD["body_paragraphs"] == 7
    assert "\n\n\n" not in body and all(p == p.strip() for p in paragraphs(body))
    for leak in SEED_GOLD["body_must_not_contain"]:
        assert leak not in body
    assert doc.tree is None and doc.body_source == "text-rendering" and doc.page_kind == "article"


def test_seed_rendering_states_its_fields(resources, settings):
    fields = process(SEED, resources, settings).fields
    assert fields["title"] == [SEED_GOLD["title"]]
    assert fields["content_type"] == [SEED_GOLD["content_type"]]
    assert fields["sources"] == SEED_GOLD["sources"]
    assert fields["fields_of_work"] == SEED_GOLD["fields_of_work"]
    assert fields["published"] == []  # the page's Date: field is empty; the dateline is the metadata stage's job


def test_seed_rendering_explains_every_line(resources, settings):
    doc = process(SEED, resources, settings)
    kinds = {b.kind for b in doc.blocks}
    assert {"navigation", "title", "metadata", "body"} <= kinds
    assert all(b.reason for b in doc.blocks)
    assert sum(b.kind == "body" for b in doc.blocks) == 7
    assert next(b for b in doc.blocks if b.text == "Albania").kind == "navigation"


def test_russian_rendering(resources, settings):
    gold = gold_of(RUSSIAN_RENDERING)
    doc = process(RUSSIAN_RENDERING, resources, settings)
    assert check_page(doc, gold) == []
    assert doc.fields["content_type"] == [gold["document"]["content_type_label"]]
    assert doc.fields["sources"] == gold["document"]["sources"]
    assert doc.fields["fields_of_work"] == gold["document"]["fields_of_work"]
    assert doc.fields["published"] and "2020" in doc.fields["published"][0]


@pytest.mark.parametrize("page", sorted((CRAWL / "text").glob("*.txt")), ids=lambda p: p.name)
def test_every_development_rendering_matches_gold(page, resources, settings):
    assert check_page(process(page, resources, settings), gold_of(page)) == []


def test_rendering_without_a_labelled_block_takes_the_prose_run(resources, settings):
    text = "\n".join(
        ["- Home", "- News", "- About", "Local council opens new library",
         "The new library opened on Monday with 20,000 books on its shelves and a reading room for children.",
         "Readers can borrow up to ten books at a time, the council said in a statement on Monday.",
         "- Contact", "- Imprint", "- Privacy"]
    )
    doc = boilerplate.run(Document("t", "t", "text", text=text), resources)
    assert paragraphs(doc.body_text)[0].startswith("The new library opened")
    assert len(paragraphs(doc.body_text)) == 2
    assert doc.fields["title"] == ["Local council opens new library"]


def test_rendering_keeps_a_short_list_inside_the_text_and_reads_labels_after_it(resources, settings):
    menu = [f"- Menu entry {i}" for i in range(12)]
    text = "\n".join(
        menu
        + ["Town adopts a budget for 2024",
           "The town council adopted its budget for 2024 on Tuesday after a debate of four hours.",
           "The budget provides for three things:",
           "- new school buses",
           "- a second fire station",
           "- longer library hours",
           "The mayor said the plan would be reviewed in the autumn, when tax revenue is known.",
           "- Topics:",
           "- Budget, Education"]
        + menu
    )
    doc = boilerplate.run(Document("t", "t", "text", text=text), resources)
    body = paragraphs(doc.body_text)
    assert body[0].startswith("The town council adopted") and body[-1].startswith("The mayor said")
    assert "a second fire station" in body
    assert doc.fields["fields_of_work"] == ["Budget", "Education"]
    assert doc.fields["title"] == ["Town adopts a budget for 2024"]
    assert "Menu entry" not in doc.body_text and "Topics" not in doc.body_text


# ------------------------------------------------------------------------------------ osce.org HTML


@pytest.mark.parametrize("page", OSCE_ARTICLES, ids=lambda p: p.name)
def test_osce_article_with_profile(page, resources, settings):
    gold = gold_of(page)
    doc = process(page, resources, settings)
    assert check_page(doc, gold) == []
    assert doc.body_source == "profile:osce.org"
    assert doc.fields["title"] == [gold["document"]["title"]]
    assert doc.fields["content_type"] == [gold["document"]["content_type_label"]]
    assert doc.fields["sources"] == gold["document"]["sources"]
    assert doc.fields["fields_of_work"] == gold["document"]["fields_of_work"]
    assert doc.tree is not None  # parsed once, kept for the later stages


@pytest.mark.parametrize("page", OSCE_ARTICLES, ids=lambda p: p.name)
def test_osce_article_without_profiles_still_gives_the_body(page, generic_resources, settings):
    gold = gold_of(page)
    doc = process(page, generic_resources, settings)
    assert not doc.body_source.startswith("profile:")
    assert check_page(doc, gold) == []
    assert doc.fields["sources"] == gold["document"]["sources"]  # found by generic label/value detection


def test_published_field_keeps_the_visible_date_then_the_machine_value(resources, settings):
    page = CRAWL / "html" / "001_142343c9e64c5976.html"
    assert process(page, resources, settings).fields["published"] == ["12 March 2019", "2019-03-12T15:40:00+01:00"]


def test_empty_date_field_stays_empty(resources, settings):
    page = CRAWL / "html" / "005_e85ec74f0b8ca2f1.html"
    assert process(page, resources, settings).fields["published"] == []


def test_blocks_say_why_navigation_and_boxes_were_left_out(resources, settings):
    doc = process(CRAWL / "html" / "004_00cb4f64701574cd.html", resources, settings)
    by_text = {b.text: b for b in doc.blocks}
    assert by_text["Albania"].kind == "navigation"
    assert by_text["Printer-friendly version"].kind != "body"
    assert by_text[gold_of(CRAWL / "html" / "004_00cb4f64701574cd.html")["document"]["title"]].kind == "title"
    assert by_text["Source:"].kind == "metadata"
    assert all(b.reason for b in doc.blocks)
    assert [b.position for b in doc.blocks] == sorted(b.position for b in doc.blocks)


def test_mirror_page_on_another_host(resources, settings):
    gold = gold_of(MIRROR)
    doc = process(MIRROR, resources, settings)
    assert check_page(doc, gold) == []
    assert not doc.body_source.startswith("profile:")
    assert doc.fields["sources"] == gold["document"]["sources"]  # "Originator:" in labels.toml
    assert doc.fields["fields_of_work"] == gold["document"]["fields_of_work"]  # "Topics:"
    assert doc.fields["content_type"] == ["Press release"]  # a known type label beside the title


# ------------------------------------------------------------------------------------ newer osce.org theme

NEWER_THEME = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>OSCE trains border guards in Tajikistan | OSCE</title></head>
<body class="path-node page-node-type-press-release">
<header class="site-header"><nav class="main-menu"><ul>
  <li><a href="/what-we-do">What we do</a></li><li><a href="/where-we-are">Where we are</a></li>
  <li><a href="/countries/albania">Albania</a></li><li><a href="/about">About us</a></li></ul></nav></header>
<main role="main"><div class="region region-content">
<article class="node node--type-press-release node--view-mode-full">
  <h1 class="page-title"><span>OSCE trains border guards in Tajikistan</span></h1>
  <div class="node__meta">
    <div class="field field--name-field-date field--label-inline">
      <div class="field__label">Publishing date:</div>
      <div class="field__item"><time datetime="2021-03-04T12:00:00Z">4 March 2021</time></div></div>
    <div class="field field--name-field-type field--label-inline">
      <div class="field__label">Content type:</div><div class="field__item">Press release</div></div>
    <div class="field field--name-field-where field--label-inline">
      <div class="field__label">Where we are:</div>
      <div class="field__items"><div class="field__item"><a href="/programme-office-in-dushanbe">Programme Office in Dushanbe</a></div></div></div>
    <div class="field field--name-field-what field--label-inline">
      <div class="field__label">What we do:</div>
      <div class="field__items"><div class="field__item"><a href="/border-management">Border management</a></div>
      <div class="field__item"><a href="/gender-equality">Gender equality</a></div></div></div>
  </div>
  <div class="clearfix text-formatted field field--name-body field--type-text-with-summary field__item">
    <p>DUSHANBE, 4 March 2021 - Twenty border guards from Tajikistan completed a two-week course on patrolling mountain areas.</p>
    <p>The course was organized by the OSCE Programme Office in Dushanbe and covered first aid, navigation and human rights.</p>
    <p>“Border work in the mountains needs skill and restraint,” said the Head of the Office.</p>
  </div>
</article></div></main>
<footer class="site-footer"><p>© OSCE 1995–2025. All rights reserved.</p></footer>
</body></html>"""


@pytest.mark.parametrize("url", ["https://www.osce.org/programme-office-in-dushanbe/481234", "https://news.example.net/item/7"])
def test_newer_theme_labels_with_and_without_the_profile(url, resources, settings):
    doc = make_document(NEWER_THEME.encode(), "newer.html", settings, url=url)
    doc = boilerplate.run(doc, resources)
    assert doc.body_source == ("profile:osce.org" if "osce.org" in url else "trafilatura")
    assert paragraphs(doc.body_text)[0].startswith("DUSHANBE, 4 March 2021 - Twenty border guards")
    assert paragraphs(doc.body_text)[-1].endswith("said the Head of the Office.")
    assert len(paragraphs(doc.body_text)) == 3
    for leak in ("Publishing date", "Where we are:", "Programme Office in Dushanbe\n", "Albania", "All rights reserved"):
        assert leak not in doc.body_text
    assert doc.fields["title"] == ["OSCE trains border guards in Tajikistan"]
    assert doc.fields["published"] == ["4 March 2021", "2021-03-04T12:00:00Z"]
    assert doc.fields["content_type"] == ["Press release"]
    assert doc.fields["sources"] == ["Programme Office in Dushanbe"]
    assert doc.fields["fields_of_work"] == ["Border management", "Gender equality"]


# ------------------------------------------------------------------------------------ templates


def test_blocks_repeated_across_the_host_are_dropped_unless_alone_in_the_text(settings):
    def page(body: str) -> bytes:
        return (f"<html><body><div class='main'>{body}"
                "<p class='extra'>Subscribe to our weekly letter and get more stories like this one every Friday.</p>"
                "<p class='extra'>Follow us on every social network that we happen to be on today, please.</p>"
                "</div></body></html>").encode()

    stock = "<p>This press release is issued by the municipality and may be reproduced freely.</p>"
    topics = ["the harbour festival", "a new tram line", "the spring market", "road repairs", "a school concert"]
    pages = [
        page(f"<p>The council today announced {topic}, which residents had long asked for in petitions and meetings.</p>"
             f"{stock}<p>Officials said that {topic} would be discussed again at the next public session in the hall.</p>")
        for topic in topics
    ]
    template = HostTemplate()
    for data in pages:
        template.add_page(page_fingerprints(make_document(data, "p.html", settings, url="https://town.example/x")))

    class WithTemplate(Resources):
        @property
        def templates(self):
            return type("T", (), {"for_site": staticmethod(lambda site: template)})()

    doc = boilerplate.run(make_document(pages[0], "p.html", settings, url="https://town.example/x"), WithTemplate(settings))
    assert "may be reproduced freely" in doc.body_text  # repeated, but alone between the story's own paragraphs
    assert "newsletter" not in doc.body_text and "social network" not in doc.body_text
    assert any(b.kind == "template" for b in doc.blocks)


def test_renderings_read_with_the_host_template_keep_body_title_and_type(settings):
    renderings = [SEED, *sorted((CRAWL / "text").glob("*.txt"))]
    template = HostTemplate()
    for page in renderings:
        template.add_page(page_fingerprints(make_document(page.read_bytes(), str(page), settings, url="https://www.osce.org/x")))

    class WithTemplate(Resources):
        @property
        def templates(self):
            return type("T", (), {"for_site": staticmethod(lambda site: template)})()

    doc = process(SEED, WithTemplate(settings), settings, url="https://www.osce.org/cio/74164")
    assert doc.body_text.startswith(SEED_GOLD["body_first_words"]) and doc.body_text.endswith(SEED_GOLD["body_last_words"])
    assert len(paragraphs(doc.body_text)) == 7
    assert doc.fields["title"] == [SEED_GOLD["title"]]
    assert doc.fields["content_type"] == [SEED_GOLD["content_type"]]  # repeated on every page, still the type


# ------------------------------------------------------------------------------------ hostile inputs


@pytest.mark.parametrize(
    "text",
    [
        "",
        "<html></html>",
        "<html><body>" + "<div>" * 250_000 + "deep" + "</div>" * 250_000 + "</body></html>",  # ~5 MB nested
        "<div>" * 300_000,
        "<p>Unclosed <b>bold <i>italic</p><table><tr><td>cell<p>para</td></table>< / >&&&<<<>>",
        '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Caf\u00e9 text.</p></body></html>',
        "\x01\x02<p>\x07 bell</p>",
    ],
    ids=["empty", "html-only", "nested-5MB", "unclosed-divs", "broken", "xml-declaration", "control-chars"],
)
def test_hostile_html_does_not_crash(text, resources):
    started = time.perf_counter()
    try:
        doc = boilerplate.run(Document("h", "h", "html", text=text, url="https://example.org/"), resources)
    except Drop as drop:  # a page with nothing to read is an errors row with its reason, not a crash
        assert drop.reason in DROP_REASONS and drop.detail
        return
    assert time.perf_counter() - started < 20
    assert doc.page_kind in {"article", "listing"}
    assert doc.body_text.strip() and "\n\n\n" not in doc.body_text


@pytest.mark.parametrize("text", ["", "-\n-\n- Date:\n", ":\n" * 1000, "- a\n" * 50_000])
def test_hostile_text_renderings_do_not_crash(text, resources):
    try:
        doc = boilerplate.run(Document("t", "t", "text", text=text), resources)
    except Drop as drop:
        assert drop.reason in DROP_REASONS and drop.detail
        return
    assert doc.page_kind == "article" and doc.body_text.strip()


DROP_REASONS = {"no_text", "navigation_only", "no_main_text"}
NAVIGATION_ONLY = """<html><head><title>Site map | Example Ministry</title></head><body>
<header><a href="/">Home</a></header>
<nav class="main-menu"><ul>{items}</ul></nav>
<div class="region-sidebar"><ul class="menu">{items}</ul></div>
<footer><ul class="footer-links"><li><a href="/contact">Contact us</a></li><li><a href="/privacy">Privacy policy</a></li></ul></footer>
</body></html>"""
MENU_ITEMS = "".join(f'<li><a href="/{w.lower()}">{w} and related programmes</a></li>' for w in ("Education", "Elections", "Policing", "Media", "Migration", "Youth"))


@pytest.mark.parametrize(
    "html, reason",
    [
        (NAVIGATION_ONLY.format(items=MENU_ITEMS), "navigation_only"),
        ("<html><head><title>Loading</title><script>var app = 1;</script></head><body><div id='app'></div></body></html>", "no_text"),
        ("<html><body><img src='a.png'><div style='display:none'>Hidden text of a template</div></body></html>", "no_text"),
    ],
    ids=["navigation-only", "script-shell", "hidden-only"],
)
def test_a_page_with_no_article_text_is_dropped_with_the_reason(html, reason, resources):
    with pytest.raises(Drop) as raised:
        boilerplate.run(Document("n", "n", "html", text=html, url="https://ministry.example.org/sitemap"), resources)
    assert raised.value.reason == reason
    if reason == "navigation_only":
        assert "navigation" in raised.value.detail and "words" in raised.value.detail


def test_a_page_without_body_becomes_an_errors_row_in_a_run(tmp_path, settings):
    from pipeline import load_table
    from pipeline.runner import run

    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "menu.html").write_text(NAVIGATION_ONLY.format(items=MENU_ITEMS), "utf-8")
    shutil.copy(CRAWL / "html" / "003_b81f9d82acfba30d.html", crawl / "article.html")
    run([crawl], tmp_path / "out", settings, stage_factory=lambda s, r: [Stage("boilerplate", lambda d: boilerplate.run(d, r))], executor="inline")
    errors = load_table("errors", tmp_path / "out")
    assert errors["error_type"].tolist() == ["navigation_only"] and errors["stage"].tolist() == ["boilerplate"]
    assert [Path(s).name for s in load_table("documents", tmp_path / "out")["source"]] == ["article.html"]


# ------------------------------------------------------------------------------------ scoring


def test_snippet_counts_and_summary():
    counts = snippet_counts("alpha beta gamma", ["alpha", "delta"], ["gamma", "omega"])
    assert (counts["tp"], counts["fn"], counts["fp"], counts["tn"]) == (1, 1, 1, 1)
    summary = snippet_summary([counts])
    assert summary["precision"] == summary["recall"] == summary["f1"] == summary["accuracy"] == 0.5


def test_shingle_scores():
    assert shingle_scores("one two three four five", "one two three four five") == (1.0, 1.0)
    precision, recall = shingle_scores("one two three four", "one two three four five six")
    assert precision == 1.0 and recall == pytest.approx(1 / 3)
    # tokens are \w+ runs: punctuation and line breaks do not make other shingles
    assert shingle_scores("One, two -- three.\nFour!", "One two three Four") == (1.0, 1.0)
    # a multiset: a paragraph repeated twice in the output is half wrong
    repeated = "the mission opened an office in the north"
    assert shingle_scores(f"{repeated} {repeated}", repeated)[0] == pytest.approx(5 / 13)
    assert shingle_scores("", "some gold text here") == (None, 0.0)  # no output: no precision to average


def test_fulltext_summary_averages_precision_over_pages_with_output_only():
    pages = [{"precision": 1.0, "recall": 0.5}, {"precision": None, "recall": 0.0}, {"precision": 0.5, "recall": 1.0}]
    summary = fulltext_summary(pages)
    assert summary["precision"] == 0.75 and summary["recall"] == 0.5 and summary["empty_outputs"] == 1
    assert summary["f1"] == pytest.approx(2 * 0.75 * 0.5 / 1.25, abs=1e-4)


@pytest.mark.parametrize("folder", [CRAWL, FIXTURES / "seed"], ids=["crawl", "seed"])
def test_evaluate_extraction_on_folders_with_page_gold(folder):
    result = evaluate_extraction(folder)
    assert result["summary"]["kind"] == "pages" and result["summary"]["pages"] >= 1
    assert result["summary"]["failed"] == 0, [p for p in result["pages"] if not p["ok"]]


def test_evaluate_extraction_on_snippet_gold(tmp_path, settings):
    page = CRAWL / "html" / "001_142343c9e64c5976.html"
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "p1.html.gz").write_bytes(gzip.compress(page.read_bytes()))
    truth = {"id": "p1", "url": URLS[page.name], "file": "pages/p1.html.gz",
             "with": ["Twenty-two journalists from Chisinau, Tiraspol, Comrat and Balti today completed", "funded by the Government of Sweden"],
             "without": ["Printer-friendly version", "We use cookies to remember your language"]}
    (tmp_path / "truth.jsonl").write_text(json.dumps(truth) + "\n", "utf-8")
    summary = evaluate_extraction(tmp_path)["summary"]
    assert summary["kind"] == "snippets"
    assert (summary["tp"], summary["fn"], summary["fp"], summary["tn"]) == (2, 0, 0, 2)


# ------------------------------------------------------------------------------------ copies on other hosts

PAGES = FIXTURES / "pages"


def test_an_archive_copy_keeps_its_note_out_of_the_body_and_its_fields(settings, resources):
    from pipeline.stages import metadata

    page = PAGES / "archive_copy.html"
    doc = make_document(page.read_bytes(), str(page), settings, url="https://archive.example.net/2022/osce-bishkek")
    doc = boilerplate.run(doc, resources)
    assert doc.copy_note.startswith("This is an archived copy of a page originally published at www.osce.org")
    assert "archived copy" not in doc.body_text and "Other captures" not in doc.body_text
    assert doc.body_text.startswith("BISHKEK, 13 June 2022 – Representatives")
    assert doc.body_text.endswith("community policing across the country.")
    assert doc.fields["fields_of_work"] == ["Policing", "Human rights"]  # every value of "What we do:"
    assert doc.fields["sources"] == ["OSCE Programme Office in Bishkek"]
    doc = metadata.run(doc, resources)
    assert doc.content_type == "Press release" and doc.published == "2022-06-13"
    assert doc.dateline_place == ["Bishkek"]


def test_a_note_on_the_sites_own_pages_is_not_a_copy_note(settings, resources):
    html = (PAGES / "archive_copy.html").read_text("utf-8").replace("https://www.osce.org/", "https://archive.example.net/").replace(
        "www.osce.org", "archive.example.net")
    doc = boilerplate.run(make_document(html.encode(), "own.html", settings, url="https://archive.example.net/2022/osce-bishkek"), resources)
    assert doc.copy_note is None  # no other host named: the site talking about itself


def test_a_sentence_about_a_first_publication_inside_the_article_stays_body(settings, resources):
    html = (PAGES / "archive_copy.html").read_text("utf-8").replace(
        "<p>Participants reviewed",
        "<p>The study on community policing, first published at the conference in Osh last year, was discussed at length by the"
        " participants, who compared its findings with what they had seen in their own districts.</p><p>Participants reviewed")
    doc = boilerplate.run(make_document(html.encode(), "a.html", settings, url="https://archive.example.net/x"), resources)
    assert "first published at the conference in Osh" in doc.body_text


def test_a_paragraph_opening_with_its_first_publication_and_going_on_with_the_article_stays_body(settings, resources):
    """Provenance-worded and naming another host, but the note is one clause of it: the rest is the article's text."""
    paragraph = ("Originally published on Thursday, 15 December 2021: the community policing study was presented in Osh, "
                 "where district officers compared its findings with their own. Since then it has been read by officers in "
                 "every region, and the full text is now on <a href=\"https://library.example.org/policing\">library.example.org</a>.")
    html = (PAGES / "archive_copy.html").read_text("utf-8").replace("<p>Participants reviewed", f"<p>{paragraph}</p><p>Participants reviewed")
    doc = boilerplate.run(make_document(html.encode(), "a.html", settings, url="https://archive.example.net/x"), resources)
    assert "Originally published on Thursday, 15 December 2021: the community policing study" in doc.body_text
    assert doc.copy_note.startswith("This is an archived copy of a page originally published at www.osce.org")


def test_a_class_named_after_the_posts_tags_is_no_cue(settings, resources):
    """WordPress writes a post's tags into its classes: tag-renewable-energy-credits is not a credits box."""
    paragraphs = "".join(
        f"<p>Paragraph {n} of the post explains at some length why the wind energy tax credit matters to farmers in the state.</p>"
        for n in range(6)
    )
    html = (f'<html><head><title>Wind credits | Blog</title></head><body><div id="content"><div class="post hentry '
            f'category-energy tag-renewable-energy-credits tag-newsletter"><h1>Wind credits</h1><div class="entry">{paragraphs}'
            f'</div></div></div><div class="credits">Photo credits: Staff</div></body></html>')
    doc = boilerplate.run(make_document(html.encode(), "post.html", settings, url="https://blog.example.com/wind"), resources)
    assert doc.body_text.startswith("Paragraph 0 of the post") and doc.body_text.count("\n\n") == 5
    assert "Photo credits" not in doc.body_text


def test_content_named_classes_are_not_cues_but_box_classes_are(resources):
    cues = resources.profiles.cues
    assert cues.excluded_box("post hentry tag-renewable-energy-credits category-newsletter") is None
    assert cues.excluded_box("photo-credits") == "credits" and cues.excluded_box("newsletter-signup") == "newsletter"
    assert cues.kind_of("tag-related-posts") is None and cues.kind_of("related-posts")[0] == "related"
