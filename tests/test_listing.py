"""Listing pages: detected by their shape, entries exact against gold, no body; articles are not listings."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.resources import Resources
from pipeline.stages import boilerplate
from pipeline.stages.ingest import make_document

CRAWL = Path(__file__).parent / "fixtures" / "crawl"
URLS = {Path(r["file"]).name: r["url"] for r in map(json.loads, (CRAWL / "crawl.jsonl").read_text("utf-8").splitlines())}


def gold_of(page: Path) -> dict:
    return json.loads((CRAWL / "gold" / f"{page.name}.json").read_text("utf-8"))


LISTINGS = sorted(p for p in (CRAWL / "html").glob("*.html") if gold_of(p)["page_kind"] == "listing")  # one per theme
ARTICLE_WITH_RELATED_BOX = CRAWL / "html" / "001_142343c9e64c5976.html"


@pytest.fixture(scope="module")
def settings():
    return load_settings()


@pytest.fixture(scope="module", params=["profile", "generic"])
def resources(request, settings):
    resources = Resources(settings)
    if request.param == "generic":
        resources.profiles = resources.profiles.without_sites()
    return resources


def process(page: Path, resources, settings, url: str | None = None):
    doc = make_document(page.read_bytes(), str(page), settings, url=url or URLS[page.name])
    return boilerplate.run(doc, resources)


def test_there_are_listing_pages_to_test():
    assert len(LISTINGS) == 2


@pytest.mark.parametrize("page", LISTINGS, ids=lambda p: p.name)
def test_listing_entries_match_gold(page, resources, settings):
    gold = gold_of(page)
    doc = process(page, resources, settings)
    assert doc.page_kind == "listing"
    assert doc.body_text == ""
    assert [e["position"] for e in doc.entries] == list(range(1, len(gold["entries"]) + 1))
    assert len(doc.entries) == len(gold["entries"])
    for got, want in zip(doc.entries, gold["entries"]):
        assert got["title"] == want["title"]
        assert got["url"] == want["url"]  # resolved against the page's URL
        assert got["content_type_label"] == want["content_type_label"]
        assert got["where"] == want["where"]
        assert got["what"] == want["what"]
        assert got["teaser"].startswith(want["teaser_starts_with"])
        assert datetime.strptime(got["published_text"], "%d %B %Y").date().isoformat() == want["published"]
    for leak in gold["body_must_not_contain"]:
        assert all(leak not in str(e) for e in doc.entries)


@pytest.mark.parametrize("page", LISTINGS, ids=lambda p: p.name)
def test_listing_title_is_the_page_heading(page, resources, settings):
    assert process(page, resources, settings).fields.get("title") == [gold_of(page)["listing_title"]]


def test_an_article_with_a_related_box_is_not_a_listing(resources, settings):
    doc = process(ARTICLE_WITH_RELATED_BOX, resources, settings)
    assert doc.page_kind == "article" and not doc.entries


def test_listing_blocks_are_marked_as_entries(resources, settings):
    doc = process(LISTINGS[0], resources, settings)
    entry_blocks = [b for b in doc.blocks if b.reason.startswith("listing entry")]
    assert entry_blocks and not any(b.kind == "body" for b in doc.blocks)


NEWER_THEME_LISTING = """<!DOCTYPE html><html lang="en"><head><title>News | OSCE</title></head><body>
<nav class="main-menu"><ul><li><a href="/what-we-do">What we do</a></li><li><a href="/where-we-are">Where we are</a></li></ul></nav>
<main><h1 class="page-title">News and press releases</h1><div class="view-content">
{rows}
</div><ul class="pager"><li><a href="?page=1">next ›</a></li></ul></main>
<footer><p>© OSCE 1995–2025. All rights reserved.</p></footer></body></html>"""
ROW = """<div class="views-row">
  <article class="node node--type-{kind} node--view-mode-teaser">
    <h3 class="node__title"><a href="/{place}/{number}">{title}</a></h3>
    <div class="field"><span class="field__label">Publishing date:</span> <time datetime="2021-03-0{day}">{day} March 2021</time></div>
    <div class="field"><span class="field__label">Content type:</span> <span class="field__item">{label}</span></div>
    <div class="field"><span class="field__label">Where we are:</span> <span class="field__item">{where}</span></div>
    <div class="field"><span class="field__label">What we do:</span> <span class="field__item">{what}</span></div>
    <div class="teaser-text"><p>{teaser}</p></div>
  </article></div>"""


@pytest.mark.parametrize("url", ["https://news.example.net/newsroom?page=3", "https://www.osce.org/newsroom?page=3"])
def test_newer_theme_listing_with_and_without_the_profile(url, settings):
    resources = Resources(settings)
    rows = "\n".join(
        ROW.format(kind="news", place=place, number=100 + day, day=day, label=label, where=where, what=what,
                   title=f"{where} holds a workshop on {what.lower()} for local officials",
                   teaser=f"Officials from {place.title()} discussed {what.lower()} at a workshop held on {day} March 2021 ...")
        for day, (place, label, where, what) in enumerate(
            [("skopje", "News", "Mission to Skopje", "Good governance"),
             ("bishkek", "Press release", "Programme Office in Bishkek", "Border management, Policing"),
             ("kosovo", "News", "Mission in Kosovo", "Human rights"),
             ("serbia", "Press release", "Mission to Serbia", "Rule of law"),
             ("moldova", "News", "Mission to Moldova", "Education"),
             ("tirana", "News", "Presence in Albania", "Elections")], start=1)
    )
    html = NEWER_THEME_LISTING.format(rows=rows)
    doc = boilerplate.run(make_document(html.encode(), "listing.html", settings, url=url), resources)
    assert doc.page_kind == "listing" and doc.body_text == ""
    assert doc.body_source == ("profile:osce.org" if "osce.org" in url else "generic:listing")
    assert len(doc.entries) == 6
    second = doc.entries[1]
    assert second["title"] == "Programme Office in Bishkek holds a workshop on border management, policing for local officials"
    assert second["url"] == url.split("/newsroom")[0] + "/bishkek/102"
    assert second["published_text"] == "2 March 2021"
    assert second["content_type_label"] == "Press release"
    assert second["where"] == ["Programme Office in Bishkek"]
    assert second["what"] == ["Border management", "Policing"]
    assert second["teaser"].startswith("Officials from Bishkek discussed")



BLOG_ARCHIVE_WITH_BOXES = """<!DOCTYPE html><html lang="en"><head><title>Field notes | Riverside Gazette</title></head><body>
<header><a href="/">Riverside Gazette</a></header>
<div id="content"><h1>Field notes from the valley</h1>
<div class="tag-cloud"><h2>{box_heading}</h2><ul><li><a href="/tag/water">water</a></li><li><a href="/tag/farming">farming</a></li>
<li><a href="/tag/schools">schools</a></li><li><a href="/tag/roads">roads and bridges</a></li></ul></div>
<section class="posts"><h2>{section_heading}</h2>
{rows}
</section></div></body></html>"""
POST_ROW = """<div class="post-summary"><h3><a href="/notes/{slug}">{title}</a></h3>
<p class="meta">Posted on {day} May 2024</p><p>{teaser}</p></div>"""


@pytest.mark.parametrize("section_heading", ["", "Latest notes"])
def test_a_heading_over_a_box_of_links_is_not_the_listing_title(section_heading, resources, settings):
    rows = "\n".join(
        POST_ROW.format(slug=f"note-{day}", day=day, title=f"{topic} in the upper valley this spring",
                        teaser=f"Residents told us how {topic.lower()} changed after the floods of the winter ...")
        for day, topic in enumerate(["Irrigation", "Bus routes", "School meals", "Bridge repairs", "Grain prices"], start=3)
    )
    html = BLOG_ARCHIVE_WITH_BOXES.format(box_heading="Browse by tag", section_heading=section_heading, rows=rows)
    doc = boilerplate.run(make_document(html.encode(), "notes.html", settings, url="https://gazette.example.org/notes"), resources)
    assert doc.page_kind == "listing" and len(doc.entries) == 5
    # The tag box's heading names the box; the section's own heading, where there is one, names the entries.
    assert doc.fields.get("title") == [section_heading or "Field notes from the valley"]


TEXT_LISTING = """-
Newsroom
- News and press releases
- Events
- Media contacts
Newsroom
News and press releases
News and press releases from the Organization's activities across the region.
{entries}
Load more
- Contacts
- Careers
"""
TEXT_ENTRY = """{title}
Publishing date: {day} May 2021
Content type: {label}
{where}What we do: {what}
{teaser}"""
TEXT_ENTRIES = [
    ("OSCE trains border guards in Tajikistan on risk analysis", "News", "OSCE Programme Office in Dushanbe", "Border management, Policing",
     "A two-week course on risk analysis for border guards ended today in Dushanbe."),
    ("Chairperson-in-Office welcomes ceasefire agreement", "Press release", "OSCE Chairmanship", "Conflict prevention and resolution",
     "STOCKHOLM, 12 May 2021 – The OSCE Chairperson-in-Office welcomed the agreement reached by the sides yesterday."),
    ("ODIHR opens observation mission for elections in Armenia", "Press release", "", "Elections",
     "WARSAW, 10 May 2021 – The Office for Democratic Institutions and Human Rights opened an observation mission today."),
]


def text_listing(entries=TEXT_ENTRIES) -> str:
    rows = [
        TEXT_ENTRY.format(title=title, day=14 - 2 * i, label=label, where=f"Where we are: {where}\n" if where else "", what=what, teaser=teaser)
        for i, (title, label, where, what, teaser) in enumerate(entries)
    ]
    return TEXT_LISTING.format(entries="\n".join(rows))


def test_a_text_rendering_of_a_listing_gives_entries_and_no_body(settings):
    resources = Resources(settings)
    doc = boilerplate.run(make_document(text_listing().encode(), "listing.txt", settings, url="https://news.example.org/newsroom"), resources)
    assert doc.page_kind == "listing" and doc.body_text == ""
    assert doc.fields.get("title") == ["News and press releases"]
    assert [e["title"] for e in doc.entries] == [e[0] for e in TEXT_ENTRIES]
    first, last = doc.entries[0], doc.entries[-1]
    assert first["published_text"] == "14 May 2021" and first["content_type_label"] == "News"
    assert first["where"] == ["OSCE Programme Office in Dushanbe"] and first["what"] == ["Border management", "Policing"]
    assert first["teaser"].startswith("A two-week course") and last["where"] == []
    assert last["teaser"].endswith("observation mission today.")  # "Load more" and the footer are not its teaser


def test_a_text_rendering_of_an_article_with_a_related_list_stays_an_article(settings):
    resources = Resources(settings)
    article = (
        "Youth council opens in the city\nPublishing date: 20 May 2021\nContent type: News\n"
        + "\n".join(f"Paragraph {n} of the article tells at some length what the new youth council will do in its first year." for n in range(8))
        + "\nRelated\n" + text_listing().split("News and press releases from")[1].split("\n", 1)[1]
    )
    doc = boilerplate.run(make_document(article.encode(), "article.txt", settings, url="https://news.example.org/a/1"), resources)
    assert doc.page_kind == "article" and not doc.entries
    assert doc.body_text.startswith("Paragraph 0 of the article")


BLOG_POST = """<!DOCTYPE html><html lang="en"><head><title>Why the border crossing matters | Field notes</title>
<link rel="canonical" href="https://fieldnotes.example.org/2021/03/why-the-border-crossing-matters"></head><body>
<header><a href="/">Field notes</a><nav><ul><li><a href="/about">About</a></li><li><a href="/archive">Archive</a></li></ul></nav></header>
<div id="content"><div class="post">
<h1>Why the border crossing matters</h1><p class="byline">Posted on 4 March 2021</p>
<div class="entry"><p>The crossing at the end of the valley is the only road most families here have to the market town.</p>
<p>When it closed for six weeks last winter, traders lost most of their season and children missed school.</p></div>
</div>
<div id="comments"><h3>{n} comments</h3>{comments}</div></div>
<footer><p>© Field notes</p></footer></body></html>"""
COMMENT = """<div class="comment comment-{i}"><span class="author"><a href="https://reader{i}.example.com/">Reader {i}</a></span>
<a class="permalink" href="https://fieldnotes.example.org/2021/03/why-the-border-crossing-matters#comment-{i}">{day} March 2021 at 10:{i:02d} AM</a>
<p>Thank you for writing about this, the same happened in our village two years ago and nobody wrote a word.</p></div>"""


def test_a_blog_post_followed_by_a_comment_thread_is_an_article(settings):
    comments = "".join(COMMENT.format(i=i, day=4 + i // 4) for i in range(12))
    html = BLOG_POST.format(n=12, comments=comments)
    doc = boilerplate.run(make_document(html.encode(), "post.html", settings, url=None), Resources(settings))
    assert doc.page_kind == "article" and not doc.entries
    assert doc.body_text.startswith("The crossing at the end of the valley")
    assert "Thank you for writing" not in doc.body_text


def test_alike_rows_leading_to_pages_of_their_own_are_still_a_listing(settings):
    """The same shape, but each row's title leads to another post of the site: an archive page."""
    rows = "".join(
        f'<div class="comment comment-{i}"><h3><a href="/2021/03/post-number-{i}">Notes from the valley, part {i} of the series</a></h3>\n'
        f'<span>{4 + i // 4} March 2021</span>\n<p>A short teaser of post {i} about the valley and its road.</p></div>'
        for i in range(12)
    )
    html = BLOG_POST.format(n=12, comments=rows).replace('<div class="entry">', '<div class="entry" hidden>')
    doc = boilerplate.run(make_document(html.encode(), "archive.html", settings, url="https://fieldnotes.example.org/archive"),
                          Resources(settings))
    assert doc.page_kind == "listing" and len(doc.entries) == 12
    assert doc.entries[3]["url"] == "https://fieldnotes.example.org/2021/03/post-number-3"


