"""Dates: the one date grammar and year resolver, parsing of a cut-out date string, and datelines.

The grammar (``Calendar``, built per language by ``calendar_for`` from ``rules/vocabulary.toml``) finds
and reads every date written in text: the dates table's mentions (``nlp/date_mentions.py``) and the
visible dates the publication-date decision weighs (``published.py``, which also holds the structured
signals: JSON-LD, meta tags, the URL). Year-less dates resolve through one function,
``nearest_occurrence``, with the direction the sentence's verbs give when there is one.

dateparser is only ever given a short candidate string, with the page's languages and an explicit
``RELATIVE_BASE`` (the publication date), so results never depend on the day the pipeline runs.
Granularity is kept: "November 2010" is ``2010-11`` (month), never silently the 1st.
A day and month without a year ("22 July") resolve to the occurrence nearest the base date:
2010-07-22 in an article of 18 November 2010, 2015-12-28 for "28 December" in one of 5 January 2016,
2015-03-03 for "3 March" in one of 17 February 2015.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .nlp.vocabulary import alternation

ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|2[01]\d{2})(?!\d)")
_NUMERIC = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$")  # 01-11-2023 10:29
_TRAILING_YEAR_WORD = re.compile(r"\s*(?:г\.?|года|год|р\.|roku)\s*$", re.I)
MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True)
class ParsedDate:
    iso: str  # 2010-11-18 | 2010-11 | 2010
    granularity: str  # day | month | year
    ambiguous: bool = False  # digits that could be day/month or month/day
    relative: bool = False  # resolved against the base date (today, Monday, 22 July)

    @property
    def date(self) -> dt.date:
        return iso_date(self.iso)


def iso_date(iso: str | None) -> dt.date | None:
    """The first day an ISO date names ("2010-11" -> 2010-11-01): the base for relative expressions."""
    if not iso:
        return None
    parts = [int(p) for p in iso[:10].split("-")] + [1, 1]
    try:
        return dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def _as_parsed(d: dt.date, granularity: str, ambiguous: bool = False, relative: bool = False) -> ParsedDate:
    iso = {"day": d.isoformat(), "month": d.strftime("%Y-%m"), "year": f"{d.year:04d}"}[granularity]
    return ParsedDate(iso, granularity, ambiguous, relative)


@lru_cache(maxsize=64)
def _parser(languages: tuple[str, ...], base: dt.date | None, date_order: str | None):
    from dateparser.date import DateDataParser

    settings = {
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": False,
        "RELATIVE_BASE": dt.datetime.combine(base or dt.date(2000, 1, 1), dt.time()),
    }
    if date_order:
        settings["DATE_ORDER"] = date_order
    known = [lang for lang in languages if lang in _dateparser_languages()] or ["en"]
    return DateDataParser(languages=known, settings=settings)


@lru_cache(maxsize=1)
def _dateparser_languages() -> frozenset[str]:
    from dateparser.data.languages_info import language_order

    return frozenset(language_order)


def parse_date(
    text: str,
    languages: tuple[str, ...] | list[str] = ("en",),
    base: dt.date | None = None,
    date_order: str | None = None,
) -> ParsedDate | None:
    """Parse one date expression (not a sentence). None when it is not a date or too vague."""
    if not text or len(text) > 80:
        return None
    # The same expression is parsed by several steps (mentions, the dates table, metadata): parse once.
    return _parse_date(text, tuple(languages), base, date_order)


@lru_cache(maxsize=4096)
def _parse_date(text: str, languages: tuple[str, ...], base: dt.date | None, date_order: str | None) -> ParsedDate | None:
    text = _TRAILING_YEAR_WORD.sub("", text.strip())
    m = ISO_DATE.match(text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
        if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
            return None
        try:
            return _as_parsed(dt.date(year, month, int(day or 1)), "day" if day else "month")
        except ValueError:
            return None
    if re.fullmatch(r"\s*\d{4}\s*", text):
        year = int(text)
        return ParsedDate(f"{year:04d}", "year") if MIN_YEAR <= year <= MAX_YEAR else None
    ambiguous = False
    m = _NUMERIC.match(text)
    if m:
        first, second = int(m.group(1)), int(m.group(2))
        ambiguous = first <= 12 and second <= 12 and first != second
        date_order = date_order or "DMY"
    languages = tuple(languages) or ("en",)
    result = _parser(languages, base, date_order).get_date_data(text)
    if result.date_obj is None:
        return None
    found = result.date_obj.date()
    granularity = result.period if result.period in ("day", "month", "year") else "day"
    has_year = bool(_YEAR.search(text)) or bool(m)
    relative = not has_year
    if relative and base is None:
        return None  # "22 July" or "Monday" mean nothing without the article's date
    if relative and granularity in ("day", "month") and _names_acalendar_day(text):
        options = [o for o in (_same_day_in(found, year) for year in (base.year - 1, base.year, base.year + 1)) if o]
        found = nearest_occurrence(options, base, granularity) if options else found
    if not MIN_YEAR <= found.year <= MAX_YEAR:
        return None
    return _as_parsed(found, granularity, ambiguous, relative)


def parse_machine_date(value: str, languages: tuple[str, ...] | list[str] = ("en",)) -> ParsedDate | None:
    """A date written for software (a meta tag's content, a ``<time datetime>``): slashed digits follow
    the US order most software writes them in ("11/01/2023 12:43" is 1 November), dotted and dashed
    ones are day first."""
    value = value.strip()[:40]
    return _machine_day(value, tuple(languages)) or parse_date(
        value, languages, date_order="MDY" if _NUMERIC.match(value) and "/" in value else None
    )


# The common machine forms, read by the grammar before dateparser (which spends milliseconds on each):
# "2012/07/24T14:41:54+00:00", "2022-1-26T14:32:06+02:00", "2012-10-29T14:00EDT", "2022-05-03 13:32:45.0",
# "Wed, 04 May 2022 02:41:00 GMT", "July 31, 2012, 2:38 pm". The day is the one written: no time zone
# is converted (as dateparser does not).
_MACHINE_DAY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]\d{1,2}:\d{2}[\w:.+\- ]{0,30})?$")
_MACHINE_BEFORE = re.compile(r"[^\W\d_]{0,12}\.?,?\s?")  # a weekday: "Wed, "
_MACHINE_AFTER = re.compile(
    r"(?:,?\s(?:at\s)?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d{1,6})?\s?(?:[ap]\.?m\.?)?\s?(?:[a-z]{1,5}|[+-]\d{2}:?\d{2})?)?\s?", re.I
)


def _machine_day(value: str, languages: tuple[str, ...]) -> ParsedDate | None:
    m = _MACHINE_DAY.match(value)
    if m:
        return calendar_day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if not _YEAR.search(value):
        return None
    pattern, months = full_date_pattern(tuple(dict.fromkeys([*languages, "en"])))
    m = pattern.search(value)
    if m is None or not (m.group("mn") or m.group("mn2")):
        return None
    if _MACHINE_BEFORE.fullmatch(value[: m.start()]) and _MACHINE_AFTER.fullmatch(value[m.end() :]):
        return read_full_date(m, months)
    return None


def _same_day_in(found: dt.date, year: int) -> dt.date | None:
    try:
        return found.replace(year=year)
    except ValueError:  # 29 February
        return None


def _names_acalendar_day(text: str) -> bool:
    """'22 July', 'March' (not 'today', 'Monday', 'last week'): a day/month whose year we must choose."""
    return bool(re.search(r"\d", text)) or not re.search(r"(?i)day|week|yesterday|today|tomorrow|ago|last|next|this|сегодня|вчера|недел", text)


# --------------------------------------------------------------------------------------- datelines

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁІЇЄЎ"
_PLACE = rf"[{_UPPER}](?:[{_UPPER}'’.\- ]*[{_UPPER}]\.?)?"
_PLACES = rf"(?P<places>(?:{_PLACE})(?:\s*/\s*(?:{_PLACE}))*)"  # VIENNA | YEREVAN / BAKU | VIENNA/THE HAGUE
_DASH = r"(?:-{1,2}|–|—)"
_DATELINE = re.compile(
    rf"""^\s*{_PLACES}
    (?:\s*,\s*(?P<region>[{_UPPER}][^\W\d_]+(?:\s[{_UPPER}][^\W\d_]+)?))?  # OSH, Kyrgyzstan, ...
    \s*,\s*
    (?P<date>[^\n–—()]{{3,40}}?)                        # 18 November 2010 | 18 ноября 2010 г. | 30 June
    \s*(?:\((?P<agency>[^)\n]{{1,30}})\))?              # (OSCE)
    \s*{_DASH}\s*""",
    re.X,
)
# The date after the dash: "TIRANA / BRUSSELS / GENEVA – 6 October 2020. The Co-Chairs ..."
_DATELINE_DATE_AFTER_DASH = re.compile(rf"^\s*{_PLACES}\s*{_DASH}\s*(?P<date>[^\n.–—]{{3,40}}?)\s*[.:]\s+")


@dataclass(frozen=True)
class Dateline:
    places: list[str]  # as written: ["YEREVAN", "BAKU"]
    date: ParsedDate | None  # None when the dateline gives no year and there is no date to complete it from
    date_text: str
    end: int  # offset just past the dash and its spaces
    region: str | None = None  # a region or country written after the place ("OSH, Kyrgyzstan, ...")


def parse_dateline(paragraph: str, languages: tuple[str, ...] | list[str] = ("en",), base: dt.date | None = None) -> Dateline | None:
    """The dateline opening a body ("VIENNA, 18 November 2010 - "), or None when there is none.

    A date without a year ("WARSAW/VIENNA, 30 June – ") takes its year from ``base`` (the page's own
    date, when it has one); without it, the dateline keeps its places and no date, rather than a year
    guessed from the day the pipeline runs.
    """
    head = paragraph[:160]
    for pattern in (_DATELINE, _DATELINE_DATE_AFTER_DASH):
        m = pattern.match(head)
        if not m:
            continue
        places = [p.strip() for p in m.group("places").split("/") if p.strip()]
        if not places or any(not _looks_like_place(p) for p in places):
            continue
        date_text = m.group("date").strip()
        has_year = bool(_YEAR.search(date_text))
        parsed = parse_date(date_text, languages, base) if has_year or base is not None else None
        if parsed is None and (has_year or not _is_day_and_month(date_text, languages)):
            continue
        region = m.groupdict().get("region")
        return Dateline(places, parsed, date_text, m.end(), region)
    return None


def _is_day_and_month(text: str, languages: tuple[str, ...] | list[str]) -> bool:
    """"30 June", "June 30", "18 ноября": a date once it has a year (tried with a fixed one)."""
    return bool(re.search(r"\d", text)) and parse_date(f"{text} 2000", languages) is not None


def _looks_like_place(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# --------------------------------------------------------------------------------------- rules

RULES_FILE = Path(__file__).parent / "rules" / "dates.toml"


@dataclass(frozen=True)
class DateRules:
    """How pages mark their dates (``rules/dates.toml``), compiled."""

    meta_published: tuple[str, ...]
    meta_modified: tuple[str, ...]
    meta_image: tuple[str, ...]
    json_ld_published: tuple[str, ...]
    json_ld_modified: tuple[str, ...]
    page_types: frozenset[str]
    script_published: tuple[str, ...]
    script_date: re.Pattern  # "publishedDate": "2016-11-04T20:37:27Z" (or with escaped quotes) in a script's data
    marks: re.Pattern
    publication_marks: re.Pattern
    not_marks: frozenset[str]
    elsewhere: re.Pattern
    elsewhere_tags: frozenset[str]
    cues: re.Pattern  # named groups ``updated`` / ``published`` / ``other``
    byline: re.Pattern  # what may stand between a cue and its date: "by Anna Weber on"


def load_date_rules(path: Path | str | None = None) -> DateRules:
    """The date rules of a rules folder (or of a ``dates.toml`` file); the package's by default. Cached by
    the file's content, not its path: an edited file is seen at once."""
    path = Path(path) if path else RULES_FILE
    return _compile_rules((path / "dates.toml" if path.is_dir() else path).read_text("utf-8"))


