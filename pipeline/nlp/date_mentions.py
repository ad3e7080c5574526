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
from dataclasses import dataclass
from functools import lru_cache

from ..dates import ParsedDate, iso_date, month_names, parse_date
from ..document import Document
from .vocabulary import Vocabulary, alternation

SHAPE_SOURCE = "rule:dates/date-shape"
RELATIVE_SOURCE = "rule:dates/relative"

_LEADING = re.compile(r"^(?:on|since|from|until|by|in|at|of|the|during)\s+", re.I)
_POSSESSIVE = re.compile(r"['’]s$")
_DURATION = re.compile(
    r"^(?:(?:more than|less than|at least|up to|about|some|nearly|over|almost)\s+)?"
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|\d+)[\s-]+"
    r"(?:years?|months?|weeks?|days?|hours?)(?:\s+(?:long|old))?$",
    re.I,
)
_HYPHENATED_DURATION = re.compile(r"[\w-]+-(?:day|week|month|year)", re.I)
_DECADE = re.compile(r"\b(?:1[89]|20)\d0['’]?s\b")  # "the 1990s": no year to give
_NUMERIC = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}")
YEAR = r"(?:1[89]|20)\d\d"
_END = r"(?!\w)(?!-[^\W\d_])"  # a whole word, and not a decade ("1990-х", "1990-e")
DAY = r"(?:[12]\d|3[01]|0?[1-9])"
ORDINAL = r"(?:st|nd|rd|th|er|º)?"  # 1st, 1er, 1º
SENTENCE_WINDOW = 300  # characters searched back for the start of a date's sentence
CLAUSE_WORDS = 12  # words before a date in its clause that may say it is ahead ("to be presented to ... on 4 December")
RANGE_HEAD_WINDOW = 40  # characters searched back from a date for the first half of its range ("from 10 to ")
WORDS_AFTER_OPENING_DATE = 6  # "On Monday, the delegation will travel": the verb comes after the date
_PRECISION = {"year": 0, "month": 1, "day": 2}
DATE_LABELS = {"DATE", "TIME"}  # model labels that may hold a date; any other entity holding a bare year or month name owns it
_AMBIGUOUS = re.compile(rf"\D*|{YEAR}")  # a year or a word alone: a date, a count or a name by context


@dataclass(frozen=True)
class _Calendar:
    """The calendar words of one language, compiled."""

    months: dict[str, int]  # casefolded name -> 1..12
    weekdays: dict[str, int]  # casefolded name -> 0 (Monday)..6
    relative: dict[str, tuple[str, int]]  # casefolded phrase -> (granularity, offset)
    next_words: frozenset[str]
    last_words: frozenset[str]
    conjunctions: frozenset[str]
    future: re.Pattern | None
    past: re.Pattern | None  # words that put a clause behind publication ("was held", "entered into force")
    vague: re.Pattern | None
    shapes: re.Pattern  # every explicit date expression; a ``bare_year`` match still needs a cue
    years_stand_alone: bool  # a year without a cue word is a date (languages without year_prepositions)
    calendar_date: re.Pattern  # fullmatch: day / month / year, in either order
    weekday: re.Pattern  # fullmatch: a weekday, maybe with next / last
    named_month: re.Pattern  # fullmatch: next / last and a month ("last June")
    month_year: re.Pattern  # fullmatch: a month (and day) in a relative year ("января этого года")
    range_inside: re.Pattern  # fullmatch: opener? A separator B
    range_head: re.Pattern  # search, anchored at the end: opener? A separator (before a date)
    joint: re.Pattern  # fullmatch: the text between two dates that makes them a range
    opener_before: re.Pattern  # search, anchored at the end


def date_rows(doc: Document, model_ran: bool, vocabulary: Vocabulary) -> list[dict]:
    """Rows of the dates table for one document, with the run's vocabulary."""
    language = doc.language or "en"
    calendar = _calendar(vocabulary, language)
    text = doc.body_text
    context = _Context(text, doc.published or doc.dateline_date, tuple(dict.fromkeys([language, "en"])), calendar)
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
    return rows + sorted(by_rule + by_model, key=lambda r: r["start"])


