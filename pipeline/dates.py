"""Dates: parse a cut-out date string, read datelines, and find a page's publication date.

dateparser is only ever given a short candidate string, with the page's languages and an explicit
``RELATIVE_BASE`` (the publication date), so results never depend on the day the pipeline runs.
Granularity is kept: "November 2010" is ``2010-11`` (month), never silently the 1st.
A day and month without a year ("22 July") resolve to the occurrence nearest the base date:
2010-07-22 in an article of 18 November 2010, 2015-12-28 for "28 December" in one of 5 January 2016,
2015-03-03 for "3 March" in one of 17 February 2015.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

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
    if relative and granularity in ("day", "month") and _names_a_calendar_date(text):
        found = _nearest_occurrence(found, base)
    if not MIN_YEAR <= found.year <= MAX_YEAR:
        return None
    return _as_parsed(found, granularity, ambiguous, relative)


def parse_machine_date(value: str, languages: tuple[str, ...] | list[str] = ("en",)) -> ParsedDate | None:
    """A date written for software (a meta tag's content, a ``<time datetime>``): slashed digits follow
    the US order most software writes them in ("11/01/2023 12:43" is 1 November), dotted and dashed
    ones are day first."""
    value = value.strip()[:40]
    return parse_date(value, languages, date_order="MDY" if _NUMERIC.match(value) and "/" in value else None)


def _names_a_calendar_date(text: str) -> bool:
    """'22 July', 'March' (not 'today', 'Monday', 'last week'): a day/month whose year we must choose."""
    return bool(re.search(r"\d", text)) or not re.search(r"(?i)day|week|yesterday|today|tomorrow|ago|last|next|this|сегодня|вчера|недел", text)


def _nearest_occurrence(found: dt.date, base: dt.date | None) -> dt.date:
    if base is None:
        return found
    options = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            options.append(found.replace(year=year))
        except ValueError:  # 29 February
            continue
    return min(options, key=lambda d: abs((d - base).days)) if options else found


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


def load_date_rules(path: Path | str | None = None) -> DateRules:
    """The date rules of a rules folder (or of a ``dates.toml`` file); the package's by default. Cached."""
    path = Path(path) if path else RULES_FILE
    return _load_rules(str(path / "dates.toml" if path.is_dir() else path))


@lru_cache(maxsize=4)
def _load_rules(path: str) -> DateRules:
    import tomllib

    data = tomllib.loads(Path(path).read_text("utf-8"))
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
    )


def _words(words: list[str]) -> str:
    return alternation(words, spaces=r"\s+")


def _alternation(words: list[str]) -> re.Pattern:
    return re.compile(_words(words), re.I)


# --------------------------------------------------------------------------------------- structured signals