@lru_cache(maxsize=4)
def _compile_rules(text: str) -> DateRules:
    import tomllib

    data = tomllib.loads(text)
    meta, json_ld, visible = data["meta"], data["json_ld"], data["visible"]
    return DateRules(
        meta_published=tuple(k.lower() for k in meta["published"]),
        meta_modified=tuple(k.lower() for k in meta["modified"]),
        meta_image=tuple(k.lower() for k in meta["image"]),
        json_ld_published=tuple(json_ld["published"]),
        json_ld_modified=tuple(json_ld["modified"]),
        page_types=frozenset(json_ld["page_types"]),
        script_published=tuple(data["script"]["published"]),
        script_date=re.compile(
            rf'\\?"({"|".join(map(re.escape, data["script"]["published"]))})\\?"\s*:\s*\\?"(\d{{4}}-\d\d-\d\d[^"\\]{{0,30}})'
        ),
        marks=_alternation(visible["marks"]),
        publication_marks=_alternation(visible["publication_marks"]),
        not_marks=frozenset(token.lower() for token in visible["not_marks"]),
        elsewhere=_alternation(visible["elsewhere"]),
        elsewhere_tags=frozenset(visible["elsewhere_tags"]),
        cues=re.compile(
            rf"(?<![^\W\d_])(?:(?P<updated>{_words(visible['updated_cues'])})|(?P<published>{_words(visible['published_cues'])})"
            rf"|(?P<other>{_words(visible['other_cues'])}))(?![^\W\d_])",
            re.I,
        ),
        byline=re.compile(
            rf"^[\s:,.\-–—|·/]*(?:{_words(visible['byline_words'])})(?:\s+[^\s\d]+){{1,{MAX_BYLINE_WORDS}}}\s*$", re.I
        ),
    )