def _rule_candidates(text: str, calendar: _Calendar, other_entities: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, source) of the date shapes in ``text``. A bare year is a date where the language lets
    years stand alone, or as the end of a list or range of years ("from 2010 to 2012", "2010 and 2012");
    elsewhere it needs its cue word ("in 2012"), or the model's reading. A year or a lone calendar word
    inside another entity of the model is that entity's ("in 2000 villages", "Theresa May")."""
    found: list[tuple[int, int, str]] = []
    for m in calendar.shapes.finditer(text):
        start, end = _shape_span(m)
        if m.group("bare_year") and not (calendar.years_stand_alone or _ends_year_series(text, calendar, found, m)):
            continue
        if _AMBIGUOUS.fullmatch(text[start:end]) and any(s <= start and end <= e for s, e in other_entities):
            continue
        found.append((start, end, _rule_source(calendar, m)))
    return found


def _ends_year_series(text: str, calendar: _Calendar, found: list[tuple[int, int, str]], m: re.Match) -> bool:
    """Is this bare year the later end of "2010 and 2012", "с 2010 по 2012", right after a year found?"""
    if not found:
        return False
    start, end, _ = found[-1]
    previous = calendar.calendar_date.fullmatch(text, start, end)
    return bool(
        previous and previous.group("year3") and int(previous.group("year3")) < int(m.group("bare_year"))
        and calendar.joint.fullmatch(text, end, m.start())
    )


class _Context:
    def __init__(self, text: str, published: str | None, languages: tuple[str, ...], calendar: _Calendar):
        self.text, self.languages, self.calendar = text, languages, calendar
        self.base = iso_date(published)
        self.precision = _PRECISION[{4: "year", 7: "month"}.get(len(published[:10]), "day")] if self.base else -1

    def knows(self, granularity: str) -> bool:
        """Is the publication date precise enough for "yesterday" (day) or "last month" (month)?"""
        return self.precision >= _PRECISION[granularity]

    def ahead(self, start: int, end: int) -> bool:
        """Does the date's clause put it after publication ("will begin on Monday")? Only its own clause:
        in "the mission will continue, as agreed in February" February is behind."""
        return self._clause_says(self.calendar.future, start, end)

    def behind(self, start: int, end: int) -> bool:
        """Does the date's clause put it before publication ("entered into force on 1 January")?"""
        return self._clause_says(self.calendar.past, start, end)

    def _clause_says(self, words: re.Pattern | None, start: int, end: int) -> bool:
        if words is None:
            return False
        window = self.text[max(0, start - SENTENCE_WINDOW) : start]
        before = re.split(r"[.!?;]\s|\n|,\s", window)[-1].split()[-CLAUSE_WORDS:]
        if words.search(" ".join(before)):
            return True
        if len(before) > 2:
            return False
        after = re.split(r"[.!?]\s|\n", self.text[end : end + SENTENCE_WINDOW])[0]
        return bool(words.search(" ".join(after.split()[:WORDS_AFTER_OPENING_DATE])))


def _row(context: _Context, start: int, end: int, source: str, parsed: ParsedDate | None, last: ParsedDate | None = None) -> dict:
    return {
        "text": context.text[start:end], "resolved": parsed.iso if parsed else None, "resolved_end": last.iso if last else None,
        "granularity": parsed.granularity if parsed else None, "start": start, "end": end, "source": source,
    }


