"""The entity tables on text no rule was written for, and on our own development gold, in one table.

Not a test: run it by hand and commit the result file.

    python benchmarks/bench_entities_dev.py [--only LGL --only osce_dev2] [--limit N]

Corpora: the four public ones of ../shared/data/entities_dev (WikiGold NER, LGL toponyms, TimeBank
dates, PolNeAR dev quotes), scored with their usual measures (pipeline/evaluation/corpora.py), and the
osce.org-style gold (../shared/data/osce_dev, ../shared/data/osce_dev2, the seed in tests/fixtures)
scored per table with pipeline/evaluation/entities.py. Each corpus is scored on its two halves (even
and odd document index): rules tuned on one half are checked on the other. "before" is the pipeline
at commit 127637c, before the work on issue #10, measured with the same scorers.
Writes benchmarks/results/entities_dev.md.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline import load_settings
from pipeline.evaluation.corpora import score_corpus
from pipeline.evaluation.entities import LABELS, evaluate_entities
from pipeline.resources import Resources

from _report import write_report

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
PUBLIC = {
    "WikiGold": DATA / "entities_dev" / "wikigold" / "test.jsonl",
    "LGL": DATA / "entities_dev" / "lgl" / "test.jsonl",
    "TimeBank": DATA / "entities_dev" / "timebank" / "train.jsonl",
    "PolNeAR dev": DATA / "entities_dev" / "polnear-dev" / "dev.jsonl",
}
GOLD = {
    "osce_dev": DATA / "osce_dev",
    "osce_dev2": DATA / "osce_dev2",
    "seed": ROOT / "tests" / "fixtures" / "seed" / "seed_000.json",
}
# The measures reported per corpus, as (name, function of the raw counts of one or both halves).
MEASURES = {
    "ner": [("micro F1 (PER/LOC/ORG)", lambda c: _f1(c["tp"], c["fp"], c["fn"]))]
    + [(f"{label} F1", lambda c, label=label: _f1(c[f"{label} tp"], c[f"{label} fp"], c[f"{label} fn"])) for label in ("PER", "LOC", "ORG")],
    "geo": [
        ("acc@161 over gold", lambda c: _ratio(c["right"], c["gold"])),
        ("acc@161 over detected", lambda c: _ratio(c["right"], c["detected"])),
        ("detection precision", lambda c: _ratio(c["predicted on gold"], c["predicted"])),
    ],
    "timex": [("day value", lambda c: _ratio(c["day right"], c["day gold"])), ("calendar value", lambda c: _ratio(c["day right"] + c["calendar right"], c["day gold"] + c["calendar gold"]))],
    "quote": [
        ("quote and speaker recall", lambda c: _ratio(c["with right speaker"], c["gold direct quotes"])),
        ("  the same, pronoun speakers not counted", lambda c: _ratio(c["with right speaker by name"], c["gold direct quotes"])),
        ("quote detection precision", lambda c: _ratio(c["predicted on gold"], c["predicted"])),
    ],
    "gold": [(f"{label} F1", lambda c, label=label: _f1(c[f"{label} tp"], c[f"{label} fp"], c[f"{label} fn"])) for label in LABELS],
}
# Measured at commit 127637c (before issue #10's changes) with the same scorers, all documents.
BEFORE = {
    "WikiGold": {"micro F1 (PER/LOC/ORG)": 0.530, "PER F1": 0.640, "LOC F1": 0.632, "ORG F1": 0.314},
    "LGL": {"acc@161 over gold": 0.299, "acc@161 over detected": 0.631, "detection precision": 0.887},
    "TimeBank": {"day value": 0.874, "calendar value": 0.830},
    "PolNeAR dev": {"quote and speaker recall": 0.383, "  the same, pronoun speakers not counted": 0.259, "quote detection precision": 0.669},
    "osce_dev": {"people F1": 1.0, "places F1": 1.0, "organizations F1": 1.0, "counts F1": 1.0, "dates F1": 0.987, "quotes F1": 1.0},
    "seed": {"people F1": 1.0, "places F1": 1.0, "organizations F1": 0.8, "counts F1": 1.0, "dates F1": 1.0, "quotes F1": 1.0},
    "osce_dev2": {"people F1": 0.719, "places F1": 0.765, "organizations F1": 0.582, "counts F1": 0.599, "dates F1": 0.776, "quotes F1": 0.507},
}

NOTES = [
    "How the before numbers relate to the ones quoted in issue #10: WikiGold .530 and TimeBank .874 / .830 are",
    "reproduced exactly. LGL is scored on the places table (what an analyst gets); the issue's .242 / .372 came",
    "from the model's GPE/LOC/FAC mentions with their first gazetteer match (that variant gives .230 / .395 on",
    "the first 150 documents). PolNeAR's .259 is the recall without pronoun speakers; with a pronoun speaker",
    "counted when the predicted speaker is the person named last before it (the corpus README's rule) it is .383.",
    "The osce_dev2 numbers quoted in the issue (people .807, places .800, ...) were not reproduced by this scorer",
    "at 127637c (the column above); organizations .582 was.",
    "",
]


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def counts_of(result: dict) -> dict[str, int]:
    """The raw counts a result's measures are computed from (summable over halves)."""
    if result.get("task") == "ner":
        out = {k: result["micro"][k] for k in ("tp", "fp", "fn")}
        for label, scores in result["per_label"].items():
            out.update({f"{label} {k}": scores[k] for k in ("tp", "fp", "fn")})
        return out
    if "task" in result:
        return {k: v for k, v in result.items() if isinstance(v, int) and k != "docs"}
    return {f"{label} {k}": result["summary"].get(label, {}).get(k, 0) for label in LABELS for k in ("tp", "fp", "fn")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", help="Only these corpora (repeatable).")
    parser.add_argument("--limit", type=int, default=None, help="Only the first N documents of each half of a public corpus.")
    args = parser.parse_args()
    resources = Resources(load_settings())
    rows: list[tuple[str, str, float | None, float, float, float]] = []
    timings = []
    for name in [*PUBLIC, *GOLD]:
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        if name in PUBLIC:
            halves = [score_corpus(PUBLIC[name], half=h, limit=args.limit, resources=resources) for h in (0, 1)]
            task = halves[0]["task"]
            docs = sum(h["docs"] for h in halves)
        else:
            task = "gold"
            halves = [evaluate_entities([GOLD[name]], half=h, resources=resources) for h in ((None,) if name == "seed" else (0, 1))]
            docs = None
        counts = [counts_of(h) for h in halves]
        total = {k: sum(c.get(k, 0) for c in counts) for k in counts[0]}
        for measure, compute in MEASURES[task]:
            values = [compute(c) for c in counts]
            rows.append((name, measure, BEFORE.get(name, {}).get(measure), values[0], values[-1] if len(values) > 1 else None, compute(total)))
        timings.append(f"{name}: {docs if docs is not None else 'gold'} docs, {time.perf_counter() - started:.0f} s")
        print(timings[-1], flush=True)
    lines = [
        "# Entity tables on unseen text and on the development gold",
        "",
        f"- command: `python benchmarks/bench_entities_dev.py{' --limit ' + str(args.limit) if args.limit else ''}`",
        "- public corpora: ../shared/data/entities_dev (measures defined in its README; scorers in `pipeline/evaluation/corpora.py`);",
        "  osce gold: per-table F1 of `pipeline eval entities` (`pipeline/evaluation/entities.py`)",
        "- even / odd: the documents (pages) of even and odd index; tune on the even half, the odd half shows whether it holds",
        "- before: the pipeline at commit 127637c, before the work on issue #10, same scorers, all documents",
        "",
        "| corpus | measure | before | even half | odd half | all |",
        "|---|---|---|---|---|---|",
    ]
    for name, measure, before, even, odd, total in rows:
        fmt = lambda v: "" if v is None else f"{v:.3f}"  # noqa: E731
        lines.append(f"| {name} | {measure} | {fmt(before)} | {fmt(even)} | {fmt(odd)} | {fmt(total)} |")
    lines += ["", "Seconds: " + "; ".join(timings), "", *NOTES]
    if args.only or args.limit:
        print("\n".join(lines))  # a partial run is for iterating: it does not replace the committed results
    else:
        write_report("entities_dev", lines)


if __name__ == "__main__":
    main()