MAX_BYLINE_WORDS = 6  # a name or "the OSCE", then "on" or a weekday


def _words(words: list[str]) -> str:
    return alternation(words, spaces=r"\s+")


def _alternation(words: list[str]) -> re.Pattern:
    return re.compile(_words(words), re.I)



# --------------------------------------------------------------------------------------- full dates in page text


def full_date_pattern(languages: tuple[str, ...], vocabulary=None) -> tuple[re.Pattern, dict[str, int]]:
    """The grammar's full dates (day, month and year; numeric dates) for scanning a whole page in
    several languages at once, and month name -> number: the months of each language's ``Calendar``
    (dateparser's names without a vocabulary)."""
    return _full_date_pattern(tuple(languages), vocabulary)


@lru_cache(maxsize=32)
def _full_date_pattern(languages: tuple[str, ...], vocabulary) -> tuple[re.Pattern, dict[str, int]]:
    if vocabulary is None:
        months = month_names(languages)
    else:
        months = {}
        for language in languages:
            for name, number in calendar_for(vocabulary, language).months.items():
                if len(name) >= 3 and name.isalpha():
                    months.setdefault(name, number)
    names = "|".join(re.escape(n) for n in sorted(months, key=len, reverse=True))
    pattern = re.compile(
        rf"""(?<![\d.])(?P<d>[0-3]?\d)(?:\.|st|nd|rd|th|er|º)?\s?(?:de\s|of\s)?(?P<mn>{names})\.?(?![^\W\d_]),?\s?(?:de\s)?(?P<y>(?:19|20)\d\d)(?!\d)
        |(?<![^\W\d_])(?P<mn2>{names})\.?(?![^\W\d_])\s?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?,?\s(?P<y2>(?:19|20)\d\d)(?!\d)
        |(?<![\d.])(?P<y3>(?:19|20)\d\d)(?P<s3>[-/.])(?P<m3>[01]?\d)(?P=s3)(?P<d3>[0-3]?\d)(?![\d])
        |(?<![\d.])(?P<a>[0-3]?\d)(?P<s4>[./-])(?P<b>[0-3]?\d)(?P=s4)(?P<y4>(?:19|20)\d\d|\d\d)(?!\d|\.\d)""",
        re.I | re.X,
    )
    return pattern, months


