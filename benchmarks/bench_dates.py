"""Publication dates of pages from any site: ours vs htmldate, side by side on the same pages.

Not a test: run it by hand and commit the result file.

    python benchmarks/bench_dates.py [--limit N] [--wrong]

Data (read here only, never copied): ../shared/data/htmldate_bbaw (800 real pages, mostly German blogs
and news; truth.jsonl gives the day, or date_status "none" when the right answer is no date) and the
pages of ../shared/data/trafilatura_eval whose truth gives a `date` (728: 613 of them also in
htmldate_bbaw, 115 others, mostly Spanish- and German-language news of 2022: the closest we have to
"world news"). Score: exact-day accuracy, on all pages and on each half of them (by sorted file name):
a change that helps one half only is likely fitted to its pages. Ours: ingest + boilerplate stages,
then the metadata stage timed alone (no site profile matches these pages), `published`. htmldate:
`find_date(html, url=..., extensive_search=True, original_date=True)`. `--wrong` prints every page we
get wrong, with htmldate's answer. Writes benchmarks/results/dates.md.
"""

from __future__ import annotations

import argparse
import gzip
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

from pipeline.config import load_settings
from pipeline.core import run_pages
from pipeline.dates import parse_date
from pipeline.evaluation.extraction import load_document, truth_rows
from pipeline.evaluation.fields import expected_date
from pipeline.language import detect
from pipeline.resources import Resources
from pipeline.stages import metadata

from _report import write_report

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
BBAW, TRAFILATURA = DATA / "htmldate_bbaw", DATA / "trafilatura_eval"


def our_answers(folder: Path, rows: list[dict], resources: Resources) -> tuple[dict[str, tuple[str | None, str]], float]:
    """(date, source) for each page (by id), and the seconds the metadata stage spent on them."""
    answers, seconds = {}, 0.0
    for row in rows:
        doc = load_document(folder / row["file"], resources.settings, row.get("url"))
        found: tuple[str | None, str] = (None, "not read")
        if doc is not None:
            result = next(run_pages([doc], resources.settings, resources, until="boilerplate"))
            if result.doc is None:
                errors = result.rows.get("errors") or [{}]
                found = (None, f"dropped: {errors[0].get('stage')}/{errors[0].get('error_type')}")
            else:
                started = time.process_time()
                done = metadata.run(result.doc, resources)
                seconds += time.process_time() - started
                found = (done.published, done.published_source or "none")
        answers[_page(row)] = found
    return answers, seconds


def htmldate_answers(folder: Path, rows: list[dict]) -> tuple[dict[str, str | None], float]:
    """htmldate's date for each page (by id), and the seconds it spent."""
    from htmldate import find_date

    answers, seconds = {}, 0.0
    for row in rows:
        html = gzip.decompress((folder / row["file"]).read_bytes())
        started = time.process_time()
        try:
            found = find_date(html, url=row.get("url"), extensive_search=True, original_date=True)
        except Exception:  # noqa: BLE001 - a crash scores as no date
            found = None
        seconds += time.process_time() - started
        answers[_page(row)] = found
    return answers, seconds


def _page(row: dict) -> str:
    return row.get("id") or row["file"]


def _halves(rows: list[dict]) -> list[list[dict]]:
    ordered = sorted(rows, key=lambda row: row["file"])
    middle = len(ordered) // 2
    return [ordered[:middle], ordered[middle:]]


def _score(rows: list[dict], right) -> str:
    hits = sum(1 for row in rows if right(row))
    return f"{hits}/{len(rows)} = {hits / len(rows):.3f}" if rows else "-"


