"""Metadata: the typed document fields, each right or honestly empty, with where it came from.

Inputs: what the boilerplate stage found the page stating about itself (``doc.fields``: the site's
own title, type label, date, sources, fields of work, author), the body text (for the dateline and
the language) and the parsed page (for structured metadata: JSON-LD, OpenGraph and other meta tags,
``<time>``, the URL).

Publication date precedence: the site's own date field (a labelled date, or a date the markup marks as
the publication date by the headline), then the dateline, then JSON-LD, meta tags, a visible date the
page marks as its own, the URL, page data in scripts, any other visible date. On pages without a site
profile a lone signal is outvoted by two agreeing kinds of evidence; any other signal more than a day
away is recorded in ``doc.notes``. A partial date stays partial (``published_granularity``).
"""

from __future__ import annotations

import datetime as dt
import json
import re

from ..dates import (
    DateRules, DateSignal, ParsedDate, VisibleDate, iso_date, load_date_rules, parse_date, parse_dateline, structured_dates, swap_day_month,
    visible_dates,
)
from ..document import Document
from ..language import decide_language, declared_language

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|::|»|·|/)\s+")
_NOT_A_NAME = re.compile(r"(?i)@|https?:|www\.|\b(?:e-?mail|contact|follow|share|subscribe|editor|redaktion|staff|team|admin|the author)\b")
_LIST_SPLIT = re.compile(r"\s*[;,]\s*")
MAX_AUTHOR_WORDS = 6


def run(doc: Document, resources) -> Document:
    tree = doc.tree
    doc.language, doc.language_source = decide_language(doc.body_text or _fallback_text(doc), tree)
    languages = _languages(doc.language, tree)
    doc.title, doc.title_source = _title(doc, tree)
    doc.content_type_label, doc.content_type = _content_type(doc.fields.get("content_type"), resources.content_types)
    _dateline(doc, resources.gazetteer, languages)
    _published(doc, tree, languages, load_date_rules(resources.rules_dir))
    doc.sources = _list_values(doc.fields.get("sources"))
    doc.fields_of_work = _list_values(doc.fields.get("fields_of_work")) or _generic_topics(tree)
    doc.author = _authors(doc.fields.get("author"), tree)
    for entry in doc.entries:
        _entry(entry, languages, resources.content_types)
    return doc


def _fallback_text(doc: Document) -> str:
    titles = doc.fields.get("title") or []
    teasers = [e.get("teaser") or "" for e in doc.entries]
    return " ".join([*titles, *teasers])


def _languages(language: str | None, tree) -> tuple[str, ...]:
    """Languages to parse dates in: the page's, then English (dates in meta tags and many sites' chrome)."""
    out = [lang for lang in (language, declared_language(tree), "en") if lang]
    return tuple(dict.fromkeys(out))


# ------------------------------------------------------------------------------------ title, type


def _title(doc: Document, tree) -> tuple[str | None, str | None]:
    stated = _first(doc.fields.get("title"))
    if stated:
        return _clean_title(stated, _site_names(doc, tree)), "site field" if doc.format == "html" else "text rendering"
    if tree is None:
        return None, None
    for source, value in (("og:title", _meta(tree, "og:title")), ("<title>", _html_title(tree))):
        if value:
            return _clean_title(value, _site_names(doc, tree)), source
    return None, None


def _html_title(tree) -> str | None:
    element = tree.find(".//title")
    return " ".join(element.text_content().split()) if element is not None and element.text_content() else None


def _site_names(doc: Document, tree) -> set[str]:
    names = set()
    if tree is not None:
        for key in ("og:site_name", "application-name", "twitter:site"):
            value = _meta(tree, key)
            if value:
                names.add(value.lstrip("@").casefold())
    if doc.site:
        names.add(doc.site.split(".")[0].casefold())
        names.add(doc.site.casefold())
    return names


