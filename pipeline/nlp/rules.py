"""Rule files: spaCy span-ruler patterns as JSONL, loaded with validation and saved sorted.

Each line is one pattern: ``{"id": ..., "label": ..., "pattern": ..., "norm": ...}``. ``pattern`` is a
string (a phrase, matched on the exact text) or a list of token dicts (spaCy Matcher syntax);
``norm`` is the canonical value the match stands for (optional); ``note`` is free text for humans.
Files live in ``rules/patterns/``; every file's patterns share one id space. Loading fails loudly on
unknown keys, duplicate ids, empty patterns, labels outside ``LABELS`` and token patterns spaCy's
validator rejects, because a silently broken pattern matches nothing, or everything.

A notebook edits rules through ``RuleSet``: ``add``, ``remove``, ``save(directory)``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

LABELS = frozenset({"ORG", "ROLE", "HONORIFIC", "GPE", "LOC", "PERSON", "EVENT", "LAW", "NORP", "INITIATIVE"})
ALLOWED_KEYS = frozenset({"id", "label", "pattern", "norm", "note"})


class RuleError(ValueError):
    pass


@dataclass
class RuleSet:
    """All patterns, by file name (e.g. ``organizations.jsonl``), in memory."""

    files: dict[str, list[dict]] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> "RuleSet":
        rules = cls({path.name: _read_jsonl(path) for path in sorted(Path(directory).glob("*.jsonl"))})
        rules.validate()
        return rules

    def patterns(self) -> list[dict]:
        return [p for name in sorted(self.files) for p in self.files[name]]

    def by_id(self) -> dict[str, dict]:
        return {p["id"]: p for p in self.patterns()}

    def validate(self) -> None:
        seen: dict[str, str] = {}
        for name, patterns in self.files.items():
            for i, p in enumerate(patterns, start=1):
                where = f"{name}:{i}"
                unknown = set(p) - ALLOWED_KEYS
                if unknown:
                    raise RuleError(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(ALLOWED_KEYS)})")
                for key in ("id", "label", "pattern"):
                    if not p.get(key):
                        raise RuleError(f"{where}: missing or empty {key!r}")
                if p["label"] not in LABELS:
                    raise RuleError(f"{where}: label {p['label']!r} is not one of {sorted(LABELS)}")
                if p["id"] in seen:
                    raise RuleError(f"{where}: duplicate id {p['id']!r} (first in {seen[p['id']]})")
                seen[p["id"]] = where
                if isinstance(p["pattern"], list):
                    _validate_token_pattern(p["pattern"], where)
                elif not isinstance(p["pattern"], str) or not p["pattern"].strip():
                    raise RuleError(f"{where}: a pattern is a non-empty string or a list of token dicts")

    def add(self, file: str, pattern: dict) -> None:
        self.files.setdefault(file, []).append(dict(pattern))
        try:
            self.validate()
        except RuleError:
            self.files[file].pop()
            raise

    def remove(self, pattern_id: str) -> dict:
        for patterns in self.files.values():
            for i, p in enumerate(patterns):
                if p["id"] == pattern_id:
                    return patterns.pop(i)
        raise KeyError(pattern_id)

    def save(self, directory: Path) -> list[Path]:
        """One pattern per line, sorted by id, keys in a fixed order: edits give small diffs."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, patterns in sorted(self.files.items()):
            lines = [json.dumps(_ordered(p), ensure_ascii=False) for p in sorted(patterns, key=lambda p: p["id"])]
            path = directory / name
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            written.append(path)
        return written


def _ordered(pattern: dict) -> dict:
    return {k: pattern[k] for k in ("id", "label", "pattern", "norm", "note") if k in pattern}


def _read_jsonl(path: Path) -> list[dict]:
    patterns = []
    for i, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            patterns.append(json.loads(line))
        except ValueError as exc:
            raise RuleError(f"{path.name}:{i}: not JSON: {exc}") from exc
    return patterns


def _validate_token_pattern(tokens: list, where: str) -> None:
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    if not tokens or not all(isinstance(t, dict) for t in tokens):
        raise RuleError(f"{where}: a token pattern is a non-empty list of dicts")
    try:
        Matcher(Vocab(), validate=True).add("check", [tokens])
    except Exception as exc:  # noqa: BLE001 - spaCy raises several types; all mean the same here
        raise RuleError(f"{where}: invalid token pattern: {exc}") from exc
