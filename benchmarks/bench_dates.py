"""Publication dates of pages from any site: ours vs htmldate, side by side on the same pages.

Not a test: run it by hand and commit the result file.

    python benchmarks/bench_dates.py [--limit N]

Data: ../shared/data/htmldate_bbaw (800 real pages, mostly German blogs and news; truth.jsonl gives
the day, or date_status "none" when the right answer is no date). Score: exact-day accuracy.
Ours: ingest + boilerplate + metadata stages (no site profile matches these pages), `published`.
htmldate: `find_date(html, url=..., extensive_search=True, original_date=True)`.
Writes benchmarks/results/dates.md.
"""

from __future__ import annotations

import argparse
import gzip
import time
from importlib.metadata import version
from pathlib import Path

from pipeline.evaluation.fields import evaluate_dates, expected_date
from pipeline.evaluation.extraction import truth_rows

from _report import write_report

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "htmldate_bbaw"


def htmldate_accuracy(rows: list[dict]) -> tuple[int, float]:
    from htmldate import find_date

    right, seconds = 0, 0.0
    for row in rows:
        html = gzip.decompress((DATA / row["file"]).read_bytes())
        started = time.perf_counter()
        try:
            found = find_date(html, url=row.get("url"), extensive_search=True, original_date=True)
        except Exception:  # noqa: BLE001 - a crash scores as no date
            found = None
        seconds += time.perf_counter() - started
        right += found == expected_date(row)
    return right, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    rows = truth_rows(DATA, args.limit)
    ours = evaluate_dates(DATA, args.limit)
    theirs_right, theirs_seconds = htmldate_accuracy(rows)
    n = len(rows)
    lines = [
        "# Publication-date benchmark",
        "",
        f"- command: `python benchmarks/bench_dates.py{f' --limit {args.limit}' if args.limit else ''}`",
        f"- data: htmldate_bbaw, {n} pages; exact-day accuracy (a page whose right answer is no date counts when nothing is found)",
        "",
        "| extractor | right | accuracy | pages/s |",
        "|---|---|---|---|",
        f"| pipeline (ingest + boilerplate + metadata) | {ours['right']} | {ours['accuracy']:.3f} | {ours['pages_per_second']} (whole stages) |",
        f"| htmldate {version('htmldate')} (extensive, original date) | {theirs_right} | {theirs_right / n:.3f} | {n / theirs_seconds:.1f} (dates only) |",
        "",
        "Where our answers came from: " + ", ".join(f"{k} {v}" for k, v in ours["by_source"].items()),
        "",
        "Where our wrong answers came from: " + ", ".join(f"{k} {v}" for k, v in ours["wrong_by_source"].items()),
        "",
    ]
    write_report("dates", lines)


if __name__ == "__main__":
    main()