SECTION_LISTING = """<!DOCTYPE html><html lang="en"><head><title>Newsroom | OSCE</title></head><body>
<header class="site-header"><a href="/">OSCE</a><nav><ul><li><a href="/newsroom">Newsroom</a></li><li><a href="/what-we-do">What we do</a></li></ul></nav></header>
<div class="section-banner"><h1 class="section-title">Newsroom</h1></div>
<main><h2 class="listing-title">News and press releases</h2>
<div class="results">{rows}</div></main>
<footer><p>© OSCE</p></footer></body></html>"""
INLINE_ROW = """<div class="result">
<a class="result__title" href="/mission-to-{place}/{number}">{title}</a>
<span class="field__label">Publishing date:</span> <time datetime="2023-05-{day:02d}">{day} May 2023</time>
<span class="field__label">Content type:</span> <span>News</span>
<span class="field__label">What we do:</span> <a href="/{w1}">{what1}</a>, <a href="/{w2}">{what2}</a>
<span class="lead">{lead}</span>
</div>"""


def test_a_listing_in_a_section_takes_its_own_heading_values_and_lead(settings):
    places = ["skopje", "serbia", "moldova", "montenegro", "kosovo", "albania"]
    rows = "".join(
        INLINE_ROW.format(place=place, number=500 + i, day=10 - i, title=f"Mission to {place.title()} trains judges on hate crime cases",
                          w1="rule-of-law", what1="Rule of law", w2="tolerance", what2="Tolerance and non-discrimination",
                          lead=f"Twenty judges from {place.title()} took part in a two-day course on how to recognize bias motives.")
        for i, place in enumerate(places)
    )
    doc = boilerplate.run(make_document(SECTION_LISTING.format(rows=rows).encode(), "listing.html", settings,
                                        url="https://news.example.int/newsroom/news"), Resources(settings))
    assert doc.page_kind == "listing" and len(doc.entries) == 6
    assert doc.fields["title"] == ["News and press releases"]  # not the section's "Newsroom"
    entry = doc.entries[2]
    assert entry["title"] == "Mission to Moldova trains judges on hate crime cases"
    assert entry["what"] == ["Rule of law", "Tolerance and non-discrimination"]
    assert entry["content_type_label"] == "News"
    assert entry["teaser"] == "Twenty judges from Moldova took part in a two-day course on how to recognize bias motives."