def _clean_title(title: str, site_names: set[str]) -> str:
    """Drop a site-name segment at either end ("… | OSCE", "OSCE - …")."""
    title = " ".join(title.split())
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        if parts[-1].casefold() in site_names:
            return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
        if parts[0].casefold() in site_names:
            return " - ".join(parts[1:]) if len(parts) > 2 else parts[1]
    return title


def _content_type(labels: list[str] | None, vocabulary: dict[str, str]) -> tuple[str | None, str | None]:
    label = _first(labels)
    if not label:
        return None, None
    label = " ".join(label.split()).strip(" :")
    canonical = vocabulary.get(label.casefold())
    return label, canonical or label[:1].upper() + label[1:]


# ------------------------------------------------------------------------------------ dateline, dates


def _dateline(doc: Document, gazetteer, languages: tuple[str, ...]) -> None:
    first_paragraph = doc.body_text.split("\n\n", 1)[0] if doc.body_text else ""
    dateline = parse_dateline(first_paragraph, languages, _site_field_day(doc, languages)) if first_paragraph else None
    if dateline is None:
        return
    region = gazetteer.lookup(dateline.region) if dateline.region else None
    places, countries = [], []
    for surface in dateline.places:
        place = gazetteer.lookup(surface)
        written = _title_case(surface)
        places.append(place.name if place is not None and doc.language in (None, "en") else written)
        country = place.country if place is not None and place.country else ""
        countries.append(country or (region.country if region is not None and region.country else ""))
    doc.dateline_place, doc.dateline_country = places, countries
    doc.dateline_date = dateline.date.iso if dateline.date else None
    doc.dateline_end = dateline.end


def _site_field_day(doc: Document, languages: tuple[str, ...]) -> dt.date | None:
    """The page's own date field, which gives a year-less dateline ("WARSAW, 30 June –") its year."""
    for value in doc.fields.get("published") or []:
        parsed = parse_date(value, languages)
        if parsed is not None and parsed.granularity == "day":
            return iso_date(parsed.iso)
    return None


def _title_case(text: str) -> str:
    small = {"the", "of", "and", "de", "la", "le", "am", "an", "der", "on"}
    words = re.split(r"(\s+|-|/)", text.lower())
    out = []
    for i, word in enumerate(words):
        out.append(word if (i > 0 and word in small) else word[:1].upper() + word[1:])
    return "".join(out)


def _published(doc: Document, tree, languages: tuple[str, ...], rules: DateRules) -> None:
    structured, modified = structured_dates(tree, doc.url, languages, rules=rules)
    visible = visible_dates(tree, languages, doc.title, rules, max_date=_fetch_day(doc)) if doc.format == "html" else []
    stated, fallback = _publication_signals(doc, languages, structured, visible)
    signals = stated + ([fallback] if fallback else [])
    if not signals:
        return
    first = signals[0] if _trusted_first(doc, signals[0]) else _most_supported(signals)
    # Dates the page writes for its readers, in their time zone: its date field, dateline, own visible
    # date, its URL (not its image's, which says when a file was uploaded).
    written_for_readers = [
        s for s in stated if s is not first and (s.source in ("site field", "dateline", "time", "text") or s.raw == doc.url)
    ]
    best = _completed(_local_day(_day_month_order(first, signals), written_for_readers), signals[1:], visible)
    doc.published = best.parsed.iso
    doc.published_granularity = best.parsed.granularity
    doc.published_source = best.source
    for other in signals:
        if other is not best and _disagree(best.parsed, other.parsed):
            doc.notes.append(f"published: {best.source} {best.parsed.iso} vs {other.source} {other.parsed.iso}")
    if best.parsed.ambiguous:
        doc.notes.append(f"published: day and month order of {best.raw!r} is ambiguous; read as {best.parsed.iso}")
    updated = modified + [DateSignal(v.parsed, v.source, v.raw) for v in visible if v.cue == "updated" and not v.elsewhere]
    doc.updated = _updated(doc, updated, languages, best.parsed)


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
    best = min(others, key=_visible_rank)
    return signals, DateSignal(best.parsed, best.source, best.raw)