def _resolve(context: _Context, start: int, end: int, source: str) -> dict | None:
    """The row of one candidate: its date, a range it holds, or the date it ends with ("the end of 2002"
    -> "2002", "late October" -> "October"); None for a length of time, which counts has."""
    text = context.text[start:end]
    core = _LEADING.sub("", text.strip())
    core = _POSSESSIVE.sub("", core)
    if _DURATION.match(core) or _HYPHENATED_DURATION.fullmatch(core):
        return None
    offset = start + text.index(core)
    calendar = context.calendar
    if (calendar.vague and calendar.vague.search(core)) or _DECADE.search(core):
        return _row(context, start, end, source, None)
    inside = calendar.range_inside.fullmatch(core) if not _NUMERIC.fullmatch(core) else None
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
    """One date expression (no range): relative words, weekdays and calendar dates from the word lists,
    anything else through ``parse_date``."""
    calendar, base = context.calendar, context.base
    key = " ".join(core.casefold().split())
    if key in calendar.relative:
        granularity, offset = calendar.relative[key]
        return _shifted(base, granularity, offset) if context.knows(granularity) else None
    m = calendar.weekday.fullmatch(core)
    if m:
        return _weekday(context, m, start, end)
    m = calendar.named_month.fullmatch(core)
    if m:
        return _named_month(context, m)
    m = calendar.month_year.fullmatch(core)
    if m:
        if base is None:
            return None
        year = _shifted(base, *calendar.relative[" ".join(m.group("phrase").casefold().split())]).iso
        day, month, _ = _date_parts(m)
        return _calendar_date(context, day, month, year)
    m = calendar.calendar_date.fullmatch(core)
    if m:
        return _calendar_date(context, *_date_parts(m), span=(start, end))
    if not calendar.shapes.search(core):
        return None  # nothing of a calendar in it ("4 and", "the school year"): dateparser would still guess
    return parse_date(core, context.languages, base)


def _date_parts(m: re.Match) -> tuple[str | None, str | None, str | None]:
    """(day, month, year) of a ``calendar_date`` or ``month_year`` match."""
    parts = m.groupdict()
    return parts.get("day") or parts.get("day2"), parts.get("month") or parts.get("month2"), parts.get("year") or parts.get("year2") or parts.get("year3")


def _calendar_date(
    context: _Context, day: str | None, month: str | None, year: str | None, span: tuple[int, int] | None = None
) -> ParsedDate | None:
    """A date from its parts. Without a year, the occurrence nearest publication ("28 December" in an
    article of 5 January 2016 is 2015-12-28), or the next one when the clause at ``span`` speaks of the
    future ("to be presented on 4 December" in a January article), or the previous one when it speaks
    of the past ("entered into force on 1 January" in a July article)."""
    base = context.base
    number = context.calendar.months.get(month.casefold().rstrip(".")) if month else None
    if number is None:
        return ParsedDate(year, "year") if year else None
    if year is None and base is None:
        return None
    years = [int(year)] if year else [base.year - 1, base.year, base.year + 1]
    options = []
    for y in years:
        try:
            options.append(dt.date(y, number, int(day) if day else 1))
        except ValueError:  # 31 April, 29 February
            continue
    if not options:
        return None
    granularity = "day" if day else "month"
    if year:
        return _parsed(options[0], granularity)
    if day:
        found = min(options, key=lambda d: (abs((d - base).days), d > base))
    else:
        found = min(options, key=lambda d: (abs((d.year - base.year) * 12 + d.month - base.month), d > base))
    behind = found < base if day else (found.year, found.month) < (base.year, base.month)
    if behind and span and context.ahead(*span):
        found = next((d for d in options if d.year == found.year + 1), found)
    elif not behind and found != base and span and context.behind(*span) and not context.ahead(*span):
        found = next((d for d in options if d.year == found.year - 1), found)
    return _parsed(found, granularity, relative=True)


def _weekday(context: _Context, m: re.Match, start: int, end: int) -> ParsedDate | None:
    """A weekday in the week of publication: the one before it (or the day itself), or after it when
    the sentence speaks of the future; "next" / "last" Monday is never the publication day."""
    base = context.base
    if not context.knows("day"):
        return None
    target = context.calendar.weekdays[m.group("day").casefold()]
    modifier = (m.group("before") or m.group("after") or "").casefold()
    if modifier in context.calendar.next_words:
        delta = (target - base.weekday() - 1) % 7 + 1
    elif modifier in context.calendar.last_words:
        delta = -((base.weekday() - target - 1) % 7 + 1)
    elif context.ahead(start, end):
        delta = (target - base.weekday()) % 7
    else:
        delta = -((base.weekday() - target) % 7)
    return _parsed(base + dt.timedelta(days=delta), "day", relative=True)