def _table(name: str, rows: list[dict], ours: dict, theirs: dict) -> list[str]:
    def we_are_right(row):
        return ours[_page(row)][0] == expected_date(row)

    def they_are_right(row):
        return theirs[_page(row)] == expected_date(row)

    first, second = _halves(rows)
    return [
        f"| {name} | pipeline | {_score(rows, we_are_right)} | {_score(first, we_are_right)} | {_score(second, we_are_right)} |",
        f"| {name} | htmldate | {_score(rows, they_are_right)} | {_score(first, they_are_right)} | {_score(second, they_are_right)} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--wrong", action="store_true", help="print the pages we get wrong")
    args = parser.parse_args()
    resources = Resources(load_settings())
    bbaw_rows = truth_rows(BBAW, args.limit)
    trafilatura_rows = [row for row in truth_rows(TRAFILATURA) if row.get("date")][: args.limit]
    bbaw_ids = {_page(row) for row in truth_rows(BBAW)}
    world = [row for row in trafilatura_rows if _page(row) not in bbaw_ids]

    started = time.process_time()
    resources.gazetteer, resources.vocabulary, resources.date_rules  # noqa: B018 - built once, not charged to pages
    detect("The language model is loaded on its first call.")
    parse_date("18 November 2010", ("en", "de"))  # dateparser's import and first parser
    start_up = time.process_time() - started
    ours, our_seconds = our_answers(BBAW, bbaw_rows, resources)
    ours_t, our_seconds_t = our_answers(TRAFILATURA, trafilatura_rows, resources)
    theirs, their_seconds = htmldate_answers(BBAW, bbaw_rows)
    theirs_t, their_seconds_t = htmldate_answers(TRAFILATURA, trafilatura_rows)

    wrong_sources = Counter(source for row in bbaw_rows for found, source in [ours[_page(row)]] if found != expected_date(row))
    lines = [
        "# Publication-date benchmark",
        "",
        f"- command: `python benchmarks/bench_dates.py{f' --limit {args.limit}' if args.limit else ''}`",
        f"- data: htmldate_bbaw ({len(bbaw_rows)} pages) and the trafilatura_eval pages with a date in their truth "
        f"({len(trafilatura_rows)}; {len(world)} of them not in htmldate_bbaw); exact-day accuracy (a page whose right answer "
        "is no date counts when nothing is found)",
        "- ours: ingest + boilerplate, then the metadata stage (no site profile matches these pages); htmldate "
        f"{version('htmldate')}: `find_date(extensive_search=True, original_date=True)`",
        "",
        "| pages | extractor | all | first half | second half |",
        "|---|---|---|---|---|",
        *_table("htmldate_bbaw", bbaw_rows, ours, theirs),
        *_table("trafilatura_eval, dated", trafilatura_rows, ours_t, theirs_t),
        *_table("trafilatura_eval, dated, not in htmldate_bbaw", world, ours_t, theirs_t),
        "",
        "Halves: each set's pages sorted by file name, cut in the middle.",
        "",
        "| cost (CPU seconds, this shared machine) | htmldate_bbaw | trafilatura_eval dated |",
        "|---|---|---|",
        f"| metadata stage, ms per page | {1000 * our_seconds / len(bbaw_rows):.1f} | {1000 * our_seconds_t / len(trafilatura_rows):.1f} |",
        f"| htmldate, ms per page | {1000 * their_seconds / len(bbaw_rows):.1f} | {1000 * their_seconds_t / len(trafilatura_rows):.1f} |",
        "",
        f"Built once before the pages (gazetteer, vocabulary, date rules, language model, dateparser): {start_up:.1f} s.",
        "",
        "Where our answers came from (htmldate_bbaw): " + ", ".join(f"{k} {v}" for k, v in Counter(s for _, s in ours.values()).most_common()),
        "",
        "Where our wrong answers came from (htmldate_bbaw): " + ", ".join(f"{k} {v}" for k, v in wrong_sources.most_common()),
        "",
    ]
    if args.wrong:
        for folder_rows, answers, htmldate in ((bbaw_rows, ours, theirs), (trafilatura_rows, ours_t, theirs_t)):
            for row in folder_rows:
                found, source = answers[_page(row)]
                if found != expected_date(row):
                    print(f"{row['file']}  {source:<10}  ours {found}  expected {expected_date(row)}  "
                          f"htmldate {htmldate[_page(row)]}  {row.get('url')}")
    write_report("dates", lines)


if __name__ == "__main__":
    main()