_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(?:(0?[1-9]|[12]\d|3[01])(?=[/_.-]|$))?")
_URL_DAY = re.compile(r"(?<!\d)((?:19|20)\d{2})([/_-])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
_URL_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
_URL_DAY_FIRST = re.compile(r"(?<![\w.])(0[1-9]|[12]\d|3[01])([_-])(0[1-9]|1[0-2])\2((?:19|20)\d{2})(?=[/_.-]|$)")
_JSON_DATE = re.compile(r'"(date(?:Published|Created|Modified))"\s*:\s*"([^"]{8,40})"')
_UTC = re.compile(r"(?:Z|[+-]00:?00|\bUTC|\bGMT)\s*$", re.I)


@dataclass(frozen=True)
class DateSignal:
    parsed: ParsedDate
    source: str  # site field | dateline | json-ld | meta | time | url | script | text
    raw: str

    @property
    def utc(self) -> bool:
        """A UTC timestamp: its calendar day may be the day before or after the page's own."""
        return bool(_UTC.search(self.raw)) and "T" in self.raw or bool(re.search(r"\d:\d\d(?::\d\d)?\s*(?:UTC|GMT)", self.raw))


def structured_dates(
    tree, url: str | None, languages: tuple[str, ...], base: dt.date | None = None, rules: DateRules | None = None
) -> tuple[list[DateSignal], list[DateSignal]]:
    """(published signals, modified signals) from a page's structure, strongest first:
    JSON-LD, meta tags, the URL, data in other scripts."""
    rules = rules or load_date_rules()
    published: list[DateSignal] = []
    modified: list[DateSignal] = []
    if tree is not None:
        _json_ld_dates(tree, rules, published, modified)
        _meta_dates(tree, rules, published, modified)
    if url:
        parsed = url_date(url)
        if parsed:
            published.append(DateSignal(parsed, "url", url))
    if tree is not None:
        published.extend(_image_dates(tree, rules))
        published.extend(_script_dates(tree, rules))
    return published, modified


def url_date(url: str) -> ParsedDate | None:
    """The date a URL's path states: a day (/2016/12/23/, 2016-12-23, 20161223) or a month (/2016/12/)."""
    path = urlsplit(url).path
    for pattern in (_URL_DAY, _URL_COMPACT):
        for m in pattern.finditer(path):
            groups = [g for g in m.groups() if g not in ("/", "_", "-")]
            parsed = _calendar_date(int(groups[0]), int(groups[1]), int(groups[2]))
            if parsed:
                return parsed
    for m in _URL_DAY_FIRST.finditer(path):  # /meldungen/29-10-2021
        parsed = _calendar_date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        if parsed:
            return parsed
    m = _URL_DATE.search(path)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
        return _calendar_date(year, month, int(day)) if day else _as_parsed(dt.date(year, month, 1), "month")
    return None


def _calendar_date(year: int, month: int, day: int) -> ParsedDate | None:
    try:
        return _as_parsed(dt.date(year, month, day), "day")
    except ValueError:
        return None


def _json_ld_dates(tree, rules: DateRules, published: list, modified: list) -> None:
    """datePublished / dateModified, those of the item describing the page (an Article, a WebPage) first."""
    found: list[tuple[int, int, bool, DateSignal]] = []  # (rank of item, rank of key, is modified, signal)
    keys = rules.json_ld_published + rules.json_ld_modified
    for script in tree.xpath("//script[@type='application/ld+json']"):
        text = script.text_content() or ""
        if "date" not in text:
            continue
        try:
            items = list(_walk_json(json.loads(text)))
        except ValueError:  # broken JSON is common: read its date keys directly
            items = [{key: value} for key, value in _JSON_DATE.findall(text)]
        for item in items:
            item_rank = 0 if _json_ld_types(item) & rules.page_types else 1
            for key_rank, key in enumerate(keys):
                value = item.get(key)
                parsed = parse_machine_date(value) if isinstance(value, str) else None
                if parsed:
                    found.append((item_rank, key_rank, key in rules.json_ld_modified, DateSignal(parsed, "json-ld", value)))
    for _, _, is_modified, signal in sorted(found, key=lambda f: (f[0], f[1])):
        (modified if is_modified else published).append(signal)


def _json_ld_types(item: dict) -> set[str]:
    kind = item.get("@type")
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)} if isinstance(kind, list) else set()


def _walk_json(data, depth: int = 0):
    if depth > 6:
        return
    if isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, (dict, list)):
                yield from _walk_json(value, depth + 1)
    elif isinstance(data, list):
        for value in data:
            yield from _walk_json(value, depth + 1)


def _image_dates(tree, rules: DateRules) -> list[DateSignal]:
    """The day folder in the URL of the page's image (og:image: /files/2016/05/04/cover.png), as a URL
    signal. Not a month (/uploads/2016/05/: when some file was uploaded), nor digits run together in a
    file name (agency photo ids such as urn-newsml-dpa-com-20090101-...)."""
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        if key in rules.meta_image and meta.get("content"):
            m = _URL_DATE.search(urlsplit(meta.get("content")).path)
            parsed = _calendar_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m and m.group(3) else None
            if parsed:
                return [DateSignal(parsed, "url", f"{key}={meta.get('content')}")]
    return []