def _named_month(context: _Context, m: re.Match) -> ParsedDate | None:
    """"last June": the latest June before the month of publication; "next March" the first after it."""
    base = context.base
    number = context.calendar.months.get(m.group("month").casefold().rstrip("."))
    if not context.knows("month") or number is None:
        return None
    if m.group("modifier").casefold() in context.calendar.next_words:
        return _shifted(base, "month", (number - base.month - 1) % 12 + 1)
    return _shifted(base, "month", -((base.month - number - 1) % 12 + 1))


def _shifted(base: dt.date, granularity: str, offset: int) -> ParsedDate:
    if granularity == "day":
        return _parsed(base + dt.timedelta(days=offset), "day", relative=True)
    if granularity == "month":
        year, month = divmod(base.year * 12 + base.month - 1 + offset, 12)
        return _parsed(dt.date(year, month + 1, 1), "month", relative=True)
    return _parsed(dt.date(base.year + offset, 1, 1), "year", relative=True)


def _parsed(d: dt.date, granularity: str, relative: bool = False) -> ParsedDate:
    iso = {"day": d.isoformat(), "month": d.strftime("%Y-%m"), "year": f"{d.year:04d}"}[granularity]
    return ParsedDate(iso, granularity, relative=relative)


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
        day, month, year = _date_parts(whole)
        first = _calendar_date(context, day, month, year or last.iso[:4])
        if first and not year and first.date > last.date:  # "28 December to 3 January 2016"
            first = _calendar_date(context, day, month, str(first.date.year - 1))
    if first is None or first.date >= last.date:
        return None
    conjunction = separator.strip().casefold() in calendar.conjunctions
    if conjunction and not opened and not _next_day(first, last):
        return None
    return first


def _completed_end(calendar: _Calendar, a: str, b: str) -> str:
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
    calendar, text = context.calendar, context.text
    out: list[dict] = []
    for row in rows:
        previous = out[-1] if out else None
        if previous and _names_its_weekday(calendar, text, previous, row):  # "Friday, 4 December": one date
            out[-1] = _row(context, previous["start"], row["end"], row["source"], ParsedDate(row["resolved"], row["granularity"]))
            continue
        if row["resolved_end"] is None:
            last = ParsedDate(row["resolved"], row["granularity"])
            joint = calendar.joint.fullmatch(text, previous["end"], row["start"]) if previous and previous["end"] <= row["start"] else None
            if joint:
                opener = calendar.opener_before.search(text, max(0, previous["start"] - 20), previous["start"])
                first = _range_start(context, _core(previous["text"]), _core(row["text"]), last, joint.group("sep"), bool(opener))
                if first:
                    out[-1] = _row(context, opener.start() if opener else previous["start"], row["end"], row["source"], first, last)
                    continue
            window_start = max(previous["end"] if previous else 0, row["start"] - RANGE_HEAD_WINDOW)
            head = calendar.range_head.search(text, window_start, row["start"])
            if head:
                first = _range_start(context, head.group("a"), _core(row["text"]), last, head.group("sep"), bool(head.group("open")))
                if first:
                    out.append(_row(context, head.start(), row["end"], row["source"], first, last))
                    continue
        if row["resolved_end"] and not _LEADING.match(row["text"]):
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


def _names_its_weekday(calendar: _Calendar, text: str, weekday: dict, row: dict) -> bool:
    """A weekday written right before a calendar date ("Friday, 4 December", "в пятницу, 4 декабря") is
    part of it; the written date decides the day."""
    return (
        weekday["resolved_end"] is None and row["resolved_end"] is None and row["granularity"] == "day"
        and weekday["end"] <= row["start"] and re.fullmatch(r",?\s*", text[weekday["end"] : row["start"]]) is not None
        and calendar.weekday.fullmatch(_core(weekday["text"])) is not None
    )


def _core(text: str) -> str:
    return _POSSESSIVE.sub("", _LEADING.sub("", text.strip()))


# ------------------------------------------------------------------------------------------ word lists


