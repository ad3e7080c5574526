"""Find label/value pairs a page states about itself ("Date: 17 February 2015", "Source: ...").

Generic, no site knowledge: a *label* is an element whose whole text is a known label from
``rules/labels.toml`` or any short text ending with ":" (``<div class="field-label">Date:</div>``,
``<strong>Originator:</strong>``), or a ``<dt>``. Its *value* is what follows it: the next sibling
element (``field-items``, ``dd``), or, when the label is inline, the text up to the next line break
or label. Values made of several links or list items come out as one item per link or item.
Machine-readable values (``content``/``datetime`` attributes) are kept separately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .html import BLOCK_TAGS, SKIP_TAGS, direct_text, element_text, is_hidden, normalize_space
from .labels import LabelVocabulary, ends_like_label

_LABEL_CLASS = re.compile(r"(?:^|[\s_-])(?:field-label|field__label|views-label|label|meta-label|term|key)(?:$|[\s_-])")
_LIST_FIELDS = frozenset({"sources", "fields_of_work", "author"})
_SPLIT = re.compile(r"\s*[,;]\s+|\s*;\s*|\s+\|\s+")
_MAX_LABEL_CHARS = 60
_MAX_VALUE_CHARS = 400
_MAX_ITEM_WORDS = 12  # a value is a name or a date, never a sentence


@dataclass
class LabelledValue:
    label: str
    field: str | None  # None when the label is not in the vocabulary
    values: list[str]
    machine: list[str]  # machine-readable forms (e.g. the ``content`` of a dc:date span)
    label_element: object
    value_elements: list = field(default_factory=list)

    @property
    def elements(self) -> list:
        return [self.label_element, *self.value_elements]


# Elements that could be labels, found by lxml in C: a colon in their own text, a <dt>, or a
# label-like class. Everything else on the page is never looked at. Written as a union (the union
# is in document order, without repeats) because selecting the text nodes with a colon and taking
# their parents is faster than testing every element's text nodes.
_CANDIDATES = etree.XPath(
    "descendant-or-self::dt"
    " | descendant-or-self::text()[contains(., ':') or contains(., '：')]/.."
    " | descendant-or-self::*[@class][contains(@class, 'label') or contains(@class, 'term') or contains(@class, 'key')]"
)


def find_labelled_values(root, labels: LabelVocabulary, skip=None) -> list[LabelledValue]:
    """Every label/value pair under ``root`` in document order.

    ``skip(element) -> bool`` excludes subtrees (navigation, say); script-like and hidden elements
    are always excluded.
    """
    if root is None:
        return []
    found: list[LabelledValue] = []
    taken: set = set()  # labels and values already paired: nothing inside them is a new label
    for element in _CANDIDATES(root):
        if _excluded(element, root, taken, skip):
            continue
        pair = _pair_at(element, labels)
        if pair is not None:
            found.append(pair)
            taken.update(pair.elements)
    return found


def _excluded(element, root, taken: set, skip) -> bool:
    current = element
    while current is not None:
        if current in taken or current.tag in SKIP_TAGS or is_hidden(current) or (skip is not None and skip(current)):
            return True
        if current is root:
            return False
        current = current.getparent()
    return False


def _pair_at(element, labels: LabelVocabulary) -> LabelledValue | None:
    if len(element) > 2 and element.tag != "dt":
        return None  # a label is a leaf or nearly so
    glance = direct_text(element)
    if len(glance) > _MAX_LABEL_CHARS or not (
        glance.endswith((":", "：")) or element.tag == "dt" or _LABEL_CLASS.search(element.get("class") or "")
    ):
        return None  # cheap test first: most elements are not labels
    text = element_text(element)
    if not text or len(text) > _MAX_LABEL_CHARS or _is_link(element):
        return None
    if any(isinstance(c.tag, str) and element_text(c) == text for c in element):
        return None  # the label is the child; let the walk reach it
    known = labels.field_for(text)
    written_as_label = element.tag == "dt" or ends_like_label(text)
    if not (written_as_label or (known and _LABEL_CLASS.search(element.get("class") or ""))):
        return None  # "Source" as a menu item or a word in running text is not a label
    values, machine, value_elements = _value_after(element, labels)
    if known is None and not values:
        return None  # an unknown "Something:" with nothing after it says nothing
    if known in _LIST_FIELDS:
        values = [piece for value in values for piece in _split_list(value)]
    return LabelledValue(normalize_space(text).rstrip(":： \u00a0"), known, values, machine, element, value_elements)


def _is_link(element) -> bool:
    """Labels are never links: menus are made of them."""
    if element.tag == "a":
        return True
    parent = element.getparent()
    return parent is not None and parent.tag == "a"


def _value_after(label, labels: LabelVocabulary) -> tuple[list[str], list[str], list]:
    """(values, machine values, elements holding them) following a label element."""
    if label.tag == "dt":
        dds = []
        sibling = label.getnext()
        while sibling is not None and sibling.tag == "dd":
            dds.append(sibling)
            sibling = sibling.getnext()
        values = [t for d in dds for t in _items_of(d)]
        return values, [m for d in dds for m in _machine_values(d)], dds
    tail = normalize_space(label.tail or "")
    if tail:
        return _inline_value(label, tail, labels)
    anchor = label
    # <div class="label"><span>Date:</span></div><div class="value">...: climb while the label is alone
    while anchor.getnext() is None and anchor.getparent() is not None and element_text(anchor.getparent()) == element_text(label):
        anchor = anchor.getparent()
        if normalize_space(anchor.tail or ""):
            return _inline_value(anchor, normalize_space(anchor.tail or ""), labels)
    sibling = anchor.getnext()
    while sibling is not None and (not isinstance(sibling.tag, str) or sibling.tag in SKIP_TAGS):
        sibling = sibling.getnext()
    if sibling is None or sibling.tag == "br" or _is_label(sibling, labels):
        return [], [], []
    if sibling.tag not in BLOCK_TAGS:
        # <span>What we do:</span> <a>Policing</a>, <a>Human rights</a>: every inline sibling up to
        # the next line break, block or label is the value, not only the first one
        return _inline_value(anchor, "", labels)
    text = element_text(sibling)
    if len(text) > _MAX_VALUE_CHARS:
        return [], [], []
    return _items_of(sibling), _machine_values(sibling), [sibling]


def _inline_value(label, tail: str, labels: LabelVocabulary) -> tuple[list[str], list[str], list]:
    """Text after an inline label up to the next ``<br>``, block or label: ``<b>Topics:</b> A, B<br>``."""
    pieces = [tail]
    elements = []
    sibling = label.getnext()
    while sibling is not None:
        if not isinstance(sibling.tag, str):
            sibling = sibling.getnext()
            continue
        if sibling.tag in ("br", "p", "div", "li", "ul", "table") or _is_label(sibling, labels):
            break
        text = element_text(sibling)
        if len(text.split()) > _MAX_ITEM_WORDS:
            break  # a sentence after the values (a teaser written inline) is not one of them
        pieces.append(text)
        pieces.append(sibling.tail or "")
        elements.append(sibling)
        sibling = sibling.getnext()
    text = normalize_space(" ".join(pieces))
    if len(text) > _MAX_VALUE_CHARS:
        return [], [], []
    machine = [m for e in elements for m in _machine_values(e)]
    links = [element_text(e) for e in elements if e.tag == "a"]
    if len(links) >= 2 and len(links) == len(elements) and not normalize_space(tail):
        return [l for l in links if l], machine, elements  # one item per link, however they are separated
    return ([text] if text else []), machine, elements


def _is_label(element, labels: LabelVocabulary) -> bool:
    if not isinstance(element.tag, str) or len(element) > 2:
        return False
    text = element_text(element)
    return bool(text) and len(text) <= _MAX_LABEL_CHARS and (labels.field_for(text) is not None or ends_like_label(text))


def _items_of(element) -> list[str]:
    """One item per link or list item when the value is a list of them, else the whole text."""
    text = element_text(element)
    if not text:
        return []
    letters = len(re.sub(r"[\s,;|]", "", text))
    for path in (".//a", ".//li"):
        parts = [p for p in (element_text(e) for e in element.xpath(path)) if p]
        if parts and len(re.sub(r"[\s,;|]", "", "".join(parts))) >= 0.8 * letters:
            return parts
    return [text]


def _machine_values(element) -> list[str]:
    out = []
    for e in element.iter():
        if not isinstance(e.tag, str):
            continue
        for attribute in ("content", "datetime"):
            value = e.get(attribute)
            if value and value.strip() and value.strip() not in out:
                out.append(value.strip())
    return out


def _split_list(value: str) -> list[str]:
    return [p.strip() for p in _SPLIT.split(value) if p.strip()]
