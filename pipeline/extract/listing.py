"""Listing pages ("News and press releases"): many entries, each a title link, a date, labels, a teaser.

Detected from the page's shape and from evidence, not from the URL: a group of sibling elements
built alike (same tag and class pattern, at least ``MIN_GENERIC_ROWS`` of them, or ``MIN_ROWS``
found by a site profile's selector), each holding its own date and a title link that leads to
another article page of the same site, with no more article prose outside them than inside.

Counting alike siblings is not enough: a comment thread, a blog's archive widget or a "related"
box has the same shape. What tells them apart is where the rows lead: a comment's link is a
timestamp pointing back at the page itself (``#comment-12``, ``?cid=...``) or at the commenter's
own site; an archive's are dates; a related box sits beside an article (the page declares itself
one, or has more prose outside the rows than inside). Each row's labelled values ("Date:",
"Where we are:") are read with the same label detection as an article's metadata block.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .cues import Cues
from .html import HEADING_TAGS, class_tokens, element_text, normalize_space, quick_text, text_blocks
from .labels import LabelVocabulary
from .metadata_block import find_labelled_values

MIN_ROWS = 3  # with a site profile's row selector
MIN_GENERIC_ROWS = 5  # without one: related-content boxes beside an article often have 3 or 4
MIN_TITLE_WORDS = 3
MAX_ENTRY_WORDS = 120  # an entry is a title, a date, some labels and a teaser
_MONTH_WORD = r"[^\W\d_]{3,}\.?"
# A date ends where its digits end, not at a word boundary: lxml's text of a row runs adjacent
# blocks together ("Posted on 3 May 2024Residents said ...").
DATE_TEXT = re.compile(
    rf"\b\d{{1,2}}\.?\s+{_MONTH_WORD}\s+\d{{4}}(?!\d)"  # 19 March 2012, 22 октября 2013, 3. März 2020
    rf"|\b{_MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}(?!\d)"  # March 19, 2012
    r"|\b\d{4}-\d{2}-\d{2}(?!\d)|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}(?!\d)"  # 2012-03-19, 19.03.2012
)
MIN_DISTINCT_TARGETS = 0.7  # share of rows whose title links lead to pages no other row leads to
_WORD_OF_LETTERS = re.compile(r"[^\W\d_]{3,}")
_SEPARATORS = ",;:|·•-–— "
_NO_TARGET = ("#", "javascript:", "mailto:", "tel:")
# Class tokens that differ between rows of one list: numbers, parity, position, state.
_TOKEN_PARTS = re.compile(r"[-_]")
_VARYING_PARTS = frozenset({"odd", "even", "first", "last", "active", "current", "selected", "sticky", "featured", "new"})
_PROSE_WORDS = 12
LINK_BOX_SHARE = 0.9  # share of a box's words inside links that makes it a box of links
# Elements with enough element children to hold a listing, in document order: found by lxml in C
# (most elements of a page have fewer children, and a Python walk would visit every one).
_ROW_PARENTS = etree.XPath(f"descendant-or-self::*[count(*) >= {MIN_GENERIC_ROWS}]")


def row_signature(element) -> str:
    """Tag and class without the tokens that differ from row to row (``views-row-3 odd``)."""
    tokens = (element.get("class") or "").lower().split()
    kept = [t for t in tokens if not any(map(str.isdigit, t)) and not _VARYING_PARTS.intersection(_TOKEN_PARTS.split(t))]
    return f"{element.tag}.{'.'.join(sorted(set(kept)))}"


def find_rows(root, cues: Cues | None = None, page_url: str | None = None) -> tuple[list, str]:
    """The largest group of alike siblings that each hold a date and a title link to another page of the site.

    Groups inside ``<aside>``, ``<nav>``, ``<header>``, ``<footer>`` or containers the cues call
    related/footer/navigation (a "most read" box) are not listings of the page. ``page_url`` is
    the page's own address (its URL, else its canonical link): links back to it are not entries.
    """
    best: list = []
    signatures: dict[tuple, str] = {}
    for parent in _ROW_PARENTS(root):
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
            if _mostly_entries(rows, page_url) and not _in_aside(parent, cues):
                best = rows
    return best, (f"{len(best)} alike siblings, each with a date and a title link to a page of its own" if best else "")


def _mostly_entries(rows: list, page_url: str | None) -> bool:
    """At least 70% of the rows (and MIN_GENERIC_ROWS) hold a date and a title link, and as many
    lead to pages of their own (not all to one page, as a comment thread's permalinks do)."""
    needed = max(MIN_GENERIC_ROWS, 0.7 * len(rows))
    allowed_misses = len(rows) - needed
    misses = 0
    targets = []
    for row in rows:
        link = _title_link(row, page_url) if _has_date(row) else None
        if link is not None:
            targets.append(entry_target(link, page_url))
            continue
        misses += 1
        if misses > allowed_misses:
            return False
    return distinct_targets(targets) >= needed


def distinct_targets(targets: list[str | None]) -> int:
    """How many rows lead to a page that no other row leads to."""
    counts: dict[str, int] = defaultdict(int)
    for target in targets:
        if target:
            counts[target] += 1
    return sum(1 for target in targets if target and counts[target] == 1)


def entry_target(link, page_url: str | None) -> str | None:
    """The page an entry's title link leads to (without its fragment), or None when it leads to no
    other page of the same site: an anchor on this page, a script, a mail address, the page itself
    with another query (``?cid=``, a comment permalink), or another host (a commenter's site)."""
    href = (link.get("href") or "").strip()
    if not href or href.lower().startswith(_NO_TARGET):
        return None
    try:
        target = urlsplit(urljoin(page_url or "", href))
    except ValueError:
        return None
    if target.scheme not in ("", "http", "https"):
        return None
    if page_url:
        page = urlsplit(page_url)
        if target.netloc and _host(target.netloc) != _host(page.netloc):
            return None
        if target.path.rstrip("/") == page.path.rstrip("/"):
            return None
    return f"{_host(target.netloc)}{target.path}?{target.query}"


def _host(netloc: str) -> str:
    return netloc.lower().split("@")[-1].split(":")[0].removeprefix("www.")


def listing_heading(root, rows: list, in_chrome):
    """The listing's own heading: the last heading before the first row, outside the page's chrome
    (``in_chrome(element)``) and forms, that is not a date (a "March 2021" group heading) and does
    not head a box of links of its own (a "Filter by topic" or "Tags" box beside the entries)."""
    first, found = rows[0], None
    for element in root.iter("h1", "h2", "h3", rows[0].tag):
        if element is first:
            break
        if element.tag in HEADING_TAGS and not in_chrome(element) and not any(a.tag == "form" for a in element.iterancestors()):
            text = element_text(element)
            if text and not is_date_like(text) and not _heads_link_box(element, first):
                found = element
    return found


def _heads_link_box(heading, first_row) -> bool:
    """The heading's box holds links and nothing else besides it, and not the entries: it names
    that box (facets, tags, a menu), not the listing."""
    box = heading.getparent()
    if box is None or box.tag in ("body", "html") or any(e is first_row for e in box.iterdescendants(first_row.tag)):
        return False
    others = [child for child in box if child is not heading]
    words = sum(len(quick_text(child).split()) for child in others)
    link_words = sum(len(quick_text(a).split()) for child in others for a in child.iter("a"))
    return words > 0 and link_words >= LINK_BOX_SHARE * words


def _in_aside(element, cues: Cues | None) -> bool:
    for current in (element, *element.iterancestors()):
        if current.tag in ("aside", "nav", "footer", "header"):
            return True
        if cues is not None and current.tag not in ("body", "html") and cues.kind_of(class_tokens(current)):
            return True
    return False


def is_date_like(text: str) -> bool:
    """A text that is a date or a timestamp and little else ("September 12, 2012 at 10:11 AM")."""
    rest = DATE_TEXT.sub(" ", text)
    return len(rest) < len(text) and len(_WORD_OF_LETTERS.findall(rest)) < 2


def is_listing(rows: list, blocks: list, declared_article: bool = False) -> bool:
    """Rows make a listing when the page has no more prose outside them than inside them and does
    not declare itself an article (``og:type`` article, a JSON-LD article: its rows are a related box)."""
    if len(rows) < MIN_ROWS or declared_article:
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
        link = _title_link(row, base_url)
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


def _title_link(row, page_url: str | None = None):
    """The link in a heading, else the link with the longest title-like text, among links that lead
    to another page of the site; a date or timestamp is not a title."""
    best, best_words = None, 0
    for link in row.iter("a"):
        if not link.get("href"):
            continue
        text = quick_text(link)
        words = len(text.split())
        if words < MIN_TITLE_WORDS or is_date_like(text) or entry_target(link, page_url) is None:
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
            used.add(found[0])
            return element_text(found[0]) or None
    for block in text_blocks(row):
        if labels.is_content_type(block.text) and not block.inside(used):
            used.add(block.element)
            return block.text
    return None


def _teaser(row, used: set, selectors: dict, title: str) -> str | None:
    alternatives = selectors.get("teaser")
    if alternatives:
        found, _ = alternatives.first_match(row)
        if found:
            return normalize_space(element_text(found[0])) or None
    # The row's text without its title link, type label and labelled values: in a row written as one
    # inline block ("<a>Title</a> <span>Publishing date:</span> ... lead") the lead stays, alone.
    candidates = [
        b for b in text_blocks(row, skip=used.__contains__)
        if b.text != title and b.link_density < 0.5 and not is_date_like(b.text) and len(_WORD_OF_LETTERS.findall(b.text)) >= 3
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda b: len(b.text))
    # separators left between the removed parts (", " between value links) are not the lead's
    return best.text.lstrip(_SEPARATORS) if len(best.text) > len(title) else None
