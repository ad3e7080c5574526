"""The dates table: ranges as one row, relative expressions, Russian case forms, weekdays and datelines,
each resolved against a fixed publication date (so results never depend on the day the tests run)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from pipeline import analyze_text
from pipeline.document import Document, Span
from pipeline.nlp.date_mentions import date_rows
from pipeline.nlp.vocabulary import Vocabulary

VOCABULARY = Path(__file__).parents[1] / "pipeline" / "rules" / "vocabulary.toml"


def dates(text: str, published: str, language: str) -> dict[str, tuple]:
    """text -> (resolved, resolved_end, granularity) for every row of the dates table."""
    frame = analyze_text(text, published=published, language=language)["dates"]
    return {row.text: (_value(row.resolved), _value(row.resolved_end), _value(row.granularity)) for row in frame.itertuples()}


def _value(value):
    return None if pd.isna(value) else value


# ------------------------------------------------------------------------------------------ ranges


def test_english_ranges_are_one_row_with_their_last_day():
    found = dates(
        "The Youth Ambassadors will meet again in Vienna from 10 to 12 April. Their recommendations are to be "
        "presented to the Ministerial Council on 4 and 5 December.",
        "2014-01-29", "en",
    )
    assert found["from 10 to 12 April"] == ("2014-04-10", "2014-04-12", "day")
    # A year-less date in a sentence about the future lies ahead, even when last December is nearer.
    assert found["4 and 5 December"] == ("2014-12-04", "2014-12-05", "day")
    assert not {"4", "5 December", "12 April"} & set(found)


def test_consecutive_weekdays_and_month_and_year_ranges():
    week = dates("Representatives of 36 Aarhus Centres met in Vienna on Tuesday and Wednesday.", "2013-09-26", "en")
    assert week["Tuesday and Wednesday"] == ("2013-09-24", "2013-09-25", "day")
    spans = dates(
        "The survey ran between March and May 2015. The Mission was deployed between 2010 and 2012, and "
        "elections were held 10-12 April.",
        "2015-06-10", "en",
    )
    assert spans["between March and May 2015"] == ("2015-03", "2015-05", "month")
    assert spans["between 2010 and 2012"] == ("2010", "2012", "year")
    assert spans["10-12 April"] == ("2015-04-10", "2015-04-12", "day")


def test_two_dates_joined_by_and_stay_two_dates():
    found = dates("Monitors visited the crossing on 3 March and 5 April.", "2015-06-10", "en")
    assert found["3 March"] == ("2015-03-03", None, "day")
    assert found["5 April"] == ("2015-04-05", None, "day")


def test_russian_ranges():
    found = dates(
        "Семинар пройдет с 10 по 12 апреля, а заседание состоится 4 и 5 декабря. "
        "В 2010–2012 годах центр провел 87 тренингов.",
        "2013-10-22", "ru",
    )
    assert found["с 10 по 12 апреля"] == ("2014-04-10", "2014-04-12", "day")
    assert found["4 и 5 декабря"] == ("2013-12-04", "2013-12-05", "day")
    assert found["2010–2012 годах"] == ("2010", "2012", "year")


def test_ranges_in_other_languages_and_decades_that_are_not_years():
    german = dates("Die Konferenz findet vom 10. bis 12. April in Wien statt.", "2014-03-05", "de")
    assert german["vom 10. bis 12. April"] == ("2014-04-10", "2014-04-12", "day")
    french = dates("La réunion aura lieu du 10 au 12 avril à Vienne.", "2014-03-05", "fr")
    assert french["du 10 au 12 avril"] == ("2014-04-10", "2014-04-12", "day")
    russian = dates("В 1990-х годах центр не работал, а 22–23 октября 2013 г. провел семинар.", "2013-10-22", "ru")
    assert list(russian) == ["22–23 октября 2013 г."]


# ------------------------------------------------------------------------------------------ relative expressions


def test_english_relative_expressions():
    found = dates(
        "Last year, 300 officers completed the course. Yesterday the Head of Centre said the new college will "
        "open next month, and the first class will graduate in January next year. This year the budget grew.",
        "2015-06-10", "en",
    )
    assert found["Last year"] == ("2014", None, "year")
    assert found["Yesterday"] == ("2015-06-09", None, "day")
    assert found["next month"] == ("2015-07", None, "month")
    assert found["January next year"] == ("2016-01", None, "month")
    assert found["This year"] == ("2015", None, "year")


def test_russian_relative_expressions_and_case_forms():
    found = dates(
        "Сегодня сотрудники полиции завершили семинар. По данным министерства, в прошлом году было возбуждено "
        "87 уголовных дел, а с января этого года выявлен 41 иностранный гражданин. Закон, принятый в июне "
        "2011 года, действует с 1 января 2013 г. В этом году центр поддержал 12 проектов.",
        "2013-10-22", "ru",
    )
    assert found["Сегодня"] == ("2013-10-22", None, "day")
    assert found["в прошлом году"] == ("2012", None, "year")
    assert found["января этого года"] == ("2013-01", None, "month")
    assert found["июне 2011 года"] == ("2011-06", None, "month")
    assert found["1 января 2013 г."] == ("2013-01-01", None, "day")
    assert found["В этом году"] == ("2013", None, "year")


def test_russian_years_need_a_year_word_or_a_preposition():
    found = dates(
        "Центр работает в стране с 2006 года, а в 2012 году обучил 2000 человек. Решение № 1995 принято "
        "на заседании. Следующий семинар пройдет в Киеве 18 июля.",
        "2013-10-22", "ru",
    )
    assert found["2006 года"] == ("2006", None, "year")
    assert found["2012 году"] == ("2012", None, "year")
    assert found["18 июля"] == ("2014-07-18", None, "day")  # no trailing period; the seminar is ahead
    assert not {"2000", "1995", "18 июля."} & set(found)


# ------------------------------------------------------------------------------------------ weekdays


def test_weekdays_resolve_within_the_week_of_publication():
    past = dates("The Ambassador met the Prime Minister on Monday to discuss the reform.", "2015-02-17", "en")
    assert past["Monday"] == ("2015-02-16", None, "day")
    future = dates("The graduates will begin field training on Monday at police stations in Prizren.", "2001-06-08", "en")
    assert future["Monday"] == ("2001-06-11", None, "day")
    named = dates("The report will be published next Friday; the last visit was last Friday.", "2015-06-10", "en")
    assert named["next Friday"] == ("2015-06-12", None, "day")
    assert named["last Friday"] == ("2015-06-05", None, "day")


# ------------------------------------------------------------------------------------------ what is not a date


def test_datelines_durations_and_vague_expressions():
    found = dates(
        "VIENNA, 18 November 2010 - The three-day seminar, which lasted three days, is part of an 18-month "
        "project. Talks will continue in the coming weeks. By the end of 2002 the school had trained 4,300 officers.",
        "2010-11-18", "en",
    )
    frame = analyze_text(
        "VIENNA, 18 November 2010 - The seminar ended.", published="2010-11-18", language="en"
    )["dates"]
    assert frame.iloc[0]["text"] == "18 November 2010" and frame.iloc[0]["source"] == "dateline"
    assert not {"three days", "three-day", "18-month"} & set(found)
    assert found["the coming weeks"] == (None, None, None)
    assert found["2002"] == ("2002", None, "year")  # "the end of" is not part of the date


def test_relative_words_are_data():
    data = tomllib.loads(VOCABULARY.read_text("utf-8"))
    doc = Document("d", "s", "text", body_text="Das Treffen fand heute in Wien statt.", language="de", published="2016-03-04")
    assert [(r["text"], r["resolved"]) for r in date_rows(doc, False, Vocabulary(data))] == [("heute", "2016-03-04")]
    del data["relative_dates"]["de"]["phrases"]["day"]["heute"]
    assert date_rows(doc, False, Vocabulary(data)) == []


@pytest.mark.parametrize("published, expected", [("2016-01-05", "2015-12-28"), ("2015-12-20", "2015-12-28")])
def test_year_less_dates_take_the_nearest_occurrence(published, expected):
    doc = Document("d", "s", "text", body_text="Встреча министров 28 декабря.", language="ru", published=published)
    data = tomllib.loads(VOCABULARY.read_text("utf-8"))
    assert [r["resolved"] for r in date_rows(doc, False, Vocabulary(data))] == [expected]


def test_date_mentions_carry_the_dates_table_resolution_range_included():
    from pipeline import analyze_text

    tables = analyze_text("The talks were held on 4 and 5 December in Basel. Last year the ministers met in Kyiv.", published="2014-12-08")
    mentions = tables["mentions"] if "mentions" in tables else None
    dates = tables["dates"]
    assert {(r.text, r.resolved, r.resolved_end) for r in dates.itertuples()} >= {("4 and 5 December", "2014-12-04", "2014-12-05")}
    if mentions is not None:
        norms = set(mentions[mentions.label == "DATE"].norm)
        assert "2014-12-04/2014-12-05" in norms and "2013" in norms


# ------------------------------------------------------------------------------------------ rules first, the model for the rest


def _rows(text: str, published: str, model_dates: list[str] = (), other_entities: list[tuple[str, str]] = ()) -> list[tuple]:
    """The dates table of an English page whose model found ``model_dates`` and ``other_entities``
    ((text, label)): a fixed model reading, so the test says what the rules make of it."""
    spans = [Span(text.index(t), text.index(t) + len(t), "DATE", t, "model:test") for t in model_dates]
    spans += [Span(text.index(t), text.index(t) + len(t), label, t, "model:test") for t, label in other_entities]
    doc = Document("d", "s", "text", body_text=text, language="en", published=published, spans=spans)
    data = tomllib.loads(VOCABULARY.read_text("utf-8"))
    return [(r["text"], r["resolved"], r["resolved_end"], r["granularity"]) for r in date_rows(doc, True, Vocabulary(data))]


@pytest.mark.parametrize("model_dates", [["4 and", "December"], ["4 and 5 December"], ["5 December"], []])
def test_a_range_does_not_depend_on_how_the_model_cuts_it(model_dates):
    text = "The talks were held on 4 and 5 December in Basel."
    assert _rows(text, "2014-12-08", model_dates) == [("4 and 5 December", "2014-12-04", "2014-12-05", "day")]


@pytest.mark.parametrize("text, published, expected", [
    ("The talks were held 4-5 December 2014 in Basel.", "2015-01-20", [("4-5 December 2014", "2014-12-04", "2014-12-05", "day")]),
    ("The talks were held on December 4-5 in Basel.", "2014-12-08", [("December 4-5", "2014-12-04", "2014-12-05", "day")]),
    ("The talks were held on December 4-5, 2014.", "2015-01-20", [("December 4-5, 2014", "2014-12-04", "2014-12-05", "day")]),
    ("The course ran between 10 and 12 April.", "2014-05-01", [("between 10 and 12 April", "2014-04-10", "2014-04-12", "day")]),
    ("The course will run from 10 to 12 April.", "2014-03-01", [("from 10 to 12 April", "2014-04-10", "2014-04-12", "day")]),
    ("The exhibition is open from 10 April to 2 May.", "2014-03-01", [("from 10 April to 2 May", "2014-04-10", "2014-05-02", "day")]),
    ("Representatives met on Tuesday and Wednesday.", "2013-09-26", [("Tuesday and Wednesday", "2013-09-24", "2013-09-25", "day")]),
    ("Elections were held in April and May.", "2014-09-01", [("April", "2014-04", None, "month"), ("May", "2014-05", None, "month")]),
    ("Monitors visited on 3 March and 5 April.", "2015-06-10", [("3 March", "2015-03-03", None, "day"), ("5 April", "2015-04-05", None, "day")]),
    ("The 2012-2014 programme ended.", "2015-06-10", [("2012-2014", "2012", "2014", "year")]),
    ("The 2014-15 season was busy.", "2016-06-10", [("2014-15", "2014", "2015", "year")]),
    ("The Mission was deployed between 2010 and 2012.", "2016-06-10", [("between 2010 and 2012", "2010", "2012", "year")]),
    ("It shrank from 2013 to 2015.", "2016-06-10", [("from 2013 to 2015", "2013", "2015", "year")]),
    ("Elections took place in 2010 and 2012.", "2016-06-10", [("2010", "2010", None, "year"), ("2012", "2012", None, "year")]),
    ("The centre will open in mid-2015.", "2014-10-10", [("2015", "2015", None, "year")]),
    ("The report will be ready by the end of March.", "2015-01-20", [("the end of March", "2015-03", None, "month")]),
    ("The law of 14.03.2012 replaced the decree of 2012-04-05.", "2012-06-10",
     [("14.03.2012", "2012-03-14", None, "day"), ("2012-04-05", "2012-04-05", None, "day")]),
])
def test_explicit_dates_are_found_by_rule_whatever_the_model_says(text, published, expected):
    assert _rows(text, published) == expected


def test_counts_and_durations_are_not_dates():
    text = "The three-day course lasted three days; over 18 months, 2,000 kilometres were checked by 2000 monitors."
    assert _rows(text, "2015-01-20", ["three-day", "three days", "18 months"], [("2000", "CARDINAL")]) == []


def test_the_model_adds_what_the_rules_do_not_cover():
    text = "The project ends in 2016. 2012 was difficult, and talks continue in the coming weeks."
    assert _rows(text, "2015-01-20", ["2016", "2012", "the coming weeks"]) == [
        ("2016", "2016", None, "year"), ("2012", "2012", None, "year"), ("the coming weeks", None, None, None),
    ]
    # a year without a cue needs the model; a listed vague phrase does not
    assert _rows(text, "2015-01-20") == [("2016", "2016", None, "year"), ("the coming weeks", None, None, None)]


def test_a_year_or_month_name_inside_another_entity_is_not_a_date():
    text = "Prime Minister Theresa May spoke in 2000 villages. In May the centre opened in 2000."
    found = _rows(text, "2017-06-14", other_entities=[("Theresa May", "PERSON"), ("2000", "CARDINAL")])
    assert found == [("May", "2017-05", None, "month"), ("2000", "2000", None, "year")]


def test_russian_perfective_verbs_put_a_weekday_ahead():
    assert dates("В среду делегация посетит Бишкек.", "2013-10-21", "ru")["среду"] == ("2013-10-23", None, "day")
    assert dates("В среду делегация посетила Бишкек.", "2013-10-24", "ru")["среду"] == ("2013-10-23", None, "day")


@pytest.mark.parametrize(
    "text, published, resolved",
    [
        ("The law entered into force on 1 January.", "2015-07-10", "2015-01-01"),  # past clause: the January behind
        ("The elections will take place on 3 March.", "2015-12-10", "2016-03-03"),  # future clause: the March ahead
        ("The talks were held on 28 December.", "2016-01-05", "2015-12-28"),
        ("The new law takes effect on 1 January.", "2015-12-20", "2016-01-01"),  # no cue: the nearest occurrence
    ],
)
def test_a_year_less_date_follows_the_tense_of_its_clause(text, published, resolved):
    from pipeline import analyze_text

    dates = analyze_text(text, published=published)["dates"]
    assert list(dates.resolved) == [resolved]


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("The conference opened on Friday, 4 December, in Belgrade.", "en", ("Friday, 4 December", "2015-12-04")),
        ("On Monday 7 December the mission reported.", "en", ("Monday 7 December", "2015-12-07")),
        ("Встреча состоялась в пятницу, 4 декабря, в Белграде.", "ru", ("пятницу, 4 декабря", "2015-12-04")),
    ],
)
def test_a_weekday_written_before_its_date_is_one_row(text, language, expected):
    from pipeline import analyze_text

    dates = analyze_text(text, published="2015-12-08", language=language)["dates"]
    assert list(zip(dates.text, dates.resolved)) == [expected]


def test_a_list_of_consecutive_days_is_one_range():
    from pipeline import analyze_text

    dates = analyze_text("Hearings took place on 9, 10, 11 and 12 June 2015 in Pristina.", published="2015-06-20")["dates"]
    assert list(zip(dates.text, dates.resolved, dates.resolved_end)) == [("9, 10, 11 and 12 June 2015", "2015-06-09", "2015-06-12")]


# ------------------------------------------------------------------ tense, vague, relative to another date


@pytest.mark.parametrize("text, published, language, expected", [
    # Wednesday 30 October 2013: the verbs of the sentence choose the Sunday before or after it.
    ("The Mission will deploy observers for the municipal elections on Sunday.", "2013-10-30", "en", ("Sunday", "2013-11-03")),
    ("The Mission deployed observers for the municipal elections on Sunday.", "2013-10-30", "en", ("Sunday", "2013-10-27")),
    # the nearest verb before the date decides, not the reporting verb of the sentence
    ("The member added that the Commission would publish its materials on Thursday.", "2022-06-08", "en", ("Thursday", "2022-06-09")),
    # a capitalised word ending in -ed is a title, not a past verb
    ("The Office will present its report “Forced to Offend” in Skopje on Thursday.", "2023-11-29", "en", ("Thursday", "2023-11-30")),
    # a past form right after a future word is future
    ("A second round will be held on Friday.", "2002-01-10", "en", ("Friday", "2002-01-11")),
    # a date opening its sentence takes the verb after it
    ("Во вторник в области открылись 12 новых приемных.", "2018-03-15", "ru", ("вторник", "2018-03-13")),
    ("В пятницу в Ивановке пройдет первая встреча жителей.", "2005-09-21", "ru", ("пятницу", "2005-09-23")),
])
def test_a_weekday_goes_the_way_the_tense_of_its_sentence_says(text, published, language, expected):
    found = dates(text, published, language)
    assert found[expected[0]][0] == expected[1]


@pytest.mark.parametrize("text, published, expected", [
    ("In January, the company brought in new managers.", "1989-10-27", ("January", "1989-01")),  # past: not January 1990
    ("The contracts, which expire at the end of June, were extended.", "2004-02-18", ("the end of June", "2004-06")),  # another clause's verb
    ("The company declared a dividend of five cents, payable Dec. 15 to holders.", "1989-10-26", ("Dec. 15", "1989-12-15")),  # verb far off
])
def test_a_year_less_date_takes_the_side_of_publication_its_own_verb_gives(text, published, expected):
    assert dates(text, published, "en")[expected[0]][0] == expected[1]


def test_expressions_relative_to_another_date_resolve_against_it():
    text = "In 2009, at least 12 journalists were sued, compared with five the previous year. In 2011 the law changed."
    found = dates(text, "2010-05-20", "en")
    assert found["the previous year"][0] == "2008"
    alone = dates("Fewer incidents were reported than the previous year.", "2010-05-20", "en")
    assert alone["the previous year"][0] == "2009"  # no date before it: against publication


@pytest.mark.parametrize("text, published, expected", [
    ("The depot was inspected five years ago.", "2019-04-24", ("five years ago", "2014", "year")),
    ("Talks resumed two weeks ago.", "1998-03-22", ("two weeks ago", "1998-03-08", "day")),
    ("Centres are due to open before the end of the year.", "1998-11-26", ("the end of the year", "1998-12", "month")),
    ("Verifiers have visited 38 villages since early November.", "1998-11-26", ("early November", "1998-11", "month")),
    ("The delegation signed the treaty last May.", "1998-02-27", ("last May", "1997-05", "month")),
    ("Свидетели сообщили, что здание было повреждено три года назад.", "2020-02-18", ("три года назад", "2017", "year")),
])
def test_counted_back_edges_and_named_months(text, published, expected):
    language = "ru" if any("а" <= ch <= "я" for ch in text) else "en"
    found = dates(text, published, language)
    assert (expected[0], found[expected[0]][0], found[expected[0]][2]) == expected


def test_vague_expressions_stay_unresolved():
    doc = Document("d", "s", "text", language="en", published="2017-12-06",
                   body_text="Over the past five years the annual report grew. The project ran in the spring of 2016.")
    doc.spans = [Span(start, end, "DATE", doc.body_text[start:end], "model:test") for start, end in ((5, 24), (25, 35), (68, 78))]
    rows = {row["text"]: row["resolved"] for row in date_rows(doc, True, Vocabulary(tomllib.loads(VOCABULARY.read_text("utf-8"))))}
    # the listed phrase "annual" replaces the model's cut "the annual"
    assert rows["the past five years"] is None and rows["annual"] is None and rows["the spring"] is None


# ------------------------------------------------------------------- issue #10: text no rule was written for


def test_a_date_a_past_verb_extends_to_can_lie_ahead():
    # "extended ... to" names where the offer ends: the past verb says nothing of the date after "to".
    found = dates("The company extended to Nov. 20 its offer for all shares, which had been due to expire.", "1989-11-02", "en")
    assert found["Nov. 20"] == ("1989-11-20", None, "day")
    # A date the past verb happened on still lies behind publication.
    found = dates("The board approved the plan on 28 October.", "1989-11-02", "en")
    assert found["28 October"] == ("1989-10-28", None, "day")


def test_a_year_less_month_without_a_verb_to_go_by_is_the_one_before_unless_the_next_is_much_nearer():
    report = "Shares rose to a high for the year in June from a low in March, the treasurer said."
    assert dates(report, "1989-10-30", "en")["March"] == ("1989-03", None, "month")  # 7 months back, 5 ahead
    dividend = "The quarterly dividend is payable Jan. 2 to holders of record."
    assert dates(dividend, "1989-11-02", "en")["Jan. 2"] == ("1990-01-02", None, "day")  # 2 months ahead, 10 back


def test_supposed_to_speaks_of_the_future():
    found = dates("The talks, which the two governments sponsor, are supposed to conclude by May.", "1998-03-22", "en")
    assert found["May"] == ("1998-05", None, "month")


def test_years_counted_from_the_year_before_or_from_publication():
    found = dates(
        "Net income was $12 million, compared with $9 million a year earlier. The company expects a loss for the full "
        "year and a charge at year end, after its year-earlier results were restated.",
        "1989-11-02", "en",
    )
    # the same time last year: the same day, when publication gives the day (as TimeBank annotates it)
    assert found["a year earlier"] == ("1988-11-02", None, "day")
    assert found["the full year"] == ("1989", None, "year")
    assert found["year end"] == ("1989-12-31", None, "day")  # the year's last day
    assert found["year-earlier"] == ("1988-11-02", None, "day")
    # against the year written before it, not against publication
    earlier = dates("In 2005 the centre opened; a year later it had 40 staff.", "2010-05-04", "en")
    assert earlier["a year later"] == ("2006", None, "year")


def test_the_current_fiscal_year_keeps_its_article():
    assert dates("Sales will fall in the current fiscal year.", "1989-11-02", "en")["the current fiscal year"] == ("1989", None, "year")


def test_listed_vague_phrases_are_rows_without_a_value_on_pages_without_the_model():
    doc = Document("d", "s", "text", language="en", published="2017-12-06",
                   body_text="The Office publishes an annual report. For years the municipalities asked for help; "
                             "in the coming months the Mission will visit them every week.")
    rows = {row["text"]: row for row in date_rows(doc, False, Vocabulary(tomllib.loads(VOCABULARY.read_text("utf-8"))))}
    assert set(rows) == {"annual", "For years", "the coming months", "every week"}
    assert all(row["resolved"] is None and row["source"] == "rule:dates/vague" for row in rows.values())
    ru = dates("В ближайшие недели центр откроет приемные, которые ежегодно принимают сотни обращений.", "2024-01-17", "ru")
    assert ru["В ближайшие недели"] == (None, None, None) and ru["ежегодно"] == (None, None, None)


def test_a_participle_in_a_future_clause_keeps_the_date_ahead():
    found = dates("Hudson's Bay said it will redeem 9.5 million Series H preferred shares on Oct. 31 at C$27.75 each.", "1989-10-27", "en")
    assert found["Oct. 31"] == ("1989-10-31", None, "day")  # "preferred" is an adjective here, not the past of the clause
    past = dates("The board said the contracts that expired on Oct. 3 would not be renewed.", "1989-10-27", "en")
    assert past["Oct. 3"] == ("1989-10-03", None, "day")
