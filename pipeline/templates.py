"""Cross-page template learning: blocks that repeat across many pages of a host are its template.

Count, then apply. The count pass fingerprints every block of every page (its DOM path plus its
normalized text; a line for text renderings) and counts, per host, on how many pages each
fingerprint occurs. The counts are plain data (per input item in ``OUT/_work/template_counts/``), so
shards can be counted in parallel or on several machines and summed, and a later run reuses them;
the sum keeps, per host, its page count and its template blocks (``OUT/templates/<host>.json``).
The apply side is ``HostTemplate.is_template``, which the boilerplate stage asks about each block.

The guard against deleting a real paragraph that happens to repeat (a standard closing sentence):
the fingerprint includes the block's DOM path, and a repeated block is only template when it repeats
on a large share of the host's pages (``min_share``) *and* at least ``min_pages`` pages; the
boilerplate stage additionally keeps a repeated block that sits among non-repeated body paragraphs
(see ``boilerplate``), because template blocks come in runs (menus, footers, related lists) while a
stock sentence is surrounded by the article's own text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_BLOCK_TAGS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote", "pre",
    "figcaption", "caption", "label", "button", "a", "span", "div", "section", "article", "aside",
    "header", "footer", "nav", "form", "ul", "ol", "table", "tr",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "title", "meta", "link"}
_CLASS_TOKEN = re.compile(r"[a-z][a-z-]{2,}")
MAX_BLOCKS_PER_PAGE = 5000


def normalize_text(text: str) -> str:
    return _SPACE.sub(" ", _DIGITS.sub("0", text)).strip().casefold()


def _fingerprint(kind: str, path: str, text: str) -> str:
    return hashlib.blake2b(f"{kind}|{path}|{text}".encode(), digest_size=8).hexdigest()


def element_path(element) -> str:
    """Tag names with their stable class tokens from the root: ``body/div.region-footer/ul.menu/li``."""
    parts = []
    while element is not None and isinstance(element.tag, str):
        parts.append(_path_part(element))
        element = element.getparent()
    return "/".join(reversed(parts))


def _path_part(element) -> str:
    classes = sorted(set(_CLASS_TOKEN.findall((element.get("class") or "").lower())))[:3]
    return ".".join([element.tag, *classes])


def own_text(element) -> str:
    """Text of an element without the text of its block-level descendants (those are blocks of their own)."""
    chunks = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS and not _is_block(child):
            chunks.append(own_text(child))
        chunks.append(child.tail or "")
    return "".join(chunks)


def _is_block(element) -> bool:
    return element.tag in _BLOCK_TAGS and element.tag not in {"a", "span", "label", "button"}


def block_fingerprint(element) -> str | None:
    """The fingerprint of one HTML block: its DOM path and its own normalized text (None when it has none)."""
    text = normalize_text(own_text(element))
    return _fingerprint("html", element_path(element), text) if text else None


def html_fingerprints(tree) -> set[str]:
    out: set[str] = set()
    if tree is None:
        return out
    # Each element's path is its parent's plus one step, built once in document order: asking
    # ``element_path`` for every block walks to the root each time (quadratic in the depth).
    paths: dict = {}
    for element in tree.iter(etree.Element):
        parent = element.getparent()
        above = paths.get(parent) if parent is not None else ""
        if above is None:
            above = element_path(parent)
        path = f"{above}/{_path_part(element)}" if above else _path_part(element)
        paths[element] = path
        if element.tag in _SKIP_TAGS or not _is_block(element):
            continue
        text = normalize_text(own_text(element))
        if text:
            out.add(_fingerprint("html", path, text))
            if len(out) >= MAX_BLOCKS_PER_PAGE:
                break
    return out


def line_fingerprint(line: str) -> str | None:
    text = normalize_text(line.lstrip("-•* ").strip())
    return _fingerprint("line", "", text) if text else None


def text_fingerprints(text: str) -> set[str]:
    return {fp for fp in (line_fingerprint(line) for line in text.splitlines()[:MAX_BLOCKS_PER_PAGE]) if fp}


@dataclass
class HostTemplate:
    """What the crawl says about one host: how many pages, and on how many of them each block occurs."""

    n_pages: int = 0
    counts: Counter = field(default_factory=Counter)
    min_pages: int = 3
    min_share: float = 0.3

    def is_template(self, fingerprint: str | None) -> bool:
        if not fingerprint or self.n_pages < self.min_pages:
            return False
        seen = self.counts.get(fingerprint, 0)
        return seen >= self.min_pages and seen >= self.min_share * self.n_pages

    def add_page(self, fingerprints: set[str]) -> None:
        self.n_pages += 1
        self.counts.update(fingerprints)

    def merge(self, other: "HostTemplate") -> None:
        self.n_pages += other.n_pages
        self.counts.update(other.counts)

    def to_json(self, prune: bool = True) -> dict:
        """Counts as JSON. Pruned (the host's file the boilerplate stage loads), only the template blocks
        are kept: a worker holds what it asks about, however many pages the host has. Per-item counts
        must not be pruned, or summing them would lose blocks that are template only in the sum."""
        return {"n_pages": self.n_pages, "counts": {fp: n for fp, n in sorted(self.counts.items()) if not prune or self.is_template(fp)}}

    @classmethod
    def from_json(cls, data: dict, min_pages: int = 3, min_share: float = 0.3) -> "HostTemplate":
        return cls(data["n_pages"], Counter(data["counts"]), min_pages, min_share)


class Templates:
    """The learned templates of every host in a run, as the boilerplate stage sees them."""

    def __init__(self, hosts: dict[str, HostTemplate] | None = None):
        self.hosts = hosts or {}

    def for_site(self, site: str | None) -> HostTemplate | None:
        return self.hosts.get(site or "")

    @classmethod
    def load(cls, directory: Path | None, min_pages: int = 3, min_share: float = 0.3) -> "Templates":
        hosts: dict[str, HostTemplate] = {}
        if directory and Path(directory).is_dir():
            for path in sorted(Path(directory).glob("*.json")):
                data = json.loads(path.read_text("utf-8"))
                hosts[data["site"]] = HostTemplate.from_json(data, min_pages, min_share)
        return cls(hosts)

    def digest(self) -> str:
        payload = json.dumps({site: t.to_json() for site, t in sorted(self.hosts.items())}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def page_fingerprints(doc) -> set[str]:
    """Fingerprints of one page's blocks, parsing it if no stage has yet."""
    if doc.format == "text":
        return text_fingerprints(doc.text)
    from .extract.html import parse_html

    tree = doc.tree if doc.tree is not None else parse_html(doc.text)
    return html_fingerprints(tree)
