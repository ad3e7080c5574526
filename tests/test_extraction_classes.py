"""Classes of loss of the generic body extraction, one page each, written for these tests.

Each page stands for a class of pages found on the tuning halves of the extraction benchmarks
(docs/extraction.md): a second copy of the article in the same page (a print view or a second tab),
a side box trafilatura takes in after the article (and a page builder's article, whose every box
carries a side box's name), a short post beside an "about me" box of the same size, and trafilatura
choosing that box in the sidebar.
"""

from __future__ import annotations

import pytest

from pipeline.config import load_settings
from pipeline.extract import generic
from pipeline.extract.generic import densest_container, extract_generic
from pipeline.extract.html import parse_html, text_blocks
from pipeline.resources import Resources
from pipeline.stages import boilerplate
from pipeline.stages.ingest import make_document

LEAD = ("The harbour authority on Tuesday approved plans for a new ferry terminal on the eastern pier, "
        "ending two years of debate over the future of the waterfront.")
ARTICLE = [
    LEAD,
    "The terminal, which will cost an estimated 48 million euros, is due to open in 2028 and will handle up "
    "to three million passengers a year, the authority said in a statement.",
    "Local residents had objected to the original design, arguing that it would block the view of the old "
    "lighthouse and bring heavy traffic into narrow streets.",
    "The revised plan moves the car park underground and adds a public walkway along the water, changes the "
    "authority said had won over most of the objectors.",
]


def _paragraphs(texts: list[str]) -> str:
    return "\n".join(f"  <p>{t}</p>" for t in texts)


TABBED_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour authority approves new ferry terminal - Coastal Times</title></head>
<body>
<div id="header"><a href="/">Coastal Times</a> <ul class="menu"><li><a href="/news">News</a></li><li><a href="/business">Business</a></li></ul></div>
<div id="tabs">
 <ul class="tab-list"><li><a href="#panel-story">Story</a></li><li><a href="#panel-print">Print view</a></li></ul>
 <div id="panel-story" class="tab-panel">
  <h1>Harbour authority approves new ferry terminal</h1>
  <p class="byline">By Maria Lindqvist</p>
{_paragraphs(ARTICLE)}
 </div>
 <div id="panel-print" class="tab-panel">
  <p class="byline">By Maria Lindqvist</p>
{_paragraphs(ARTICLE)}
  <p class="print-footer">Copyright 2026 Coastal Times. This copy is for your personal, non-commercial use only.</p>
 </div>
</div>
<div id="footer"><p>&copy; 2026 Coastal Times</p></div>
</body></html>
"""

POND = [
    "More than sixty volunteers spent the weekend clearing reeds, silt and litter from the old mill pond, which "
    "had been left to overgrow since the mill closed in 1961.",
    "The work was organised by the local heritage society, which hopes to reopen the pond to anglers and school "
    "groups by the end of the summer.",
    '"We found bicycles, shopping trolleys and a surprising number of garden gnomes," said the society\'s chair, '
    "Ellen Marsh, who has lived beside the pond for forty years.",
    "The council has promised a grant of 12,000 pounds for new footpaths and benches if the society can show "
    "that the water quality has improved by the autumn.",
]
TEASERS = [
    ("Library extends its opening hours", "The central library will open until nine on weekdays from June, after a "
     "consultation in which most readers asked for later hours."),
    ("Bus route 12 to return in July", "The bus company says the route, cut last year for lack of drivers, will run "
     "again every half hour between the station and the hospital."),
    ("Summer fair moves to the park", "Organisers say the fair has outgrown the market square and will take place in "
     "Victoria Park, with more room for stalls and rides."),
]


def pond_page(box_class: str) -> str:
    items = "\n".join(f"    <li><h4>{t}</h4><p>{p}</p></li>" for t, p in TEASERS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Volunteers restore the old mill pond | Riverside Gazette</title></head>
<body>
<div id="page">
 <div id="masthead"><a href="/">Riverside Gazette</a></div>
 <div id="main-column">
  <div class="article-block">
   <h1>Volunteers restore the old mill pond</h1>
{_paragraphs(POND)}
  </div>
  <div class="{box_class}">
   <h3>More from the Gazette</h3>
   <ul>
{items}
   </ul>
  </div>
 </div>
 <div id="footer"><p>Riverside Gazette, 4 Mill Lane</p></div>
</div>
</body></html>
"""


