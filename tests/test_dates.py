"""Dates and datelines: every dateline form, partial and ambiguous dates, relative dates with a fixed base."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.dates import parse_date, parse_dateline, url_date


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
        "",
    ],
)
def test_no_dateline(paragraph):
    assert parse_dateline(paragraph, ["en"]) is None


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
