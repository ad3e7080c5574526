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
from urllib.parse import urlsplit

ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|2[01]\d{2})(?!\d)")
_NUMERIC = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})\s*$")
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
        parts = [int(p) for p in self.iso.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])


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
_DATELINE = re.compile(
    rf"""^\s*
    (?P<places>(?:{_PLACE})(?:\s*/\s*(?:{_PLACE}))*)     # VIENNA | YEREVAN / BAKU | VIENNA/THE HAGUE
    \s*,\s*
    (?P<date>[^\n–—()]{{3,40}}?)                        # 18 November 2010 | 18 ноября 2010 г.
    \s*(?:\((?P<agency>[^)\n]{{1,30}})\))?              # (OSCE)
    \s*(?P<dash>-{{1,2}}|–|—)\s*""",
    re.X,
)


@dataclass(frozen=True)
class Dateline:
    places: list[str]  # as written: ["YEREVAN", "BAKU"]
    date: ParsedDate | None
    date_text: str
    end: int  # offset just past the dash and its spaces


def parse_dateline(paragraph: str, languages: tuple[str, ...] | list[str] = ("en",)) -> Dateline | None:
    """The dateline opening a body ("VIENNA, 18 November 2010 - "), or None when there is none."""
    m = _DATELINE.match(paragraph[:160])
    if not m:
        return None
    places = [p.strip() for p in m.group("places").split("/") if p.strip()]
    if not places or any(not _looks_like_place(p) for p in places):
        return None
    date_text = m.group("date").strip()
    parsed = parse_date(date_text, languages)
    if parsed is None:
        return None
    return Dateline(places, parsed, date_text, m.end())


def _looks_like_place(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# --------------------------------------------------------------------------------------- publication date

_META_PUBLISHED = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished", "date",
    "dc.date", "dc.date.issued", "dcterms.date", "dcterms.issued", "dcterms.created", "pubdate", "publishdate",
    "publish_date", "publish-date", "publication_date", "sailthru.date", "parsely-pub-date", "citation_publication_date",
    "citation_date", "article.published", "published_time", "originalpublicationdate", "release_date", "created",
    "creation_date", "dc.created", "article_date_original", "cxenseparse:recs:publishtime", "date_published", "article:published",
    "bt:pubdate", "timestamp", "last-modified-original",
)
_META_MODIFIED = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified", "dc.date.modified", "lastmod")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])(?:[/_-](0?[1-9]|[12]\d|3[01]))?(?=[/_.-]|$)")
_URL_COMPACT = re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")


@dataclass(frozen=True)
class DateSignal:
    parsed: ParsedDate
    source: str  # json-ld | meta | time | url | text
    raw: str


def structured_dates(tree, url: str | None, languages: tuple[str, ...], base: dt.date | None = None) -> tuple[list[DateSignal], list[DateSignal]]:
    """(published signals, modified signals) from a page's structure, strongest first."""
    published: list[DateSignal] = []
    modified: list[DateSignal] = []
    if tree is not None:
        _json_ld_dates(tree, published, modified)
        _meta_dates(tree, published, modified)
        _time_dates(tree, languages, published)
    if url:
        parsed = url_date(url)
        if parsed:
            published.append(DateSignal(parsed, "url", url))
    return published, modified


def url_date(url: str) -> ParsedDate | None:
    path = urlsplit(url).path
    for pattern in (_URL_DATE, _URL_COMPACT):
        m = pattern.search(path)
        if m:
            year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
            try:
                return _as_parsed(dt.date(year, month, int(day or 1)), "day" if day else "month")
            except ValueError:
                return None
    return None


def _json_ld_dates(tree, published: list, modified: list) -> None:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        for item in _walk_json(data):
            for key, target in (("datePublished", published), ("dateCreated", published), ("dateModified", modified)):
                value = item.get(key)
                if isinstance(value, str):
                    parsed = parse_date(value[:40])
                    if parsed:
                        target.append(DateSignal(parsed, "json-ld", value))


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


def _meta_dates(tree, published: list, modified: list) -> None:
    found_published: dict[str, DateSignal] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or "").strip().lower()
        value = (meta.get("content") or "").strip()
        if not key or not value:
            continue
        if key in _META_PUBLISHED:
            parsed = parse_date(value[:40])
            if parsed:
                found_published.setdefault(key, DateSignal(parsed, "meta", f"{key}={value}"))
        elif key in _META_MODIFIED:
            parsed = parse_date(value[:40])
            if parsed:
                modified.append(DateSignal(parsed, "meta", f"{key}={value}"))
    published.extend(found_published[k] for k in _META_PUBLISHED if k in found_published)
    for element in tree.xpath("//*[@itemprop='datePublished'][not(self::meta)]"):
        value = element.get("datetime") or element.get("content") or element.text_content()
        parsed = parse_date((value or "").strip()[:40])
        if parsed:
            published.append(DateSignal(parsed, "meta", f"itemprop=datePublished {value.strip()[:40]}"))


def _time_dates(tree, languages: tuple[str, ...], published: list) -> None:
    for element in tree.iter("time"):
        if element.xpath("ancestor::footer|ancestor::nav|ancestor::aside"):
            continue
        value = (element.get("datetime") or "").strip()
        parsed = parse_date(value[:40]) if value else parse_date((element.text_content() or "").strip()[:40], languages)
        if parsed:
            published.append(DateSignal(parsed, "time", value or element.text_content().strip()))
            return
