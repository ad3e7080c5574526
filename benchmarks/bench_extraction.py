"""Benchmark main-text extraction: our boilerplate stage against trafilatura and readability-lxml.

In one process, on the same pages (decoded once by our ingest, so every extractor gets the same
text), each extractor's output is scored with the snippet measure of the trafilatura evaluation set
and timed (extraction only, parsing included, decoding excluded). Results go to
``benchmarks/results/extraction.md``.

    nice python benchmarks/bench_extraction.py [--dataset DIR] [--limit N] [--out FILE]

Needs the ``bench`` extra (readability-lxml).
"""

from __future__ import annotations

import argparse
import logging
import platform
import sys
from datetime import date
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.evaluation.extraction import documents, evaluate_pages, evaluate_snippets, stage_extractor, truth_rows  # noqa: E402
from pipeline.extract.html import parse_html, text_blocks  # noqa: E402

DEFAULT_DATASET = Path("/work/shared/data/trafilatura_eval")
DEFAULT_PAGES_GOLD = ROOT / "tests" / "fixtures" / "osce_dev"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "extraction.md"


def our_stage(doc) -> str:
    return _STAGE(doc).body_text


def trafilatura_default(doc) -> str:
    import trafilatura

    return trafilatura.extract(doc.text) or ""


def readability_lxml(doc) -> str:
    """readability's summary HTML, rendered to paragraphs the way our stage renders a body."""
    from readability import Document as ReadabilityDocument

    summary = ReadabilityDocument(doc.text).summary(html_partial=True)
    tree = parse_html(f"<html><body>{summary}</body></html>")
    return "\n\n".join(b.text for b in text_blocks(tree))


EXTRACTORS = {
    "pipeline boilerplate stage": our_stage,
    f"trafilatura {version('trafilatura')} (default `extract`)": trafilatura_default,
    f"readability-lxml {version('readability-lxml')}": readability_lxml,
}
_STAGE = None


def main() -> None:
    global _STAGE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # trafilatura and readability log every page they find hard
    _STAGE = stage_extractor()
    warm_up(args.dataset)

    rows = []
    for name, extract in EXTRACTORS.items():
        summary = evaluate_snippets(args.dataset, args.limit, extract)["summary"]
        rows.append((name, summary))
        print(f"{name}: F1 {summary['f1']:.4f}, {summary['pages_per_second']} pages/s", flush=True)
    pages_gold = evaluate_pages(DEFAULT_PAGES_GOLD)["summary"] if DEFAULT_PAGES_GOLD.exists() else None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(rows, args, pages_gold), "utf-8")
    print(f"wrote {args.out}")


def warm_up(dataset: Path) -> None:
    """Imports, lazily built rules and caches are paid once, outside the timed runs."""
    for _, doc in documents(dataset, truth_rows(dataset, 3)):
        if doc is not None:
            for extract in EXTRACTORS.values():
                extract(doc)


def report(rows, args, pages_gold) -> str:
    ours = rows[0][1]
    lines = [
        "# Main-text extraction benchmark",
        "",
        f"Run {date.today().isoformat()} with `benchmarks/bench_extraction.py` on {ours['pages']} pages of "
        f"`{args.dataset.name}` ({'first ' + str(args.limit) if args.limit else 'all'}), one process, "
        f"Python {platform.python_version()}, lxml {version('lxml')}. Snippet measure: a `with` snippet found in the "
        "output is a true positive, else a false negative; a `without` snippet found is a false positive, else a "
        "true negative; precision, recall, F1 and accuracy over all snippets of all pages. Speed is extraction "
        "only (parsing included, decoding excluded; the machine is shared, so compare ratios).",
        "",
        "| extractor | precision | recall | F1 | accuracy | pages/s | time vs trafilatura |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    reference = rows[1][1]["seconds"] or 1.0
    for name, s in rows:
        lines.append(
            f"| {name} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} | {s['accuracy']:.4f} | "
            f"{s['pages_per_second']} | {s['seconds'] / reference:.2f}x |"
        )
    lines += [
        "",
        f"Counts for the stage: TP {ours['tp']}, FN {ours['fn']}, FP {ours['fp']}, TN {ours['tn']}.",
        "",
        "Notes:",
        "- The stage's body deliberately leaves out the page title and normalizes whitespace inside paragraphs "
        "(no-break spaces become spaces, soft hyphens are removed). Gold snippets that contain a title, a "
        "no-break space or a soft hyphen therefore count as misses for the stage, not for trafilatura.",
        "- trafilatura's default includes comments; the stage asks it for none and refines its choice "
        "(see `pipeline/extract/generic.py`).",
    ]
    if pages_gold:
        lines += [
            "",
            f"Development crawl gold (`tests/fixtures/osce_dev`, first/last words, paragraph counts, leaks, "
            f"listing entries): {pages_gold['passed']} of {pages_gold['pages']} pages pass.",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
