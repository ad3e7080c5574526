"""Class/id token cues for pages without a profile (``rules/boilerplate.toml``), compiled once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

BLOCK_KINDS = ("navigation", "footer", "related")


def token_pattern(tokens) -> re.Pattern | None:
    """Matches any of the tokens as a whole class/id token part (``related`` in ``related-posts``)."""
    tokens = sorted({t.strip().lower() for t in tokens if t.strip()})
    if not tokens:
        return None
    return re.compile(r"(?:^|[\s_-])(?:" + "|".join(map(re.escape, tokens)) + r")(?:s)?(?=$|[\s_-])")


@dataclass(frozen=True)
class Cues:
    body_exclusions: re.Pattern | None
    block_kinds: tuple[tuple[str, re.Pattern], ...]  # (kind, pattern) in the order they are tried
    # Class tokens named after the content, not the box (``tag-renewable-energy-credits``,
    # ``category-newsletter`` on a WordPress post): never cues.
    content_prefixes: tuple[str, ...] = ()
    provenance: re.Pattern | None = None  # phrases of a copy's note on where it came from
    # Class tokens naming a container as the article's (``post``, ``entry``) or as a side box
    # (``sidebar``, ``comment``): the container-density choice weighs containers by them.
    article_containers: re.Pattern | None = None
    side_containers: re.Pattern | None = None
    # Class tokens naming the page's sidebar column (``#sidebar``, ``.sidebar-wrapper``): never the
    # article's container.
    sidebars: re.Pattern | None = None

    def __post_init__(self) -> None:
        # every cue asks first whether a content prefix occurs in the tokens: one search of a compiled
        # alternation instead of a Python loop over the prefixes, for every container of every block
        prefixes = re.compile("|".join(map(re.escape, self.content_prefixes))) if self.content_prefixes else None
        object.__setattr__(self, "_prefixes", prefixes)

    def provenance_phrase(self, text: str) -> tuple[int, int] | None:
        """Where the first provenance phrase is, in ``text.lower()``."""
        # phrases are stored lower-cased: lower-casing the text and matching case-sensitively is
        # eight times faster than an IGNORECASE alternation, and this runs on every short block
        found = self.provenance.search(text.lower()) if self.provenance is not None else None
        return found.span() if found else None

    def _structural(self, tokens: str) -> str:
        if self._prefixes is None or self._prefixes.search(tokens) is None:
            return tokens
        return " ".join(t for t in tokens.split() if not t.startswith(self.content_prefixes))

    def excluded_box(self, tokens: str) -> str | None:
        """The token that marks an element as a non-article box, if any."""
        if self.body_exclusions is None or tokens.isspace():
            return None
        m = self.body_exclusions.search(self._structural(tokens))
        return m.group(0).strip(" _-") if m else None

    def side_name(self, tokens: str) -> str | None:
        """The token naming a container as a side box ("widget", "comment"), if any."""
        tokens = self._structural(tokens)
        if self.side_containers is None or not tokens.strip():
            return None
        m = self.side_containers.search(tokens)
        return m.group(0).strip(" _-") if m else None

    def side_box(self, tokens: str) -> str | None:
        """The side-box token of a container not also named as the article's, if any."""
        name = self.side_name(tokens)
        if name is None or (self.article_containers is not None and self.article_containers.search(self._structural(tokens))):
            return None
        return name

    def is_sidebar(self, tokens: str) -> bool:
        return self.sidebars is not None and not tokens.isspace() and self.sidebars.search(self._structural(tokens)) is not None

    def container_weight(self, tokens: str) -> int:
        """+1 for a container named as the article's, -1 for one named as a side box (0 for both)."""
        article = self.article_containers is not None and self.article_containers.search(self._structural(tokens)) is not None
        return int(article) - int(self.side_name(tokens) is not None)

    def kind_of(self, tokens: str) -> tuple[str, str] | None:
        """(kind, token) for an element's class/id tokens, for explaining dropped blocks."""
        if tokens.isspace():  # no class, no id: most elements, and no pattern can match
            return None
        tokens = self._structural(tokens)
        for kind, pattern in self.block_kinds:
            m = pattern.search(tokens)
            if m:
                return kind, m.group(0).strip(" _-")
        return None


def load_cues(path: Path | None) -> Cues:
    if path is None or not Path(path).exists():
        return Cues(None, ())
    data = tomllib.loads(Path(path).read_text("utf-8"))
    unknown = set(data.get("block_kinds", {})) - set(BLOCK_KINDS)
    if unknown:
        raise ValueError(f"{path}: unknown block kinds {sorted(unknown)}; known: {', '.join(BLOCK_KINDS)}")
    kinds = tuple(
        (kind, pattern)
        for kind in BLOCK_KINDS
        if (pattern := token_pattern(data.get("block_kinds", {}).get(kind, []))) is not None
    )
    prefixes = tuple(sorted({p.strip().lower() for p in data.get("content_classes", {}).get("prefixes", []) if p.strip()}))
    phrases = sorted({p.strip().lower() for p in data.get("provenance", {}).get("phrases", []) if p.strip()}, key=len, reverse=True)
    provenance = re.compile("|".join(map(re.escape, phrases))) if phrases else None
    containers = data.get("container_weights", {})
    return Cues(token_pattern(data.get("body_exclusions", {}).get("class_tokens", [])), kinds, prefixes, provenance,
                token_pattern(containers.get("article", [])), token_pattern(containers.get("side", [])),
                token_pattern(containers.get("sidebar", [])))
