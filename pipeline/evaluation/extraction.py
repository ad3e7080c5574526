"""Score main-text extraction (the boilerplate stage, or any extractor) against gold.

Three kinds of gold, detected from a dataset folder's files:

* ``snippets``: ``truth.jsonl`` rows with ``with``/``without`` snippets (trafilatura's evaluation
  set). A ``with`` snippet found in the output is a true positive, else a false negative; a
  ``without`` snippet found is a false positive, else a true negative. Precision, recall, F1 and
  accuracy are computed over all snippets of all pages.
* ``fulltext``: ``truth.jsonl`` rows with a whole ``body`` text (dragnet). Tokens are ``\\w+`` runs;
  per page, the multiset of word 4-gram shingles of the output against the gold's gives precision
  and recall; precision is averaged over pages with output, recall over pages with gold, and F1 is
  taken of the two averages (the measure of the public article-extraction benchmarks).
* ``pages``: a crawl folder with ``gold/<page>.json`` files (first and last words of the body, its
  paragraph count, strings that must not leak into it, listing entries).

Pages are read as the pipeline reads them (``make_document``: our own charset handling), and every
function returns ``{"summary": {...}, "pages": [...]}`` with one row per page so the worst pages can
be listed.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterator

from ..config import Settings, load_settings
from ..document import Document
from ..stages.ingest import make_document, sidecar_url

Extract = Callable[[Document], str]  # a document's main text, as one string


# ------------------------------------------------------------------------------------ entry point


def evaluate_extraction(dataset_dir: Path, limit: int | None = None, extract: Extract | None = None) -> dict:
    """Score the boilerplate stage (or ``extract``) on a dataset folder, whatever kind of gold it has."""
    dataset_dir = Path(dataset_dir)
    kind = dataset_kind(dataset_dir)
    if kind == "snippets":
        return evaluate_snippets(dataset_dir, limit, extract)
    if kind == "fulltext":
        return evaluate_fulltext(dataset_dir, limit, extract)
    if kind == "pages":
        return evaluate_pages(dataset_dir, limit)
    raise ValueError(f"{dataset_dir}: no truth.jsonl with snippets or bodies, and no gold/*.json")


def dataset_kind(dataset_dir: Path) -> str | None:
    truth = Path(dataset_dir) / "truth.jsonl"
    if truth.exists():
        with open(truth, encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row.get("with") or row.get("without"):
                    return "snippets"
                if row.get("body"):
                    return "fulltext"
    if gold_files(Path(dataset_dir)):
        return "pages"
    return None


def stage_extractor(settings: Settings | None = None, site_profiles: bool = True) -> Callable[[Document], Document]:
    """The boilerplate stage as a function of one document (no cross-page templates)."""
    from ..core import PageFailed, run_pages
    from ..resources import Resources

    resources = Resources(settings or load_settings())
    if not site_profiles:
        resources.__dict__["profiles"] = resources.profiles.without_sites()

    def run(doc: Document) -> Document:
        result = next(run_pages([doc], resources.settings, resources, stages=("boilerplate",)))
        if result.doc is None:  # dropped or failed: scored as no output, and listed with its reason
            raise PageFailed(result)
        return result.doc

    return run


def _body_extractor(extract: Extract | None) -> Extract:
    if extract is not None:
        return extract
    run = stage_extractor()
    return lambda doc: run(doc).body_text


# ------------------------------------------------------------------------------------ reading pages


def truth_rows(dataset_dir: Path, limit: int | None = None) -> list[dict]:
    with open(Path(dataset_dir) / "truth.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return rows[:limit] if limit else rows


def load_document(path: Path, settings: Settings, url: str | None = None) -> Document | None:
    """A page file (gzipped or not) decoded the way the pipeline decodes it; None if it cannot be."""
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    doc = make_document(data, str(path), settings, url=url if url and url.startswith("http") else None)
    return doc if isinstance(doc, Document) else None


def documents(dataset_dir: Path, rows: list[dict], settings: Settings | None = None) -> Iterator[tuple[dict, Document | None]]:
    settings = settings or load_settings()
    for row in rows:
        yield row, load_document(Path(dataset_dir) / row["file"], settings, row.get("url"))


def _timed(extract: Extract, doc: Document | None) -> tuple[str, float]:
    if doc is None:
        return "", 0.0
    started = time.perf_counter()
    try:
        text = extract(doc) or ""
    except Exception:  # noqa: BLE001 - a crashing extractor scores as an empty output
        text = ""
    return text, time.perf_counter() - started


# ------------------------------------------------------------------------------------ snippets


def snippet_counts(output: str, with_snippets: list[str], without_snippets: list[str]) -> dict:
    missing = [s for s in with_snippets if s not in output]
    leaked = [s for s in without_snippets if s in output]
    return {
        "tp": len(with_snippets) - len(missing),
        "fn": len(missing),
        "fp": len(leaked),
        "tn": len(without_snippets) - len(leaked),
        "missing": missing,
        "leaked": leaked,
    }


def snippet_summary(rows: list[dict]) -> dict:
    tp, fn, fp, tn = (sum(r[k] for r in rows) for k in ("tp", "fn", "fp", "tn"))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = tp + fn + fp + tn
    seconds = sum(r.get("seconds", 0.0) for r in rows)
    return {
        "pages": len(rows),
        "tp": tp, "fn": fn, "fp": fp, "tn": tn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "accuracy": round((tp + tn) / total, 4) if total else 0.0,
        "seconds": round(seconds, 3),
        "pages_per_second": round(len(rows) / seconds, 2) if seconds else None,
    }


def evaluate_snippets(dataset_dir: Path, limit: int | None = None, extract: Extract | None = None) -> dict:
    return compare_extractors(dataset_dir, {"": _body_extractor(extract)}, limit)[""]


def _snippet_page(row: dict, output: str, seconds: float) -> dict:
    counts = snippet_counts(output, row.get("with") or [], row.get("without") or [])
    return {"id": row.get("id"), "url": row.get("url"), "file": row["file"], **counts, "seconds": round(seconds, 4)}


# ------------------------------------------------------------------------------------ full text


_TOKEN = re.compile(r"\w+")
SHINGLE_WORDS = 4


def shingles(text: str, n: int = SHINGLE_WORDS) -> Counter:
    """The multiset of word n-gram shingles of a text; tokens are ``\\w+`` runs, case kept.

    A text shorter than ``n`` tokens is one short shingle (so a two-word output still counts).
    """
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_scores(output: str, gold: str) -> tuple[float | None, float | None]:
    """(precision, recall) of the output's shingles against the gold's, counted as multisets.

    Precision is None when the output is empty (it is averaged over pages with output), recall is
    None when the gold is (averaged over pages with gold); both empty is a perfect page.
    """
    got, want = shingles(output), shingles(gold)
    overlap = sum((got & want).values())
    n_got, n_want = sum(got.values()), sum(want.values())
    if not n_got and not n_want:
        return 1.0, 1.0
    return (overlap / n_got if n_got else None), (overlap / n_want if n_want else None)


def fulltext_summary(pages: list[dict]) -> dict:
    """Precision averaged over pages with output, recall over pages with gold, F1 of the two."""
    precisions = [p["precision"] for p in pages if p["precision"] is not None]
    recalls = [p["recall"] for p in pages if p["recall"] is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    seconds = sum(p.get("seconds", 0.0) for p in pages)
    return {"pages": len(pages), "empty_outputs": len(pages) - len(precisions), "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4), "seconds": round(seconds, 3),
            "pages_per_second": round(len(pages) / seconds, 2) if seconds else None}


def evaluate_fulltext(dataset_dir: Path, limit: int | None = None, extract: Extract | None = None,
                      ids: Callable[[str], bool] | None = None) -> dict:
    """Score on the pages of a full-text gold set (``ids`` keeps a subset, e.g. one half)."""
    return compare_extractors(dataset_dir, {"": _body_extractor(extract)}, limit, ids)[""]


def _fulltext_page(row: dict, output: str, seconds: float) -> dict:
    precision, recall = shingle_scores(output, row["body"])
    return {"id": row.get("id"), "url": row.get("url"), "file": row["file"],
            "precision": None if precision is None else round(precision, 4),
            "recall": None if recall is None else round(recall, 4), "seconds": round(seconds, 4)}


# ------------------------------------------------------------------------------------ several extractors


# kind of gold -> (score of one page, summary of the pages, worst pages first)
_SCORING = {
    "snippets": (_snippet_page, snippet_summary, lambda r: (-(r["fn"] + r["fp"]), r["id"] or "")),
    "fulltext": (_fulltext_page, fulltext_summary, lambda r: ((r["precision"] or 0.0) + (r["recall"] or 0.0), r["id"] or "")),
}


def compare_extractors(dataset_dir: Path, extractors: dict[str, Extract], limit: int | None = None,
                       ids: Callable[[str], bool] | None = None) -> dict[str, dict]:
    """Each extractor's result on a snippet or full-text gold set (``ids`` keeps a subset of pages).

    The extractors take turns page by page, in an order that rotates from one page to the next, so a
    machine that is busy for a while slows them all alike and their times per page compare: run one
    after the other over the whole set, the speed ratios depend on what else ran meanwhile.
    """
    dataset_dir = Path(dataset_dir)
    kind = dataset_kind(dataset_dir)
    if kind not in _SCORING:
        raise ValueError(f"{dataset_dir}: no truth.jsonl with snippets or bodies")
    score_page, summarize, worst_first = _SCORING[kind]
    rows = truth_rows(dataset_dir, limit)
    if kind == "fulltext":
        rows = [r for r in rows if r.get("body") and (ids is None or ids(str(r.get("id"))))]
    names = list(extractors)
    pages: dict[str, list[dict]] = {name: [] for name in names}
    for turn, (row, doc) in enumerate(documents(dataset_dir, rows)):
        first = turn % len(names)
        for name in names[first:] + names[:first]:
            output, seconds = _timed(extractors[name], doc)
            pages[name].append(score_page(row, output, seconds))
    results = {}
    for name, scored in pages.items():
        scored.sort(key=worst_first)
        results[name] = {"summary": {"kind": kind, **summarize(scored)}, "pages": scored}
    return results


# ------------------------------------------------------------------------------------ crawl folders with page gold


def check_page(doc: Document, gold: dict) -> list[str]:
    """What is wrong with one processed page against its gold (empty when all checks pass)."""
    problems = []
    expected_kind = _page_kind(gold.get("page_kind"))
    if expected_kind and doc.page_kind != expected_kind:
        problems.append(f"page_kind {doc.page_kind} != {expected_kind}")
    body = doc.body_text
    if "body_first_words" in gold and not body.startswith(gold["body_first_words"]):
        problems.append(f"body starts {body[:60]!r}")
    if "body_last_words" in gold and not body.endswith(gold["body_last_words"]):
        problems.append(f"body ends {body[-60:]!r}")
    if "body_paragraphs" in gold:
        count = len(body.split("\n\n")) if body else 0
        if count != gold["body_paragraphs"]:
            problems.append(f"{count} paragraphs, not {gold['body_paragraphs']}")
    problems.extend(f"leaks {leak!r}" for leak in gold.get("body_must_not_contain", []) if leak in body)
    if "entries" in gold:
        problems.extend(_entry_problems(doc.entries, gold["entries"]))
    return problems


def _page_kind(gold_kind: str | None) -> str | None:
    """Gold may annotate finer kinds ("mirror": an article copied from elsewhere); the stage says
    article, listing or other."""
    if not gold_kind:
        return None
    return gold_kind if gold_kind in ("listing", "other") else "article"


def _entry_problems(entries: list[dict], gold_entries: list[dict]) -> list[str]:
    problems = []
    if len(entries) != len(gold_entries):
        problems.append(f"{len(entries)} entries, not {len(gold_entries)}")
    for i, (got, want) in enumerate(zip(entries, gold_entries), start=1):
        for key in ("title", "url", "content_type_label", "where", "what"):
            if key in want and got.get(key) != want[key]:
                problems.append(f"entry {i} {key}: {got.get(key)!r} != {want[key]!r}")
        prefix = want.get("teaser_starts_with")
        if prefix and not (got.get("teaser") or "").startswith(prefix):
            problems.append(f"entry {i} teaser starts {(got.get('teaser') or '')[:40]!r}")
    return problems


def evaluate_pages(dataset_dir: Path, limit: int | None = None, site_profiles: bool = True) -> dict:
    """Run the stage on every page that has gold and list what is wrong with each."""
    dataset_dir = Path(dataset_dir)
    settings = load_settings()
    run = stage_extractor(settings, site_profiles)
    pages = []
    for gold_path in gold_files(dataset_dir)[: limit or None]:
        gold = _flat_gold(json.loads(gold_path.read_text("utf-8")))
        page = _page_path(dataset_dir, gold, gold_path)
        if page is None:
            pages.append({"page": gold_path.name, "ok": False, "problems": ["page file not found"], "seconds": 0.0})
            continue
        doc = load_document(page, settings, gold.get("url") or gold.get("known_url") or sidecar_url(page))
        if doc is None:
            pages.append({"page": page.name, "ok": False, "problems": ["page could not be decoded"], "seconds": 0.0})
            continue
        started = time.perf_counter()
        doc = run(doc)
        seconds = time.perf_counter() - started
        problems = check_page(doc, gold)
        pages.append({"page": page.name, "ok": not problems, "problems": problems, "body_source": doc.body_source,
                      "page_kind": doc.page_kind, "seconds": round(seconds, 4)})
    passed = sum(p["ok"] for p in pages)
    summary = {"kind": "pages", "pages": len(pages), "passed": passed, "failed": len(pages) - passed,
               "seconds": round(sum(p["seconds"] for p in pages), 3)}
    pages.sort(key=lambda p: (p["ok"], p["page"]))
    return {"summary": summary, "pages": pages}


def gold_files(dataset_dir: Path) -> list[Path]:
    """Page gold: ``gold/*.json`` of a crawl folder, or ``*.json`` files beside the pages that
    describe a document (``{"source_file": ..., "document": {"must": {...}}}``, like the seed's)."""
    in_gold = sorted((dataset_dir / "gold").glob("*.json"))
    if in_gold:
        return in_gold
    out = []
    for path in sorted(dataset_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
        except ValueError:
            continue
        if isinstance(data, dict) and "document" in data and ("source_file" in data or "page" in data):
            out.append(path)
    return out


def _flat_gold(gold: dict) -> dict:
    """Body checks may sit at the top (crawl gold) or under ``document.must`` (seed gold)."""
    must = gold.get("document", {}).get("must") if isinstance(gold.get("document"), dict) else None
    return {**gold, **must} if isinstance(must, dict) else gold


def _page_path(dataset_dir: Path, gold: dict, gold_path: Path) -> Path | None:
    name = gold.get("page") or Path(gold.get("source_file") or gold_path.name.removesuffix(".json")).name
    folders = (gold.get("format", "html"), "html", "text", ".")
    for candidate in (dataset_dir / folder / name for folder in folders):
        if candidate.exists():
            return candidate
    return None