@lru_cache(maxsize=32)
def month_names(languages: tuple[str, ...]) -> dict[str, int]:
    """Month names dateparser knows for the languages (casefolded, at least three letters) -> number."""
    from dateparser.languages.loader import default_loader

    keys = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
    out: dict[str, int] = {}
    for language in languages:
        if language not in _dateparser_languages():
            continue
        info = default_loader.get_locale(language).info
        for number, key in enumerate(keys, start=1):
            for name in info.get(key, []):
                name = name.casefold().rstrip(".")
                if len(name) >= 3 and name.isalpha():
                    out.setdefault(name, number)
    return out


_TWO_DIGIT_YEAR_PIVOT = 50  # "31.10.23" is 2023, "12.05.98" is 1998


def read_full_date(m: re.Match, months: dict[str, int]) -> ParsedDate | None:
    """The date a ``full_date_pattern`` match names; slashed digits day first (``ambiguous`` when
    both could be a month) until the page shows otherwise."""
    if m.group("mn") or m.group("mn2"):
        name = (m.group("mn") or m.group("mn2")).casefold()
        month = months.get(name)
        day, year = (m.group("d"), m.group("y")) if m.group("mn") else (m.group("d2"), m.group("y2"))
        return calendar_day(int(year), month, int(day)) if month else None
    if m.group("y3"):
        return calendar_day(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
    first, second, year = int(m.group("a")), int(m.group("b")), m.group("y4")
    separator = m.group("s4")
    if len(year) == 2:
        if separator == "-":
            return None  # "12-05-18" is as often a range or a code as a date
        year_number = 2000 + int(year) if int(year) < _TWO_DIGIT_YEAR_PIVOT else 1900 + int(year)
    else:
        year_number = int(year)
    if separator == "." or first > 12:
        return calendar_day(year_number, second, first)
    if second > 12:
        return calendar_day(year_number, first, second)
    parsed = calendar_day(year_number, second, first)  # day first until the page shows otherwise
    return ParsedDate(parsed.iso, "day", ambiguous=first != second) if parsed else None


def calendar_day(year: int, month: int, day: int) -> ParsedDate | None:
    try:
        return _as_parsed(dt.date(year, month, day), "day")
    except ValueError:
        return None


def swap_day_month(parsed: ParsedDate) -> ParsedDate | None:
    d = parsed.date
    try:
        return ParsedDate(dt.date(d.year, d.day, d.month).isoformat(), "day", ambiguous=True)
    except ValueError:
        return None


# --------------------------------------------------------------------------------------- the calendar grammar
# One grammar for every date the pipeline reads in text: the dates table's mentions (nlp/date_mentions.py),
# labelled fields and visible dates of the publication-date decision (published.py). Word lists come from
# ``rules/vocabulary.toml`` ([calendar], [relative_dates]) and dateparser's month names; shapes are built
# here once per language.

PAST, FUTURE = "past", "future"
_NUMERIC_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}")
YEAR = r"(?:1[89]|20)\d\d"
_END = r"(?!\w)(?!-[^\W\d_])"  # a whole word, and not a decade ("1990-х", "1990-e")
DAY = r"(?:[12]\d|3[01]|0?[1-9])"
ORDINAL = r"(?:st|nd|rd|th|er|º)?"  # 1st, 1er, 1º
SENTENCE_WINDOW = 300  # characters searched back for the start of a date's sentence
OPENING_WORDS = 3  # a date with at most this many words before it in its sentence opens it ("In Bratislava on Monday")
WORDS_AFTER_OPENING_DATE = 8  # "On Monday, the delegation will travel": the verb comes after the date
PAST_WORDS_FOR_A_DAY = 4  # a past verb this close to a year-less day or month puts it before publication
AUXILIARY_WORDS = 3  # "will be held": a future word this close before a past participle makes it future
# A word that only looks past by its ending ("-ed") this close after a future word is a participle or an
# adjective of the future clause ("will redeem 9.5 million Series H preferred shares on Oct. 31")
FUTURE_CLAUSE_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?;:]\s|\n")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_UNIT_DAYS = {"day": 1, "week": 7}


