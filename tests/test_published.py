"""The publication-date decision (pipeline.published): where a visible date sits, a URL's day, UTC
timestamps, on generic pages (no site profile) through the real boilerplate and metadata stages."""

from __future__ import annotations

import lxml.html
import pytest

from pipeline.config import load_settings
from pipeline.published import url_date, visible_dates
from pipeline.resources import Resources
from pipeline.stages import boilerplate, metadata
from pipeline.stages.ingest import make_document

BODY = (
    "<p>The regional water board approved a plan on Tuesday to replace the pumping station that floods the old harbour"
    " district every spring, after residents had petitioned the council for three years.</p>"
    "<p>Work on the new station is to start after the summer and take two years; the board will pay for most of it"
    " from its reserves and a loan, the chairwoman told the meeting.</p>" * 2
)
HEADLINE = "Water board approves new pumping station for the harbour"


@pytest.fixture(scope="module")
def resources():
    return Resources(load_settings())


def process(html: str, resources, url: str = "https://www.example-zeitung.de/lokales/pumpwerk-hafen"):
    doc = make_document(html.encode("utf-8"), "page.html", resources.settings, url=url)
    return metadata.run(boilerplate.run(doc, resources), resources)


def _tree(html: str):
    return lxml.html.document_fromstring(html)


def _by_raw(tree, title: str = HEADLINE) -> dict:
    return {v.raw: v for v in visible_dates(tree, ["en"], title)}


def test_a_sidebar_or_breadcrumb_class_on_the_container_of_the_headline_does_not_hide_its_date():
    tree = _tree(
        f"<html><body class='layout has-sidebar'><div class='intro intro__breadcrumbNavigation'><h1>{HEADLINE}</h1>"
        "<p>21 January 2022</p></div>"
        "<div class='sidebar'><h3>Most read</h3><p>12 January 2022 Ferry timetable changes</p></div></body></html>"
    )
    found = _by_raw(tree)
    assert not found["21 January 2022"].elsewhere
    assert found["12 January 2022"].elsewhere  # a sidebar of its own, beside the headline's container


def test_an_aside_or_footer_inside_the_article_is_the_articles_own_but_not_outside_it():
    tree = _tree(
        f"<html><body><article><h1>{HEADLINE}</h1><aside class='meta'><span>Posted 21.01.2022</span></aside>"
        f"<p>The board met on Tuesday.</p><footer>Filed 22.01.2022</footer></article>"
        "<aside><p>Also: 14.01.2022 new ferry</p></aside><footer><p>Last update 30.01.2022</p></footer></body></html>"
    )
    found = _by_raw(tree)
    assert not found["21.01.2022"].elsewhere and not found["22.01.2022"].elsewhere
    assert found["14.01.2022"].elsewhere and found["30.01.2022"].elsewhere


def test_the_date_in_the_article_aside_beats_a_lone_meta_date(resources):
    html = (
        f"<html lang='en'><head><title>{HEADLINE}</title><meta name='date' content='2022-01-26T14:32:06+02:00'></head>"
        f"<body><article><h1>{HEADLINE}</h1><aside class='meta'><div class='meta__row--posted'>"
        "<time class='meta__label' datetime='2022-01-21'>21.01.2022</time></div></aside>"
        f"{BODY}</article></body></html>"
    )
    doc = process(html, resources)
    assert doc.published == "2022-01-21"


def test_the_day_in_the_url_breaks_a_tie_with_a_date_written_on_the_page(resources):
    html = (
        f"<html lang='en'><head><title>{HEADLINE}</title></head><body><article><h1>{HEADLINE}</h1>"
        f"<p class='byline'><span class='date'>17 June 2019</span></p>{BODY}</article></body></html>"
    )
    doc = process(html, resources, url="https://www.example-blog.de/home/2017/7/12/pumpwerk-hafen")
    assert (doc.published, doc.published_source) == ("2017-07-12", "url")
    doc = process(html, resources)  # without the URL's day the page's own date stands
    assert doc.published == "2019-06-17"


def test_a_title_opening_with_a_number_after_a_month_folder_is_no_day():
    assert url_date("https://blog.example.de/2023/10/3-fragen-an-die-teamleiterin/").iso == "2023-10"
    assert url_date("https://blog.example.de/2023/10/3/fragen-an-die-teamleiterin/").iso == "2023-10-03"
    assert url_date("https://news.example.org/2016-12-23-harbour-plan").iso == "2016-12-23"


