"""The metadata stage on realistic pages: precedence of date signals, disagreements, titles, authors, language."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.resources import Resources
from pipeline.stages import boilerplate, metadata
from pipeline.stages.ingest import make_document

DEV = Path(__file__).parent / "fixtures" / "osce_dev"
BODY = "<p>{dateline}The OSCE Mission today opened a training course for forty judges and prosecutors in the capital.</p>" + (
    "<p>The course covers the investigation of hate crimes, the rights of victims and the standards of evidence that courts apply.</p>" * 3
)


@pytest.fixture(scope="module")
def resources():
    return Resources(load_settings())


def process(html: str, resources, url: str = "https://news.example.org/articles/judges-course", fetched_at: str | None = None):
    doc = make_document(html.encode("utf-8"), "page.html", resources.settings, url=url, fetched_at=fetched_at)
    return metadata.run(boilerplate.run(doc, resources), resources)


def page(head: str = "", dateline: str = "", before_body: str = "") -> str:
    return (
        f"<html lang='en'><head><title>Judges complete course | Example News</title>"
        f"<meta property='og:site_name' content='Example News'>{head}</head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>Judges complete course</h1>{before_body}"
        f"{BODY.format(dateline=dateline)}</article></body></html>"
    )


def test_site_date_field_beats_dateline_and_meta(resources):
    doc = process(page(
        head="<meta property='article:published_time' content='2012-03-14T09:00:00+01:00'>",
        dateline="SARAJEVO, 10 March 2012 - ",
        before_body="<div class='meta'><span class='label'>Date:</span> <span>13 March 2012</span></div>",
    ), resources)
    assert (doc.published, doc.published_source) == ("2012-03-13", "site field")
    assert any("dateline 2012-03-10" in note for note in doc.notes)  # disagreements are recorded
    assert not any("meta" in note for note in doc.notes)  # a day apart is a time zone, not a disagreement
    assert doc.dateline_place == ["Sarajevo"] and doc.dateline_country == ["BA"]


def test_dateline_beats_structured_metadata(resources):
    doc = process(page(head="<meta property='article:published_time' content='2012-03-20T09:00:00Z'>", dateline="SARAJEVO, 14 March 2012 - "), resources)
    assert (doc.published, doc.published_source) == ("2012-03-14", "dateline")
    assert any("2012-03-20" in note for note in doc.notes)


def test_json_ld_then_meta_then_url(resources):
    json_ld = "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"2013-09-26\"}</script>"
    meta = "<meta name='date' content='2013-09-20'>"
    assert process(page(head=json_ld + meta), resources).published_source == "json-ld"
    doc = process(page(head=meta), resources)
    assert (doc.published, doc.published_source) == ("2013-09-20", "meta")
    doc = process(page(), resources, url="https://news.example.org/2013/09/26/judges-course")
    assert (doc.published, doc.published_source) == ("2013-09-26", "url")


def test_a_partial_date_stays_partial(resources):
    doc = process(page(), resources, url="https://news.example.org/2013/09/judges-course")
    assert (doc.published, doc.published_granularity) == ("2013-09", "month")


def test_missing_dates_stay_empty(resources):
    doc = process(page(), resources)
    assert doc.published is None and doc.published_source is None and doc.dateline_place == []


def test_title_loses_the_site_name_and_language_is_checked(resources):
    doc = process(page(), resources)
    assert doc.title == "Judges complete course"
    assert doc.language == "en" and doc.language_source.startswith("text")


def test_authors_from_meta_but_never_navigation_text(resources):
    doc = process(page(head="<meta name='author' content='Jane Doe'>"), resources)
    assert doc.author == ["Jane Doe"]
    doc = process(page(head="<meta name='author' content='Email the author'>"), resources)
    assert doc.author == []


def test_russian_osce_page(resources):
    source = DEV / "html" / "013_7a4fd0639e5a0e04.html"
    doc = make_document(source.read_bytes(), str(source), resources.settings, url="https://www.osce.org/ru/astana/107346")
    doc = metadata.run(boilerplate.run(doc, resources), resources)
    assert doc.language == "ru"
    assert (doc.published, doc.published_source) == ("2013-10-22", "site field")
    assert doc.dateline_place == ["Астана"] and doc.dateline_country == ["KZ"] and doc.dateline_date == "2013-10-22"
    assert (doc.content_type, doc.content_type_label) == ("Press release", "Пресс-релиз")


def test_a_month_from_the_url_is_completed_by_a_day_of_that_month_on_the_page(resources):
    doc = process(page(before_body="<p class='byline'>Posted on 23 September 2013 by the editors</p>"), resources,
                  url="https://news.example.org/2013/09/judges-course")
    assert (doc.published, doc.published_granularity) == ("2013-09-23", "day")


def test_on_pages_without_a_profile_a_lone_signal_is_outvoted_by_agreeing_ones(resources):
    json_ld = "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"2016-02-08\"}</script>"
    meta = "<meta property='article:published_time' content='2016-02-08T10:00:00+01:00'>"
    label = "<div class='meta'><span class='label'>Date:</span> <span>23 February 2017</span></div>"
    doc = process(page(head=json_ld + meta, before_body=label), resources)
    assert doc.published == "2016-02-08"
    assert any("2017-02-23" in note for note in doc.notes)