@dataclass(frozen=True)
class Calendar:
    """The calendar grammar of one language, compiled from its word lists."""

    language: str
    months: dict[str, int]  # casefolded name -> 1..12
    weekdays: dict[str, int]  # casefolded name -> 0 (Monday)..6
    relative: dict[str, tuple[str, int]]  # casefolded phrase -> (granularity, offset) from publication
    anaphoric: dict[str, tuple[str, int]]  # casefolded phrase -> (granularity, offset) from the date before it
    numbers: dict[str, int]  # number words ("five" -> 5) for "five years ago"
    units: dict[str, str]  # unit word -> day | week | month | year
    next_words: frozenset[str]
    last_words: frozenset[str]
    conjunctions: frozenset[str]
    edges: dict[str, str]  # "the end of" -> end | start | middle
    future: re.Pattern | None
    past: re.Pattern | None  # words that put a clause behind publication ("was held", "entered into force")
    past_form: re.Pattern | None  # fullmatch: a word in a past form by its ending ("signed", "открылись")
    vague: re.Pattern | None
    clause_openers: frozenset[str]  # words opening a clause of their own ("which", "that"): the search for a verb stops there
    adjective_markers: frozenset[str]  # a past form right after one is an adjective ("the reduced dividend is payable Jan. 2")
    shapes: re.Pattern  # every explicit date expression; a ``bare_year`` match still needs a cue
    shape_starts: frozenset[str] | None  # casefolded words a shape can open with (see ``find_shapes``)
    years_stand_alone: bool  # a year without a cue word is a date (languages without year_prepositions)
    calendar_date: re.Pattern  # fullmatch: day / month / year, in either order
    weekday: re.Pattern  # fullmatch: a weekday, maybe with next / last and a part of the day
    named_month: re.Pattern  # fullmatch: next / last and a month ("last June")
    month_year: re.Pattern  # fullmatch: a month (and day) in a relative year ("января этого года")
    shifted: re.Pattern  # fullmatch: a number of units before or after ("five years ago", "two weeks later")
    edge: re.Pattern  # fullmatch: the end / start / middle of a month or of the year ("the end of March")
    range_inside: re.Pattern  # fullmatch: opener? A separator B
    range_head: re.Pattern  # search, anchored at the end: opener? A separator (before a date)
    joint: re.Pattern  # fullmatch: the text between two dates that makes them a range
    opener_before: re.Pattern  # search, anchored at the end

    def direction(self, text: str, start: int, end: int, past_within: int | None = None) -> str | None:
        """PAST or FUTURE when the verbs of the sentence around ``text[start:end]`` place it before or
        after publication, else None. The verb nearest before the date decides ("the Commission would
        publish ... on Thursday", "monitors had been denied passage since Sunday"); a past form right
        after a future word is future ("will be held"); a date opening its sentence takes the first verb
        after it ("On Monday, the delegation will travel", "во вторник в области открылись ...").
        ``past_within``: a past verb counts only this many words from the date ("declared a dividend,
        payable Dec. 15" is no past date; "the contract expired on 31 March" is)."""
        window = text[max(0, start - SENTENCE_WINDOW) : start]
        before = _WORD.findall(_SENTENCE_END.split(window)[-1])
        found = self._last_marker(before)
        if found is not None:
            tense, at = found
            return None if tense == PAST and past_within is not None and len(before) - at > past_within else tense
        if len(before) > OPENING_WORDS:
            return None
        after = _WORD.findall(_SENTENCE_END.split(text[end : end + SENTENCE_WINDOW])[0])[:WORDS_AFTER_OPENING_DATE]
        for i in range(1, len(after) + 1):
            found = self._last_marker(after[:i])
            if found is not None:
                tense, at = found
                return None if tense == PAST and past_within is not None and at >= past_within else tense
        return None

    def _last_marker(self, words: list[str]) -> tuple[str, int] | None:
        """The tense of the last verb in ``words`` and its position: future words may span words ("is to", "plans to")."""
        for i in range(len(words) - 1, -1, -1):
            for length in (3, 2, 1):
                if i - length + 1 < 0:
                    continue
                phrase = " ".join(words[i - length + 1 : i + 1])
                if self.future is not None and self.future.fullmatch(phrase):
                    return FUTURE, i
                if self.past is not None and self.past.fullmatch(phrase):
                    return self._unless_auxiliary(words, i - length + 1), i
            if words[i].casefold() in self.clause_openers:
                return None  # "contracts, which expire at the end of June": the verb of another clause is no evidence
            # A capitalised word is a name or a title ("Forced to Offend"), not a verb in a past form.
            if self.past_form is not None and words[i][:1].islower() and self.past_form.fullmatch(words[i]) \
                    and not (i and words[i - 1].casefold() in self.adjective_markers):
                return self._unless_auxiliary(words, i, FUTURE_CLAUSE_WORDS), i
        return None

    def _unless_auxiliary(self, words: list[str], i: int, within: int = AUXILIARY_WORDS) -> str:
        before = words[max(0, i - within) : i]
        for j in range(len(before) - 1, -1, -1):
            if before[j].casefold() in self.clause_openers:
                before = before[j + 1 :]  # "will review the contracts that expired": another clause's verb
                break
        for j in range(len(before)):
            for length in (1, 2):
                phrase = " ".join(before[j : j + length])
                if len(before[j : j + length]) == length and self.future is not None and self.future.fullmatch(phrase):
                    return FUTURE
        return PAST


