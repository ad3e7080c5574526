"""Boilerplate: separate a page's own text from its navigation, and say what the page states about itself.

HTML pages are parsed once (``doc.tree``, reused by later stages) and cut into text blocks. A site
profile, when one matches, points at the body, title, type label and metadata block; otherwise
generic mechanisms find them: labelled values (``rules/labels.toml``), the page's ``<h1>``, a known
type label next to it, repeated entry structures for listing pages, and trafilatura mapped onto our
blocks for the body. Text renderings are read line by line from their shape.

Sets ``tree``, ``body_text`` (paragraphs separated by one blank line), ``body_source``,
``page_kind``, ``fields`` (raw labelled values), ``blocks`` (every block and why it was kept or
dropped) and, for listing pages, ``entries``.
"""

from __future__ import annotations


from ..document import Block, Document
from ..extract.generic import extract_generic
from ..extract.html import HEADING_TAGS, TextBlock, class_tokens, direct_text, element_text, parse_html, quick_text, text_blocks
from ..extract.labels import LabelVocabulary
from ..extract.listing import entries_from_rows, find_rows, is_listing
from ..extract.metadata_block import LabelledValue, find_labelled_values
from ..extract.text_rendering import is_alone, read_rendering

MAX_VALUE_WORDS = 20
MAX_VALUE_CHARS = 300
FIELD_ORDER = ("title", "content_type", "published", "updated", "sources", "fields_of_work", "author")
_NAVIGATION_TAGS = frozenset({"nav", "menu"})


def run(doc: Document, resources) -> Document:
    profiles = resources.profiles
    template = _host_template(resources, doc.site)
    if doc.format == "text":
        return _read_rendering(doc, profiles.labels, template)
    return _read_html(doc, profiles, template)


def _host_template(resources, site: str | None):
    templates = getattr(resources, "templates", None)
    return templates.for_site(site) if templates is not None else None


# ------------------------------------------------------------------------------------ text renderings


def _read_rendering(doc: Document, labels: LabelVocabulary, template) -> Document:
    is_template = None
    if template is not None:
        from ..templates import line_fingerprint

        def is_template(line: str) -> bool:
            return template.is_template(line_fingerprint(line))

    rendering = read_rendering(doc.text, labels, is_template)
    doc.tree = None
    doc.body_text = "\n\n".join(rendering.body)
    doc.body_source = "text-rendering"
    doc.page_kind = "article" if rendering.body else "other"
    doc.fields = _ordered(rendering.fields)
    doc.blocks = [Block(l.index, l.kind, l.text, l.reason) for l in rendering.lines if l.text]
    doc.notes.extend(rendering.notes)
    return doc


# ------------------------------------------------------------------------------------ HTML


def _read_html(doc: Document, profiles, template) -> Document:
    tree = doc.tree if doc.tree is not None else parse_html(doc.text)
    doc.tree = tree
    if tree is None:
        doc.page_kind = "other"
        doc.notes.append("boilerplate: nothing parsable in the page")
        return doc
    root = _body_of(tree)
    blocks = text_blocks(root)
    profile, matched_by = profiles.for_document(doc, tree)
    labels = profiles.labels
    decided: dict[TextBlock, tuple[str, str]] = {}

    title_element, title_reason = _title_element(tree, root, profile)
    type_element, type_reason = _type_label_element(root, profile, title_element, labels)
    pairs, meta_elements = _metadata(root, profile, labels, title_element)
    _mark(blocks, decided, {title_element} if title_element is not None else set(), "title", title_reason)
    _mark(blocks, decided, {type_element} if type_element is not None else set(), "metadata", type_reason)
    _mark(blocks, decided, meta_elements, "metadata", "labelled values")
    doc.fields = _fields(title_element, type_element, pairs)

    content_root, root_reason = _profile_content_root(tree, profile)
    if content_root is None and _read_listing(doc, tree, root, blocks, decided, profile, labels, profiles.cues):
        return doc

    excluded = _profile_excludes(tree, profile)
    if content_root is not None:
        body = [b for b in blocks if b not in decided and b.inside({content_root}) and not b.inside(excluded)]
        source = f"profile:{profile.name}"
        reason = f"inside {root_reason} ({profile.name} profile, matched by {matched_by})"
    else:
        candidates = [b for b in blocks if b not in decided and not b.inside(excluded)]
        result = extract_generic(tree, candidates, doc.url, profiles.cues)
        body, source, reason = result.body, result.source, f"chosen by {result.source}"
        for block, why in result.dropped:
            decided[block] = ("other", f"{source} took it; dropped: {why}")
        doc.notes.extend(result.notes)
    body = _without_template_runs(body, template, decided)
    for block in body:
        decided[block] = ("body", reason)
    doc.body_text = "\n\n".join(b.text for b in body)
    doc.body_source = source
    doc.page_kind = "article" if body else "other"
    if not body:
        doc.notes.append("boilerplate: no body text found")
    doc.blocks = _block_records(blocks, decided, profiles.cues)
    return doc


