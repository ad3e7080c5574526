"""Annotated texts for training and scoring: Prodigy-style JSONL in and out, and our gold files turned into them.

A Prodigy-style line is ``{"text": ..., "spans": [{"start": 0, "end": 6, "label": "PERSON"}, ...]}``
(``meta`` optional; lines with ``"answer": "reject"`` or ``"ignore"`` are skipped). Our gold files
name entities by their text, not offsets; ``gold_annotations`` runs the real ingest, boilerplate and
metadata stages on each gold page and marks every whole-word occurrence of each gold mention in the
body text, so a user's own pages and ours end up in one format.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

# Gold sections and the NER label their mentions get.
GOLD_LABELS = {"people": "PERSON", "places": "GPE", "organizations": "ORG", "dates_mentioned": "DATE"}


@dataclass
class AnnotatedText:
    text: str
    spans: list[dict] = field(default_factory=list)  # start, end, label (and text)
    meta: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        spans = [{"start": s["start"], "end": s["end"], "label": s["label"], "text": self.text[s["start"] : s["end"]]} for s in self.spans]
        return {"text": self.text, "spans": spans, "meta": self.meta}


def read_prodigy(path: Path) -> list[AnnotatedText]:
    items = []
    for i, line in enumerate(Path(path).read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        if record.get("answer") in ("reject", "ignore") or "text" not in record:
            continue
        spans = []
        for span in record.get("spans", []):
            start, end = int(span["start"]), int(span["end"])
            if not 0 <= start < end <= len(record["text"]):
                raise ValueError(f"{path}:{i}: span {start}-{end} is outside the text")
            spans.append({"start": start, "end": end, "label": span["label"]})
        items.append(AnnotatedText(record["text"], spans, record.get("meta", {})))
    return items


def write_prodigy(items: list[AnnotatedText], path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(item.to_json(), ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    return path


def mentions_in_gold(gold: dict) -> list[tuple[str, str]]:
    """(surface text, label) of every entity a gold file names, in both our gold layouts."""
    out: list[tuple[str, str]] = []
    for section, label in GOLD_LABELS.items():
        value = gold.get(section)
        entries = value.get("must", []) + value.get("should", []) if isinstance(value, dict) else value or []
        for entry in entries:
            if isinstance(entry, str):
                out.append((entry, label))
                continue
            surfaces = entry.get("mentions") or [entry.get("text") or entry.get("name")]
            out.extend((s, label) for s in surfaces if s)
    return out


def mark_mentions(text: str, mentions: list[tuple[str, str]]) -> list[dict]:
    """Every whole-word occurrence of each mention; where two overlap, the longer wins."""
    found = []
    for surface, label in mentions:
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
            found.append({"start": m.start(), "end": m.end(), "label": label})
    kept: list[dict] = []
    for span in sorted(found, key=lambda s: (-(s["end"] - s["start"]), s["start"])):
        if not any(k["start"] < span["end"] and span["start"] < k["end"] for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s["start"])


def gold_annotations(gold_paths: list[Path]) -> list[AnnotatedText]:
    """Our gold files (a folder with ``gold/`` beside the pages, or single gold JSON files) as annotated body texts."""
    from .config import load_settings
    from .core import run_pages
    from .resources import Resources
    from .stages.ingest import make_document

    settings = load_settings()
    resources = Resources(settings)
    items = []
    for gold_path, page, url in gold_pages(gold_paths):
        gold = json.loads(gold_path.read_text("utf-8"))
        result = next(run_pages([make_document(page.read_bytes(), str(page), settings, url=url)], settings, resources, until="metadata"))
        doc = result.doc
        if doc is None or doc.page_kind != "article" or not doc.body_text:
            continue
        spans = mark_mentions(doc.body_text, mentions_in_gold(gold))
        items.append(AnnotatedText(doc.body_text, spans, {"page": page.name, "published": doc.published, "language": doc.language}))
    return items


def gold_pages(paths: list[Path]):
    """(gold file, page file, url) for osce_dev-style folders and seed-style gold files."""
    from .stages.ingest import sidecar_url

    for path in map(Path, paths):
        if path.is_dir() and (path / "gold").is_dir():
            for gold in sorted((path / "gold").glob("*.json")):
                name = gold.name[: -len(".json")]
                for sub in ("html", "text", "."):
                    page = path / sub / name
                    if page.exists():
                        yield gold, page, sidecar_url(page)
                        break
        elif path.suffix == ".json":
            data = json.loads(path.read_text("utf-8"))
            page = path.parent / Path(data.get("source_file", "")).name
            if page.exists():
                yield path, page, data.get("known_url")
