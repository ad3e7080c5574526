"""Score the metadata fields (title, type, dates, dateline, lists, language) against gold.

Two kinds of gold, detected from each path:

* ``documents``: per-page gold with a ``document`` object — a crawl folder with ``gold/*.json``
  (osce_dev layout: ``page``, ``format``, ``url``) or a seed gold file (``source_file`` relative to
  /work/shared, ``known_url``, fields under ``document.must``). Each page runs through the real
  stages (ingest with the URL from the gold or the folder's ``crawl.jsonl``, boilerplate, metadata)
  and every document field the gold states is compared exactly; listing entries' dates and types
  are compared too.
* ``dates``: a folder with ``truth.jsonl`` rows of ``file`` + ``date`` (htmldate's evaluation set).
  Exact-day accuracy of ``published`` from the same stages; ``extra.date_status == "none"`` means
  the right answer is no date.

Returns ``{"summary": {...}, "errors": [...]}``: per field right/total/accuracy, and one error row
per wrong value with the page, the expected and the found value.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterator

from ..config import Settings, load_settings
from ..document import Document
from ..stages.ingest import sidecar_url
from .extraction import gold_files, load_document, truth_rows

# Gold key -> how to read our value from the processed document.
DOCUMENT_FIELDS: dict[str, Callable[[Document], object]] = {
    "site": lambda d: d.site,
    "title": lambda d: d.title,
    "content_type": lambda d: d.content_type,
    "content_type_label": lambda d: d.content_type_label,
    "published": lambda d: d.published,
    "published_from": lambda d: d.published_source,
    "updated": lambda d: d.updated,
    "dateline_place": lambda d: list(d.dateline_place),
    "dateline_country": lambda d: list(d.dateline_country),
    "dateline_date": lambda d: d.dateline_date,
    "sources": lambda d: list(d.sources),
    "fields_of_work": lambda d: list(d.fields_of_work),
    "language": lambda d: d.language,
    "author": lambda d: list(d.author),
}
ENTRY_FIELDS = ("published", "content_type", "content_type_label")
# How gold names where the publication date comes from -> the published_source values that match.
PUBLISHED_FROM = {"date field": {"site field"}, "dateline": {"dateline"}, "meta tag": {"meta", "json-ld"},
                  "json-ld": {"json-ld"}, "time": {"time"}, "url": {"url"}, "text": {"text"}}
LIST_FIELDS = {"dateline_place", "dateline_country", "sources", "fields_of_work", "author"}

Process = Callable[[Document], Document]


# ------------------------------------------------------------------------------------ entry point


def evaluate_fields(paths: list[Path], limit: int | None = None, process: Process | None = None) -> dict:
    """Per-field accuracy over every gold path given (page gold folders, seed gold files, date sets)."""
    process = process or stage_runner()
    tally: dict[str, Counter] = {}
    errors: list[dict] = []
    dates: dict | None = None
    for path in map(Path, paths):
        if (path / "truth.jsonl").exists():
            dates = _merge_dates(dates, evaluate_dates(path, limit, process, errors))
            continue
        for gold_path in _document_gold(path):
            _score_document(gold_path, process, tally, errors)
    summary: dict = {"fields": {name: _accuracy(c) for name, c in sorted(tally.items())}}
    if tally:
        summary["documents"] = max(c["total"] for name, c in tally.items() if not name.startswith("entry."))
    if dates:
        summary["dates"] = dates
    return {"summary": summary, "errors": errors}


def stage_runner(settings: Settings | None = None) -> Process:
    """Boilerplate then metadata, as the pipeline runs them on one page (no cross-page templates)."""
    from ..core import PageFailed, run_pages
    from ..resources import Resources

    resources = Resources(settings or load_settings())

    def run(doc: Document) -> Document:
        result = next(run_pages([doc], resources.settings, resources, until="metadata"))
        if result.doc is None:  # dropped or failed: scored as no output, and listed with its reason
            raise PageFailed(result)
        return result.doc

    return run


def _accuracy(counts: Counter) -> dict:
    total = counts["total"]
    return {"right": counts["right"], "total": total, "accuracy": round(counts["right"] / total, 4) if total else None}


# ------------------------------------------------------------------------------------ page gold


def _document_gold(path: Path) -> list[Path]:
    """Gold files of a path: the file itself, or a folder's ``gold/*.json`` / seed-style ``*.json``."""
    if path.is_file():
        return [path]
    return [p for p in gold_files(path) if _has_expectations(json.loads(p.read_text("utf-8")))]


def _has_expectations(gold: dict) -> bool:
    return isinstance(gold.get("document"), dict) or bool(gold.get("entries"))


def _score_document(gold_path: Path, process: Process, tally: dict[str, Counter], errors: list[dict]) -> None:
    gold = json.loads(gold_path.read_text("utf-8"))
    page = _page_file(gold, gold_path)
    name = page.name if page else gold_path.name
    doc = _processed(page, gold, gold_path, process) if page else None
    expected = _expected_fields(gold)
    if doc is None:
        for field in expected:
            tally.setdefault(field, Counter())["total"] += 1
        errors.append({"page": name, "field": "*", "expected": "a processed page", "found": "page missing or unreadable"})
        return
    for field, want in expected.items():
        got = DOCUMENT_FIELDS[field](doc)
        _count(tally, field, _same(field, want, got), errors, name, want, got)
    for i, (want, got) in enumerate(zip(gold.get("entries") or [], doc.entries), start=1):
        for field in ENTRY_FIELDS:
            if field in want:
                _count(tally, f"entry.{field}", want[field] == got.get(field), errors, f"{name} entry {i}", want[field], got.get(field))


