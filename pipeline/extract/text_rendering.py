"""Text renderings of pages: navigation lines first, then type, title, a labelled block, the body.

A text rendering (what a text browser or a "save as text" gives) has lost its markup, but keeps
its shape: menu entries are list items (``- Albania``) or bare ``-`` group separators, the metadata
block is a run of list items where labels from ``rules/labels.toml`` ("Date:", "Источник:") are
followed by their values, and the body is a run of sentence-like lines. Lines are classified from
that shape alone, never from the words of a particular site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .html import normalize_space
from .labels import LabelVocabulary, ends_like_label

_ITEM = re.compile(r"^\s*[-–•*·]\s?")
_INLINE_LABEL = re.compile(r"^(?P<label>[^:：]{1,60})[:：]\s*(?P<value>\S.*)$")
_TERMINAL = re.compile(r"[.!?…:;]['\"”’»)\]]*$")
_LIST_SPLIT = re.compile(r"\s*[,;]\s+")
_LIST_FIELDS = frozenset({"sources", "fields_of_work", "author"})
MIN_SENTENCE_WORDS = 6
LONG_LINE_WORDS = 20
MAX_VALUE_LINES = 4  # list items a label can own; more is the menu that follows the block
MAX_LIST_IN_BODY = 8  # consecutive short or list-item lines inside an article; more is a menu


@dataclass(slots=True)
class Line:
    index: int
    raw: str
    text: str  # without the list-item marker, whitespace normalized
    is_item: bool
    kind: str = "navigation"
    reason: str = ""


@dataclass
class Rendering:
    lines: list[Line]
    body: list[str]
    fields: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def is_sentence_like(text: str) -> bool:
    """Running text: enough words, ending like a sentence (or long enough to be prose anyway)."""
    words = len(text.split())
    return words >= LONG_LINE_WORDS or (words >= MIN_SENTENCE_WORDS and bool(_TERMINAL.search(text)))


def split_lines(text: str) -> list[Line]:
    out = []
    for i, raw in enumerate(text.splitlines()):
        stripped = raw.strip()
        is_item = bool(_ITEM.match(stripped)) and not re.match(r"^-?\d", stripped)
        body = _ITEM.sub("", stripped, count=1) if is_item else stripped
        out.append(Line(i, raw, normalize_space(body), is_item))
    return out


def read_rendering(text: str, labels: LabelVocabulary, is_template=None) -> Rendering:
    """Classify every line and cut out title, type label, labelled fields and body.

    ``is_template(line) -> bool`` (optional) says whether a line repeats across the host's pages:
    such a line is never the title, and leaves the body unless it stands alone between the
    article's own lines.
    """
    lines = split_lines(text)
    content = [l for l in lines if l.text]
    block = _metadata_block(content, labels)
    fields = block[2] if block else {}
    if block:
        for line in content[block[0] : block[1] + 1]:
            line.kind, line.reason = "metadata", "labelled block"
    if block and any(is_sentence_like(l.text) for l in content[block[1] + 1 :]):
        body_start, head_end, why = block[1] + 1, block[0], "prose after the labelled block"
    else:  # no block, or one after the text (tags at the end): anchor on the prose itself
        body_start, why = _longest_prose_run(content), "longest run of prose"
        head_end = min(body_start, block[0]) if block and body_start is not None else body_start
    if body_start is None or body_start >= len(content):
        for line in content:
            if line.kind != "metadata":
                line.reason = line.reason or "no body found"
        return Rendering(lines, [], fields, ["text rendering: no body lines found"])
    body_end = _body_end(content, body_start)
    region = [l for l in content[body_start : body_end + 1] if l.kind != "metadata"]
    repeated = [is_template is not None and is_template(line.raw) for line in region]
    body: list[str] = []
    for i, line in enumerate(region):
        if repeated[i] and not is_alone(repeated, i):
            line.kind, line.reason = "template", "repeats across the host's pages"
            continue
        line.kind, line.reason = "body", why
        body.append(line.text)
    for line in content[body_end + 1 :]:
        if line.kind != "metadata":
            line.kind, line.reason = "footer", "after the last prose line"
    _title_and_type(content[:head_end], fields, labels, is_template)
    for line in content[:head_end]:
        if line.kind == "navigation" and not line.reason:
            line.reason = "list item" if line.is_item else "short line before the title"
    return Rendering(lines, body, fields, [])


def is_alone(flags: list[bool], i: int) -> bool:
    """A flagged item with unflagged neighbours on both sides (a stock sentence inside the text,
    not a run of template lines)."""
    return 0 < i < len(flags) - 1 and not flags[i - 1] and not flags[i + 1]


def _label_of(line: Line, labels: LabelVocabulary) -> tuple[str | None, str | None]:
    """(field, inline value) when a line is a label: ``Date:`` or ``Date: 18 November 2010``."""
    if ends_like_label(line.text):
        name = labels.field_for(line.text)
        return (name, None) if name else (None, None)
    m = _INLINE_LABEL.match(line.text)
    if m:
        name = labels.field_for(m.group("label"))
        if name:
            return name, m.group("value").strip()
    return None, None


def _metadata_block(content: list[Line], labels: LabelVocabulary):
    """(first index, last index, fields) of the first run of labels and their values, or None.

    A label's values are the list items up to the next label. When the last label runs into a long
    list (a menu after the block), only its first item is its value: a field has a few values.
    """
    i = 0
    while i < len(content):
        name, inline = _label_of(content[i], labels)
        if not name:
            i += 1
            continue
        first, fields, current, current_at, inline_value = i, {name: [inline] if inline else []}, name, i, bool(inline)
        j = i + 1
        while j < len(content):
            line = content[j]
            next_name, next_inline = _label_of(line, labels)
            if next_name:
                current, current_at, inline_value = next_name, j, bool(next_inline)
                fields.setdefault(current, [])
                if next_inline:
                    fields[current].append(next_inline)
            elif line.is_item and not is_sentence_like(line.text):
                fields[current].append(line.text)
            else:
                break
            j += 1
        if j - current_at - 1 > MAX_VALUE_LINES:
            fields[current] = fields[current][:1]
            j = current_at + (1 if inline_value else 2)
        if len(fields) >= 2 or any(fields.values()):
            return first, j - 1, _split_fields(fields)
        i = j
    return None


def _split_fields(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    out = {}
    for name, values in fields.items():
        if name in _LIST_FIELDS:
            values = [piece for value in values for piece in _LIST_SPLIT.split(value) if piece.strip()]
        out[name] = [v.strip() for v in values if v.strip()]
    return out


def _longest_prose_run(content: list[Line]) -> int | None:
    """First prose line of the stretch holding the most prose, stretches being separated by long
    runs of menu-like lines (list items or lines of three words or fewer)."""
    best_start, best_chars = None, 0
    start, chars, menu_run = None, 0, 0
    for i, line in enumerate(content):
        if is_sentence_like(line.text):
            if start is None:
                start = i
            chars += len(line.text)
            menu_run = 0
        elif line.is_item or len(line.text.split()) <= 3:
            menu_run += 1
            if menu_run >= MAX_LIST_IN_BODY:
                start, chars = None, 0
        if start is not None and chars > best_chars:
            best_start, best_chars = start, chars
    return best_start


def _body_end(content: list[Line], start: int) -> int:
    """Last line of the body: the last prose line not separated from the body by a long run of
    menu-like lines. A short bulleted list between paragraphs stays in the body; the site's menus
    and footer links after the text do not."""
    last_prose = start
    menu_run = 0
    for i in range(start, len(content)):
        line = content[i]
        if is_sentence_like(line.text):
            last_prose, menu_run = i, 0
        elif line.is_item or len(line.text.split()) <= 3:
            menu_run += 1
            if menu_run >= MAX_LIST_IN_BODY:
                break
        else:
            menu_run = 0
    return last_prose


def _title_and_type(head: list[Line], fields: dict[str, list[str]], labels: LabelVocabulary, is_template) -> None:
    """The free-standing line right before the block (or body) is the title; a short one above it, the type.

    A line the host repeats on most pages cannot be a title (titles are unique), but it can be the
    type label ("Press release" is on every press release), so only the title is checked against
    the template.
    """
    if not head or head[-1].is_item or not _is_title_candidate(head[-1]):
        return
    title = head[-1]
    if is_template is not None and is_template(title.raw):
        return
    title.kind, title.reason = "title", "free-standing line just before the labelled block or body"
    fields.setdefault("title", [title.text])
    if len(head) > 1:
        above = head[-2]
        if not above.is_item and (labels.is_content_type(above.text) or len(above.text.split()) <= 4):
            above.kind, above.reason = "metadata", "type label above the title"
            fields.setdefault("content_type", [above.text])


def _is_title_candidate(line: Line) -> bool:
    words = len(line.text.split())
    return 2 <= words <= 40 and not line.text.endswith(":")