def _body_of(tree):
    body = tree.find("body")
    return body if body is not None else tree


def _mark(blocks: list[TextBlock], decided: dict, elements: set, kind: str, reason: str) -> None:
    if not elements:
        return
    for block in blocks:
        if block not in decided and block.inside(elements):
            decided[block] = (kind, reason)


# ------------------------------------------------------------------------------------ page parts


def _title_element(tree, root, profile):
    if profile is not None:
        found, selector = profile.article["title"].first_match(tree)
        if found:
            return found[0], f"title ({selector})"
    headings = [h for h in root.iter("h1") if element_text(h)]
    if not headings:
        return None, ""
    if len(headings) == 1:
        return headings[0], "the page's only <h1>"
    page_title = element_text(tree.find(".//title")) if tree.find(".//title") is not None else ""
    best = max(headings, key=lambda h: _overlap(element_text(h), page_title))
    return best, "the <h1> closest to the page's <title>"


def _overlap(a: str, b: str) -> float:
    words_a, words_b = set(a.casefold().split()), set(b.casefold().split())
    return len(words_a & words_b) / max(1, len(words_a))


def _type_label_element(root, profile, title_element, labels: LabelVocabulary):
    """The "Press release" above a title: from the profile, else a known type label beside the title."""
    if profile is not None:
        found, selector = profile.article["type_label"].first_match(root)
        if found:
            return found[0], f"type label ({selector})"
    if title_element is None:
        return None, ""
    scope = title_element.getparent()
    for _ in range(2):
        if scope is None:
            break
        for element in scope.iter():
            if element is title_element or not isinstance(element.tag, str) or element.tag in HEADING_TAGS:
                continue
            glance = direct_text(element)
            if glance and len(glance.split()) <= 5 and len(element) <= 2 and labels.is_content_type(quick_text(element)):
                return element, "known type label next to the title"
        scope = scope.getparent()
    return None, ""


def _metadata(root, profile, labels: LabelVocabulary, title_element) -> tuple[list[LabelledValue], set]:
    """Labelled values of the page and the elements holding them (to keep them out of the body)."""
    if profile is not None:
        found, _ = profile.article["metadata_block"].first_match(root)
        if found:
            pairs = [p for block in found for p in find_labelled_values(block, labels)]
            return pairs, set(found) | {e for p in pairs for e in p.elements}
    pairs = find_labelled_values(root, labels, skip=_is_navigation_element)
    # Without a profile, only labels the vocabulary knows, with short values, are taken for metadata:
    # "Question: I need some help with..." is a sentence, not a field.
    pairs = _page_pairs([p for p in pairs if p.field and _short_values(p)])
    return pairs, _pair_containers(pairs)


def _short_values(pair: LabelledValue) -> bool:
    return all(len(v.split()) <= MAX_VALUE_WORDS for v in pair.values) and sum(len(v) for v in pair.values) <= MAX_VALUE_CHARS


def _is_navigation_element(element) -> bool:
    return element.tag in _NAVIGATION_TAGS or element.tag == "footer" or element.tag == "aside"


def _page_pairs(pairs: list[LabelledValue]) -> list[LabelledValue]:
    """The first group of labelled values (a page states its own fields once, near the top).

    Later groups repeat the same labels for other things (entries of a related list).
    """
    seen: set[str] = set()
    out = []
    for pair in pairs:
        key = pair.field or pair.label
        if key in seen:
            break
        seen.add(key)
        out.append(pair)
    return out


