"""Publication dates of pages from any site: ours vs htmldate, side by side on the same pages.

Not a test: run it by hand and commit the result file.

    python benchmarks/bench_dates.py [--limit N] [--wrong]

Data: ../shared/data/htmldate_bbaw (800 real pages, mostly German blogs and news; truth.jsonl gives
the day, or date_status "none" when the right answer is no date). Score: exact-day accuracy, on all
pages and on each half of them (by sorted file name): a change that helps one half only is likely
fitted to its pages. Ours: ingest + boilerplate + metadata stages (no site profile matches these
pages), `published`. htmldate: `find_date(html, url=..., extensive_search=True, original_date=True)`.
`--wrong` prints every page we get wrong, with htmldate's answer. Writes benchmarks/results/dates.md.
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


def htmldate_answers(rows: list[dict]) -> tuple[dict[str, str | None], float]:
    """htmldate's date for each page (by id), and the seconds it spent."""
    from htmldate import find_date

    answers, seconds = {}, 0.0
    for row in rows:
        html = gzip.decompress((DATA / row["file"]).read_bytes())
        started = time.perf_counter()
        try:
            found = find_date(html, url=row.get("url"), extensive_search=True, original_date=True)
        except Exception:  # noqa: BLE001 - a crash scores as no date
            found = None
        seconds += time.perf_counter() - started
        answers[_page(row)] = found
    return answers, seconds


def _page(row: dict) -> str:
    return row.get("id") or row["file"]


def _halves(rows: list[dict]) -> list[list[dict]]:
    ordered = sorted(rows, key=lambda row: row["file"])
    middle = len(ordered) // 2
    return [ordered[:middle], ordered[middle:]]


def _score(right: int, total: int) -> str:
    return f"{right}/{total} = {right / total:.3f}" if total else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--wrong", action="store_true", help="print the pages we get wrong")
    args = parser.parse_args()
    rows = truth_rows(DATA, args.limit)
    errors: list[dict] = []
    ours = evaluate_dates(DATA, args.limit, errors=errors)
    ours_wrong = {error["page"] for error in errors}
    theirs, theirs_seconds = htmldate_answers(rows)
    n = len(rows)
    theirs_right = sum(theirs[_page(row)] == expected_date(row) for row in rows)
    halves = _halves(rows)
    lines = [
        "# Publication-date benchmark",
        "",
        f"- command: `python benchmarks/bench_dates.py{f' --limit {args.limit}' if args.limit else ''}`",
        f"- data: htmldate_bbaw, {n} pages; exact-day accuracy (a page whose right answer is no date counts when nothing is found)",
        "",
        "| extractor | right | accuracy | first half | second half | pages/s |",
        "|---|---|---|---|---|---|",
        f"| pipeline (ingest + boilerplate + metadata) | {ours['right']} | {ours['accuracy']:.3f} | "
        + " | ".join(_score(sum(_page(row) not in ours_wrong for row in half), len(half)) for half in halves)
        + f" | {ours['pages_per_second']} (whole stages) |",
        f"| htmldate {version('htmldate')} (extensive, original date) | {theirs_right} | {theirs_right / n:.3f} | "
        + " | ".join(_score(sum(theirs[_page(row)] == expected_date(row) for row in half), len(half)) for half in halves)
        + f" | {n / theirs_seconds:.1f} (dates only) |",
        "",
        "Halves: the pages sorted by file name, cut in the middle.",
        "",
        "Where our answers came from: " + ", ".join(f"{k} {v}" for k, v in ours["by_source"].items()),
        "",
        "Where our wrong answers came from: " + ", ".join(f"{k} {v}" for k, v in ours["wrong_by_source"].items()),
        "",
    ]
    if args.wrong:
        for error in sorted(errors, key=lambda e: str(e["source"])):
            print(f"{error['page']}  {error['source'] or 'none':<10}  ours {error['found']}  expected {error['expected']}  "
                  f"htmldate {theirs[error['page']]}  {error['url']}")
    write_report("dates", lines)


if __name__ == "__main__":
    main()