def calendar_date_parts(m: re.Match) -> tuple[str | None, str | None, str | None]:
    """(day, month, year) of a ``calendar_date``, ``month_year`` or ``edge`` match."""
    parts = m.groupdict()
    return parts.get("day") or parts.get("day2"), parts.get("month") or parts.get("month2"), parts.get("year") or parts.get("year2") or parts.get("year3")


def nearest_occurrence(options: list[dt.date], base: dt.date, granularity: str, direction: str | None = None) -> dt.date:
    """The one year resolver: of the same day or month in different years, the one nearest ``base``
    ("28 December" in an article of 5 January 2016 is 2015-12-28); with a direction, the nearest on
    that side of it (the same day or month counts on both sides)."""
    def distance(d: dt.date) -> int:
        return abs((d - base).days) if granularity == "day" else abs((d.year - base.year) * 12 + d.month - base.month)

    def side(d: dt.date) -> int:  # -1 before base, 0 the same day or month, 1 after
        a, b = (d, base) if granularity == "day" else ((d.year, d.month), (base.year, base.month))
        return (a > b) - (a < b)

    if direction is not None:
        wanted = [d for d in options if side(d) in ((0, -1) if direction == PAST else (0, 1))]
        options = wanted or options
    return min(options, key=lambda d: (distance(d), d > base))


def resolve_date_parts(
    calendar: Calendar, day: str | None, month: str | None, year: str | None, base: dt.date | None, direction: str | None = None
) -> ParsedDate | None:
    """A date from its written parts. Without a year, the occurrence ``nearest_occurrence`` picks."""
    number = calendar.months.get(month.casefold().rstrip(".")) if month else None
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
        return _as_parsed(options[0], granularity)
    return _as_parsed(nearest_occurrence(options, base, granularity, direction), granularity, relative=True)


def resolve_weekday(calendar: Calendar, m: re.Match, base: dt.date, direction: str | None) -> ParsedDate:
    """A weekday in the week of publication: the one before it (or the day itself), or after it when
    the sentence speaks of the future; "next" / "last" Monday is never the publication day."""
    target = calendar.weekdays[m.group("day").casefold()]
    modifier = (m.group("before") or m.group("after") or "").casefold()
    if modifier in calendar.next_words:
        delta = (target - base.weekday() - 1) % 7 + 1
    elif modifier in calendar.last_words:
        delta = -((base.weekday() - target - 1) % 7 + 1)
    elif direction == FUTURE:
        delta = (target - base.weekday()) % 7
    else:
        delta = -((base.weekday() - target) % 7)
    return _as_parsed(base + dt.timedelta(days=delta), "day", relative=True)


def resolve_named_month(calendar: Calendar, m: re.Match, base: dt.date) -> ParsedDate | None:
    """"last June": the latest June before the month of publication; "next March" the first after it."""
    number = calendar.months.get(m.group("month").casefold().rstrip("."))
    if number is None:
        return None
    if m.group("modifier").casefold() in calendar.next_words:
        return shifted(base, "month", (number - base.month - 1) % 12 + 1)
    return shifted(base, "month", -((base.month - number - 1) % 12 + 1))


def resolve_shifted(calendar: Calendar, m: re.Match, base: dt.date) -> ParsedDate | None:
    """"five years ago" -> the year five before ``base``, "two weeks ago" -> the day 14 before, "a month
    later" -> the month after; at the granularity of the unit."""
    amount = m.group("amount").casefold()
    number = int(amount) if amount.isdigit() else calendar.numbers.get(amount, 1 if amount in ("a", "an", "one") else 0)
    unit = calendar.units.get(m.group("unit").casefold())
    if not number or unit is None:
        return None
    sign = -1 if m.group("back") else 1
    if unit in _UNIT_DAYS:
        return shifted(base, "day", sign * number * _UNIT_DAYS[unit])
    return shifted(base, unit, sign * number)


