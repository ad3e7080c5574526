"""The publication date of a page: the signals it gives (structured data, URL, visible dates) and the
one decision that weighs them (``decide_publication``), which the metadata stage calls once per page.

Precedence: the site's own date field (a labelled date, or a date by the headline that the markup
marks as the publication date or the words before it call one: "Posted by ... on"), then the
dateline, then JSON-LD, meta tags, a visible date the page marks as its own, the URL, page data in
scripts, any other visible date. The site profile's date field and the dateline are taken as they
are; on other pages a lone signal is outvoted by two agreeing kinds of evidence, and a full day in the
page's URL breaks a tie with a date written on the page. A container marked as a sidebar does not hide
the dates of the headline it holds. A UTC timestamp moves one day only towards a date written for
readers, the way its hour allows; no date read from the page is later than its fetch; any other
signal more than a day away is a note. A partial date stays partial unless a day of that month is
written on the page. Dates are read with the grammar of ``pipeline.dates``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlsplit

from .dates import (
    _YEAR, DateRules, ParsedDate, _as_parsed, calendar_day, full_date_pattern, load_date_rules, parse_date, parse_machine_date,
    read_full_date, swap_day_month,
)
from .document import Document


@dataclass
class Publication:
    """The decision: the date (ISO, as precise as the page states it), which signal gave it, its
    granularity, the page's update date, and notes on disagreeing signals."""

    value: str | None = None
    source: str | None = None
    granularity: str | None = None
    updated: str | None = None
    notes: list[str] = field(default_factory=list)


def decide_publication(doc: Document, tree, languages: tuple[str, ...], rules: DateRules, vocabulary=None) -> Publication:
    """The publication date of ``doc`` from every signal its page gives (``doc.fields``, its dateline,
    ``tree``, its URL and fetch time)."""
    structured, modified = structured_dates(tree, doc.url, languages, rules=rules)
    visible = visible_dates(tree, languages, doc.title, rules, max_date=_fetch_day(doc), vocabulary=vocabulary) if doc.format == "html" else []
    stated, fallback = _publication_signals(doc, languages, structured, visible)
    signals = stated + ([fallback] if fallback else [])
    if not signals:
        return Publication()
    first = signals[0] if _trusted_first(doc, signals[0]) else _most_supported(signals)
    # Dates the page writes for its readers, in their time zone: its date field, dateline, own visible
    # date, its URL (not its image's, which says when a file was uploaded).
    written_for_readers = [
        s for s in stated if s is not first and (s.source in ("site field", "dateline", "time", "text") or s.raw == doc.url)
    ]
    best = _completed(_local_day(_day_month_order(first, signals), written_for_readers, signals), signals[1:], visible)
    decision = Publication(best.parsed.iso, best.source, best.parsed.granularity)
    for other in signals:
        if other is not best and _disagree(best.parsed, other.parsed):
            decision.notes.append(f"published: {best.source} {best.parsed.iso} vs {other.source} {other.parsed.iso}")
    if best.parsed.ambiguous:
        decision.notes.append(f"published: day and month order of {best.raw!r} is ambiguous; read as {best.parsed.iso}")
    updated = modified + [DateSignal(v.parsed, v.source, v.raw) for v in visible if v.cue == "updated" and not v.elsewhere]
    decision.updated = _updated(doc, updated, languages, best.parsed)
    return decision