def _script_dates(tree, rules: DateRules) -> list[DateSignal]:
    """The publication date in a script's page data: the first value of the strongest key."""
    found: dict[str, str] = {}
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" or not script.text:
            continue
        for m in rules.script_date.finditer(script.text):
            found.setdefault(m.group(1), m.group(2))
    for key in (k for k in rules.script_published if k in found):
        parsed = parse_machine_date(found[key])
        if parsed:
            return [DateSignal(parsed, "script", f"{key}={found[key]}")]
    return []


def _meta_dates(tree, rules: DateRules, published: list, modified: list) -> None:
    found_published: dict[str, DateSignal] = {}
    found_modified: dict[str, DateSignal] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or "").strip().lower()
        value = (meta.get("content") or meta.get("datetime") or "").strip()
        if not key or not value or (key not in rules.meta_published and key not in rules.meta_modified):
            continue
        parsed = parse_machine_date(value)
        if parsed is None:
            continue
        target = found_published if key in rules.meta_published else found_modified
        target.setdefault(key, DateSignal(parsed, "meta", f"{key}={value}"))
    published.extend(found_published[k] for k in rules.meta_published if k in found_published)
    modified.extend(found_modified[k] for k in rules.meta_modified if k in found_modified)
    for element in tree.xpath("//body//*[@itemprop='datePublished'][not(self::meta)]"):
        value = (element.get("datetime") or element.get("content") or element.text_content() or "").strip()
        parsed = parse_machine_date(value)
        if parsed:
            published.append(DateSignal(parsed, "meta", f"itemprop=datePublished {value[:40]}"))


# --------------------------------------------------------------------------------------- visible dates

_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "select", "option", "textarea", "button", "head", "title"})
_HEADINGS = frozenset({"h1", "h2", "h3"})
NEAR_ANCESTORS = 4  # an element and its three nearest ancestors say what a date is
CUE_WINDOW = 48  # characters before a date searched for "published on", "aktualisiert am"
MAX_WORDS_AFTER_CUE = 2  # "Erstellt am Dienstag, 6. Mai 2014": a weekday may sit between cue and date
_AFTER_CUE = re.compile(rf"^[\s:,.\-–—|·/]*(?:[^\W\d_]+[\s,.:]*){{0,{MAX_WORDS_AFTER_CUE}}}$")
_TWO_DIGIT_YEAR_PIVOT = 50  # "31.10.23" is 2023, "12.05.98" is 1998


@dataclass(frozen=True)
class VisibleDate:
    """A date written in the page's body, with what surrounds it."""

    parsed: ParsedDate
    raw: str
    offset: int  # characters of visible text before it
    from_title: int | None  # offset relative to the headline (negative: above it)
    marked: bool  # the element or a near ancestor is marked as a date ("entry-date", "postmeta")
    publication_marked: bool  # ... marked as the publication date itself (<time class="published">, pubdate)
    cue: str | None  # published | updated: the words just before it say which
    elsewhere: bool  # inside comments, a sidebar, a calendar, navigation; or said to be another thing's ("Registriert:")
    machine: bool  # read from a <time datetime> / <abbr title> / itemprop attribute

    @property
    def source(self) -> str:
        return "time" if self.machine else "text"


def visible_dates(
    tree, languages: tuple[str, ...] | list[str] = ("en",), title: str | None = None,
    rules: DateRules | None = None, max_date: dt.date | None = None,
) -> list[VisibleDate]:
    """Every full date written in the page's body, in document order, with its context.

    One walk over the tree: text nodes are matched with regular expressions built from the month
    names of the page's languages (dateparser's locale data), never with dateparser's search."""
    if tree is None:
        return []
    body = tree.find("body") if tree.tag == "html" else tree
    if body is None:
        return []
    walker = _Walker(rules or load_date_rules(), _text_date_pattern(tuple(dict.fromkeys([*languages, "en"]))), title, languages)
    walker.walk(body)
    return walker.results(max_date)