def _count(tally: dict[str, Counter], field: str, right: bool, errors: list[dict], page: str, want, got) -> None:
    counts = tally.setdefault(field, Counter())
    counts["total"] += 1
    counts["right"] += right
    if not right:
        errors.append({"page": page, "field": field, "expected": want, "found": got})


def _expected_fields(gold: dict) -> dict:
    """The document fields the gold states: ``document`` itself or its ``must`` part (seed gold)."""
    document = gold.get("document")
    if not isinstance(document, dict):
        return {}
    document = document.get("must", document)
    return {key: value for key, value in document.items() if key in DOCUMENT_FIELDS}


def _same(field: str, want, got) -> bool:
    if field == "published_from":
        return got in _published_sources(str(want))
    if field in LIST_FIELDS:
        want = [] if want is None else [want] if isinstance(want, str) else list(want)
        return want == list(got)
    return want == got


def _published_sources(gold_value: str) -> set[str]:
    """'dateline (the page's own Date: field is empty)' -> {'dateline'}; 'meta tag' -> {'meta', 'json-ld'}."""
    key = gold_value.split("(", 1)[0].strip().casefold()
    return PUBLISHED_FROM.get(key, {key})


def _page_file(gold: dict, gold_path: Path) -> Path | None:
    """The page a gold file describes: crawl-folder layout (``<folder>/<format>/<page>``), beside the
    gold, in a ``seeds/`` sibling, or at ``source_file`` relative to the data root."""
    folder = gold_path.parent.parent if gold_path.parent.name == "gold" else gold_path.parent
    source_file = gold.get("source_file") or ""
    name = gold.get("page") or Path(source_file).name or gold_path.name.removesuffix(".json")
    subfolder = "text" if gold.get("format") == "text" else "html"
    candidates = [folder / subfolder / name, folder / name, gold_path.parent / name, folder / "seeds" / name,
                  folder.parent / "seeds" / name]
    if source_file:  # relative to the data root that holds gold/ (e.g. seeds/000_....txt)
        candidates += [folder / source_file, folder.parent / source_file]
    return next((c for c in candidates if c.is_file()), None)


def _processed(page: Path, gold: dict, gold_path: Path, process: Process) -> Document | None:
    settings = load_settings()
    url = gold.get("url") or gold.get("known_url") or sidecar_url(page)
    doc = load_document(page, settings, url)
    return process(doc) if doc is not None else None


# ------------------------------------------------------------------------------------ publication-date set


def evaluate_dates(dataset_dir: Path, limit: int | None = None, process: Process | None = None,
                   errors: list[dict] | None = None) -> dict:
    """Exact-day accuracy of ``published`` on a truth.jsonl date set; wrong pages go to ``errors``."""
    process = process or stage_runner()
    errors = errors if errors is not None else []
    right = 0
    seconds = 0.0
    sources: Counter = Counter()
    wrong_by_source: Counter = Counter()
    rows = truth_rows(dataset_dir, limit)
    for row, found, source, spent in _dated_pages(Path(dataset_dir), rows, process):
        seconds += spent
        want = expected_date(row)
        sources[source or "none"] += 1
        if found == want:
            right += 1
            continue
        wrong_by_source[source or "none"] += 1
        errors.append({"page": row.get("id") or row["file"], "field": "published", "expected": want, "found": found,
                       "source": source, "url": row.get("url")})
    return {"pages": len(rows), "right": right, "accuracy": round(right / len(rows), 4) if rows else None,
            "seconds": round(seconds, 2), "pages_per_second": round(len(rows) / seconds, 1) if seconds else None,
            "by_source": dict(sources.most_common()), "wrong_by_source": dict(wrong_by_source.most_common())}


def expected_date(row: dict) -> str | None:
    """The right answer of a date-set row: its day, or None when the page has no date."""
    if (row.get("extra") or {}).get("date_status") == "none":
        return None
    return row.get("date") or None


def _dated_pages(folder: Path, rows: list[dict], process: Process) -> Iterator[tuple[dict, str | None, str | None, float]]:
    settings = load_settings()
    for row in rows:
        started = time.perf_counter()
        doc = load_document(folder / row["file"], settings, row.get("url"))
        found = source = None
        if doc is not None:
            try:
                doc = process(doc)
                found, source = doc.published, doc.published_source
            except Exception as exc:  # noqa: BLE001 - a crash scores as no date, and is listed
                source = f"error: {type(exc).__name__}: {exc}"
        yield row, found, source, time.perf_counter() - started


def _merge_dates(total: dict | None, part: dict) -> dict:
    if total is None:
        return part
    pages, right, seconds = total["pages"] + part["pages"], total["right"] + part["right"], total["seconds"] + part["seconds"]
    merged = {"pages": pages, "right": right, "accuracy": round(right / pages, 4) if pages else None, "seconds": round(seconds, 2),
              "pages_per_second": round(pages / seconds, 1) if seconds else None}
    for key in ("by_source", "wrong_by_source"):
        merged[key] = dict((Counter(total[key]) + Counter(part[key])).most_common())
    return merged