# --------------------------------------------------------------------------------------- structured signals
# A day folder ends at "/", "." or the path's end: "/2023/10/3-fragen-an-..." is a month, then a title.
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(?:(0?[1-9]|[12]\d|3[01])(?=[/.]|$))?")
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
            if m.group(0).count("/") >= 2 and path[m.end() : m.end() + 1] in ("-", "_"):
                continue  # /2023/10/3-fragen-an-...: a folder of the month, then a title opening with a number
            groups = [g for g in m.groups() if g not in ("/", "_", "-")]
            parsed = calendar_day(int(groups[0]), int(groups[1]), int(groups[2]))
            if parsed:
                return parsed
    for m in _URL_DAY_FIRST.finditer(path):  # /meldungen/29-10-2021
        parsed = calendar_day(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        if parsed:
            return parsed
    m = _URL_DATE.search(path)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
        return calendar_day(year, month, int(day)) if day else _as_parsed(dt.date(year, month, 1), "month")
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
            parsed = calendar_day(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m and m.group(3) else None
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
MAX_DATE_PARTS, MAX_DATE_BADGE = 5, 40  # parts and characters of a date written in pieces
NEAR_ANCESTORS = 4  # an element and its three nearest ancestors say what a date is
CUE_WINDOW = 48  # characters before a date searched for "published on", "aktualisiert am"
MAX_WORDS_AFTER_CUE = 2  # "Erstellt am Dienstag, 6. Mai 2014": a weekday may sit between cue and date
_DIGIT = re.compile(r"\d")
_AFTER_CUE = re.compile(rf"^[\s:,.\-–—|·/]*(?:[^\W\d_]+[\s,.:]*){{0,{MAX_WORDS_AFTER_CUE}}}$")


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
    rules: DateRules | None = None, max_date: dt.date | None = None, vocabulary=None,
) -> list[VisibleDate]:
    """Every full date written in the page's body, in document order, with its context.

    One walk over the tree: text nodes are matched with the grammar's full dates in the page's
    languages (``dates.full_date_pattern``), never with dateparser's search."""
    if tree is None:
        return []
    body = tree.find("body") if tree.tag == "html" else tree
    if body is None:
        return []
    walker = _Walker(rules or load_date_rules(), full_date_pattern(tuple(dict.fromkeys([*languages, "en"])), vocabulary), title, languages)
    walker.walk(body)
    return walker.results(max_date)


class _Open(NamedTuple):
    """An element the walk is inside of, as the dates in it see it."""

    number: int
    marked: bool  # marked here as holding a date
    publication_marked: bool  # marked here as holding the publication date
    elsewhere_at: int | None  # the innermost enclosing element (or this one) marked as somewhere else
    skipped: bool  # script, style, form controls ...: no visible text
    in_article: bool  # inside an <article>


# Containers an <article> has of its own (its byline and date in <footer>, <aside>), not the page's chrome.
_ARTICLE_PARTS = frozenset({"aside", "footer"})


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
        self.marks_seen: dict[str, tuple[bool, bool, bool]] = {}  # one page's class/id/itemprop tokens
        self.opened = 0  # elements entered so far: numbers them
        self.title_containers: frozenset[int] = frozenset()  # the headline element and its ancestors
        self.first_h1_containers: frozenset[int] = frozenset()

    def walk(self, body) -> None:
        from lxml import etree

        stack: list[_Open] = []
        for event, element in etree.iterwalk(body, events=("start", "end")):
            if event == "start":
                stack.append(self._state(element, stack))
                if not stack[-1].skipped:
                    self._heading(element, stack)
                    self._attribute_date(element, stack)
                    self._split_date(element, stack)
                    self._text(element.text, stack)
            else:
                stack.pop()
                if stack and not stack[-1].skipped:
                    self._text(element.tail, stack)

    def _state(self, element, stack: list[_Open]) -> _Open:
        parent = stack[-1] if stack else None
        self.opened += 1
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIPPED_TAGS or (parent is not None and parent.skipped):
            return _Open(self.opened, False, False, parent.elsewhere_at if parent else None, True, False)
        attributes = element.attrib
        marked = publication_marked = elsewhere_here = False
        if "class" in attributes or "id" in attributes or "itemprop" in attributes:
            marked, publication_marked, elsewhere_here = self._marks(
                f"{attributes.get('class', '')} {attributes.get('id', '')} {attributes.get('itemprop', '')}"
            )
        publication_marked = publication_marked or "pubdate" in attributes
        in_article = tag == "article" or (parent is not None and parent.in_article)
        # An <aside> or <footer> inside an <article> is that article's own (HTML5): its byline, its date.
        if elsewhere_here or (tag in self.rules.elsewhere_tags and not (in_article and tag in _ARTICLE_PARTS)):
            elsewhere_at = self.opened
        else:
            elsewhere_at = parent.elsewhere_at if parent else None
        return _Open(self.opened, marked or publication_marked, publication_marked, elsewhere_at, False, in_article)

    def _marks(self, tokens: str) -> tuple[bool, bool, bool]:
        """(marked as a date, as the publication date, as somewhere else) for an element's class, id and
        itemprop, token by token (the rule words hold no spaces). A page repeats a few class names on
        thousands of elements: each token is read once per page."""
        marked = publication_marked = elsewhere = False
        for token in tokens.split():
            known = self.marks_seen.get(token)
            if known is None:
                rules = self.rules
                ignored = token.lower() in rules.not_marks
                known = (
                    not ignored and bool(rules.marks.search(token)),
                    not ignored and bool(rules.publication_marks.search(token)),
                    not ignored and bool(rules.elsewhere.search(token)),
                )
                self.marks_seen[token] = known
            marked, publication_marked, elsewhere = marked or known[0], publication_marked or known[1], elsewhere or known[2]
        return marked, publication_marked, elsewhere

    def _heading(self, element, stack: list[_Open]) -> None:
        if element.tag not in _HEADINGS:
            return
        if element.tag == "h1" and self.first_h1 is None:
            self.first_h1 = self.offset
            self.first_h1_containers = frozenset(state.number for state in stack)
        if self.title and self.title_offset is None:
            text = _normal(element.text_content())
            # One containing the other counts only between long texts: a short title (the site's name)
            # is part of many headings.
            if text and (text == self.title or (min(len(text), len(self.title)) >= 12 and (text in self.title or self.title in text))):
                self.title_offset = self.offset
                self.title_containers = frozenset(state.number for state in stack)

    def _attribute_date(self, element, stack: list[_Open]) -> None:
        tag = element.tag
        if tag != "time" and tag != "abbr" and "itemprop" not in element.attrib:
            return
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
            self._add(parsed, value.strip(), self.offset, stack, cue, machine=True)

    def _split_date(self, element, stack: list[_Open]) -> None:
        """A date badge marked as a date whose parts sit in elements of their own
        (``<span class="month">Apr</span> <span class="day">04</span><span class="year">2013</span>``):
        no text node holds the whole date, so its parts are read together, one space apart."""
        if not stack[-1].marked or len(element) == 0:
            return
        parts = [" ".join(t.split()) for t in element.itertext()]
        parts = [t for t in parts if t]
        if not 2 <= len(parts) <= MAX_DATE_PARTS or sum(map(len, parts)) > MAX_DATE_BADGE or not _DIGIT.search(parts[-1] + parts[0]):
            return
        if any(self.pattern.search(part) for part in parts):  # one of them holds the date: read there
            return
        joined = " ".join(parts)
        m = self.pattern.search(joined)
        parsed = read_full_date(m, self.months) if m else None
        if parsed:
            self._add(parsed, m.group(0), self.offset + m.start(), stack, self._cue(), machine=False)

    def _text(self, text: str | None, stack: list[_Open]) -> None:
        if not text or text.isspace():
            return
        text = " ".join(text.split())
        if _DIGIT.search(text):
            for m in self.pattern.finditer(text):
                parsed = read_full_date(m, self.months)
                if parsed:
                    self._add(parsed, m.group(0), self.offset + m.start(), stack, self._cue(text[: m.start()]), machine=False)
        self.offset += len(text) + 1
        self.recent = (self.recent + " " + text)[-CUE_WINDOW * 2 :]

    def _cue(self, before: str = "") -> str | None:
        window = (self.recent + " " + before)[-CUE_WINDOW:]
        last = None
        for last in self.rules.cues.finditer(window):
            pass
        if last is None:
            return None
        rest = window[last.end() :]
        if not _AFTER_CUE.match(rest) and not self.rules.byline.match(rest):
            return None
        return "updated" if last.group("updated") else "published" if last.group("published") else "other"

    def _add(self, parsed: ParsedDate, raw: str, offset: int, stack: list[_Open], cue: str | None, machine: bool) -> None:
        said_elsewhere = cue == "other"  # "Registriert: 18.09.2008": the date of something else than the page
        near = stack[-NEAR_ANCESTORS:]
        self.found.append({
            "parsed": parsed, "raw": raw, "offset": offset, "marked": any(state.marked for state in near),
            "publication_marked": any(state.publication_marked for state in near), "cue": None if said_elsewhere else cue,
            "said_elsewhere": said_elsewhere, "elsewhere_at": stack[-1].elsewhere_at, "machine": machine,
        })

    def results(self, max_date: dt.date | None) -> list[VisibleDate]:
        anchor, containers = (
            (self.title_offset, self.title_containers) if self.title_offset is not None else (self.first_h1, self.first_h1_containers)
        )
        order = _page_day_order(self.found)
        out = []
        for item in self.found:
            item = dict(item)
            parsed = item["parsed"]
            if parsed.ambiguous and order == "MDY":
                parsed = swap_day_month(parsed)
            if parsed is None or (max_date and parsed.date > max_date):
                continue
            # A container marked as a sidebar or breadcrumb that holds the headline is the page's main
            # part under a misleading class ("has-sidebar" on the body, "intro__breadcrumbNavigation").
            elsewhere_at = item.pop("elsewhere_at")
            elsewhere = item.pop("said_elsewhere") or (elsewhere_at is not None and elsewhere_at not in containers)
            out.append(VisibleDate(**{**item, "parsed": parsed}, elsewhere=elsewhere, from_title=None if anchor is None else item["offset"] - anchor))
        return out


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())



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