class _Walker:
    def __init__(self, rules: DateRules, pattern: tuple[re.Pattern, dict[str, int]], title: str | None, languages) -> None:
        self.rules = rules
        self.pattern, self.months = pattern
        self.title = _normal(title) if title else None
        self.languages = tuple(languages)
        self.offset = 0
        self.recent = ""
        self.title_offset: int | None = None
        self.first_h1: int | None = None
        self.found: list[dict] = []

    def walk(self, body) -> None:
        from lxml import etree

        stack: list[tuple[bool, bool, bool, bool]] = []  # (marked here, elsewhere, skipped, publication marked here)
        for event, element in etree.iterwalk(body, events=("start", "end")):
            if event == "start":
                stack.append(self._state(element, stack))
                _, elsewhere, skipped, _ = stack[-1]
                if not skipped:
                    self._heading(element)
                    self._attribute_date(element, stack, elsewhere)
                    self._text(element.text, stack, elsewhere)
            else:
                stack.pop()
                if stack and not stack[-1][2]:
                    self._text(element.tail, stack, stack[-1][1])

    def _state(self, element, stack) -> tuple[bool, bool, bool, bool]:
        parent_elsewhere, parent_skipped = (stack[-1][1], stack[-1][2]) if stack else (False, False)
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIPPED_TAGS or parent_skipped:
            return False, parent_elsewhere, True, False
        tokens = f"{element.get('class') or ''} {element.get('id') or ''} {element.get('itemprop') or ''}"
        tokens = " ".join(token for token in tokens.split() if token.lower() not in self.rules.not_marks)
        marked = bool(tokens) and bool(self.rules.marks.search(tokens))
        publication_marked = element.get("pubdate") is not None or (bool(tokens) and bool(self.rules.publication_marks.search(tokens)))
        elsewhere = parent_elsewhere or tag in self.rules.elsewhere_tags or (bool(tokens) and bool(self.rules.elsewhere.search(tokens)))
        return marked or publication_marked, elsewhere, False, publication_marked

    def _heading(self, element) -> None:
        if element.tag not in _HEADINGS:
            return
        if element.tag == "h1" and self.first_h1 is None:
            self.first_h1 = self.offset
        if self.title and self.title_offset is None:
            text = _normal(element.text_content())
            # One containing the other counts only between long texts: a short title (the site's name)
            # is part of many headings.
            if text and (text == self.title or (min(len(text), len(self.title)) >= 12 and (text in self.title or self.title in text))):
                self.title_offset = self.offset

    def _attribute_date(self, element, stack, elsewhere: bool) -> None:
        tag = element.tag
        itemprop = (element.get("itemprop") or "").lower()
        if tag == "time":
            value = element.get("datetime")
        elif tag == "abbr":
            value = element.get("title")
        elif itemprop in ("datepublished", "datecreated", "datemodified", "dateupdated"):
            value = element.get("datetime") or element.get("content")
        else:
            return
        if not value or not _YEAR.search(value):
            return
        parsed = parse_machine_date(value, self.languages)
        if parsed and parsed.granularity == "day":
            cue = "updated" if "modified" in itemprop or "updated" in itemprop or "updated" in (element.get("class") or "") else self._cue()
            self._add(parsed, value.strip(), self.offset, stack, elsewhere, cue, machine=True)

    def _text(self, text: str | None, stack, elsewhere: bool) -> None:
        if not text:
            return
        text = " ".join(text.split())
        if not text:
            return
        if any(ch.isdigit() for ch in text):
            for m in self.pattern.finditer(text):
                parsed = _matched_date(m, self.months)
                if parsed:
                    self._add(parsed, m.group(0), self.offset + m.start(), stack, elsewhere, self._cue(text[: m.start()]), machine=False)
        self.offset += len(text) + 1
        self.recent = (self.recent + " " + text)[-CUE_WINDOW * 2 :]

    def _cue(self, before: str = "") -> str | None:
        window = (self.recent + " " + before)[-CUE_WINDOW:]
        last = None
        for last in self.rules.cues.finditer(window):
            pass
        if last is None or not _AFTER_CUE.match(window[last.end() :]):
            return None
        return "updated" if last.group("updated") else "published" if last.group("published") else "other"

    def _add(self, parsed: ParsedDate, raw: str, offset: int, stack, elsewhere: bool, cue: str | None, machine: bool) -> None:
        if cue == "other":  # "Registriert: 18.09.2008": the date of something else than the page
            elsewhere, cue = True, None
        near = stack[-NEAR_ANCESTORS:]
        self.found.append({
            "parsed": parsed, "raw": raw, "offset": offset, "marked": any(state[0] for state in near),
            "publication_marked": any(state[3] for state in near), "cue": cue, "elsewhere": elsewhere, "machine": machine,
        })

    def results(self, max_date: dt.date | None) -> list[VisibleDate]:
        anchor = self.title_offset if self.title_offset is not None else self.first_h1
        order = _page_day_order(self.found)
        out = []
        for item in self.found:
            parsed = item["parsed"]
            if parsed.ambiguous and order == "MDY":
                parsed = swap_day_month(parsed)
            if parsed is None or (max_date and parsed.date > max_date):
                continue
            out.append(VisibleDate(**{**item, "parsed": parsed}, from_title=None if anchor is None else item["offset"] - anchor))
        return out


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


