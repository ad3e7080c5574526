"""Benchmark main-text extraction: our boilerplate stage against trafilatura and readability-lxml.

In one process, on the same pages (decoded once by our ingest, so every extractor gets the same
text), each extractor's output is scored and timed (extraction only, parsing included, decoding
excluded; the extractors take turns page by page, so a busy spell of the machine slows them alike): on trafilatura_eval with its snippet measure, on dragnet with the 4-gram shingle measure
of the public article-extraction benchmarks. Every set is also scored on its two halves: ids whose
last character (a digit or hex digit) is even are the half rules were tuned on, odd ids are held
out. Results go to ``benchmarks/results/extraction.md``.

    nice python benchmarks/bench_extraction.py [--dataset DIR ...] [--limit N] [--out FILE]

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

from pipeline.evaluation.extraction import (  # noqa: E402
    compare_extractors,
    dataset_kind,
    documents,
    evaluate_pages,
    fulltext_summary,
    snippet_summary,
    stage_extractor,
    truth_rows,
)
from pipeline.extract.html import parse_html, text_blocks  # noqa: E402

DEFAULT_DATASETS = [Path("/work/shared/data/trafilatura_eval"), Path("/work/shared/data/dragnet")]
DEFAULT_PAGES_GOLD = Path("/work/shared/data/osce_dev")
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "extraction.md"


def our_stage(doc) -> str:
    return _STAGE(doc).body_text


def trafilatura_default(doc) -> str:
    import trafilatura

    return trafilatura.extract(doc.text) or ""


def trafilatura_no_comments(doc) -> str:
    import trafilatura

    return trafilatura.extract(doc.text, include_comments=False) or ""


def readability_lxml(doc) -> str:
    """readability's summary HTML, rendered to paragraphs the way our stage renders a body."""
    from readability import Document as ReadabilityDocument

    summary = ReadabilityDocument(doc.text).summary(html_partial=True)
    tree = parse_html(f"<html><body>{summary}</body></html>")
    return "\n\n".join(b.text for b in text_blocks(tree))


EXTRACTORS = {
    "pipeline boilerplate stage": our_stage,
    f"trafilatura {version('trafilatura')} (default `extract`)": trafilatura_default,
    f"trafilatura {version('trafilatura')} (`include_comments=False`)": trafilatura_no_comments,
    f"readability-lxml {version('readability-lxml')}": readability_lxml,
}
_STAGE = None


def tuning_half(page_id: str) -> bool:
    """Even ids (last character read as a base-36 digit: decimal and hex ids alike) are the tuning half."""
    return int(str(page_id)[-1], 36) % 2 == 0


def main() -> None:
    global _STAGE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, action="append", default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    datasets = args.dataset or DEFAULT_DATASETS
    logging.disable(logging.WARNING)  # trafilatura and readability log every page they find hard
    _STAGE = stage_extractor()
    warm_up(datasets[0])

    sections = []
    for dataset in datasets:
        kind = dataset_kind(dataset)
        summarize = snippet_summary if kind == "snippets" else fulltext_summary
        rows = []
        for name, result in compare_extractors(dataset, EXTRACTORS, args.limit).items():
            halves = [summarize([p for p in result["pages"] if tuning_half(p["id"]) == even]) for even in (True, False)]
            rows.append((name, result["summary"], halves))
            print(f"{dataset.name} {name}: F1 {result['summary']['f1']:.4f} (halves {halves[0]['f1']:.4f} / {halves[1]['f1']:.4f}), "
                  f"{result['summary']['pages_per_second']} pages/s", flush=True)
        sections.append((dataset, kind, rows))
    pages_gold = evaluate_pages(DEFAULT_PAGES_GOLD)["summary"] if DEFAULT_PAGES_GOLD.exists() else None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(sections, args, pages_gold), "utf-8")
    print(f"wrote {args.out}")


def warm_up(dataset: Path) -> None:
    """Imports, lazily built rules and caches are paid once, outside the timed runs."""
    for _, doc in documents(dataset, truth_rows(dataset, 3)):
        if doc is not None:
            for extract in EXTRACTORS.values():
                extract(doc)


MEASURES = {
    "snippets": "snippet measure: a `with` snippet found in the output is a true positive, else a false negative; a "
    "`without` snippet found is a false positive, else a true negative; precision, recall and F1 over all snippets",
    "fulltext": "4-gram shingle measure: tokens are `\\w+` runs; per page the multiset of word 4-grams of the output "
    "against the gold's; precision averaged over pages with output, recall over pages with gold, F1 of the two",
}


def report(sections, args, pages_gold) -> str:
    lines = [
        "# Main-text extraction benchmark",
        "",
        f"Run {date.today().isoformat()} with `benchmarks/bench_extraction.py`, one process, Python "
        f"{platform.python_version()}, lxml {version('lxml')}{', first ' + str(args.limit) + ' pages of each set' if args.limit else ''}. "
        "Speed is extraction only (parsing included, decoding excluded); the extractors take turns page by page, in a "
        "rotating order, so the time ratios hold on a shared machine. "
        "Halves: ids whose last character is even are the half rules were tuned on; odd ids are held out.",
    ]
    for dataset, kind, rows in sections:
        ours = rows[0][1]
        lines += [
            "",
            f"## `{dataset.name}` ({ours['pages']} pages)",
            "",
            MEASURES[kind] + ".",
            "",
            "| extractor | precision | recall | F1 | F1 tuning half | F1 held-out half | pages/s | time vs trafilatura |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        reference = rows[1][1]["seconds"] or 1.0
        for name, s, (even, odd) in rows:
            lines.append(
                f"| {name} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} | {even['f1']:.4f} | {odd['f1']:.4f} | "
                f"{s['pages_per_second']} | {s['seconds'] / reference:.2f}x |"
            )
        if kind == "snippets":
            lines += ["", f"Counts for the stage: TP {ours['tp']}, FN {ours['fn']}, FP {ours['fp']}, TN {ours['tn']}."]
        else:
            lines += ["", f"Pages where the stage gave no output: {ours['empty_outputs']}."]
    lines += [
        "",
        "Notes:",
        "- The stage's body deliberately leaves out the page title and normalizes whitespace inside paragraphs "
        "(no-break spaces become spaces, soft hyphens are removed). Gold snippets that contain a title, a "
        "no-break space or a soft hyphen therefore count as misses for the stage, not for trafilatura.",
        "- trafilatura's default includes comments; the stage asks it for none and refines its choice "
        "(see `pipeline/extract/generic.py`). dragnet's gold leaves reader comments out, so trafilatura is also "
        "shown without comments.",
        "- dragnet is AGPL data, read here for evaluation only; some of its gold bodies are stored mis-decoded "
        "(UTF-16 read as bytes), which every extractor scores 0 on.",
    ]
    if pages_gold:
        lines += [
            "",
            f"Development crawl gold (`../shared/data/osce_dev`, first/last words, paragraph counts, leaks, "
            f"listing entries): {pages_gold['passed']} of {pages_gold['pages']} pages pass.",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
