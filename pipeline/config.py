"""Run settings: ``defaults.toml`` read once into a frozen, picklable object, then overridden explicitly."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    max_page_bytes: int
    files_per_shard: int
    lines_per_shard: int
    min_body_words: int
    models: tuple[str, ...]
    enable: tuple[str, ...]
    batch_size: int
    ner_batch_chars: int
    model_languages: tuple[str, ...]
    formats: tuple[str, ...]
    extra_tables: tuple[str, ...]
    csv_formula_guard: bool
    doc_timeout_seconds: float
    learn_templates: bool
    template_min_pages: int
    template_min_share: float
    rules_dir: str | None = None  # None: the rules shipped in the package
    templates_dir: str | None = None  # learned host templates; the runner sets it to OUT/templates
    # Where the gazetteer's tables are built once and mapped by every process (pipeline/geo.py); None:
    # built in memory by each process. A run's workers use OUT/_work/gazetteer.
    gazetteer_cache_dir: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def output_shaping(self) -> dict[str, Any]:
        """The settings that shape the tables: all but where the runner keeps what it derived
        (learned templates count through their digests, the gazetteer's tables through their inputs)."""
        return {k: v for k, v in self.as_dict().items() if k not in WORK_LOCATIONS}


WORK_LOCATIONS = frozenset({"templates_dir", "gazetteer_cache_dir"})


def _flatten(doc: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in doc.items():
        if isinstance(value, dict):
            flat.update(_flatten(value))
        else:
            flat[key] = tuple(value) if isinstance(value, list) else value
    return flat


def load_settings(config_file: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Defaults, then the keys a user file sets, then explicit overrides (CLI ``--set``)."""
    values = _flatten(tomllib.loads(resources.files("pipeline").joinpath("defaults.toml").read_text("utf-8")))
    if config_file:
        values.update(_flatten(tomllib.loads(Path(config_file).read_text("utf-8"))))
    settings = Settings(**values)
    return with_overrides(settings, overrides or {})


def with_overrides(settings: Settings, overrides: dict[str, Any]) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    parsed: dict[str, Any] = {}
    for key, value in overrides.items():
        if key not in known:
            raise ValueError(f"unknown setting {key!r}; known: {', '.join(sorted(known))}")
        current = getattr(settings, key)
        if isinstance(value, str):
            if isinstance(current, bool):
                value = value.lower() in {"1", "true", "yes"}
            elif isinstance(current, int):
                value = int(value)
            elif isinstance(current, float):
                value = float(value)
            elif isinstance(current, tuple):
                value = tuple(v.strip() for v in value.split(",") if v.strip())
        parsed[key] = value
    return replace(settings, **parsed)