@lru_cache(maxsize=16)
def _calendar(vocabulary: Vocabulary, language: str) -> _Calendar:
    words, relative_words = vocabulary.calendar, vocabulary.relative_dates.get(language, {})
    never = r"(?!)"
    listed_months = {form.casefold(): form for forms in words["months"].get(language, []) for form in forms}
    months = {**month_names((language,)), **_numbered(words["months"].get(language, []), 1)}
    month = "|".join(_month_form(name, listed_months.get(name)) for name in sorted(months, key=len, reverse=True)) or never
    standalone_month = "|".join(_month_form(name, form) for name, form in sorted(listed_months.items(), key=lambda i: -len(i[0]))) or never
    weekdays = _numbered(words["weekdays"].get(language, []), 0)
    weekday = _spaced(weekdays) or never
    relative = {
        " ".join(phrase.casefold().split()): (granularity, offset)
        for granularity, phrases in relative_words.get("phrases", {}).items() for phrase, offset in phrases.items()
    }
    next_words, last_words = relative_words.get("next", []), relative_words.get("last", [])
    modifier = _spaced([*next_words, *last_words]) or never
    month_year_joiner = _optional_words(relative_words.get("month_year_joiners", []))
    relative_year = rf"{month_year_joiner}(?P<phrase>{_spaced(p for p, (g, _) in relative.items() if g == 'year') or never})"
    year_words = _spaced(words["year_words"].get(language, []))
    year_word = rf"(?:\s*(?:{year_words})(?!\w))?" if year_words else ""
    joiner = _optional_words(words["date_joiners"].get(language, []))
    day = rf"{DAY}{ORDINAL}\.?"
    day_after_month = language in words["day_after_month"]
    # Named groups for reading a date's parts; the same shapes unnamed for finding dates in text.
    calendar_date = (
        rf"(?:(?P<day>{DAY}){ORDINAL}\.?\s+{joiner})?(?P<month>{month})(?:,?\s+{joiner}(?P<year>{YEAR}){year_word})?"
        + (rf"|(?P<month2>{month})\.?\s+(?P<day2>{DAY}){ORDINAL}(?![.,]\d)(?:,?\s+(?P<year2>{YEAR}))?" if day_after_month else "")
        + rf"|(?P<year3>{YEAR}){year_word}"
    )
    month_year = (
        rf"(?:(?:(?P<day>{DAY}){ORDINAL}\.?\s+{joiner})?(?P<month>{month})"
        + (rf"|(?P<month2>{month})\.?\s+(?P<day2>{DAY}){ORDINAL}" if day_after_month else "")
        + rf")\s+{relative_year}"
    )
    weekday_phrase = rf"(?:(?P<before>{modifier})\s+)?(?P<day>{weekday})(?:\s+(?P<after>{modifier}))?"
    separators = words["range_separators"].get(language, [])
    conjunctions = words["range_conjunctions"].get(language, [])
    separator = _separator([*separators, *conjunctions])
    dashes = _spaced(s for s in separators if not s[:1].isalpha()) or never
    openers = _spaced(words["range_openers"].get(language, [])) or never
    year_cues = words["year_prepositions"].get(language, [])
    # Shapes starting at the same place are tried in this order: a range before its first date.
    shapes = [
        rf"(?:{_NUMERIC.pattern})(?![.,]\d)",
        _unnamed(month_year),
        rf"{day}\s+{joiner}(?:{month})(?:,?\s+{joiner}{YEAR}{year_word})?",
        rf"(?:{month})\s+{joiner}{YEAR}{year_word}",
        # "December 4-5, 2014": the one range written with its month first; "4-5 December" is joined from its parts.
        rf"(?:{month})\.?\s+{DAY}{ORDINAL}(?:{_separator(separators)}){DAY}{ORDINAL}(?![.,]\d)(?:,?\s+{YEAR})?" if day_after_month else never,
        rf"(?:{month})\.?\s+{DAY}{ORDINAL}(?![.,]\d)(?:,?\s+{YEAR})?" if day_after_month else never,
        rf"{YEAR}\s*(?:{dashes})\s*(?:{YEAR}|\d\d)(?![\d-]){year_word}",  # "the 2012-2014 programme", "2014-15"
        rf"{YEAR}\s*(?:{year_words})(?!\w)" if year_words else never,
        _spaced(relative) or never,
        _unnamed(weekday_phrase),
        rf"(?:{_before_year(year_cues)})(?P<year>{YEAR}{year_word})" if year_cues else never,
        rf"(?P<bare_year>{YEAR})(?![.,]\d)",
        standalone_month,
    ]
    return _Calendar(
        months=months,
        weekdays=weekdays,
        relative=relative,
        next_words=frozenset(w.casefold() for w in next_words),
        last_words=frozenset(w.casefold() for w in last_words),
        conjunctions=frozenset(w.casefold() for w in conjunctions),
        future=re.compile(rf"(?<!\w)(?:{_spaced(relative_words['future'])})(?!\w)", re.I) if relative_words.get("future") else None,
        past=re.compile(rf"(?<!\w)(?:{_spaced(relative_words['past'])})(?!\w)", re.I) if relative_words.get("past") else None,
        vague=re.compile(rf"(?<!\w)(?:{_spaced(relative_words['vague'])})(?!\w)", re.I) if relative_words.get("vague") else None,
        shapes=re.compile(rf"(?<![\w.,])(?:{'|'.join(shapes)}){_END}", re.I),
        years_stand_alone=not year_cues,
        calendar_date=re.compile(calendar_date, re.I),
        named_month=re.compile(rf"(?P<modifier>{modifier})\s+(?P<month>{month})", re.I),
        weekday=re.compile(weekday_phrase, re.I),
        month_year=re.compile(month_year, re.I),
        range_inside=re.compile(rf"(?:(?P<open>{openers})\s+)?(?P<a>.+?)(?P<sep>{separator})(?P<b>.+)", re.I),
        range_head=re.compile(
            rf"(?:(?<!\w)(?P<open>{openers})\s+)?(?<![\w.,])(?P<a>{day}|{month}|{YEAR}|{weekday})(?P<sep>{separator})$", re.I
        ),
        joint=re.compile(rf"(?P<sep>{separator})", re.I),
        opener_before=re.compile(rf"(?<!\w)(?:{openers})\s+$", re.I),
    )


