"""Date expressions in the body, resolved against the publication date: "22 July" in an article of
18 November 2010 is 2010-07-22, "last year" is 2009, "Tuesday" the Tuesday of that week.

Explicit dates are found by rule on every page, from the page language's calendar words
(``rules/vocabulary.toml`` [calendar], plus dateparser's month names): day and month with or without a
year, month and year, numeric dates, year ranges, years with a cue, weekdays and relative words
([relative_dates]: "today", "в прошлом году"). The model's DATE mentions (English pages) add only what
those rules do not cover ("the coming weeks", "more than 30 years ago", "2012 was"): a model mention
overlapping a rule date is dropped, so the model's way of cutting a date ("4 and" + "December") never
decides the row. Day, month, year, weekday and relative expressions are resolved here from the word
lists; anything else goes to the cached ``parse_date``, never to a dateparser search over the text.

A range is one row ("4 and 5 December", "from 10 to 12 April", "Tuesday and Wednesday",
"с 10 по 12 апреля", "2010-2012"): its parts are resolved one by one, the first completed from the
last ("4" -> "4 December"), and ``resolved_end`` holds the last. Vague expressions ("in the coming
weeks") are kept on model pages with no resolved value; durations ("three days") are counts."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ..dates import (
    DAY, FUTURE, ORDINAL, PAST, PAST_WORDS_FOR_A_DAY, YEAR, Calendar, ParsedDate, _NUMERIC_DATE, calendar_date_parts, calendar_for, find_shapes, iso_date, parse_date, resolve_date_parts,
    resolve_edge, resolve_named_month, resolve_shifted, resolve_weekday, shifted,
)
from ..document import Document
from .vocabulary import Vocabulary, alternation

SHAPE_SOURCE = "rule:dates/date-shape"
RELATIVE_SOURCE = "rule:dates/relative"
VAGUE_SOURCE = "rule:dates/vague"

_POSSESSIVE = re.compile(r"['’]s$")
_DECADE = re.compile(r"\b(?:1[89]|20)\d0['’]?s\b")  # "the 1990s": no year to give
FUTURE_WEIGHT = 2  # with no verb to go by, a year-less date after publication must be this many times nearer
RANGE_HEAD_WINDOW = 40  # characters searched back from a date for the first half of its range ("from 10 to ")
_PRECISION = {"year": 0, "month": 1, "day": 2}
DATE_LABELS = {"DATE", "TIME"}  # model labels that may hold a date; any other entity holding a bare year or month name owns it
_AMBIGUOUS = re.compile(rf"\D*|{YEAR}")  # a year or a word alone: a date, a count or a name by context



def date_rows(doc: Document, model_ran: bool, vocabulary: Vocabulary) -> list[dict]:
    """Rows of the dates table for one document, with the run's vocabulary."""
    language = doc.language or "en"
    calendar = calendar_for(vocabulary, language)
    text = doc.body_text
    words = vocabulary.relative_dates.get(language, {})
    context = _Context(
        text, doc.published or doc.dateline_date, tuple(dict.fromkeys([language, "en"])), calendar, words.get("endpoints", []),
        _shapes(vocabulary), words.get("year_ends", []),
    )
    rows, body_start = [], 0
    if doc.dateline_end and doc.dateline_date:
        body_start = doc.dateline_end
        dateline = _dateline_date_span(doc)
        if dateline:
            rows.append(_row(context, *dateline, parse_date(text[dateline[0] : dateline[1]], context.languages, context.base)))
    mentions = [s for s in doc.spans if s.start >= body_start] if model_ran else []
    other_entities = [(s.start, s.end) for s in mentions if s.label not in DATE_LABELS]
    candidates = [c for c in _rule_candidates(text, calendar, other_entities) if c[0] >= body_start]
    by_rule = _join_ranges(context, [row for row in (_resolve(context, *c) for c in candidates) if row is not None and row["resolved"]])
    model_dates = [
        s for s in mentions if s.label == "DATE" and not any(r["start"] < s.end and s.start < r["end"] for r in by_rule)
    ]
    by_model = [row for row in (_resolve(context, s.start, s.end, s.source) for s in model_dates) if row is not None]  # vague ones kept
    found = by_rule + by_model
    phrases = vocabulary.relative_dates.get(language, {}).get("vague_phrases")
    if phrases:
        for m in _vague_pattern(tuple(phrases)).finditer(text, body_start):
            overlapping = [r for r in found if r["start"] < m.end() and m.start() < r["end"]]
            # the phrase replaces the model's unresolved cut of it ("years" of "For years", "past every day")
            if all(r["resolved"] is None for r in overlapping):
                found = [r for r in found if r not in overlapping] + [_row(context, m.start(), m.end(), VAGUE_SOURCE, None)]
    return rows + _against_dates_before(context, sorted(found, key=lambda r: r["start"]), rows)


