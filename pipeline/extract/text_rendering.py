"""Text renderings of pages: navigation lines first, then type, title, a labelled block, the body.

A text rendering (what a text browser or a "save as text" gives) has lost its markup, but keeps
its shape: menu entries are list items (``- Albania``) or bare ``-`` group separators, the metadata
block is a run of list items where labels from ``rules/labels.toml`` ("Date:", "Источник:") are
followed by their values, and the body is a run of sentence-like lines. A listing page ("News and
press releases") is a repetition of that shape: title line, labelled block, a short teaser, again
and again. Lines are classified from that shape alone, never from the words of a particular site.
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
MIN_LISTING_ENTRIES = 3  # titled labelled blocks with a date that make a page a listing
MAX_TEASER_WORDS = 120  # an entry's text after its labels; an article's body is longer


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
    entries: list[dict] = field(default_factory=list)  # a listing page's entries (then there is no body)


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
    listing = _listing(content, labels)
    if listing is not None:
        return listing_rendering(lines, content, listing)
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


def _metadata_block(content: list[Line], labels: LabelVocabulary, start: int = 0):
    """(first index, last index, fields) of the first run of labels and their values from ``start``, or None.

    A label's values are the list items up to the next label. When the last label runs into a long
    list (a menu after the block), only its first item is its value: a field has a few values.
    """
    i = start
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


# ------------------------------------------------------------------------------------ listings


@dataclass
class _Entry:
    title: int  # index of the title line in the content lines
    block: tuple[int, int]  # first and last index of its labelled block
    teaser: tuple[int, int]  # first and last+1 index of its teaser lines
    fields: dict[str, list[str]]


def _listing(content: list[Line], labels: LabelVocabulary) -> list[_Entry] | None:
    """The entries when the page is a list of them: at least ``MIN_LISTING_ENTRIES`` labelled blocks
    with a date, each right after a free-standing title line and followed by a short teaser at most,
    and no more prose outside the entries than inside them (an article with a related-items list
    at its end has its own long body)."""
    blocks, start = [], 0
    while (block := _metadata_block(content, labels, start)) is not None:
        blocks.append(block)
        start = block[1] + 1
    dated = [b for b in blocks if b[2].get("published")]
    if len(dated) < MIN_LISTING_ENTRIES:
        return None
    entries: list[_Entry] = []
    for n, (first, last, fields) in enumerate(blocks):
        title = first - 1
        if title < 0 or content[title].is_item or not _is_title_candidate(content[title]):
            return None
        stop = blocks[n + 1][0] - 1 if n + 1 < len(blocks) else _teaser_stop(content, last + 1)
        if sum(len(l.text.split()) for l in content[last + 1 : stop]) > MAX_TEASER_WORDS:
            return None
        entries.append(_Entry(title, (first, last), (last + 1, stop), fields))
    inside = sum(len(l.text) for e in entries for l in content[e.teaser[0] : e.teaser[1]])
    entry_lines = {i for e in entries for i in range(e.title, e.teaser[1])}
    outside = sum(len(l.text) for i, l in enumerate(content) if i not in entry_lines and is_sentence_like(l.text))
    return entries if outside <= max(400, 0.5 * inside) else None


def _teaser_stop(content: list[Line], start: int) -> int:
    """End of the last entry's teaser: the first menu-like line (list item, or three words or fewer)."""
    for i in range(start, len(content)):
        if content[i].is_item or len(content[i].text.split()) <= 3:
            return i
    return len(content)


def listing_rendering(lines: list[Line], content: list[Line], entries: list[_Entry]) -> Rendering:
    out = []
    for position, entry in enumerate(entries, start=1):
        content[entry.title].kind = "other"
        content[entry.title].reason = f"listing entry {position}: title"
        for i in range(entry.block[0], entry.teaser[1]):
            content[i].kind, content[i].reason = "other", f"listing entry {position}"
        fields = entry.fields
        teaser = " ".join(l.text for l in content[entry.teaser[0] : entry.teaser[1]])
        out.append({
            "position": position,
            "title": content[entry.title].text,
            "url": None,  # a text rendering has lost its links
            "published_text": (fields.get("published") or [None])[0],
            "content_type_label": (fields.get("content_type") or [None])[0],
            "where": fields.get("sources", []),
            "what": fields.get("fields_of_work", []),
            "teaser": teaser or None,
        })
    head = content[: entries[0].title]
    if head and is_sentence_like(head[-1].text):
        head = head[:-1]  # the listing's one-sentence description under its heading
    fields: dict[str, list[str]] = {}
    if head and not head[-1].is_item and _is_title_candidate(head[-1]):
        head[-1].kind, head[-1].reason = "title", "heading above the listing entries"
        fields["title"] = [head[-1].text]
    for line in content:
        if line.kind == "navigation" and not line.reason:
            line.reason = "outside the listing entries"
    return Rendering(lines, [], fields, [], out)