def _month_form(name: str, listed: str | None) -> str:
    """A listed capitalised month is matched as written or in capitals ("May", "MAY"), never as the verb "may"."""
    if listed and listed[:1].isupper():
        return f"(?-i:{re.escape(listed)}|{re.escape(listed.upper())})"
    return re.escape(name)


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _before_year(cues: list[str]) -> str:
    """Cue words before a year with their space ("in 2012"); a cue ending in a hyphen is written on it ("mid-2015")."""
    spaced = _spaced(c for c in cues if not c.endswith("-"))
    joined = _spaced(c for c in cues if c.endswith("-"))
    return "|".join(([rf"(?:{spaced})\s+"] if spaced else []) + ([rf"(?:{joined})"] if joined else []))


def _optional_words(words: list[str]) -> str:
    return rf"(?:(?:{_spaced(words)})\s+)?" if words else ""


def _numbered(groups: list[list[str]], first: int) -> dict[str, int]:
    return {form.casefold(): number for number, forms in enumerate(groups, start=first) for form in forms}


def _separator(separators: list[str]) -> str:
    """A range separator with its spaces: a word needs them ("10 to 12"), a dash does not ("10-12")."""
    words = [s for s in separators if s[:1].isalpha()]
    marks = [s for s in separators if not s[:1].isalpha()]
    parts = [rf"\s+(?:{_spaced(words)})\s+"] if words else []
    if marks:
        parts.append(rf"\s*(?:{_spaced(marks)})\s*")
    return "|".join(parts) or r"(?!)"


def _rule_source(calendar: _Calendar, m: re.Match) -> str:
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


def _spaced(words) -> str:
    """Alternation of literal words, longest first; a space matches any whitespace."""
    return alternation(words, spaces=r"\s+")