@lru_cache(maxsize=16)
def _vague_pattern(phrases: tuple[str, ...]) -> re.Pattern:
    spaced = alternation(phrases, spaces=r"\s+")
    return re.compile(rf"(?<!\w)(?:{spaced})(?!\w)", re.I)


def _against_dates_before(context: _Context, rows: list[dict], dateline: list[dict]) -> list[dict]:
    """Expressions relative to another date ("the previous year", "that year", "the following month")
    resolve against the nearest date written before them with its year ("In 2009, ... compared with five
    the previous year" is 2008); with none, against publication (what ``_resolve_one`` gave them)."""
    calendar, out = context.calendar, []
    for row in rows:
        key = " ".join(row["text"].casefold().split())
        if key in calendar.anaphoric:
            granularity, offset = calendar.anaphoric[key]
            anchor = next((r for r in reversed(out) if r["resolved"] and r["text"] != row["text"] and _written_date(context, r)), None)
            if anchor is not None and anchor["granularity"] == "day" and granularity == "month" and offset % 12 == 0:
                # "the quarter ended Aug. 12 ...; a year earlier": the same day of that year
                row = _row(context, row["start"], row["end"], row["source"], _same_day_years_away(iso_date(anchor["resolved"]), offset // 12))
            elif anchor is not None and _PRECISION[anchor["granularity"]] >= _PRECISION[granularity]:
                row = _row(context, row["start"], row["end"], row["source"], shifted(iso_date(anchor["resolved"]), granularity, offset))
            elif anchor is not None and anchor["granularity"] == "year" and granularity == "month" and offset % 12 == 0:
                # "In 2009 ...; a year earlier": the anchor names a year, so does the result
                row = _row(context, row["start"], row["end"], row["source"], shifted(iso_date(anchor["resolved"]), "year", offset // 12))
        out.append(row)
    return out


def _written_date(context: _Context, row: dict) -> bool:
    """A date written out, with its year or a month ("in 2009", "the quarter ended Sept. 30", "in March"):
    one another expression can count from. A weekday or "last year" counts from publication anyway."""
    if re.search(YEAR, row["text"]):
        return True
    written = context.calendar.calendar_date.fullmatch(context.shapes.core(row["text"]))
    return bool(written and (written.group("month") or written.groupdict().get("month2")))


def _rule_candidates(text: str, calendar: Calendar, other_entities: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, source) of the date shapes in ``text``. A bare year is a date where the language lets
    years stand alone, or as the end of a list or range of years ("from 2010 to 2012", "2010 and 2012");
    elsewhere it needs its cue word ("in 2012"), or the model's reading. A year or a lone calendar word
    inside another entity of the model is that entity's ("in 2000 villages", "Theresa May")."""
    found: list[tuple[int, int, str]] = []
    for m in find_shapes(calendar, text):
        start, end = _shape_span(m)
        if m.group("bare_year") and not (calendar.years_stand_alone or _ends_year_series(text, calendar, found, m)):
            continue
        if _AMBIGUOUS.fullmatch(text[start:end]) and any(s <= start and end <= e for s, e in other_entities):
            continue
        found.append((start, end, _rule_source(calendar, m)))
    return found


def _ends_year_series(text: str, calendar: Calendar, found: list[tuple[int, int, str]], m: re.Match) -> bool:
    """Is this bare year the later end of "2010 and 2012", "с 2010 по 2012", right after a year found?"""
    if not found:
        return False
    start, end, _ = found[-1]
    previous = calendar.calendar_date.fullmatch(text, start, end)
    return bool(
        previous and previous.group("year3") and int(previous.group("year3")) < int(m.group("bare_year"))
        and calendar.joint.fullmatch(text, end, m.start())
    )


class _Shapes:
    """Patterns of one vocabulary, compiled once: the words before a date that are no part of it ("on",
    "since", "the"; [calendar] leading_words) and a length of time, which counts has, not dates ("more than
    three years", "a two-week"; from the [counts] qualifiers, number words and duration units)."""

    def __init__(self, vocabulary: Vocabulary):
        words, counts = vocabulary.calendar, vocabulary.counts
        self.leading = re.compile(rf"^(?:{alternation(words['leading_words'])})\s+", re.I)
        amounts = alternation([*(form for forms in counts["number_words"].values() for form in forms), *words["duration_amounts"]])
        units = alternation(counts["duration_units"])
        qualifiers = alternation(vocabulary.qualifiers, spaces=r"\s+")
        self.duration = re.compile(
            rf"^(?:(?:{qualifiers})\s+)?(?:{amounts}|\d{{1,3}})[\s-]+(?:{units})"  # never a year: "2006 года"
            rf"(?:\s+(?:{alternation(words['duration_tails'])}))?$",
            re.I,
        )
        self.hyphenated_duration = re.compile(rf"[\w-]+-(?:{units})", re.I)

    def core(self, text: str) -> str:
        """The date expression without its leading words and a possessive ("Monday's")."""
        return _POSSESSIVE.sub("", self.leading.sub("", text.strip()))


@lru_cache(maxsize=4)
def _shapes(vocabulary: Vocabulary) -> _Shapes:
    return _Shapes(vocabulary)


@lru_cache(maxsize=16)
def _endpoint_pattern(endpoints: tuple[str, ...]) -> re.Pattern:
    """An endpoint word ("until", "to") ending where the search ends."""
    return re.compile(rf"(?<!\w)(?:{alternation(endpoints)})\s+$", re.I)


class _Context:
    def __init__(self, text: str, published: str | None, languages: tuple[str, ...], calendar: Calendar, endpoints: list[str],
                 shapes: _Shapes, year_ends: list[str]):
        self.text, self.languages, self.calendar, self.shapes = text, languages, calendar, shapes
        self.year_ends = frozenset(" ".join(p.casefold().split()) for p in year_ends)
        self.endpoint_before = _endpoint_pattern(tuple(endpoints)) if endpoints else None
        self.base = iso_date(published)
        self.precision = _PRECISION[{4: "year", 7: "month"}.get(len(published[:10]), "day")] if self.base else -1

    def knows(self, granularity: str) -> bool:
        """Is the publication date precise enough for "yesterday" (day) or "last month" (month)?"""
        return self.precision >= _PRECISION[granularity]

    def direction(self, start: int, end: int, past_within: int | None = None) -> str | None:
        """PAST / FUTURE as the verbs of the date's sentence say (``Calendar.direction``), else None; a
        past verb says nothing of a date it runs to ("extended the offer to Nov. 20")."""
        direction = self.calendar.direction(self.text, start, end, past_within)
        if direction == PAST and self.endpoint_before and self.endpoint_before.search(self.text, max(0, start - 10), start):
            return None
        return direction


def _row(context: _Context, start: int, end: int, source: str, parsed: ParsedDate | None, last: ParsedDate | None = None) -> dict:
    return {
        "text": context.text[start:end], "resolved": parsed.iso if parsed else None, "resolved_end": last.iso if last else None,
        "granularity": parsed.granularity if parsed else None, "start": start, "end": end, "source": source,
    }


def _resolve(context: _Context, start: int, end: int, source: str) -> dict | None:
    """The row of one candidate: its date, a range it holds, or the date it ends with ("the end of 2002"
    -> "2002", "late October" -> "October"); None for a length of time, which counts has."""
    text = context.text[start:end]
    key = " ".join(text.casefold().split())
    if key in context.calendar.anaphoric or key in context.calendar.relative:  # "the previous year": "the" is part of it
        return _row(context, start, end, source, _resolve_one(context, text, start, end))
    core = context.shapes.core(text)
    if context.shapes.duration.match(core) or context.shapes.hyphenated_duration.fullmatch(core):
        return None
    offset = start + text.index(core)
    calendar = context.calendar
    counted_back = calendar.shifted.fullmatch(core)  # "five years ago" names a year; "the past five years" does not
    if not counted_back and ((calendar.vague and calendar.vague.search(core)) or _DECADE.search(core)):
        return _row(context, start, end, source, None)
    inside = calendar.range_inside.fullmatch(core) if not _NUMERIC_DATE.fullmatch(core) else None
    if inside:
        a, b = inside.group("a"), _completed_end(calendar, inside.group("a"), inside.group("b"))
        last = _resolve_one(context, b, offset + inside.start("b"), offset + len(core))
        first = last and _range_start(context, a, b, last, inside.group("sep"), bool(inside.group("open")))
        if first:
            return _row(context, start, end, source, first, last)
    parsed = _resolve_one(context, core, offset, offset + len(core))
    if parsed is not None:
        return _row(context, start, end, source, parsed)
    tail = None
    for tail in calendar.shapes.finditer(core):
        pass
    if tail is not None and tail.end() == len(core.rstrip(".,;:")):  # not "January" of "January of that year"
        tail_start, tail_end = _shape_span(tail)
        parsed = _resolve_one(context, core[tail_start:tail_end], offset + tail_start, offset + tail_end)
        if parsed is not None:
            return _row(context, offset + tail_start, offset + tail_end, source, parsed)
    return _row(context, start, end, source, None)


def _resolve_one(context: _Context, core: str, start: int, end: int) -> ParsedDate | None:
    """One date expression (no range), read with the grammar: relative words, weekdays, "last June",
    "five years ago", "the end of March", calendar dates; anything else through ``parse_date``."""
    calendar, base = context.calendar, context.base
    key = " ".join(core.casefold().split())
    if key in calendar.relative or key in calendar.anaphoric:  # anaphoric: against publication until a date before it is known
        granularity, offset = calendar.relative.get(key) or calendar.anaphoric[key]
        if key in context.year_ends and context.knows("year"):
            return _parsed(dt.date(base.year + offset, 12, 31), "day")
        if granularity == "month" and offset % 12 == 0 and context.knows("day"):
            return _same_day_years_away(base, offset // 12)  # "a year ago" in a report of 26 October 1989: 1988-10-26
        return shifted(base, granularity, offset) if context.knows(granularity) else None
    m = calendar.weekday.fullmatch(core)
    if m:
        return resolve_weekday(calendar, m, base, context.direction(start, end)) if context.knows("day") else None
    m = calendar.named_month.fullmatch(core)
    if m:
        return resolve_named_month(calendar, m, base) if context.knows("month") else None
    m = calendar.shifted.fullmatch(core)
    if m:
        unit = calendar.units.get(m.group("unit").casefold())
        return resolve_shifted(calendar, m, base) if context.knows("day" if unit == "week" else unit or "day") else None
    m = calendar.edge.fullmatch(core)
    if m:
        return resolve_edge(calendar, m, base, context.direction(start, end, PAST_WORDS_FOR_A_DAY))
    m = calendar.month_year.fullmatch(core)
    if m:
        if base is None:
            return None
        year = shifted(base, *calendar.relative[" ".join(m.group("phrase").casefold().split())]).iso
        day, month, _ = calendar_date_parts(m)
        return resolve_date_parts(calendar, day, month, year, base)
    m = calendar.calendar_date.fullmatch(core)
    if m:
        day, month, year = calendar_date_parts(m)
        if year:
            return resolve_date_parts(calendar, day, month, year, base)
        return _year_less(calendar, day, month, base, context.direction(start, end, PAST_WORDS_FOR_A_DAY))
    if not calendar.shapes.search(core):
        return None  # nothing of a calendar in it ("4 and", "the school year"): dateparser would still guess
    return parse_date(core, context.languages, base)


def _year_less(calendar: Calendar, day: str | None, month: str | None, base: dt.date | None, direction: str | None) -> ParsedDate | None:
    """A day or month without a year: on the side its sentence's verbs give; with no verb to go by, the
    occurrence before publication unless the one after is less than half as far ("in March" in an October
    report is the March before it; "Jan. 2" in a November one the January after it). News reports what
    happened far more than what is planned, and a plan usually says so ("will", "is due")."""
    if direction is not None or base is None:
        return resolve_date_parts(calendar, day, month, None, base, direction)
    before = resolve_date_parts(calendar, day, month, None, base, PAST)
    after = resolve_date_parts(calendar, day, month, None, base, FUTURE)
    if before is None or after is None or before.date >= base or after.date <= base:
        return before or after
    return after if FUTURE_WEIGHT * (after.date - base).days < (base - before.date).days else before


def _same_day_years_away(day: dt.date, years: int) -> ParsedDate:
    """The same day ``years`` years later (earlier when negative); 28 February for a 29th."""
    try:
        return _parsed(day.replace(year=day.year + years), "day")
    except ValueError:
        return _parsed(day.replace(year=day.year + years, day=28), "day")


def _parsed(d: dt.date, granularity: str) -> ParsedDate:
    iso = {"day": d.isoformat(), "month": d.strftime("%Y-%m"), "year": f"{d.year:04d}"}[granularity]
    return ParsedDate(iso, granularity)


# ------------------------------------------------------------------------------------------ ranges


def _range_start(context: _Context, a: str, b: str, last: ParsedDate, separator: str, opened: bool) -> ParsedDate | None:
    """The first date of a range "A - B" whose last date is known, A completed from B ("4" and
    "5 December 2014" -> 4 December 2014; "Tuesday" and a Wednesday -> the day before). None when
    the two do not make a range: "3 March and 5 April" or "April and May" are two dates, "4 and 5 December"
    one range."""
    calendar = context.calendar
    a, b = a.strip(), b.strip()
    weekday_a, weekday_b = calendar.weekday.fullmatch(a), calendar.weekday.fullmatch(b)
    whole = calendar.calendar_date.fullmatch(a)
    if weekday_a and weekday_b:
        step = (calendar.weekdays[weekday_b.group("day").casefold()] - calendar.weekdays[weekday_a.group("day").casefold()]) % 7
        first = _parsed(last.date - dt.timedelta(days=step), "day") if step else None
    elif re.fullmatch(rf"{DAY}{ORDINAL}\.?", a) and last.granularity == "day" and re.search(r"\d", b):
        first = _day_of(last.date, int(re.match(r"\d+", a).group()))
    elif whole is None:
        return None
    else:
        day, month, year = calendar_date_parts(whole)
        first = resolve_date_parts(calendar, day, month, year or last.iso[:4], context.base)
        if first and not year and first.date > last.date:  # "28 December to 3 January 2016"
            first = resolve_date_parts(calendar, day, month, str(first.date.year - 1), context.base)
    if first is None or first.date >= last.date:
        return None
    conjunction = separator.strip().casefold() in calendar.conjunctions
    if conjunction and not opened and not _next_day(first, last):
        return None
    return first


def _completed_end(calendar: Calendar, a: str, b: str) -> str:
    """The end of a range written short: "December 4-5" ends on "December 5", "2014-15" in "2015"."""
    if re.fullmatch(r"\d\d", b) and re.fullmatch(YEAR, a):
        return a[:2] + b
    start = calendar.calendar_date.fullmatch(a)
    if start and start.groupdict().get("month2") and re.fullmatch(rf"{DAY}{ORDINAL}(?:,?\s+{YEAR})?", b):
        return f"{start.group('month2')} {b}"
    return b


def _day_of(last: dt.date, day: int) -> ParsedDate | None:
    """Day ``day`` of the month of ``last``, or of the month before when it would come after it ("30-2 May")."""
    try:
        first = last.replace(day=day)
    except ValueError:
        return None
    if first > last:
        previous = last.replace(day=1) - dt.timedelta(days=1)
        try:
            first = previous.replace(day=day)
        except ValueError:
            return None
    return _parsed(first, "day")


def _next_day(first: ParsedDate, last: ParsedDate) -> bool:
    return first.granularity == last.granularity == "day" and (last.date - first.date).days == 1


def _join_ranges(context: _Context, rows: list[dict]) -> list[dict]:
    """Ranges across the resolved rule dates, in text order: two dates joined by a separator ("Tuesday"
    and "Wednesday"), or a date with a bare day, month or year before it ("4 и " + "5 декабря",
    "с 2010 по " + "2012 год"), the range's opening word included ("from 10 to 12 April")."""
    calendar, text, core = context.calendar, context.text, context.shapes.core
    out: list[dict] = []
    for row in rows:
        previous = out[-1] if out else None
        if previous and _names_its_weekday(context, previous, row):  # "Friday, 4 December": one date
            out[-1] = _row(context, previous["start"], row["end"], row["source"], ParsedDate(row["resolved"], row["granularity"]))
            continue
        if row["resolved_end"] is None:
            last = ParsedDate(row["resolved"], row["granularity"])
            joint = calendar.joint.fullmatch(text, previous["end"], row["start"]) if previous and previous["end"] <= row["start"] else None
            if joint:
                opener = calendar.opener_before.search(text, max(0, previous["start"] - 20), previous["start"])
                first = _range_start(context, core(previous["text"]), core(row["text"]), last, joint.group("sep"), bool(opener))
                if first:
                    out[-1] = _row(context, opener.start() if opener else previous["start"], row["end"], row["source"], first, last)
                    continue
            window_start = max(previous["end"] if previous else 0, row["start"] - RANGE_HEAD_WINDOW)
            head = calendar.range_head.search(text, window_start, row["start"])
            if head:
                first = _range_start(context, head.group("a"), core(row["text"]), last, head.group("sep"), bool(head.group("open")))
                if first:
                    out.append(_row(context, head.start(), row["end"], row["source"], first, last))
                    continue
        if row["resolved_end"] and not context.shapes.leading.match(row["text"]):
            opener = calendar.opener_before.search(text, max(0, row["start"] - 20), row["start"])
            if opener:
                row = {**row, "text": text[opener.start() : row["end"]], "start": opener.start()}
        out.append(row)
    return [_with_listed_days_before(context, row) for row in out]


_LISTED_DAY_BEFORE = re.compile(r"(?<![\w.,])(\d{1,2}),\s*$")


def _with_listed_days_before(context: _Context, row: dict) -> dict:
    """A range of days written as a list takes the days listed before it, while they run on day by day:
    "10, 11 and 12 June" is 10-12 June (the rules found "11 and 12 June")."""
    if not row["resolved_end"] or row["granularity"] != "day":
        return row
    first, start = iso_date(row["resolved"]), row["start"]
    while (m := _LISTED_DAY_BEFORE.search(context.text, max(0, start - 8), start)) and int(m.group(1)) == first.day - 1:
        first, start = first - dt.timedelta(days=1), m.start()
    if start == row["start"]:
        return row
    return _row(context, start, row["end"], row["source"], _parsed(first, "day"), ParsedDate(row["resolved_end"], "day"))


def _names_its_weekday(context: _Context, weekday: dict, row: dict) -> bool:
    """A weekday written right before a calendar date ("Friday, 4 December", "в пятницу, 4 декабря") is
    part of it; the written date decides the day."""
    return (
        weekday["resolved_end"] is None and row["resolved_end"] is None and row["granularity"] == "day"
        and weekday["end"] <= row["start"] and re.fullmatch(r",?\s*", context.text[weekday["end"] : row["start"]]) is not None
        and context.calendar.weekday.fullmatch(context.shapes.core(weekday["text"])) is not None
    )


def _rule_source(calendar: Calendar, m: re.Match) -> str:
    key = " ".join(m.group().casefold().split())
    return RELATIVE_SOURCE if key in calendar.relative or calendar.weekday.fullmatch(m.group()) else SHAPE_SOURCE


def _shape_span(m: re.Match) -> tuple[int, int]:
    """A year after a preposition is the year alone ("в 2012 году" -> "2012 году")."""
    return m.span("year") if m.groupdict().get("year") else m.span()


def _dateline_date_span(doc: Document) -> tuple[int, int, str] | None:
    """The date written in the dateline ("VIENNA, 18 November 2010 - ") as a date mention."""
    head = doc.body_text[: doc.dateline_end]
    comma = head.find(",")
    if comma < 0:
        return None
    m = re.search(r"\S.*?(?=\s*(?:\([^)]*\))?\s*(?:-{1,2}|–|—)\s*$)", head[comma + 1 :])
    return (comma + 1 + m.start(), comma + 1 + m.end(), "dateline") if m else None



