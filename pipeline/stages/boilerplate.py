"""Boilerplate: separate a page's own text from its navigation, and say what the page states about itself.

HTML pages are parsed once (``doc.tree``, reused by later stages) and cut into text blocks. A site
profile, when one matches, points at the body, title, type label and metadata block; otherwise
generic mechanisms find them: labelled values (``rules/labels.toml``), the page's ``<h1>``, a known
type label next to it, repeated entry structures for listing pages, and trafilatura mapped onto our
blocks for the body. Text renderings are read line by line from their shape.

Sets ``tree``, ``body_text`` (paragraphs separated by one blank line), ``body_source``,
``page_kind``, ``fields`` (raw labelled values), ``blocks`` (every block and why it was kept or
dropped) and, for listing pages, ``entries``. A page that is not a listing and yields no body (no
text at all, or only navigation) is dropped with the reason (``Drop``), which the runner turns into
an errors row: an empty document would say nothing about why.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..document import Block, Document, Drop
from ..extract.generic import extract_generic
from ..extract.html import HEADING_TAGS, TextBlock, class_tokens, direct_text, element_text, parse_html, quick_text, text_blocks
from ..extract.labels import LabelVocabulary
from ..extract.listing import entries_from_rows, find_rows, is_listing, listing_heading
from ..extract.metadata_block import LabelledValue, find_labelled_values
from ..extract.text_rendering import is_alone, read_rendering
from ..templates import block_fingerprint, line_fingerprint

MIN_TITLE_AGREEMENT = 0.5  # word agreement (Dice) of a heading with the page's own title
H1_PREFERENCE = 0.1  # an <h1> wins over an <h2> that agrees about as well
MAX_VALUE_WORDS = 20
MAX_COPY_NOTE_WORDS = 50
MAX_COPY_NOTE_OTHER_WORDS = 12  # besides its sentence naming the source ("Read the original article.")
LINK_LIST_DENSITY = 0.5  # a body made only of short blocks more links than this is a menu
MENU_ENTRY_WORDS = 15  # longer linked blocks (teasers, linked paragraphs) may be the page's text
MAX_VALUE_CHARS = 300
FIELD_ORDER = ("title", "content_type", "published", "updated", "sources", "fields_of_work", "author")
_NAVIGATION_TAGS = frozenset({"nav", "menu"})
_CHROME_KINDS = frozenset({"navigation", "footer", "title", "metadata", "template"})
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_HOST = re.compile(r"\b(?:[a-z0-9-]{1,63}\.){1,4}(?:org|com|net|int|eu|info|gov|edu|[a-z]{2})\b", re.I)


def run(doc: Document, resources) -> Document:
    profiles = resources.profiles
    template = _host_template(resources, doc.site)
    if doc.format == "text":
        doc = _read_rendering(doc, profiles.labels, template)
    else:
        doc = _read_html(doc, profiles, template)
    if doc.page_kind != "listing" and not doc.body_text.strip():
        raise _why_no_body(doc)
    words = len(doc.body_text.split())
    if doc.page_kind == "article" and words < resources.settings.min_body_words:
        doc.notes.append(f"boilerplate: the body has only {words} words")
    return doc


def _why_no_body(doc: Document) -> Drop:
    """``no_text`` (nothing a reader sees), ``navigation_only`` (only menus, link lists, footers) or
    ``no_main_text`` (text, but none that reads as the page's own), with what was found."""
    seen = [b for b in doc.blocks if b.text.strip()]
    if not seen:
        return Drop("no_text", "the page has no visible text")
    words = sum(len(b.text.split()) for b in seen)
    chrome = [b for b in seen if b.kind in _CHROME_KINDS]
    if len(chrome) == len(seen):
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(_count(b.kind for b in chrome).items()))
        return Drop("navigation_only", f"only navigation: {len(seen)} blocks ({kinds}), {words} words, no article text")
    longest = max(seen, key=lambda b: len(b.text.split()))
    return Drop("no_main_text", f"{len(seen)} blocks, {words} words, none taken for the page's own text "
                                f"(longest: {len(longest.text.split())} words, {longest.kind}: {longest.reason})")


def _count(items) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out


def _host_template(resources, site: str | None):
    templates = getattr(resources, "templates", None)
    return templates.for_site(site) if templates is not None else None


# ------------------------------------------------------------------------------------ text renderings