def _pair_containers(pairs: list[LabelledValue]) -> set:
    """The elements to leave out of the body: each pair's elements, and the smallest ancestors that
    hold nothing but labelled values (``<p><b>Originator:</b> X<br><b>Topics:</b> Y</p>``)."""
    out = {e for p in pairs for e in p.elements}
    covered: dict = {}
    for pair in pairs:
        size = len(pair.label) + sum(len(v) for v in pair.values)
        for ancestor in pair.label_element.iterancestors():
            covered[ancestor] = covered.get(ancestor, 0) + size
    for pair in pairs:
        container = None
        for ancestor in pair.label_element.iterancestors():
            if covered.get(ancestor, 0) >= 0.8 * len(quick_text(ancestor).replace(":", "")):
                container = ancestor
            else:
                break
        if container is not None:
            out.add(container)
    return out


def _fields(title_element, type_element, pairs: list[LabelledValue]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if title_element is not None:
        fields["title"] = [element_text(title_element)]
    for pair in pairs:
        if pair.field and pair.field not in fields:
            values = list(pair.values)
            if pair.field in ("published", "updated"):
                values += [m for m in pair.machine if m not in values]
            fields[pair.field] = values
    if "content_type" not in fields and type_element is not None:
        fields["content_type"] = [element_text(type_element)]
    return _ordered(fields)


def _ordered(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    return {k: fields[k] for k in FIELD_ORDER if k in fields}


def _profile_content_root(tree, profile):
    if profile is None:
        return None, ""
    found, selector = profile.article["content_root"].first_match(tree)
    return (found[0], selector) if found else (None, "")


def _profile_excludes(tree, profile) -> set:
    if profile is None:
        return set()
    return set(profile.article["exclude"].all_matches(tree))


# ------------------------------------------------------------------------------------ listings


def _read_listing(doc, tree, root, blocks, decided, profile, labels, cues) -> bool:
    selectors = profile.listing if profile is not None else {}
    rows, reason = [], ""
    if profile is not None and profile.listing["row"]:
        rows, selector = profile.listing["row"].first_match(root)
        reason = f"entries ({selector}, {profile.name} profile)" if rows else ""
    if not rows:
        rows, reason = find_rows(root, cues)
    if not is_listing(rows, blocks):
        return False
    doc.entries = entries_from_rows(rows, doc.url, labels, selectors)
    if not doc.entries:
        return False
    doc.page_kind = "listing"
    doc.body_text = ""
    doc.body_source = f"profile:{profile.name}" if profile is not None and reason.endswith("profile)") else "generic:listing"
    for position, row in enumerate(rows, start=1):
        _mark(blocks, decided, {row}, "other", f"listing entry {position}: {reason}")
    doc.fields = {k: v for k, v in doc.fields.items() if k == "title"}
    doc.blocks = _block_records(blocks, decided, cues)
    return True


# ------------------------------------------------------------------------------------ templates, records


def _without_template_runs(body: list[TextBlock], template, decided: dict) -> list[TextBlock]:
    """Drop body blocks the host's template repeats on most pages, unless one stands alone among the
    article's own paragraphs (a stock closing sentence is text; a run of repeated blocks is chrome)."""
    if template is None or not body:
        return body
    flags = [template.is_template(_fingerprint(b)) for b in body]
    keep = []
    for i, block in enumerate(body):
        if flags[i] and not is_alone(flags, i):
            decided[block] = ("template", "repeats across the host's pages")
            continue
        keep.append(block)
    return keep


def _fingerprint(block: TextBlock) -> str:
    from ..templates import _fingerprint as template_fingerprint, element_path, normalize_text, own_text

    return template_fingerprint("html", element_path(block.element), normalize_text(own_text(block.element)))


def _block_records(blocks: list[TextBlock], decided: dict, cues) -> list[Block]:
    records = []
    for block in blocks:
        kind, reason = decided.get(block) or _why_not_body(block, cues)
        records.append(Block(block.index, kind, block.text, reason))
    return records


def _why_not_body(block: TextBlock, cues) -> tuple[str, str]:
    """An explanation for a block left out of the body: the nearest telling container, or its links."""
    for ancestor in reversed(block.ancestors):
        if ancestor.tag in ("body", "html"):
            break
        if ancestor.tag in _NAVIGATION_TAGS:
            return "navigation", f"inside <{ancestor.tag}>"
        if ancestor.tag == "footer":
            return "footer", "inside <footer>"
        if ancestor.tag == "aside":
            return "related", "inside <aside>"
        found = cues.kind_of(class_tokens(ancestor))
        if found:
            return found[0], f"inside .{found[1]}"
    if block.link_density > 0.5:
        return "navigation", f"mostly links ({block.link_density:.0%})"
    return "other", "outside the main text"