WREATH = [
    "Im Herbst bietet der Garten alles, was man für einen schönen Kranz braucht: Hagebutten, Efeu, "
    "Hortensienblüten und die letzten bunten Blätter des Jahres.",
    "Für einen Kranz mit dreißig Zentimetern Durchmesser rechnet ihr mit etwa einer Stunde Arbeit, wenn alles "
    "Material bereitliegt und der Rohling schon gewickelt ist.",
    "Einen Strohrohling, grünen Bindedraht, eine Gartenschere und eine Handvoll Zweige von immergrünen "
    "Sträuchern als Grundlage für den ganzen Kranz.",
    "Bindet die Zweige in kleinen Büscheln schräg übereinander, immer in dieselbe Richtung, und steckt die "
    "Blüten und Beeren erst ganz zum Schluss dazwischen.",
    "Hängt den Kranz an einen kühlen Ort, dann hält er sich drei bis vier Wochen. Wer ihn an die Haustür hängt, "
    "sollte ihn ab und zu mit Wasser besprühen.",
]


def _widget(inner: str, kind: str = "text-editor") -> str:
    return f' <div class="elementor-element elementor-widget-{kind}"><div class="elementor-widget-container">{inner}</div></div>'


BUILDER_PAGE = f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Herbstkränze selber binden – Gartenwerkstatt</title></head>
<body>
<div class="elementor elementor-12">
{_widget('<h1 class="elementor-heading-title">Herbstkränze selber binden</h1>', "heading")}
{_widget(_paragraphs(WREATH[:2]))}
{_widget('<h2 class="elementor-heading-title">Das braucht ihr</h2>', "heading")}
{_widget(_paragraphs(WREATH[2:4]))}
{_widget(_paragraphs(WREATH[4:]))}
</div>
<footer><p>Gartenwerkstatt · Impressum · Datenschutz</p></footer>
</body></html>
"""

POST = ("Max Jacob Newport was born on Tuesday at 6:12 in the morning, weighing a little over three kilos. "
        "Mother and son are doing well, and the dog has not yet decided what to make of him.")
ABOUT = ("I am a thirty-year-old computer scientist who writes about study habits, careers and the strange "
         "ways people learn. This blog started as notes for my students and grew from there.")

SMALL_POST_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>My new project | Study Notes</title></head>
<body>
<div id="wrap">
 <div id="content">
  <div class="post hentry">
   <h2 class="post-title">My new project</h2>
   <div class="post-body entry-content"><p>{POST}</p></div>
  </div>
 </div>
 <div id="sidebar">
  <div class="widget about-widget"><h2>About me</h2><div class="widget-inner"><p>{ABOUT}</p></div></div>
 </div>
</div>
</body></html>
"""


@pytest.fixture(scope="module")
def settings():
    return load_settings()


@pytest.fixture(scope="module")
def resources(settings):
    resources = Resources(settings)
    resources.profiles = resources.profiles.without_sites()
    return resources


def read(html: str, resources, settings, url: str):
    doc = make_document(html.encode("utf-8"), "page.html", settings, url=url)
    return boilerplate.run(doc, resources)


def test_a_second_copy_of_the_article_in_the_page_is_kept_once(resources, settings):
    doc = read(TABBED_PAGE, resources, settings, "https://www.coastal-times.example/news/ferry-terminal")
    paragraphs = doc.body_text.split("\n\n")
    assert [p for p in paragraphs if p in ARTICLE] == ARTICLE  # each paragraph once, in order
    assert paragraphs.count("By Maria Lindqvist") <= 1
    repeats = [b for b in doc.blocks if b.text == LEAD and b.kind != "body"]
    assert repeats and "repeats an earlier paragraph" in repeats[0].reason


def test_a_side_box_after_the_article_is_left_out(resources, settings):
    doc = read(pond_page("sponsor-box"), resources, settings, "https://riverside-gazette.example/2026/05/mill-pond")
    assert doc.body_text.split("\n\n")[-len(POND):] == POND
    for title, teaser in TEASERS:
        assert title not in doc.body_text and teaser not in doc.body_text
    dropped = next(b for b in doc.blocks if b.text == TEASERS[0][1])
    assert "after the article's densest container" in dropped.reason and ".sponsor" in dropped.reason


def test_an_article_split_over_boxes_that_all_carry_a_side_name_is_kept_whole(resources, settings):
    """A page builder names every box ``elementor-widget``, the article's own: no box is a side box."""
    doc = read(BUILDER_PAGE, resources, settings, "https://gartenwerkstatt.example/herbstkraenze")
    assert doc.body_text.split("\n\n")[-len(WREATH):] == WREATH


def test_the_densest_container_is_the_post_not_the_about_box_of_the_same_size():
    cues = Resources(load_settings()).profiles.cues
    blocks = text_blocks(parse_html(SMALL_POST_PAGE))
    dense = densest_container(blocks, cues)
    assert [b.text for b in dense.blocks] == [POST]
    assert dense.chars == len(POST)


