"""The metadata stage on realistic pages: precedence of date signals, disagreements, titles, authors, language."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.resources import Resources
from pipeline.stages import boilerplate, metadata
from pipeline.stages.ingest import make_document

CRAWL = Path(__file__).parent / "fixtures" / "crawl"
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
    source = CRAWL / "html" / "006_bac00724a9500356.html"
    doc = make_document(source.read_bytes(), str(source), resources.settings, url="https://www.osce.org/ru/centre-in-ashgabat/452311")
    doc = metadata.run(boilerplate.run(doc, resources), resources)
    assert doc.language == "ru"
    assert (doc.published, doc.published_source) == ("2020-05-27", "site field")
    assert doc.dateline_place == ["Ашхабад"] and doc.dateline_country == ["TM"] and doc.dateline_date == "2020-05-27"
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


def test_a_dateline_naming_several_places_gives_list_values(resources):
    doc = process(page(dateline="YEREVAN / BAKU, 7 October 2017- "), resources)
    assert doc.dateline_place == ["Yerevan", "Baku"] and doc.dateline_country == ["AM", "AZ"]
    assert (doc.published, doc.published_source, doc.dateline_date) == ("2017-10-07", "dateline", "2017-10-07")


RUSSIAN_BODY = (
    "<p>{dateline}Миссия ОБСЕ сегодня провела учебный курс для сорока судей и прокуроров в столице страны.</p>"
    + "<p>Курс посвящён расследованию преступлений на почве ненависти, правам потерпевших и стандартам доказывания в судах.</p>" * 3
)


def test_russian_dateline_with_several_places(resources):
    html = (
        "<html lang='ru'><head><title>Судьи завершили курс</title></head><body><article><h1>Судьи завершили курс</h1>"
        + RUSSIAN_BODY.format(dateline="ВЕНА / ГААГА, 18 ноября 2010 г. – ")
        + "</article></body></html>"
    )
    doc = process(html, resources)
    assert doc.language == "ru"
    assert doc.dateline_place == ["Вена", "Гаага"] and doc.dateline_country == ["AT", "NL"]
    assert (doc.published, doc.published_source, doc.published_granularity) == ("2010-11-18", "dateline", "day")


def test_meta_beats_the_url_and_the_url_beats_a_date_in_the_text(resources):
    text_date = "<p class='intro'>The course was first announced on 2 September 2013 in the capital.</p>"
    url = "https://news.example.org/2013/09/26/judges-course"
    doc = process(page(head="<meta name='date' content='2013-09-25'>", before_body=text_date), resources, url=url)
    assert (doc.published, doc.published_source) == ("2013-09-25", "meta")  # a day off the URL: no disagreement noted
    assert any("text 2013-09-02" in note for note in doc.notes)
    doc = process(page(before_body=text_date), resources, url=url)
    assert (doc.published, doc.published_source) == ("2013-09-26", "url")
    doc = process(page(before_body=text_date), resources)
    assert (doc.published, doc.published_source) == ("2013-09-02", "text")  # with nothing better, the date the page shows


POSTED_ON = ("<div class='entry-meta'><span class='posted-on'>Posted on <time class='entry-date published' "
             "datetime='{iso}T10:00:00+02:00'>{written}</time></span></div>")


def test_a_time_marked_as_published_next_to_the_headline_is_the_site_date_field(resources):
    json_ld = "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"2013-09-27\"}</script>"
    doc = process(page(head=json_ld, before_body=POSTED_ON.format(iso="2013-09-23", written="23 September 2013")), resources)
    assert (doc.published, doc.published_source) == ("2013-09-23", "site field")
    assert any("json-ld 2013-09-27" in note for note in doc.notes)


def test_marked_dates_of_comments_and_far_down_teasers_are_not_the_page_date(resources):
    filler = "<p>" + "The judges also discussed the standards of evidence that courts in the region apply. " * 25 + "</p>"
    teaser = "<div class='teaser'><time class='published' datetime='2014-05-02'>2 May 2014</time> Another course</div>"
    comment = "<div class='comment'><time class='published' datetime='2014-06-01'>1 June 2014</time> Great!</div>"
    doc = process(page(head="<meta name='date' content='2013-09-20'>", before_body=comment + filler + teaser), resources)
    assert (doc.published, doc.published_source) == ("2013-09-20", "meta")


def test_a_utc_timestamp_gives_way_to_the_local_day_the_url_states_but_not_to_any_day_in_the_text(resources):
    utc = "<meta property='article:published_time' content='2023-11-09T03:28:35+00:00'>"
    doc = process(page(head=utc), resources, url="https://news.example.org/2023/11/08/judges-course")
    assert (doc.published, doc.published_source) == ("2023-11-08", "url")
    mentioned = "<p class='intro'>The results are due on 10 November 2023.</p>"
    doc = process(page(head=utc, before_body=mentioned), resources)
    assert (doc.published, doc.published_source) == ("2023-11-09", "meta")


def test_a_stray_label_date_is_outvoted_by_the_url_month_and_a_day_of_it_on_the_page(resources):
    # A blog post about a book: the blog's date header above the title, the book's release date in a labelled block.
    html = page(before_body="<div class='meta'><span class='label'>Date:</span> <span>14.08.2017</span></div>").replace(
        "<h1>", "<h2 class='date-header'><span>Saturday, 9 September 2017</span></h2><h1>"
    )
    doc = process(html, resources, url="https://blog.example.org/2017/09/judges-course.html")
    assert doc.published == "2017-09-09"
    assert any("site field 2017-08-14" in note for note in doc.notes)


def test_ambiguous_day_and_month_are_read_per_source_and_flagged(resources):
    label = "<div class='meta'><span class='label'>Date:</span> <span>03/04/2012</span></div>"
    doc = process(page(before_body=label), resources)
    assert (doc.published, doc.published_source) == ("2012-04-03", "site field")  # a label is read day first
    assert any("ambiguous" in note and "03/04/2012" in note for note in doc.notes)
    doc = process(page(before_body=label), resources, url="https://news.example.org/2012/03/04/judges-course")
    assert doc.published == "2012-03-04"  # the URL states the other reading
    assert any("ambiguous" in note for note in doc.notes)
    doc = process(page(head="<meta name='date' content='11/01/2023 12:43:42'>"), resources)
    assert (doc.published, doc.published_source) == ("2023-11-01", "meta")  # software writes slashed dates month first


def test_page_data_in_scripts_dates_a_page_that_states_nothing_else(resources):
    script = ("<script>window.__STATE__ = {\"review\": {\"publishedDate\": \"2016-11-04T20:37:27Z\","
              " \"updatedDate\": \"2016-11-05\"}}</script>")
    doc = process(page(head=script), resources)
    assert (doc.published, doc.published_source, doc.published_granularity) == ("2016-11-04", "script", "day")


def test_a_page_that_only_states_its_last_update_is_dated_by_it(resources):
    updated = "<p class='intro'>Stand: 5 February 2020</p>"
    mentioned = "<p>The law was first passed on 1 January 2018 and has been amended since.</p>"
    doc = process(page(before_body=updated + BODY.format(dateline="") + mentioned), resources)
    assert doc.published == "2020-02-05"


def test_no_date_after_the_fetch(resources):
    future = "<p class='byline'>Posted on 3 March 2016</p>"
    doc = process(page(head="<meta name='date' content='2014-12-30'>", before_body=future), resources, fetched_at="2015-01-02T10:00:00Z")
    assert (doc.published, doc.published_source) == ("2014-12-30", "meta")
    assert not any("2016" in note for note in doc.notes)


def test_the_day_in_the_url_of_the_page_image_dates_a_page_that_states_nothing_else(resources):
    image = "<meta property='og:image' content='https://www.example.org/files/2016/05/04/annual-report-cover.png'>"
    doc = process(page(head=image), resources)
    assert (doc.published, doc.published_source) == ("2016-05-04", "url")
    uploads = "<meta property='og:image' content='https://www.example.org/wp-content/uploads/2016/05/cover.png'>"
    assert process(page(head=uploads), resources).published is None  # a month of uploads is not a publication date
    agency = "<meta property='og:image' content='https://img.example.org/fotos/urn-newsml-dpa-com-20090101-170131-99-105807.png'>"
    assert process(page(head=agency), resources).published is None  # a photo id, not a folder of days
    utc = "<meta property='article:published_time' content='2016-05-05T01:00:00Z'>"
    assert process(page(head=utc + image), resources).published == "2016-05-05"  # an upload day is no time zone


def test_a_year_less_dateline_takes_its_year_from_the_site_date_field(resources):
    doc = process(page(
        dateline="WARSAW/VIENNA, 30 June – ",
        before_body="<div class='meta'><span class='label'>Publishing date:</span> <span>30 June 2022</span></div>",
    ), resources)
    assert doc.dateline_place == ["Warsaw", "Vienna"] and doc.dateline_country == ["PL", "AT"]
    assert doc.dateline_date == "2022-06-30" and (doc.published, doc.published_source) == ("2022-06-30", "site field")
    assert doc.body_text.startswith("WARSAW/VIENNA, 30 June – The OSCE Mission")


def test_a_year_less_dateline_alone_gives_places_but_no_date(resources):
    doc = process(page(dateline="WARSAW/VIENNA, 30 June – "), resources, fetched_at="2025-06-02T07:15:05Z")
    assert doc.dateline_place == ["Warsaw", "Vienna"] and doc.dateline_date is None
    assert doc.published != "2025-06-30"  # no year borrowed from the crawl or from today


def test_the_publication_decision_is_one_call_with_its_value_source_granularity_and_notes(resources):
    from pipeline.published import decide_publication

    html = page(head='<meta property="article:published_time" content="2019-03-05T08:00:00Z">'
                     '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-03-01"}</script>')
    doc = make_document(html.encode(), "a.html", resources.settings, url="https://news.example.org/2019/03/05/judges-course")
    doc = boilerplate.run(doc, resources)
    decision = decide_publication(doc, doc.tree, ("en",), resources.date_rules, resources.vocabulary)
    # JSON-LD alone against meta and the URL agreeing: outvoted, and the disagreement is a note
    assert (decision.value, decision.granularity) == ("2019-03-05", "day")
    assert decision.source in ("meta", "url")
    assert any("2019-03-01" in note for note in decision.notes)
