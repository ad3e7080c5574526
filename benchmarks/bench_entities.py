"""What the entity step costs on top of spaCy's NER alone, on the same bodies.

Not a test: run it by hand and commit the result file.

    python benchmarks/bench_entities.py [--limit N]

Bodies: the English articles of ../shared/data/trafilatura_eval, extracted by our boilerplate stage.
Measures, in one process on the same bodies: (a) the model's `ner` alone (`nlp.pipe`), (b) our
whole entity stage (ner + span ruler + the table extractors). Target (issue #10): (b) at most 1.15x (a).
Writes benchmarks/results/entities.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from pipeline import load_settings
from pipeline.nlp.build import load_model
from pipeline.core import run_pages
from pipeline.resources import Resources
from pipeline.stages.ingest import make_document

from _report import write_report

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "trafilatura_eval"
ENTITY_STAGES = ("ner", "entities")


def english_documents(limit: int):
    settings = load_settings()
    resources = Resources(settings)
    docs = []
    for line in (DATA / "truth.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        page = make_document(gzip.decompress((DATA / record["file"]).read_bytes()), record["file"], settings)
        doc = next(run_pages([page], settings, resources, until="metadata")).doc
        if doc is not None and doc.language == "en" and doc.body_text:
            docs.append(doc)
        if len(docs) >= limit:
            break
    return docs, resources, settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    docs, resources, settings = english_documents(args.limit)
    words = sum(len(d.body_text.split()) for d in docs)
    ner_only, _ = load_model(settings)
    resources.nlp  # build before timing
    list(run_pages(docs[:2], settings, resources, stages=ENTITY_STAGES))

    def time_ner() -> float:
        started = time.perf_counter()
        for _ in ner_only.pipe((d.body_text for d in docs), batch_size=settings.batch_size):
            pass
        return time.perf_counter() - started

    def time_stage() -> float:
        started = time.perf_counter()
        for _ in run_pages(docs, settings, resources, stages=ENTITY_STAGES):  # batches of settings.batch_size
            pass
        return time.perf_counter() - started

    # interleaved, so that a machine getting slower or faster during the run weighs on both sides alike
    ner_times, stage_times = [], []
    for _ in range(args.repeats):
        ner_times.append(time_ner())
        stage_times.append(time_stage())
    ner, stage = min(ner_times), min(stage_times)
    rows = {name: sum(len(d.records.get(name, [])) for d in docs) for name in ("people", "places", "organizations", "counts", "dates", "quotes")}
    lines = [
        "# Entity extraction cost",
        "",
        f"- command: `python benchmarks/bench_entities.py --limit {args.limit} --repeats {args.repeats}` (best of the repeats, the two measures taking turns)",
        f"- bodies: {len(docs)} English articles from trafilatura_eval, {words} words, extracted by the boilerplate stage",
        f"- model: {resources.nlp.model_id}, components {ner_only.pipe_names}",
        "",
        "| what | seconds | words/s | relative |",
        "|---|---|---|---|",
        f"| spaCy `ner` alone | {ner:.2f} | {words / ner:,.0f} | 1.00x |",
        f"| entity stage (ner + span ruler + tables) | {stage:.2f} | {words / stage:,.0f} | {stage / ner:.2f}x |",
        "",
        "Rows produced: " + ", ".join(f"{k} {v}" for k, v in rows.items()),
        "",
        "Target (issue 10): at most 1.15x.",
        "",
    ]
    write_report("entities", lines)


if __name__ == "__main__":
    main()