def _is_marked_publication_date(v: VisibleDate) -> bool:
    """A date the page's markup marks as its publication date (``<time class="entry-date published">``)
    by its headline: the site's own date field in generic markup, as opposed to a date merely
    mentioned on the page or one in a comment or a teaser further down."""
    return v.publication_marked and _by_the_headline(v) and not v.elsewhere and v.cue != "updated"


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


def _local_day(best: DateSignal, others: list[DateSignal]) -> DateSignal:
    """A UTC timestamp's day can be the page's day before or after: a day the page states for readers
    (its date field, the URL, a date it marks as its own) one day off wins. Not any date in the text,
    nor another timestamp: those are one day off by chance as often as by time zone."""
    if not best.utc or best.parsed.granularity != "day":
        return best
    for other in others:
        if other.parsed.granularity == "day" and not other.utc and abs((other.parsed.date - best.parsed.date).days) == 1:
            return other
    return best


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


# ------------------------------------------------------------------------------------ lists, authors


def _list_values(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or []:
        parts = [p.strip() for p in _LIST_SPLIT.split(value) if p.strip()]
        for part in parts if all(len(p) > 1 for p in parts) else [value.strip()]:
            if part and part not in out:
                out.append(part)
    return out


def _generic_topics(tree) -> list[str]:
    """Topics from tags other sites publish: article:tag, JSON-LD keywords, the keywords meta tag."""
    if tree is None:
        return []
    topics = [m.get("content", "").strip() for m in tree.iter("meta") if (m.get("property") or "").lower() == "article:tag"]
    for item in _json_ld(tree):
        keywords = item.get("keywords")
        if isinstance(keywords, str):
            topics.extend(_LIST_SPLIT.split(keywords))
        elif isinstance(keywords, list):
            topics.extend(k for k in keywords if isinstance(k, str))
    if not topics:
        topics = _LIST_SPLIT.split(_meta(tree, "keywords") or "")
    return list(dict.fromkeys(t.strip() for t in topics if t and t.strip() and len(t) <= 80))


def _authors(values: list[str] | None, tree) -> list[str]:
    candidates = list(values or [])
    if not candidates and tree is not None:
        candidates = [_meta(tree, "author") or "", _meta(tree, "article:author") or ""]
        for item in _json_ld(tree):
            author = item.get("author")
            for a in author if isinstance(author, list) else [author]:
                name = a.get("name") if isinstance(a, dict) else a
                if isinstance(name, str):
                    candidates.append(name)
    out = []
    for value in candidates:
        value = re.sub(r"(?i)^\s*(?:by|von|par|автор:?)\s+", "", " ".join(value.split()))
        if value and not _NOT_A_NAME.search(value) and len(value.split()) <= MAX_AUTHOR_WORDS and not re.search(r"\d", value):
            if value not in out:
                out.append(value)
    return out


# ------------------------------------------------------------------------------------ listing entries


def _entry(entry: dict, languages: tuple[str, ...], vocabulary: dict[str, str]) -> None:
    text = entry.get("published_text")
    parsed = parse_date(text, languages) if text else None
    entry["published"] = parsed.iso if parsed else None
    label, canonical = _content_type([entry["content_type_label"]] if entry.get("content_type_label") else None, vocabulary)
    entry["content_type_label"], entry["content_type"] = label, canonical


# ------------------------------------------------------------------------------------ small helpers


def _first(values: list[str] | None) -> str | None:
    for value in values or []:
        if value and value.strip():
            return value.strip()
    return None


def _meta(tree, key: str) -> str | None:
    key = key.lower()
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == key and meta.get("content"):
            return meta.get("content").strip()
    return None


def _json_ld(tree) -> list[dict]:
    items = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                items.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return items