# --------------------------------------------------------------------------------------- the decision


def _publication_signals(
    doc: Document, languages: tuple[str, ...], structured: list[DateSignal], visible: list[VisibleDate]
) -> tuple[list[DateSignal], DateSignal | None]:
    """The publication dates the page states, in order of precedence (the site's own date field, the
    dateline, JSON-LD, meta tags, a visible date marked as the page's own, the URL and its image's URL,
    page data in scripts), and the fallback: the likeliest of the other dates written on the page."""
    signals: list[DateSignal] = []
    for value in doc.fields.get("published") or []:
        parsed = parse_date(value, languages)
        if parsed:
            signals.append(DateSignal(parsed, "site field", value))
            break
    if not signals:
        marked = [v for v in visible if _is_marked_publication_date(v)]
        if marked:
            best = min(marked, key=_visible_rank)
            signals.append(DateSignal(best.parsed, "site field", best.raw))
    if doc.dateline_date:
        signals.append(DateSignal(parse_date(doc.dateline_date), "dateline", doc.dateline_date))
    signals.extend(s for s in structured if s.source not in ("url", "script"))
    own = [v for v in visible if _is_own_date(v)]
    if own:
        best = min(own, key=_visible_rank)
        signals.append(DateSignal(best.parsed, best.source, best.raw))
    signals.extend(s for s in structured if s.source == "url")
    signals.extend(s for s in structured if s.source == "script")
    # A page that states nothing else but when it was last updated ("Stand: 5. Februar 2020") is dated
    # by that rather than by a date its text happens to mention; otherwise an update is no evidence.
    others = [v for v in visible if v not in own and (v.cue != "updated" or not signals)]
    if not others:
        return signals, None
    # Its "Stand:" is the page speaking of itself, wherever it sits (often in the footer); the
    # other dates of such a page are mentions.
    updates = [v for v in others if v.cue == "updated"] if not signals else []
    best = min(updates or others, key=_visible_rank)
    return signals, DateSignal(best.parsed, best.source, best.raw)


