"""Dates and datelines: every dateline form, partial and ambiguous dates, relative dates with a fixed base."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.dates import parse_date, parse_dateline, parse_machine_date
from pipeline.published import structured_dates, url_date, visible_dates


@pytest.mark.parametrize(
    "paragraph, places, iso, languages",
    [
        ("VIENNA, 18 November 2010 - The 56 OSCE participating States", ["VIENNA"], "2010-11-18", ["en"]),
        ("YEREVAN / BAKU, 7 October 2017- The Co-Chairs", ["YEREVAN", "BAKU"], "2017-10-07", ["en"]),
        ("VIENNA/THE HAGUE, 7 January 2003- The OSCE", ["VIENNA", "THE HAGUE"], "2003-01-07", ["en"]),
        ("OSLO, 24 June 1999-- The Chairman", ["OSLO"], "1999-06-24", ["en"]),
        ("MITROVO POLJE, 19 October 2001 (OSCE)- Villagers", ["MITROVO POLJE"], "2001-10-19", ["en"]),
        ("CHISINAU, 11 February 2014 – The OSCE Mission", ["CHISINAU"], "2014-02-11", ["en"]),
        ("ST. PETERSBURG, 3 May 2004 - Delegates", ["ST. PETERSBURG"], "2004-05-03", ["en"]),
        ("ВЕНА, 18 ноября 2010 г. – 56 государств-участников", ["ВЕНА"], "2010-11-18", ["ru", "en"]),
        ("АСТАНА, 22 октября 2013 г. – Более 30 сотрудников", ["АСТАНА"], "2013-10-22", ["ru", "en"]),
        ("VIENNA/WARSAW, 18 July 2022 – Protecting the rights", ["VIENNA", "WARSAW"], "2022-07-18", ["en"]),
        ("OSH, Kyrgyzstan, 14 March 2006- Ways of dealing with floods", ["OSH"], "2006-03-14", ["en"]),
        ("TIRANA / BRUSSELS / GENEVA – 6 October 2020. The Co-Chairs regret", ["TIRANA", "BRUSSELS", "GENEVA"], "2020-10-06", ["en"]),
    ],
)
def test_dateline_forms(paragraph, places, iso, languages):
    dateline = parse_dateline(paragraph, languages)
    assert dateline is not None
    assert dateline.places == places
    assert dateline.date.iso == iso
    assert not paragraph[dateline.end :].startswith((" ", "-", "–"))  # the body starts right after the dash


@pytest.mark.parametrize(
    "paragraph",
    [
        "The OSCE Mission today opened a new office.",
        "OSCE, UN and EU - three organizations working together.",
        "In Vienna, 18 November 2010 - a sentence that is not a dateline.",
        "UN - The talks ended. More text follows here.",
        "",
    ],
)
def test_no_dateline(paragraph):
    assert parse_dateline(paragraph, ["en"]) is None


def test_a_dateline_without_a_year_takes_it_from_the_page_date_or_gives_no_date():
    paragraph = "WARSAW/VIENNA, 30 June – The Chairman-in-Office announced the closure of the office."
    alone = parse_dateline(paragraph, ["en"])
    assert alone.places == ["WARSAW", "VIENNA"] and alone.date is None  # never a year guessed from today
    assert paragraph[alone.end :].startswith("The Chairman")
    assert parse_dateline(paragraph, ["en"], base=dt.date(2022, 7, 1)).date.iso == "2022-06-30"


def test_a_region_after_the_dateline_place_is_kept():
    assert parse_dateline("OSH, Kyrgyzstan, 14 March 2006- Ways of dealing", ["en"]).region == "Kyrgyzstan"


@pytest.mark.parametrize(
    "text, iso, granularity",
    [
        ("18 November 2010", "2010-11-18", "day"),
        ("November 2010", "2010-11", "month"),
        ("2010", "2010", "year"),
        ("2015-02-17T16:03:00+01:00", "2015-02-17", "day"),
        ("2015-02", "2015-02", "month"),
    ],
)
def test_partial_dates_stay_partial(text, iso, granularity):
    parsed = parse_date(text, ["en"])
    assert (parsed.iso, parsed.granularity) == (iso, granularity)


def test_ambiguous_day_month_is_read_day_first_and_flagged_unless_told_otherwise():
    ambiguous = parse_date("03/04/2012", ["en"])
    assert ambiguous.iso == "2012-04-03" and ambiguous.ambiguous
    assert parse_date("03/04/2012", ["en"], date_order="MDY").iso == "2012-03-04"
    clear = parse_date("25/04/2012", ["en"])
    assert clear.iso == "2012-04-25" and not clear.ambiguous


@pytest.mark.parametrize(
    "text, base, iso",
    [
        ("22 July", dt.date(2010, 11, 18), "2010-07-22"),  # earlier the same year
        ("28 December", dt.date(2016, 1, 5), "2015-12-28"),  # the nearest 28 December is last year's
        ("3 March", dt.date(2015, 2, 17), "2015-03-03"),  # a coming meeting
        ("today", dt.date(2010, 11, 18), "2010-11-18"),
        ("Monday", dt.date(2015, 2, 17), "2015-02-16"),
    ],
)
def test_relative_dates_resolve_against_the_base_not_the_clock(text, base, iso):
    parsed = parse_date(text, ["en"], base)
    assert parsed.iso == iso and parsed.relative


def test_relative_dates_without_a_base_are_not_guessed():
    assert parse_date("22 July", ["en"]) is None
    assert parse_date("in the coming weeks", ["en"], dt.date(2010, 11, 18)) is None


def test_russian_and_unknown_languages():
    assert parse_date("22 октября 2013 г.", ["ru"]).iso == "2013-10-22"
    assert parse_date("октябрь 2013", ["ru"]).granularity == "month"
    assert parse_date("3 May 2012", ["zxx", "en"]).iso == "2012-05-03"  # a language dateparser does not know


def test_dates_in_urls():
    assert url_date("https://example.org/2005/06/08/odihr-opens-mission/").iso == "2005-06-08"
    assert url_date("https://example.org/news/2012/03/story").granularity == "month"
    assert url_date("https://example.org/meldungen/29-10-2021").iso == "2021-10-29"
    assert url_date("https://example.org/api/v1-2-2020/") is None  # a version number, not a date
    assert url_date("https://www.osce.org/moldova/138216") is None


def test_machine_dates_read_slashes_month_first_and_other_digits_day_first():
    assert parse_machine_date("11/01/2023 12:43:42").iso == "2023-11-01"  # meta content written by US software
    assert parse_machine_date("01-11-2023 10:29").iso == "2023-11-01"  # <time datetime> of a European site
    assert parse_machine_date("2023-11-01T10:29:00+01:00").iso == "2023-11-01"
    assert parse_date("01-11-2023 10:29", ["de"]).iso == "2023-11-01"  # a clock time does not change the order


def _tree(html: str):
    from lxml import html as lxml_html

    return lxml_html.fromstring(html)


def test_visible_dates_know_which_the_markup_calls_the_publication_date():
    tree = _tree(
        "<html><body><article class='post status-publish'><h1>Judges complete course</h1>"
        "<div class='entry-meta'><time class='entry-date published' datetime='2013-09-23T10:00:00+02:00'>23 September 2013</time></div>"
        "<p>The next course opens on 14 October 2013 in the capital.</p></article>"
        "<div class='comments'><time class='published' datetime='2013-09-24'>24 September 2013</time></div></body></html>"
    )
    found = {(v.raw, v.source): v for v in visible_dates(tree, ["en"], "Judges complete course")}
    own = found[("2013-09-23T10:00:00+02:00", "time")]
    assert own.publication_marked and own.marked and not own.elsewhere and own.from_title > 0
    mentioned = found[("14 October 2013", "text")]
    assert not mentioned.publication_marked and not mentioned.marked  # "status-publish" on the article is not a mark
    comment = found[("2013-09-24", "time")]
    assert comment.publication_marked and comment.elsewhere


def test_visible_dates_after_the_fetch_are_dropped_and_month_first_pages_are_recognised():
    tree = _tree("<html><body><h1>Title of the page</h1><p>Posted 12/24/2015, event on 03/04/2016, next 05/06/2030</p></body></html>")
    found = visible_dates(tree, ["en"], "Title of the page", max_date=dt.date(2020, 1, 1))
    assert [v.parsed.iso for v in found] == ["2015-12-24", "2016-03-04"]  # 12/24 shows the page writes the month first
    assert found[0].cue == "published"


def test_structured_dates_read_json_ld_meta_url_and_script_data_strongest_first():
    tree = _tree(
        "<html><head>"
        "<script type='application/ld+json'>{\"@graph\": [{\"@type\": \"Person\", \"dateCreated\": \"2001-01-01\"},"
        " {\"@type\": \"NewsArticle\", \"datePublished\": \"2016-11-04T20:37:27Z\", \"dateModified\": \"2016-11-05\"}]}</script>"
        "<meta property='article:published_time' content='2016-11-04T21:00:00+01:00'>"
        "<meta property='article:modified_time' content='2016-11-06'>"
        "<script>window.state = {\"review\": {\"createdAt\": \"2016-10-01\", \"publishedDate\": \"2016-11-03T08:00:00Z\"}}</script>"
        "</head><body></body></html>"
    )
    published, modified = structured_dates(tree, "https://example.org/2016/11/04/review", ("en",))
    assert [(s.source, s.parsed.iso) for s in published] == [
        ("json-ld", "2016-11-04"), ("json-ld", "2001-01-01"), ("meta", "2016-11-04"), ("url", "2016-11-04"), ("script", "2016-11-03"),
    ]  # the Article's own date before another item's; publishedDate before createdAt in script data
    assert [(s.source, s.parsed.iso) for s in modified] == [("json-ld", "2016-11-05"), ("meta", "2016-11-06")]


def test_a_title_that_is_only_the_site_name_does_not_anchor_on_teaser_headings():
    tree = _tree(
        "<html><body><div class='post-metas'>Posted the September 1, 2017</div><h1>Alternative dispute resolution</h1>"
        "<p>Text of the article.</p><h3>MEDEF-MINDEF cross-vision on public order</h3><time class='info-time'>June 8, 2017</time>"
        "</body></html>"
    )
    found = {v.raw: v for v in visible_dates(tree, ["en"], "MEDEF")}
    assert found["September 1, 2017"].from_title < 0 < found["June 8, 2017"].from_title  # measured from the <h1>
    assert abs(found["September 1, 2017"].from_title) < found["June 8, 2017"].from_title


def test_dates_said_to_be_another_things_count_as_elsewhere():
    tree = _tree(
        "<html><body><h1>Shop update</h1><dl class='profile'><dd><strong>Registriert:</strong> 18.09.2008, 05:56</dd></dl>"
        "<p class='author'>von r23 » 21.01.2009, 05:42</p></body></html>"
    )
    found = {v.raw: v for v in visible_dates(tree, ["de"], "Shop update")}
    assert found["18.09.2008"].elsewhere and found["18.09.2008"].cue is None
    assert not found["21.01.2009"].elsewhere


@pytest.mark.parametrize("direction, expected", [(None, "2015-12-28"), ("past", "2014-12-28"), ("future", "2015-12-28")])
def test_one_year_resolver_for_every_year_less_date(direction, expected):
    from pipeline.dates import nearest_occurrence

    base = dt.date(2015, 12, 20)
    options = [dt.date(year, 12, 28) for year in (2014, 2015, 2016)]
    assert nearest_occurrence(options, base, "day", direction).isoformat() == expected
    # a month names the month of publication from either side: "early November" in a November article
    november = [dt.date(year, 11, 1) for year in (1997, 1998, 1999)]
    assert nearest_occurrence(november, dt.date(1998, 11, 26), "month", "past") == dt.date(1998, 11, 1)


def test_labelled_dates_without_a_year_use_the_same_resolver():
    assert parse_date("28 December", ["en"], dt.date(2016, 1, 5)).iso == "2015-12-28"
    assert parse_date("3 March", ["en"], dt.date(2015, 2, 17)).iso == "2015-03-03"


@pytest.mark.parametrize(
    "value, iso",
    [
        ("2012/07/24T14:41:54+00:00", "2012-07-24"),
        ("2022-1-26T14:32:06+02:00", "2022-01-26"),
        ("2012-10-29T14:00EDT", "2012-10-29"),
        ("2022-05-03 13:32:45.000000", "2022-05-03"),
        ("Wed, 04 May 2022 02:41:00 GMT", "2022-05-04"),
        ("July 31, 2012, 2:38 pm", "2012-07-31"),
        ("November 12, 2012 at 12:05 am", "2012-11-12"),
    ],
)
def test_common_machine_dates_are_read_by_the_grammar_without_dateparser(value, iso, monkeypatch):
    import pipeline.dates as dates

    def no_dateparser(*args, **kwargs):
        raise AssertionError(f"dateparser asked for {value!r}")

    monkeypatch.setattr(dates, "_parser", no_dateparser)
    assert parse_machine_date(value).iso == iso


def test_machine_dates_with_other_words_around_them_are_left_to_dateparser():
    from pipeline.dates import _machine_day

    assert _machine_day("Posted by Anna Berg on 5 May 2022", ("en",)) is None
    assert _machine_day("5 May 2022 and 7 May 2022", ("en",)) is None
    assert parse_machine_date("2022-13-45T10:00:00") is None  # no such day, and no other reading


@pytest.mark.parametrize("language", ["en", "ru", "de", "fr"])
def test_gated_shape_search_finds_what_the_full_pattern_finds(language):
    """``find_shapes`` tries the shapes only where a date can open: it must never miss a match."""
    from pathlib import Path

    from pipeline.dates import calendar_for, find_shapes
    from pipeline.nlp.vocabulary import load_vocabulary

    root = Path(__file__).parents[1]
    calendar = calendar_for(load_vocabulary(root / "pipeline" / "rules" / "vocabulary.toml"), language)
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "tests" / "fixtures" / "crawl" / "text").glob("*.txt"))]
    texts.append(
        "On Monday, 3 March 2014, and again last Tuesday the mission (since mid-2015, or 2012-2014) met; a year ago, "
        "by year-end, the end of March, Sept. 30, 1.10.2015 and 2016-02-29, two weeks ago, 12 мая 2015 года, в 2010 году, "
        "im März 2014, le 1er janvier 2015."
    )
    assert calendar.shape_starts is not None  # the shipped vocabulary can be gated
    found = [[m.span() for m in find_shapes(calendar, text)] for text in texts]
    assert found == [[m.span() for m in calendar.shapes.finditer(text)] for text in texts]
    assert sum(map(len, found)) > 10  # the texts exercise the shapes