def resolve_edge(calendar: Calendar, m: re.Match, base: dt.date | None, direction: str | None) -> ParsedDate | None:
    """"the end of March" is March, "early November" November (their year as for a month alone); "the
    end of the year" is December of the year of ``base``, "the beginning of the year" its January."""
    edge = calendar.edges.get(" ".join(m.group("edge").casefold().split()))
    if m.group("month"):
        return resolve_date_parts(calendar, None, m.group("month"), m.group("year"), base, direction)
    if base is None or edge == "middle":
        return None
    return _as_parsed(dt.date(base.year, 12 if edge == "end" else 1, 1), "month", relative=True)


def shifted(base: dt.date, granularity: str, offset: int) -> ParsedDate:
    if granularity == "day":
        return _as_parsed(base + dt.timedelta(days=offset), "day", relative=True)
    if granularity == "month":
        year, month = divmod(base.year * 12 + base.month - 1 + offset, 12)
        return _as_parsed(dt.date(year, month + 1, 1), "month", relative=True)
    return _as_parsed(dt.date(base.year + offset, 1, 1), "year", relative=True)


@lru_cache(maxsize=16)
def calendar_for(vocabulary, language: str) -> Calendar:
    """The grammar of ``language`` from a run's vocabulary (``Resources.vocabulary``); built once per
    vocabulary object, so an edited rule file (a new ``Resources``) is compiled anew."""
    words, relative_words = vocabulary.calendar, vocabulary.relative_dates.get(language, {})
    never = r"(?!)"
    listed_months = {form.casefold(): form for forms in words["months"].get(language, []) for form in forms}
    months = {**month_names((language,)), **_numbered(words["months"].get(language, []), 1)}
    month = "|".join(_month_form(name, listed_months.get(name)) for name in sorted(months, key=len, reverse=True)) or never
    standalone_month = "|".join(_month_form(name, form) for name, form in sorted(listed_months.items(), key=lambda i: -len(i[0]))) or never
    weekdays = _numbered(words["weekdays"].get(language, []), 0)
    weekday = _spaced(weekdays) or never
    relative = _phrases(relative_words.get("phrases", {}))
    anaphoric = _phrases(relative_words.get("anaphoric", {}))
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
    day_parts = _spaced(relative_words.get("day_parts", []))
    weekday_phrase = (
        rf"(?:(?P<before>{modifier})\s+)?(?P<day>{weekday})(?:\s+(?P<after>{modifier}))?"
        + (rf"(?:\s+(?:{day_parts}))?" if day_parts else "")
    )
    numbers = {  # whole numbers only: "полтора года назад" is no calendar year
        form.casefold(): int(value) for value, forms in vocabulary.counts.get("number_words", {}).items() if value.isdigit() for form in forms
    }
    units = {form.casefold(): unit for unit, forms in relative_words.get("units", {}).items() for form in forms}
    amount = _spaced([*numbers, "a", "an"]) if language == "en" else _spaced(numbers)
    ago = _spaced(relative_words.get("ago", []))
    shifted_phrase = (
        rf"(?P<amount>\d{{1,3}}|{amount})[\s-]+(?P<unit>{_spaced(units)})\s+(?P<back>{ago})" if units and ago else never
    )
    edges = {" ".join(w.casefold().split()): kind for kind, forms in relative_words.get("edges", {}).items() for w in forms}
    edge_years = _spaced(relative_words.get("edge_years", []))
    edge_phrase = (
        rf"(?P<edge>{_spaced(edges)})\s*(?:(?P<month>{month})(?:,?\s+(?P<year>{YEAR}))?" + (rf"|(?:{edge_years})" if edge_years else "") + ")"
        if edges else never
    )
    named_month = rf"(?P<modifier>{modifier})\s+(?P<month>{month})"
    separators = words["range_separators"].get(language, [])
    conjunctions = words["range_conjunctions"].get(language, [])
    separator = _separator([*separators, *conjunctions])
    dashes = _spaced(s for s in separators if not s[:1].isalpha()) or never
    openers = _spaced(words["range_openers"].get(language, [])) or never
    year_cues = words["year_prepositions"].get(language, [])
    # Shapes starting at the same place are tried in this order: a range before its first date.
    shapes = [
        rf"(?:{_NUMERIC_DATE.pattern})(?![.,]\d)",
        _unnamed(month_year),
        _unnamed(edge_phrase),
        _unnamed(shifted_phrase),
        rf"{day}\s+{joiner}(?:{month})(?:,?\s+{joiner}{YEAR}{year_word})?",
        rf"(?:{month})\s+{joiner}{YEAR}{year_word}",
        # "December 4-5, 2014": the one range written with its month first; "4-5 December" is joined from its parts.
        rf"(?:{month})\.?\s+{DAY}{ORDINAL}(?:{_separator(separators)}){DAY}{ORDINAL}(?![.,]\d)(?:,?\s+{YEAR})?" if day_after_month else never,
        rf"(?:{month})\.?\s+{DAY}{ORDINAL}(?![.,]\d)(?:,?\s+{YEAR})?" if day_after_month else never,
        rf"{YEAR}\s*(?:{dashes})\s*(?:{YEAR}|\d\d)(?![\d-]){year_word}",  # "the 2012-2014 programme", "2014-15"
        rf"{YEAR}\s*(?:{year_words})(?!\w)" if year_words else never,
        _spaced([*relative, *anaphoric]) or never,
        _unnamed(weekday_phrase),
        _unnamed(named_month),
        rf"(?:{_before_year(year_cues)})(?P<year>{YEAR}{year_word})" if year_cues else never,
        rf"(?P<bare_year>{YEAR})(?![.,]\d)",
        standalone_month,
    ]
    return Calendar(
        language=language,
        months=months,
        weekdays=weekdays,
        relative=relative,
        anaphoric=anaphoric,
        numbers=numbers,
        units=units,
        next_words=frozenset(w.casefold() for w in next_words),
        last_words=frozenset(w.casefold() for w in last_words),
        conjunctions=frozenset(w.casefold() for w in conjunctions),
        edges=edges,
        future=_words_pattern(relative_words.get("future")),
        past=_words_pattern(relative_words.get("past")),
        past_form=_past_form(relative_words),
        vague=re.compile(rf"(?<!\w)(?:{_spaced(relative_words['vague'])})(?!\w)", re.I) if relative_words.get("vague") else None,
        clause_openers=frozenset(w.casefold() for w in relative_words.get("clause_openers", [])),
        adjective_markers=frozenset(w.casefold() for w in relative_words.get("adjective_markers", [])),
        shapes=re.compile(rf"(?<![\w.,])(?:{'|'.join(shapes)}){_END}", re.I),
        shape_starts=_first_words(
            [*months, *listed_months, *weekdays, *next_words, *last_words, *relative, *anaphoric, *edges, *numbers, "a", "an", *year_cues]
        ),
        years_stand_alone=not year_cues,
        calendar_date=re.compile(calendar_date, re.I),
        named_month=re.compile(named_month, re.I),
        weekday=re.compile(weekday_phrase, re.I),
        month_year=re.compile(month_year, re.I),
        shifted=re.compile(shifted_phrase, re.I),
        edge=re.compile(edge_phrase, re.I),
        range_inside=re.compile(rf"(?:(?P<open>{openers})\s+)?(?P<a>.+?)(?P<sep>{separator})(?P<b>.+)", re.I),
        range_head=re.compile(
            rf"(?:(?<!\w)(?P<open>{openers})\s+)?(?<![\w.,])(?P<a>{day}|{month}|{YEAR}|{weekday})(?P<sep>{separator})$", re.I
        ),
        joint=re.compile(rf"(?P<sep>{separator})", re.I),
        opener_before=re.compile(rf"(?<!\w)(?:{openers})\s+$", re.I),
    )