SIDEBAR_LAYOUT_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>My new project | Study Notes</title></head>
<body>
<div class="post-wrap wrap cb-sidebar-right">
 <article class="post">
  <h2 class="post-title">My new project</h2>
  <div class="entry-content"><p>{POST}</p></div>
 </article>
 <div class="share-box"><p>{ABOUT}</p></div>
</div>
</body></html>
"""


def _generic_body(html: str, proposed: str, monkeypatch) -> tuple[list[str], str]:
    """The generic body when trafilatura proposes ``proposed`` (its choice on such pages, stated here
    so the test does not depend on trafilatura's version)."""
    monkeypatch.setattr(generic, "trafilatura_text", lambda tree, url: proposed)
    cues = Resources(load_settings()).profiles.cues
    tree = parse_html(html)
    result = extract_generic(tree, text_blocks(tree.find("body")), None, cues)
    return [b.text for b in result.body], result.source


def test_trafilatura_choosing_the_about_box_in_the_sidebar_gives_way_to_the_post(monkeypatch):
    body, source = _generic_body(SMALL_POST_PAGE, f"About me\n{ABOUT}", monkeypatch)
    assert body == [POST]
    assert source == "generic:densest-container"


def test_a_layout_class_naming_the_sidebar_column_is_no_sidebar_box(monkeypatch):
    """``cb-sidebar-right`` on the wrapper of the article says the page has a sidebar, not that the
    article is in it: trafilatura's choice stands."""
    body, source = _generic_body(SIDEBAR_LAYOUT_PAGE, POST, monkeypatch)
    assert body == [POST]
    assert source == "trafilatura"



LINKED_SENTENCE = ('Refer to <a href="/guides/twitter">the complete beginner\'s guide to tweets, hashtags and lists</a> '
                   'if you are new to it.')
READ_ALSO = 'Read also: <a href="/news/old-pier">The old pier closes after ninety years of service</a>'
TAGS_LINE = ('Published: 3 May 2026 | Tags: <a href="/tag/ferries">Ferries</a>, <a href="/tag/harbour">Harbour authority</a>, '
             '<a href="/tag/waterfront">Waterfront development</a>, <a href="/tag/planning">Planning and building permits</a>, '
             '<a href="/tag/transport">Public transport</a>')
LINKED_PARAGRAPHS_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour authority approves new ferry terminal</title></head>
<body><article>
  <p>{TAGS_LINE}</p>
{_paragraphs(ARTICLE[:2])}
  <p>{READ_ALSO}</p>
  <p>{LINKED_SENTENCE}</p>
{_paragraphs(ARTICLE[2:])}
</article></body></html>
"""


def test_a_sentence_written_around_its_links_stays_but_teasers_and_tag_lines_go(monkeypatch):
    """Mostly links is not enough to be a "read also" teaser: outside its links a teaser has only its
    cue, or opens with a label; a sentence the author wrote around a link is the article's."""
    blocks = text_blocks(parse_html(LINKED_PARAGRAPHS_PAGE).find("body"))
    body, _ = _generic_body(LINKED_PARAGRAPHS_PAGE, "\n".join(b.text for b in blocks), monkeypatch)
    sentence = next(b.text for b in blocks if b.text.startswith("Refer to"))
    assert body == [*ARTICLE[:2], sentence, *ARTICLE[2:]]
    assert next(b for b in blocks if b.text.startswith("Refer to")).link_density > generic.PROMO_LINK_DENSITY


READING_LIST = ['• <a href="/2026/04/ferry-history">A short history of the harbour ferries</a> (Coastal Times)',
                '• <a href="/2026/03/pier-survey">What the pier survey found</a>',
                '• <a href="/2026/02/terminal-costs">Where the terminal money comes from</a>']
READING_LIST_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour authority approves new ferry terminal</title></head>
<body><article>
{_paragraphs(ARTICLE)}
{_paragraphs(READING_LIST)}
  <p>Read more: <a href="/news">All the news from the harbour and the waterfront</a></p>
</article></body></html>
"""


def test_items_written_as_paragraphs_after_the_article_stay_like_list_items(monkeypatch):
    """A reading list written as "• <link>" paragraphs ends the article as an ``<ul>`` would; a
    "Read more:" link after the last paragraph is still chrome."""
    blocks = text_blocks(parse_html(READING_LIST_PAGE).find("body"))
    body, _ = _generic_body(READING_LIST_PAGE, "\n".join(b.text for b in blocks), monkeypatch)
    items = [b.text for b in blocks if b.text.startswith("•")]
    assert len(items) == 3 and all(b.link_density > generic.TRAILING_LINK_DENSITY for b in blocks if b.text in items)
    assert body == [*ARTICLE, *items]