def _read_rendering(doc: Document, labels: LabelVocabulary, template) -> Document:
    rendering = read_rendering(doc.text, labels, _line_checker(template))
    doc.tree = None
    doc.body_text = "\n\n".join(rendering.body)
    doc.body_source = "text-rendering"
    doc.page_kind = "listing" if rendering.entries else "article" if rendering.body else "other"
    doc.entries = rendering.entries
    doc.fields = _ordered(rendering.fields)
    doc.blocks = [Block(l.index, l.kind, l.text, l.reason) for l in rendering.lines if l.text]
    doc.notes.extend(rendering.notes)
    return doc


def _line_checker(template):
    """``line -> repeats across the host's pages?`` for a learned host template, else None."""
    if template is None:
        return None
    return lambda line: template.is_template(line_fingerprint(line))


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
    decided: dict[TextBlock, tuple[str, str]] = {}
    _read_copy_note(doc, blocks, decided, profiles.cues)
    _read_page_parts(doc, tree, root, blocks, decided, profile, profiles.labels)
    if _read_listing(doc, root, blocks, decided, profile, profiles.labels, profiles.cues):
        return doc

    body, unplaced, source, reason = _profile_body(tree, blocks, decided, profile, matched_by)
    if not body:
        excluded = _profile_excludes(tree, profile)
        candidates = [b for b in blocks if b not in decided and not b.inside(excluded)]
        result = extract_generic(tree, candidates, doc.url, profiles.cues, {b.text for b in decided})
        body, unplaced, source, reason = result.body, result.unplaced, result.source, f"chosen by {result.source}"
        for block, why in result.dropped:
            decided[block] = ("navigation" if _is_link_list_item(block) else "other", f"{source} took it; dropped: {why}")
        doc.notes.extend(result.notes)
    body = _without_template_runs(body, template, decided)
    if body and not unplaced and all(_is_link_list_item(b) and b.words < MENU_ENTRY_WORDS for b in body):
        for block in body:  # menus an extractor took for text: the page has no text of its own
            decided[block] = ("navigation", f"{source} took it, but every block it chose is a link")
        body = []
    for block in body:
        decided[block] = ("body", reason)
    paragraphs = [b.text for b in body] + unplaced
    doc.body_text = "\n\n".join(paragraphs)
    doc.body_source = source
    doc.page_kind = "article" if paragraphs else "other"
    if not paragraphs:
        doc.notes.append("boilerplate: no body text found")
    doc.blocks = _block_records(blocks, decided, profiles.cues)
    doc.blocks += [Block(len(blocks) + i, "body", text, f"{source}: not in any block of the page") for i, text in enumerate(unplaced)]
    return doc


def _read_copy_note(doc: Document, blocks: list[TextBlock], decided: dict, cues) -> None:
    """A copy's note on where it came from ("Archived from www.osce.org on 3 May 2021") is provenance:
    ``doc.copy_note``, never body, and its labelled values are not the article's fields."""
    notes = [b for b in blocks if _is_copy_note(b, doc.site, cues)]
    for block in notes:
        decided[block] = ("metadata", "note on where the copy came from (copy_note)")
    if notes:
        doc.copy_note = " ".join(b.text for b in notes)


def _is_copy_note(block: TextBlock, site: str | None, cues) -> bool:
    """Short, worded as provenance (``rules/boilerplate.toml`` [provenance]), naming or linking another
    host, and little else: a paragraph that opens with "Originally published on 15 December:" and goes
    on with the article's text is the article's."""
    if block.words > MAX_COPY_NOTE_WORDS:
        return False
    phrase = cues.provenance_phrase(block.text)
    if phrase is None or _words_outside_sentence(block.text.lower(), *phrase) > MAX_COPY_NOTE_OTHER_WORDS:
        return False
    own = (site or "").lower().removeprefix("www.")
    hosts = {h.lower().removeprefix("www.") for h in _HOST.findall(block.text)}
    for link in block.element.iter("a"):
        hosts.add(urlsplit(link.get("href") or "").netloc.lower().removeprefix("www."))
    return any(h and h != own and not own.endswith("." + h) for h in hosts)


def _words_outside_sentence(text: str, start: int, end: int) -> int:
    """Words of the text outside the sentence holding ``text[start:end]``."""
    before = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    after = _SENTENCE_END.search(text, end)
    return len(text[:before].split()) + (len(text[after.end():].split()) if after else 0)


def _is_link_list_item(block: TextBlock) -> bool:
    return block.link_density > LINK_LIST_DENSITY or any(a.tag in _NAVIGATION_TAGS for a in block.ancestors)