def test_a_utc_timestamp_at_a_whole_evening_hour_is_a_local_midnight_of_the_next_day(resources):
    head = "<meta property='article:published_time' content='2022-11-06T23:00:00.000Z'>"
    html = f"<html lang='en'><head><title>{HEADLINE}</title>{head}</head><body><article><h1>{HEADLINE}</h1>{BODY}</article></body></html>"
    assert process(html, resources).published == "2022-11-07"
    ordinary = html.replace("23:00:00.000Z", "23:14:09.000Z")  # a real time of day: the day it states
    assert process(ordinary, resources).published == "2022-11-06"


def test_a_teaser_above_the_headline_does_not_pull_a_timestamp_off_the_day_its_url_states(resources):
    head = "<meta property='article:published_time' content='2023-11-02T15:27:17+00:00'>" + (
        "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"2023-11-02T15:27:17+00:00\"}</script>"
    )
    teaser = "<div class='prev-post'><time class='entry-date published' datetime='2023-11-03T07:56:10+00:00'>November 3, 2023</time> Previous story</div>"
    html = (
        f"<html lang='en'><head><title>{HEADLINE}</title>{head}</head><body>{teaser}<article><h1>{HEADLINE}</h1>"
        f"{BODY}</article></body></html>"
    )
    doc = process(html, resources, url="https://www.example-news.co.uk/2023/11/02/pumping-station-approved/")
    assert doc.published == "2023-11-02"


def test_a_utc_timestamp_moves_to_the_day_before_only_when_written_before_noon(resources):
    def dated(time: str):
        head = f"<meta property='article:published_time' content='2022-05-04T{time}Z'>"
        html = f"<html lang='en'><head><title>{HEADLINE}</title>{head}</head><body><article><h1>{HEADLINE}</h1>{BODY}</article></body></html>"
        return process(html, resources, url="https://www.example-diario.bo/2022/05/03/pumping-station").published

    assert dated("02:41:13") == "2022-05-03"  # evening of the 3rd in the Americas: the URL's day
    assert dated("15:41:13") == "2022-05-04"  # no zone puts 15:41 UTC on the day before


def test_a_date_badge_written_in_pieces_is_read_as_one_date(resources):
    badge = "<div class='date'><span class='month'>Apr</span> <span class='day'>04</span><span class='year'>2013</span></div>"
    html = (
        f"<html lang='en'><head><title>{HEADLINE}</title></head><body><p class='toolbar'>Captured 10 Nov 2013</p>"
        f"<article><header><h1>{HEADLINE}</h1>{badge}</header>{BODY}</article></body></html>"
    )
    found = _by_raw(_tree(html))
    assert found["Apr 04 2013"].marked and found["Apr 04 2013"].parsed.iso == "2013-04-04"
    assert process(html, resources).published == "2013-04-04"
    # Parts that are not marked as a date are not glued together: a table of numbers is no date.
    table = "<table><tr><td>Apr</td><td>04</td><td>2013</td></tr></table>"
    assert "Apr 04 2013" not in _by_raw(_tree(f"<html><body><h1>{HEADLINE}</h1>{table}</body></html>"))


def test_a_page_stating_only_its_last_update_in_the_footer_is_dated_by_it(resources):
    html = (
        f"<html lang='de'><head><title>Stadtverwaltung</title></head><body><h1>Willkommen bei der Stadt</h1>"
        "<div class='teaser'><p>Bürgerversammlung am 15. November 2017 im Rathaus, Anmeldung bis 6. Oktober 2017.</p></div>"
        f"{BODY}<footer><p>Stand: 09.10.2017</p></footer></body></html>"
    )
    doc = process(html, resources)
    assert doc.published == "2017-10-09"


@pytest.mark.parametrize("byline", [
    "Published by the OSCE on <time datetime='2020-09-18'>18 September 2020</time>",
    "Posted by Anna Weber on Friday, 18 September 2020",
    "Veröffentlicht von der Redaktion am 18. September 2020",
])
def test_a_date_cued_as_published_after_a_byline_is_the_pages_date_field(byline, resources):
    html = (
        f"<html lang='en'><head><title>{HEADLINE}</title><meta property='article:published_time' content='2020-09-19T08:00:00'>"
        f"</head><body><article><h1>{HEADLINE}</h1><div class='meta'>{byline}</div>{BODY}"
        "<p>The council meets again on 26 November 2020.</p></article></body></html>"
    )
    found = [v for v in visible_dates(_tree(html), ["en", "de"], HEADLINE) if v.parsed.iso == "2020-09-18"]
    assert found and all(v.cue == "published" for v in found)
    doc = process(html, resources)
    assert (doc.published, doc.published_source) == ("2020-09-18", "site field")


def test_a_long_run_of_words_between_cue_and_date_is_no_cue():
    html = f"<html><body><h1>{HEADLINE}</h1><p>Posted by the board after a long and heated debate over the costs on 18 September 2020</p></body></html>"
    assert [v.cue for v in visible_dates(_tree(html), ["en"], HEADLINE)] == [None]
