"""Parse a page once and cut it into text blocks.

A *text block* is what a reader sees as one paragraph: the text between two block-level
boundaries (``<p>``, ``<div>``, ``<li>``, a heading, ``<br><br>``...). Every later decision (site
profile, generic extraction, listing detection, the blocks table) works on the same list of
blocks, each knowing its element and its ancestors, so the page is walked only once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

# Never text a reader sees as content: scripts, styles, embedded objects, form controls.
SKIP_TAGS = frozenset(
    {
        "script", "style", "template", "svg", "math", "head", "title", "meta", "link", "iframe",
        "object", "embed", "canvas", "select", "option", "optgroup", "button", "input", "textarea", "audio",
        "video", "source", "track", "map", "area", "datalist", "dialog",
        "rt", "rp",  # ruby annotations: the pronunciation of the text beside them, not text of their own
    }
)
# Elements that start a new paragraph.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "h1", "h2", "h3", "h4",
        "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
        "caption", "blockquote", "pre", "figure", "figcaption", "form", "fieldset", "legend", "address", "hr",
        "center", "details", "summary", "body", "html", "menu", "hgroup",
    }
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# C0 control characters other than tab and line breaks: not text, and they upset XML-based tools
# (trafilatura returns nothing for a tree holding one).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_LINE_BREAK = "\x00"  # marks a single <br> inside a paragraph; parse_html removes control characters
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# One parser for every page: comments and processing instructions removed (their tails are kept),
# no id index (faster, and duplicate ids do not matter here), deep and large documents allowed.
# Pages are untrusted: never fetch anything they refer to (DTDs, external entities; libxml2's HTML
# parser expands no declared entities) and never decompress (a gzip bomb is ingest's to refuse).
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, huge_tree=True, no_network=True, decompress=False)


def parse_html(text: str):
    """The page's lxml tree (an ``<html>`` element), or None when there is nothing to parse.

    Never raises on bad markup: a str with an XML encoding declaration (XHTML) has the declaration
    removed, and whatever lxml cannot parse gives None.
    """
    if not text or not text.strip():
        return None
    text = _CONTROL.sub("", text)
    for candidate in (text, _XML_DECLARATION.sub("", text, count=1)):
        try:
            return lxml.html.document_fromstring(candidate, parser=_PARSER)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            continue
    return None


def normalize_space(text: str) -> str:
    """One space between words, no invisible characters (zero-width spaces, soft hyphens)."""
    return " ".join(_INVISIBLE.sub("", text).split())


def class_tokens(element) -> str:
    """``class`` and ``id`` of an element, lower-cased, as one string to search tokens in."""
    return f"{element.get('class') or ''} {element.get('id') or ''}".lower()


def is_hidden(element) -> bool:
    """Hidden by its own markup (``hidden``, ``aria-hidden``, an inline ``display:none``)."""
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


@dataclass(slots=True, eq=False)
class TextBlock:
    """One paragraph of the page as a reader sees it, and where it sits in the tree."""

    index: int
    text: str  # the lines joined by one space
    lines: tuple[str, ...]  # the text split at single line breaks (<br>)
    element: object  # the innermost block-level element holding the text
    ancestors: tuple  # open elements from the root down to ``element`` (inclusive)
    link_chars: int  # characters of text inside links

    @property
    def tag(self) -> str:
        return self.element.tag

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.text))

    @property
    def words(self) -> int:
        return len(self.text.split())

    def inside(self, elements: set) -> bool:
        """Whether one of the elements holds this block (the block's own element included)."""
        return not elements.isdisjoint(self.ancestors)  # in C: asked for every block, several times a page


class _Collector:
    """Accumulates the text of the paragraph being read and emits it as a TextBlock."""

    def __init__(self) -> None:
        self.blocks: list[TextBlock] = []
        self.pieces: list[str] = []
        self.link_chars = 0
        self.pending_breaks = 0

    def add(self, text: str | None, in_link: bool, stack: list) -> None:
        """Add text read inside ``stack``; text after ``<br><br>`` starts a new paragraph."""
        if not text:
            return
        if not text.strip():
            if self.pieces:
                self.pieces.append(" ")
            return
        if self.pending_breaks >= 2:
            self.flush(stack)
        elif self.pending_breaks:
            self.pieces.append(_LINE_BREAK)
            self.pending_breaks = 0
        self.pieces.append(text)
        if in_link:
            self.link_chars += len(text.strip())

    def line_break(self) -> None:
        if self.pieces:
            self.pending_breaks += 1

    def flush(self, stack: list) -> None:
        self.pending_breaks = 0
        if not self.pieces:
            return
        # invisible characters removed from the paragraph at once (none of them is the line-break
        # mark), then each line's whitespace normalized: the same as normalize_space line by line
        visible = _INVISIBLE.sub("", "".join(self.pieces))
        lines = tuple(line for line in (" ".join(l.split()) for l in visible.split(_LINE_BREAK)) if line)
        link_chars, self.pieces, self.link_chars = self.link_chars, [], 0
        if not lines:
            return
        text = " ".join(lines)
        owner_at = len(stack) - 1
        while owner_at > 0 and stack[owner_at].tag not in BLOCK_TAGS:
            owner_at -= 1
        ancestors = tuple(stack[: owner_at + 1]) if stack else ()
        owner = stack[owner_at] if stack else None
        self.blocks.append(TextBlock(len(self.blocks), text, lines, owner, ancestors, min(link_chars, len(text))))


def text_blocks(root, skip=None) -> list[TextBlock]:
    """The paragraphs under ``root`` in document order.

    ``skip(element) -> bool`` may exclude whole subtrees (their tails still count: the tail is the
    parent's text). Elements in SKIP_TAGS and hidden elements are always excluded. Iterative, so a
    page nested thousands of levels deep cannot exhaust the stack.
    """
    if root is None:
        return []
    out = _Collector()
    stack: list = []
    link_depth = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if tag in SKIP_TAGS or is_hidden(element) or (skip is not None and skip(element)):
                walker.skip_subtree()
                stack.append(None)  # placeholder: this element's end event pops it without reading it
                continue
            if tag in BLOCK_TAGS:
                out.flush(stack)
            elif tag == "br":
                out.line_break()
            elif tag == "a":
                link_depth += 1
            stack.append(element)
            out.add(element.text, link_depth > 0, stack)
        else:
            if stack[-1] is not None:
                if tag in BLOCK_TAGS:
                    out.flush(stack)
                elif tag == "a":
                    link_depth -= 1
            stack.pop()
            if element is not root:  # the root's tail is its parent's text
                out.add(element.tail, link_depth > 0, stack)
    out.flush(stack)
    return out.blocks


def quick_text(element) -> str:
    """All text under an element, whitespace normalized, computed by lxml in C: for detection
    heuristics on many elements (it does not separate blocks, and includes script text)."""
    return normalize_space(element.text_content()) if element is not None else ""


def direct_text(element) -> str:
    """The element's own text and its children's (not deeper): enough to see whether it is a label."""
    parts = [element.text or ""]
    for child in element:
        parts.append(child.text or "" if isinstance(child.tag, str) else "")
        parts.append(child.tail or "")
    return normalize_space(" ".join(parts))


def element_text(element) -> str:
    """All visible text of an element on one line (for short things: titles, labels, values)."""
    if element is None:
        return ""
    return " ".join(b.text for b in text_blocks(element))