def _is_marked_publication_date(v: VisibleDate) -> bool:
    """A date the page's markup marks as its publication date (``<time class="entry-date published">``)
    by its headline: the site's own date field in generic markup, as opposed to a date merely
    mentioned on the page or one in a comment or a teaser further down."""
    return (v.publication_marked or v.cue == "published") and _by_the_headline(v) and not v.elsewhere and v.cue != "updated"


def _is_own_date(v: VisibleDate) -> bool:
    """A date the page marks (class, cue word) as its own, by its headline, outside comments and sidebars.
    Marked dates far from the headline belong to teasers and comment lists more often than to the page."""
    return _by_the_headline(v) and not v.elsewhere and v.cue != "updated" and (v.marked or v.cue == "published")


NEAR_TITLE_BEFORE, NEAR_TITLE_AFTER = 300, 1500  # characters of text around the headline


def _near_the_headline(v: VisibleDate) -> bool:
    return v.from_title is not None and -NEAR_TITLE_BEFORE <= v.from_title <= NEAR_TITLE_AFTER


def _by_the_headline(v: VisibleDate) -> bool:
    """Near the headline, or anywhere on a page whose headline was not found."""
    return v.from_title is None or _near_the_headline(v)


def _visible_rank(v: VisibleDate) -> tuple:
    """Lower is better: marked and cued dates near the headline, then the one closest to it."""
    near = _near_the_headline(v)
    score = 2 * v.marked + 2 * (v.cue == "published") + (v.cue == "updated") + v.machine + 2 * near - 4 * v.elsewhere
    distance = abs(v.from_title) if v.from_title is not None else v.offset
    return (-score, distance, v.offset)


