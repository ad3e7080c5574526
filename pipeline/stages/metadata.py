"""Metadata: the typed document fields, each right or honestly empty, with where it came from.

Inputs: what the boilerplate stage found the page stating about itself (``doc.fields``: the site's
own title, type label, date, sources, fields of work, author), the body text (for the dateline and
the language) and the parsed page (for structured metadata: JSON-LD, OpenGraph and other meta tags,
``<time>``, the URL).

The publication date is decided in one place, ``pipeline.published.decide_publication``, beside the
signals it weighs; this stage calls it once per page and records the decision (value, source,
granularity, update date, notes).
"""

from __future__ import annotations

import datetime as dt
import json
import re

from ..dates import iso_date, parse_date, parse_dateline
from ..document import Document
from ..language import decide_language, declared_language
from ..published import decide_publication

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
    _dateline(doc, resources, languages)
    _published(doc, tree, languages, resources)
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


def _dateline(doc: Document, resources, languages: tuple[str, ...]) -> None:
    first_paragraph = doc.body_text.split("\n\n", 1)[0] if doc.body_text else ""
    dateline = parse_dateline(first_paragraph, languages, _site_field_day(doc, languages)) if first_paragraph else None
    if dateline is None:
        return
    gazetteer = resources.gazetteer  # built on first use: seconds, for the pages that have a dateline
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


def _published(doc: Document, tree, languages: tuple[str, ...], resources) -> None:
    decision = decide_publication(doc, tree, languages, resources.date_rules, resources.vocabulary)
    doc.published, doc.published_source, doc.published_granularity = decision.value, decision.source, decision.granularity
    doc.updated = decision.updated
    doc.notes.extend(decision.notes)


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
