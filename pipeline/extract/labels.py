"""The vocabulary of metadata labels (``rules/labels.toml``): which label announces which field.

Loaded once per worker (through the site profiles), validated on load (no label may name two
fields), and saved back sorted so edits give small diffs. The labels of content types ("Press
release", "Пресс-релиз") come from ``rules/content_types.toml``, which the metadata stage owns: one
vocabulary, read by both stages.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

FIELDS = ("author", "content_type", "fields_of_work", "published", "sources", "updated")
# A label as written: trailing colon (ASCII or full-width), spaces and no-break spaces around it.
_LABEL_DECORATION = re.compile(r"^[\s\u00a0\-–•*]+|[\s\u00a0:：]+$")
_HEADER = """\
# Labels that pages put in front of the values they state about themselves ("Date:", "Source:"),
# by the field they announce, in the languages of the sites we read. The boilerplate stage uses them
# to find metadata blocks (in HTML and in text renderings) and to name their fields; the metadata
# stage normalizes the values.
#
# Matching ignores case, surrounding spaces (including no-break spaces) and a trailing ":" or "：".
# Lists are kept sorted by `pipeline.extract.labels.save_labels`; add a language by adding its labels
# to each field.
"""


def label_key(text: str) -> str:
    """The form labels are compared in: no decoration, one space between words, case-folded."""
    return " ".join(_LABEL_DECORATION.sub("", text).split()).casefold()


def ends_like_label(text: str) -> bool:
    """Written as a label: a short text ending with a colon."""
    stripped = text.strip().rstrip("\u00a0 ")
    return stripped.endswith((":", "：")) and 0 < len(stripped.split()) <= 5


@dataclass(frozen=True)
class LabelVocabulary:
    fields: dict[str, tuple[str, ...]]  # field -> labels as written in the file
    content_types: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_field_of", {label_key(l): f for f, labels in self.fields.items() for l in labels})
        object.__setattr__(self, "_types", {label_key(t) for t in self.content_types})

    def field_for(self, label: str) -> str | None:
        """The field a label announces ("Publishing date:" -> "published"), or None."""
        return self._field_of.get(label_key(label))

    def is_content_type(self, text: str) -> bool:
        """A known type label ("Press release", "Пресс-релиз") standing on its own."""
        return label_key(text) in self._types


def load_labels(path: Path, content_types_path: Path | None = None) -> LabelVocabulary:
    """Field labels from ``path``; type labels (names and labels) from a content-types file if given."""
    data = tomllib.loads(Path(path).read_text("utf-8"))
    fields = {name: tuple(spec.get("labels", [])) for name, spec in data.get("fields", {}).items()}
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"{path}: unknown fields {sorted(unknown)}; known: {', '.join(FIELDS)}")
    seen: dict[str, str] = {}
    for name, labels in fields.items():
        for label in labels:
            key = label_key(label)
            if not key:
                raise ValueError(f"{path}: empty label in field {name!r}")
            if seen.get(key, name) != name:
                raise ValueError(f"{path}: label {label!r} names both {seen[key]!r} and {name!r}")
            seen[key] = name
    return LabelVocabulary(fields, load_content_type_labels(content_types_path) if content_types_path else ())


def load_content_type_labels(path: Path) -> tuple[str, ...]:
    """Every name and label of ``[types."<name>"] labels = [...]`` in a content-types file."""
    if not Path(path).exists():
        return ()
    types = tomllib.loads(Path(path).read_text("utf-8")).get("types", {})
    return tuple(sorted({label for name, spec in types.items() for label in [name, *spec.get("labels", [])]}))


def save_labels(vocabulary: LabelVocabulary, path: Path) -> None:
    """Write the field labels back, every list sorted and de-duplicated."""
    parts = [_HEADER]
    for name in sorted(vocabulary.fields):
        parts.append(f"\n[fields.{name}]\n{_toml_list(vocabulary.fields[name])}\n")
    Path(path).write_text("".join(parts), "utf-8")


def _toml_list(items, width: int = 110) -> str:
    ordered = sorted(set(items), key=lambda s: (s.casefold(), s))
    lines, line = [], ""
    for item in ordered:
        quoted = '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '", '
        if line and len(line) + len(quoted) > width:
            lines.append(line.rstrip())
            line = ""
        line += quoted
    if line:
        lines.append(line.rstrip())
    return "labels = [\n" + "\n".join("  " + l for l in lines) + "\n]"
