"""Site profiles: per-site selectors kept as data (``rules/sites/<site>.toml``), loaded once per worker.

A profile says where a site's article body, title, type label and metadata block are, what to cut
out of the body, and how its listing pages are built. Every selector is a list of alternatives
(CSS, or XPath when it starts with ``/``, ``./`` or ``(``), tried in order, so one profile can cover
several themes of the same site. A page is matched to a profile by its host, or, when the host is
unknown or different (a mirror, an archive copy), by the profile's page signatures.

Profiles only speed up and sharpen extraction; every page still goes through generic extraction
when no profile selector matches.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cssselect import GenericTranslator, SelectorError
from lxml import etree

from .extract.cues import Cues, load_cues
from .extract.labels import LabelVocabulary, load_labels

_ARTICLE_KEYS = ("content_root", "title", "type_label", "metadata_block", "exclude")
_LISTING_KEYS = ("container", "row", "title_link", "type_label", "date", "teaser")
_TRANSLATOR = GenericTranslator()


class Selector:
    """One CSS or XPath selector, compiled once."""

    def __init__(self, source: str):
        self.source = source
        text = source.strip()
        try:
            expression = text if text.startswith(("/", "./", "(")) else _TRANSLATOR.css_to_xpath(text, prefix="descendant-or-self::")
            self._xpath = etree.XPath(expression)
        except (SelectorError, etree.XPathSyntaxError) as exc:
            raise ValueError(f"bad selector {source!r}: {exc}") from exc

    def all(self, root) -> list:
        try:
            found = self._xpath(root)
        except etree.XPathEvalError:
            return []
        return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []

    def __repr__(self) -> str:
        return f"Selector({self.source!r})"


@dataclass(frozen=True)
class Alternatives:
    """Selectors for one thing, tried in order: the first that matches anything wins."""

    selectors: tuple[Selector, ...] = ()

    def first_match(self, root) -> tuple[list, str | None]:
        for selector in self.selectors:
            found = selector.all(root)
            if found:
                return found, selector.source
        return [], None

    def all_matches(self, root) -> list:
        """Everything any alternative matches (used for things to cut out, where all apply)."""
        out: list = []
        seen: set = set()
        for selector in self.selectors:
            for element in selector.all(root):
                if element not in seen:
                    seen.add(element)
                    out.append(element)
        return out

    def __bool__(self) -> bool:
        return bool(self.selectors)


@dataclass(frozen=True)
class SiteProfile:
    name: str
    hosts: tuple[str, ...]
    signatures: Alternatives
    article: dict[str, Alternatives]
    listing: dict[str, Alternatives]
    path: str = ""

    def matches_host(self, site: str | None) -> bool:
        if not site:
            return False
        site = site.lower()
        return any(site == h or site.endswith("." + h) for h in self.hosts)

    def matches_page(self, tree) -> bool:
        return tree is not None and bool(self.signatures) and bool(self.signatures.first_match(tree)[0])


@dataclass(frozen=True)
class Profiles:
    """Every site profile, plus what the stage shares across sites: the label vocabulary and the
    class-token cues for pages without a profile."""

    profiles: tuple[SiteProfile, ...]
    labels: LabelVocabulary
    cues: Cues = Cues(None, ())
    by_name: dict[str, SiteProfile] = field(default_factory=dict)

    def for_document(self, doc, tree=None) -> tuple[SiteProfile | None, str]:
        """(profile, how it was chosen: ``host`` | ``signature`` | ``none``) for a document."""
        for profile in self.profiles:
            if profile.matches_host(doc.site):
                return profile, "host"
        tree = tree if tree is not None else getattr(doc, "tree", None)
        for profile in self.profiles:
            if profile.matches_page(tree):
                return profile, "signature"
        return None, "none"

    def without_sites(self) -> "Profiles":
        """The same vocabulary with no site profiles: generic extraction only."""
        return Profiles((), self.labels, self.cues)


def load_profile(path: Path) -> SiteProfile:
    data = tomllib.loads(Path(path).read_text("utf-8"))
    name = data.get("name") or Path(path).stem
    hosts = tuple(h.lower().removeprefix("www.") for h in data.get("hosts", [name]))
    article = _alternatives_table(data.get("article", {}), _ARTICLE_KEYS, path, "article")
    listing = _alternatives_table(data.get("listing", {}), _LISTING_KEYS, path, "listing")
    signatures = Alternatives(tuple(Selector(s) for s in data.get("signatures", [])))
    return SiteProfile(name, hosts, signatures, article, listing, str(path))


def _alternatives_table(table: dict, keys: tuple[str, ...], path, section: str) -> dict[str, Alternatives]:
    unknown = set(table) - set(keys)
    if unknown:
        raise ValueError(f"{path}: unknown keys in [{section}]: {sorted(unknown)}; known: {', '.join(keys)}")
    out = {}
    for key in keys:
        value = table.get(key, [])
        values = [value] if isinstance(value, str) else list(value)
        out[key] = Alternatives(tuple(Selector(v) for v in values))
    return out


def load_profiles(directory: Path, labels_file: Path | None = None, cues_file: Path | None = None) -> Profiles:
    """Every ``*.toml`` profile in ``directory`` (sorted by name), the label vocabulary and the cues.

    The vocabulary and the cues are shared by all sites and live next to the profiles' folder
    (``rules/labels.toml`` with the type labels of ``rules/content_types.toml``, and
    ``rules/boilerplate.toml``) unless the arguments say otherwise.
    """
    directory = Path(directory)
    labels_path = Path(labels_file) if labels_file else directory.parent / "labels.toml"
    types_path = labels_path.parent / "content_types.toml"
    labels = load_labels(labels_path, types_path) if labels_path.exists() else LabelVocabulary({}, ())
    cues = load_cues(Path(cues_file) if cues_file else directory.parent / "boilerplate.toml")
    profiles = tuple(load_profile(p) for p in sorted(directory.glob("*.toml"))) if directory.is_dir() else ()
    names = [p.name for p in profiles]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"{directory}: several profiles named {sorted(duplicates)}")
    return Profiles(profiles, labels, cues, {p.name: p for p in profiles})