def _read_page_parts(doc: Document, tree, root, blocks, decided: dict, profile, labels: LabelVocabulary) -> None:
    """Title, type label and labelled values: marked as such among the blocks, and into ``doc.fields``."""
    title_element, title_reason = _title_element(tree, root, profile)
    type_element, type_reason = _type_label_element(root, profile, title_element, labels)
    pairs, meta_elements = _metadata(root, profile, labels)
    _mark(blocks, decided, {title_element} if title_element is not None else set(), "title", title_reason)
    _mark(blocks, decided, {type_element} if type_element is not None else set(), "metadata", type_reason)
    _mark(blocks, decided, meta_elements, "metadata", "labelled values")
    doc.fields = _fields(title_element, type_element, pairs)


def _profile_body(tree, blocks, decided: dict, profile, matched_by: str):
    """(body blocks, unplaced paragraphs, source, reason) from the profile's content root; no body
    when the profile has none or its content root is missing or empty on this page."""
    content_root, selector = _profile_content_root(tree, profile)
    if content_root is None:
        return [], [], "", ""
    excluded = _profile_excludes(tree, profile)
    body = [b for b in blocks if b not in decided and b.inside({content_root}) and not b.inside(excluded)]
    return body, [], f"profile:{profile.name}", f"inside {selector} ({profile.name} profile, matched by {matched_by})"


def _body_of(tree):
    body = tree.find("body")
    return body if body is not None else tree


def _mark(blocks: list[TextBlock], decided: dict, elements: set, kind: str, reason: str, override: bool = False) -> None:
    """Decide the blocks inside ``elements`` (earlier decisions stand unless ``override``)."""
    if not elements:
        return
    for block in blocks:
        if (override or block not in decided) and block.inside(elements):
            decided[block] = (kind, reason)


# ------------------------------------------------------------------------------------ page parts


def _title_element(tree, root, profile):
    """The element holding the page's own title: the profile's, else the heading that agrees best
    with what the page calls itself (``og:title``, ``<title>``).

    A heading in the header or navigation (a blog's name in an ``<h1>`` on every page) or sharing no
    word with the page's title is not the article's title.
    """
    if profile is not None:
        found, selector = profile.article["title"].first_match(tree)
        if found:
            return found[0], f"title ({selector})"
    names = [n for n in (_meta_content(tree, "og:title"), _page_title(tree)) if n]
    best, best_score = None, 0.0
    for heading in root.iter("h1", "h2"):
        text = element_text(heading)
        if not text or _in_page_chrome(heading):
            continue
        agreement = max((_agreement(text, name) for name in names), default=1.0 if heading.tag == "h1" else 0.0)
        score = agreement + (H1_PREFERENCE if heading.tag == "h1" else 0.0)
        if agreement >= MIN_TITLE_AGREEMENT and score > best_score:
            best, best_score = heading, score
    if best is None:
        return None, ""
    return best, f"the <{best.tag}> agreeing best with the page's title"


def _meta_content(tree, prop: str) -> str:
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == prop:
            return " ".join((meta.get("content") or "").split())
    return ""


def _page_title(tree) -> str:
    title = tree.find(".//title")
    return " ".join((title.text_content() if title is not None else "").split())


def _in_page_chrome(element) -> bool:
    """Inside the site's navigation, footer or sidebar, or a ``<header>`` that is not an article's."""
    ancestors = list(element.iterancestors())
    for i, ancestor in enumerate(ancestors):
        if ancestor.tag in ("nav", "footer", "aside"):
            return True
        if ancestor.tag == "header" and not any(a.tag in ("article", "main") for a in ancestors[i + 1 :]):
            return True
    return False


def _agreement(a: str, b: str) -> float:
    """How far two texts have the same words (Dice coefficient): a blog's name in an ``<h1>`` agrees
    little with "Post title | Blog name", the post's own heading agrees a lot."""
    words_a, words_b = set(_WORD.findall(a.casefold())), set(_WORD.findall(b.casefold()))
    return 2 * len(words_a & words_b) / max(1, len(words_a) + len(words_b))


def _type_label_element(root, profile, title_element, labels: LabelVocabulary):
    """The "Press release" above a title: from the profile, else a known type label beside the title."""
    if profile is not None:
        found, selector = profile.article["type_label"].first_match(root)
        if found:
            return found[0], f"type label ({selector})"
    if title_element is None:
        return None, ""
    scope, searched = title_element.getparent(), None
    for _ in range(2):
        if scope is None:
            break
        for element in _elements_outside(scope, searched):
            if element is title_element or not isinstance(element.tag, str) or element.tag in HEADING_TAGS or len(element) > 2:
                continue
            glance = direct_text(element)
            if glance and len(glance.split()) <= 5 and labels.is_content_type(quick_text(element)):
                return element, "known type label next to the title"
        scope, searched = scope.getparent(), scope
    return None, ""