# ------------------------------------------------------------------ date patterns in text


@lru_cache(maxsize=32)
def _text_date_pattern(languages: tuple[str, ...]) -> tuple[re.Pattern, dict[str, int]]:
    """One regular expression for full dates in the page's languages, and month name -> number."""
    months = month_names(languages)
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


def _matched_date(m: re.Match, months: dict[str, int]) -> ParsedDate | None:
    if m.group("mn") or m.group("mn2"):
        name = (m.group("mn") or m.group("mn2")).casefold()
        month = months.get(name)
        day, year = (m.group("d"), m.group("y")) if m.group("mn") else (m.group("d2"), m.group("y2"))
        return _calendar_date(int(year), month, int(day)) if month else None
    if m.group("y3"):
        return _calendar_date(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
    first, second, year = int(m.group("a")), int(m.group("b")), m.group("y4")
    separator = m.group("s4")
    if len(year) == 2:
        if separator == "-":
            return None  # "12-05-18" is as often a range or a code as a date
        year_number = 2000 + int(year) if int(year) < _TWO_DIGIT_YEAR_PIVOT else 1900 + int(year)
    else:
        year_number = int(year)
    if separator == "." or first > 12:
        return _calendar_date(year_number, second, first)
    if second > 12:
        return _calendar_date(year_number, first, second)
    parsed = _calendar_date(year_number, second, first)  # day first until the page shows otherwise
    return ParsedDate(parsed.iso, "day", ambiguous=first != second) if parsed else None


def _page_day_order(found: list[dict]) -> str:
    """MDY when the page's unambiguous slashed dates put the month first (12/24/2015), else DMY."""
    order = "DMY"
    for item in found:
        raw = item["raw"]
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/\d{2,4}", raw)
        if m and int(m.group(2)) > 12:
            order = "MDY"
        elif m and int(m.group(1)) > 12:
            return "DMY"
    return order


def swap_day_month(parsed: ParsedDate) -> ParsedDate | None:
    d = parsed.date
    try:
        return ParsedDate(dt.date(d.year, d.day, d.month).isoformat(), "day", ambiguous=True)
    except ValueError:
        return None