def _phrases(table: dict) -> dict[str, tuple[str, int]]:
    return {" ".join(p.casefold().split()): (granularity, offset) for granularity, phrases in table.items() for p, offset in phrases.items()}


def _words_pattern(words: list[str] | None) -> re.Pattern | None:
    """Fullmatch pattern of a word list (a phrase's words separated by single spaces)."""
    return re.compile(rf"(?:{alternation(words, spaces=' ')})", re.I) if words else None


def _past_form(relative_words: dict) -> re.Pattern | None:
    """A word in a past form by its ending ("signed", "adopted"; "открылись", "прошла"), long enough not
    to be a short word that merely ends so, and not one of the listed exceptions ("hundred", "indeed")."""
    endings = relative_words.get("past_endings")
    if not endings:
        return None
    exceptions = relative_words.get("not_past", [])
    excluded = rf"(?!(?:{alternation(exceptions)})$)" if exceptions else ""
    return re.compile(rf"{excluded}[^\W\d_]{{3,}}(?:{alternation(endings)})", re.I)


def find_shapes(calendar: Calendar, text: str) -> Iterator[re.Match]:
    """``calendar.shapes.finditer(text)``, tried only where a number or a word a shape can open with
    starts. The full pattern is a long alternation tried at every word, which makes it the dearest
    regex of the entity step; nearly all words open no date, and a set lookup says so."""
    if calendar.shape_starts is None:
        yield from calendar.shapes.finditer(text)
        return
    end = 0
    for word in _SHAPE_OPENING.finditer(text):
        start = word.start()
        if start < end or not (word.group()[0].isdigit() or word.group().casefold() in calendar.shape_starts):
            continue
        m = calendar.shapes.match(text, start)
        if m is not None:
            end = m.end()
            yield m


_SHAPE_OPENING = re.compile(r"(?<![\w.,])\w+")  # where ``shapes`` can start: its lookbehind, then a word


def _first_words(phrases: list[str]) -> frozenset[str] | None:
    """The casefolded first words of the phrases that open date shapes (None when one opens with no word,
    so ``find_shapes`` cannot gate)."""
    out = set()
    for phrase in phrases:
        first = re.match(r"\w+", phrase.casefold())
        if first is None:
            return None
        out.add(first.group())
    return frozenset(out)


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


def _spaced(words) -> str:
    """Alternation of literal words, longest first; a space matches any whitespace."""
    return alternation(words, spaces=r"\s+")