def _trusted_first(doc: Document, first: DateSignal) -> bool:
    """The site profile's date field and the dateline are taken as they are; on other pages a signal
    that disagrees with several others agreeing among themselves is outvoted (see _most_supported)."""
    return first.source == "dateline" or (first.source == "site field" and (doc.body_source or "").startswith("profile:"))


def _most_supported(signals: list[DateSignal]) -> DateSignal:
    """The day most kinds of signal agree on (JSON-LD, meta, <time>, URL, visible text ...); ties go to
    precedence. Generic pages often carry a stale or wrong date in one place and the right one in two."""
    support: dict[str, set[str]] = {}
    for signal in signals:
        if signal.parsed.granularity == "day":
            support.setdefault(signal.parsed.iso, set()).add(_EVIDENCE.get(signal.source, signal.source))
    for signal in signals:  # a month ("/2017/09/" in the URL) supports every day of it
        if signal.parsed.granularity == "month":
            for day in support:
                if day.startswith(signal.parsed.iso):
                    support[day].add(_EVIDENCE.get(signal.source, signal.source))
    best = signals[0]
    best_support = len(support.get(best.parsed.iso, ()))
    for signal in signals[1:]:
        if len(support.get(signal.parsed.iso, ())) > best_support:
            best, best_support = signal, len(support[signal.parsed.iso])
    # A day in the page's own URL is set once, when the page is first published; a date written on the
    # page as evenly supported may be its update or a teaser's. The URL breaks that tie.
    if _EVIDENCE.get(best.source) == "page" and not best.parsed.ambiguous:  # digits that read both ways: _day_month_order
        for signal in signals:
            if signal.source == "url" and signal.raw.startswith("http") and signal.parsed.granularity == "day":
                if len(support.get(signal.parsed.iso, ())) == best_support and signal.parsed.iso != best.parsed.iso:
                    return signal
    return best


# Signals that are one piece of evidence: a labelled date, a <time> and a date in the text are
# usually the same words on the page.
_EVIDENCE = {"site field": "page", "time": "page", "text": "page"}


def _completed(best: DateSignal, others: list[DateSignal], visible: list[VisibleDate]) -> DateSignal:
    """A partial date ("/2016/12/" in a URL) is completed by a full date that agrees with it (a day of
    that month written on the page); with none, it stays partial."""
    if best.parsed.granularity == "day":
        return best
    candidates = [o for o in others if o.parsed.granularity == "day" and o.parsed.iso.startswith(best.parsed.iso)]
    candidates += [
        DateSignal(v.parsed, v.source, v.raw)
        for v in sorted(visible, key=_visible_rank)
        if v.parsed.granularity == "day" and v.parsed.iso.startswith(best.parsed.iso) and not v.elsewhere and v.cue != "updated"
    ]
    return candidates[0] if candidates else best