def _elements_outside(scope, searched):
    """``scope.iter()`` without the subtree of its child ``searched`` (already looked through)."""
    yield scope
    for child in scope:
        if child is not searched:
            yield from child.iter()


def _metadata(root, profile, labels: LabelVocabulary) -> tuple[list[LabelledValue], set]:
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


def _read_listing(doc, root, blocks, decided, profile, labels, cues) -> bool:
    """Entries instead of a body when the page is a list of them (profile rows first, else generic)."""
    rows, source, reason = [], "", ""
    page_url = page_address(doc.tree, doc.url)
    if profile is not None and profile.listing["row"]:
        containers, _ = profile.listing["container"].first_match(root)
        rows, selector = profile.listing["row"].first_match(containers[0] if containers else root)
        source, reason = f"profile:{profile.name}", f"{selector} ({profile.name} profile)"
    if not rows:
        rows, reason = find_rows(root, cues, page_url)
        source = "generic:listing"
        if rows and _declares_article(doc.tree):
            doc.notes.append(f"boilerplate: {len(rows)} rows alike a listing's, but the page declares itself an article")
            return False
    if not is_listing(rows, blocks):
        return False
    selectors = profile.listing if source.startswith("profile:") else {}
    doc.entries = entries_from_rows(rows, page_url, labels, selectors)
    if not doc.entries:
        return False
    doc.page_kind = "listing"
    doc.body_text = ""
    doc.body_source = source
    for position, row in enumerate(rows, start=1):
        _mark(blocks, decided, {row}, "other", f"listing entry {position}: {reason}", override=True)
    doc.fields = {k: v for k, v in doc.fields.items() if k == "title"}  # the rest describes entries, not the page
    heading = listing_heading(root, rows, _in_page_chrome)
    if heading is not None:  # the listing's own heading, not the site section's above it
        doc.fields["title"] = [element_text(heading)]
        _mark(blocks, decided, {heading}, "title", "the heading right above the listing's entries", override=True)
    doc.blocks = _block_records(blocks, decided, cues)
    return True


def _declares_article(tree) -> bool:
    """``og:type`` article: a page of one article, whose alike rows are a related box."""
    return _meta_content(tree, "og:type").lower() == "article"


def page_address(tree, url: str | None) -> str | None:
    """The page's own URL, else its absolute canonical link or ``og:url``."""
    if url:
        return url
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and (link.get("href") or "").startswith("http"):
            return link.get("href").strip()
    address = _meta_content(tree, "og:url")
    return address if address.startswith("http") else None


# ------------------------------------------------------------------------------------ templates, records


def _without_template_runs(body: list[TextBlock], template, decided: dict) -> list[TextBlock]:
    """Drop body blocks the host's template repeats on most pages, unless one stands alone among the
    article's own paragraphs (a stock closing sentence is text; a run of repeated blocks is chrome)."""
    if template is None or not body:
        return body
    flags = [template.is_template(block_fingerprint(b.element)) for b in body]
    keep = []
    for i, block in enumerate(body):
        if flags[i] and not is_alone(flags, i):
            decided[block] = ("template", "repeats across the host's pages")
            continue
        keep.append(block)
    return keep


def _block_records(blocks: list[TextBlock], decided: dict, cues) -> list[Block]:
    records = []
    container_kinds: dict = {}  # element -> (kind, reason) or None; blocks share most containers
    for block in blocks:
        kind, reason = decided.get(block) or _why_not_body(block, cues, container_kinds)
        records.append(Block(block.index, kind, block.text, reason))
    return records


def _why_not_body(block: TextBlock, cues, container_kinds: dict) -> tuple[str, str]:
    """An explanation for a block left out of the body: the nearest telling container, or its links."""
    for ancestor in reversed(block.ancestors):
        if ancestor.tag in ("body", "html"):
            break
        if ancestor not in container_kinds:
            container_kinds[ancestor] = _container_kind(ancestor, cues)
        if container_kinds[ancestor]:
            return container_kinds[ancestor]
    if block.link_density > 0.5:
        return "navigation", f"mostly links ({block.link_density:.0%})"
    return "other", "outside the main text"


def _container_kind(element, cues) -> tuple[str, str] | None:
    if element.tag in _NAVIGATION_TAGS:
        return "navigation", f"inside <{element.tag}>"
    if element.tag == "footer":
        return "footer", "inside <footer>"
    if element.tag == "aside":
        return "related", "inside <aside>"
    found = cues.kind_of(class_tokens(element))
    return (found[0], f"inside .{found[1]}") if found else None
