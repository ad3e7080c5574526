"""Listing pages ("News and press releases"): many entries, each a title link, a date, labels, a teaser.

Detected from the page's shape, not its URL: a group of sibling elements built alike (same tag and
class pattern, at least ``MIN_GENERIC_ROWS`` of them, or ``MIN_ROWS`` found by a site profile's
selector), each holding a link with a title-like text and a date, with no more article prose
outside them than inside. A related-content box on an article has the same shape, which is why the
prose outside the rows decides. Each row's labelled values ("Date:", "Where we are:") are read
with the same label detection as an article's metadata block.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urljoin

from .cues import Cues
from .html import HEADING_TAGS, class_tokens, element_text, normalize_space, quick_text, text_blocks
from .labels import LabelVocabulary
from .metadata_block import find_labelled_values

MIN_ROWS = 3  # with a site profile's row selector
MIN_GENERIC_ROWS = 5  # without one: related-content boxes beside an article often have 3 or 4
MIN_TITLE_WORDS = 3
MAX_ENTRY_WORDS = 120  # an entry is a title, a date, some labels and a teaser
_MONTH_WORD = r"[^\W\d_]{3,}\.?"
DATE_TEXT = re.compile(
    rf"\b\d{{1,2}}\.?\s+{_MONTH_WORD}\s+\d{{4}}\b"  # 19 March 2012, 22 октября 2013, 3. März 2020
    rf"|\b{_MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}\b"  # March 19, 2012
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"  # 2012-03-19, 19.03.2012
)
# Class tokens that differ between rows of one list: numbers, parity, position, state.
_VARYING_PARTS = frozenset({"odd", "even", "first", "last", "active", "current", "selected", "sticky", "featured", "new"})
_PROSE_WORDS = 12


def row_signature(element) -> str:
    """Tag and class without the tokens that differ from row to row (``views-row-3 odd``)."""
    tokens = (element.get("class") or "").lower().split()
    kept = [t for t in tokens if not any(c.isdigit() for c in t) and not _VARYING_PARTS.intersection(re.split(r"[-_]", t))]
    return f"{element.tag}.{'.'.join(sorted(set(kept)))}"


def find_rows(root, cues: Cues | None = None) -> tuple[list, str]:
    """The largest group of alike siblings that each hold a title link and a date.

    Groups inside ``<aside>``, ``<nav>``, ``<header>``, ``<footer>`` or containers the cues call
    related/footer/navigation (a "most read" box) are not listings of the page.
    """
    best: list = []
    signatures: dict[tuple, str] = {}
    for parent in root.iter():
        if not isinstance(parent.tag, str) or len(parent) < MIN_GENERIC_ROWS:
            continue
        groups: dict[str, list] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str):
                key = (child.tag, child.get("class"))
                if key not in signatures:
                    signatures[key] = row_signature(child)
                groups[signatures[key]].append(child)
        for rows in groups.values():
            if len(rows) < MIN_GENERIC_ROWS or len(rows) <= len(best):
                continue
            if _mostly_entries(rows) and not _in_aside(parent, cues):
                best = rows
    return best, (f"{len(best)} alike siblings with a title link and a date" if best else "")


def _mostly_entries(rows: list) -> bool:
    """At least 70% of the rows (and MIN_GENERIC_ROWS) hold a title link and a date; stops early."""
    allowed_misses = len(rows) - max(MIN_GENERIC_ROWS, 0.7 * len(rows))
    misses = 0
    for row in rows:
        if _has_date(row) and _title_link(row) is not None:
            continue
        misses += 1
        if misses > allowed_misses:
            return False
    return True


def _in_aside(element, cues: Cues | None) -> bool:
    for current in (element, *element.iterancestors()):
        if current.tag in ("aside", "nav", "footer", "header"):
            return True
        if cues is not None and current.tag not in ("body", "html") and cues.kind_of(class_tokens(current)):
            return True
    return False


def is_listing(rows: list, blocks: list) -> bool:
    """Rows make a listing when the page has no more prose outside them than inside them."""
    if len(rows) < MIN_ROWS:
        return False
    inside = outside = 0
    row_set = set(rows)
    words_per_row = {row: 0 for row in rows}
    for block in blocks:
        for ancestor in block.ancestors:
            if ancestor in words_per_row:
                words_per_row[ancestor] += block.words
                break
        if block.words < _PROSE_WORDS or block.link_density > 0.3:
            continue
        if block.inside(row_set):
            inside += len(block.text)
        else:
            outside += len(block.text)
    if sorted(words_per_row.values())[len(rows) // 2] > MAX_ENTRY_WORDS:
        return False  # whole posts one after another (a blog's front page) are read as one text
    return outside <= max(400, 0.5 * inside)


def entries_from_rows(rows: list, base_url: str | None, labels: LabelVocabulary, selectors: dict | None = None) -> list[dict]:
    """One entry per row that has a title link; ``position`` counts rows from 1, in page order.

    ``selectors`` are a site profile's listing selectors (title_link, type_label, date, teaser);
    without them, every part is found generically.
    """
    entries = []
    for position, row in enumerate(rows, start=1):
        entry = _entry(row, position, base_url, labels, selectors or {})
        if entry is not None:
            entries.append(entry)
    return entries


def _entry(row, position: int, base_url: str | None, labels: LabelVocabulary, selectors: dict) -> dict | None:
    link = _first_selected(selectors.get("title_link"), row, lambda e: e.tag == "a" and bool(e.get("href")))
    if link is None:
        link = _title_link(row)
    if link is None:
        return None
    title = element_text(link)
    href = (link.get("href") or "").strip()
    pairs = find_labelled_values(row, labels)
    by_field: dict[str, list[str]] = {}
    used = {link}
    for pair in pairs:
        used.update(pair.elements)
        if pair.field and pair.field not in by_field:
            by_field[pair.field] = pair.values
    type_label = _type_label(row, labels, selectors, used)
    published = by_field.get("published") or _date_in(row, selectors)
    teaser = _teaser(row, used, selectors, title)
    return {
        "position": position,
        "title": title,
        "url": urljoin(base_url, href) if base_url else href,
        "published_text": published[0] if published else None,
        "content_type_label": (by_field.get("content_type") or [type_label])[0],
        "where": by_field.get("sources", []),
        "what": by_field.get("fields_of_work", []),
        "teaser": teaser,
    }


def _first_selected(alternatives, row, accept):
    if not alternatives:
        return None
    found, _ = alternatives.first_match(row)
    for element in found:
        if accept(element):
            return element
        for inner in element.iter("a"):
            if accept(inner):
                return inner
    return None


def _title_link(row):
    """The link in a heading, else the link with the longest title-like text."""
    best, best_words = None, 0
    for link in row.iter("a"):
        if not link.get("href"):
            continue
        words = len(quick_text(link).split())
        if words < MIN_TITLE_WORDS:
            continue
        in_heading = any(a.tag in HEADING_TAGS for a in link.iterancestors()) or any(
            c.tag in HEADING_TAGS for c in link.iter() if isinstance(c.tag, str)
        )
        score = words + (100 if in_heading else 0)
        if score > best_words:
            best, best_words = link, score
    return best


def _has_date(row) -> bool:
    if any(True for _ in row.iter("time")):
        return True
    return bool(DATE_TEXT.search(quick_text(row)))


def _date_in(row, selectors: dict) -> list[str]:
    alternatives = selectors.get("date")
    if alternatives:
        found, _ = alternatives.first_match(row)
        if found:
            return [element_text(found[0])]
    for time in row.iter("time"):
        text = element_text(time)
        return [v for v in (text, time.get("datetime")) if v]
    m = DATE_TEXT.search(element_text(row))
    return [m.group(0)] if m else []


def _type_label(row, labels: LabelVocabulary, selectors: dict, used: set) -> str | None:
    alternatives = selectors.get("type_label")
    if alternatives:
        found, _ = alternatives.first_match(row)
        if found:
            return element_text(found[0]) or None
    for block in text_blocks(row):
        if labels.is_content_type(block.text) and not block.inside(used):
            return block.text
    return None


def _teaser(row, used: set, selectors: dict, title: str) -> str | None:
    alternatives = selectors.get("teaser")
    if alternatives:
        found, _ = alternatives.first_match(row)
        if found:
            return normalize_space(element_text(found[0])) or None
    candidates = [b for b in text_blocks(row) if not b.inside(used) and b.text != title and b.link_density < 0.5]
    if not candidates:
        return None
    return max(candidates, key=lambda b: len(b.text)).text if max(len(b.text) for b in candidates) > len(title) else None