def _day_month_order(best: DateSignal, signals: list[DateSignal]) -> DateSignal:
    """Digits whose day and month could be swapped (11/01/2023) are read the other way round when
    another kind of signal states that other day and none states the first reading."""
    if not best.parsed.ambiguous:
        return best
    swapped = swap_day_month(best.parsed)
    evidence = _EVIDENCE.get(best.source, best.source)
    days = {s.parsed.iso for s in signals if _EVIDENCE.get(s.source, s.source) != evidence and s.parsed.granularity == "day"}
    if swapped is None or swapped.iso not in days or best.parsed.iso in days:
        return best
    return DateSignal(swapped, best.source, best.raw)


def _local_day(best: DateSignal, others: list[DateSignal], signals: list[DateSignal]) -> DateSignal:
    """A UTC timestamp's day can be the page's day before (written before noon UTC: the Americas'
    evening) or after (written after noon: Asia's morning). A day the page states for readers (its date
    field, the URL, a date it marks as its own) one day off that way wins,
    unless the timestamp's own day is written for readers as often. Not any date in the text, nor
    another timestamp: those are one day off by chance as often as by time zone. A timestamp at a whole
    hour in the UTC evening (``T23:00:00Z``) is a local midnight east of Greenwich: the next day."""
    if not best.utc or best.parsed.granularity != "day":
        return best
    m = _UTC_TIME.search(best.raw)
    hour = int(m.group(1)) if m else None
    if m and hour >= LOCAL_MIDNIGHT_FROM and m.group(2) == "00" and int(m.group(3) or 0) == 0:
        return DateSignal(_as_parsed(best.parsed.date + dt.timedelta(days=1), "day"), best.source, best.raw)
    for other in others:
        if other.parsed.granularity != "day" or other.utc:
            continue
        shift = (other.parsed.date - best.parsed.date).days
        if shift not in (-1, 1) or (hour is not None and (shift == -1) != (hour < 12)):
            continue
        # The URL says the timestamp's day, a teaser above the headline the next: timestamps are no
        # evidence here, they share the zone.
        if _local_support(other.parsed.iso, signals) > _local_support(best.parsed.iso, signals):
            return other
    return best


_UTC_TIME = re.compile(r"(?:T|\s)(\d\d):(\d\d)(?::(\d\d))?")
LOCAL_MIDNIGHT_FROM = 18  # UTC hours at which a whole-hour timestamp is a midnight in Europe, Africa or Asia


def _local_support(day: str, signals: list[DateSignal]) -> int:
    """Kinds of signal written in the readers' zone that state ``day``: not timestamps, nor the day
    folder of the page image's URL (when a file reached the server, in the server's zone)."""
    return len({
        _EVIDENCE.get(s.source, s.source) for s in signals
        if not s.utc and s.parsed.iso == day and not (s.source == "url" and not s.raw.startswith("http"))
    })


def _fetch_day(doc: Document) -> dt.date | None:
    """No page is published after it was fetched: the upper bound for dates read from its text."""
    parsed = parse_date(doc.fetched_at[:10]) if doc.fetched_at else None
    return parsed.date if parsed else None


def _updated(doc: Document, modified: list[DateSignal], languages: tuple[str, ...], published: ParsedDate) -> str | None:
    """The page's own "Updated:" field, else the first modification date that is not the publication day."""
    for value in doc.fields.get("updated") or []:
        parsed = parse_date(value, languages)
        if parsed:
            return parsed.iso
    for signal in modified:
        if signal.parsed.iso[:10] != published.iso[:10]:
            return signal.parsed.iso
    return None


def _disagree(a: ParsedDate, b: ParsedDate) -> bool:
    """More than a day apart (a day is a time zone), compared at the coarser granularity."""
    if "year" in (a.granularity, b.granularity):
        return a.iso[:4] != b.iso[:4]
    if "month" in (a.granularity, b.granularity):
        return a.iso[:7] != b.iso[:7]
    return abs((a.date - b.date).days) > 1
