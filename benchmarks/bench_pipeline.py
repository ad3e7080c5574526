"""Whole-pipeline scale benchmark: speed, memory, parallelism and incremental re-runs.

Not a test: run it by hand on a quiet machine and commit the result file.

    python benchmarks/bench_pipeline.py [--sets sample,trafilatura,dragnet,generated] [--generated-pages 10000] [--dask]

For each set, every measure runs as its own process (as a user runs it), model loading counted:
- one worker end to end, and spaCy ``ner`` alone on the same bodies (the same model, components
  and batch size): their ratio is the pipeline's cost over its NER step;
- seconds per stage (summed over workers, from run.json), pages per second;
- peak memory of the largest process (``wait4`` of the run: the supervised workers included);
- two workers (local executor), and with ``--dask`` two Dask workers on a LocalCluster;
- an unchanged re-run, and a re-run after one page is added to the crawl folder.

Sets: ``sample`` is raw/ (the seed and the sample crawl); ``trafilatura`` the 990 real pages of
../shared/data/trafilatura_eval (largely German, so the model sees few bodies); ``dragnet`` the 1,381
English news and blog pages of ../shared/data/dragnet (every body goes to the model: the closest set
to the issue's measure on English news); ``generated`` a crawl of ``--generated-pages`` pages made by
benchmarks/make_crawl.py from the trafilatura_eval pages (real layouts, recombined text; not committed).
Writes benchmarks/results/pipeline.md: the sections of the sets measured are replaced, the others kept.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import RESULTS, write_report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

NER_ALONE = r"""
import sys, time, pyarrow.parquet as pq
started = time.perf_counter()
from pipeline import load_settings
from pipeline.nlp.build import load_model
settings = load_settings()
nlp, _ = load_model(settings)
table = pq.read_table(sys.argv[1], columns=["body_text", "language"]).to_pylist()
# the bodies the pipeline gives the model: those in the model's languages
bodies = [r["body_text"] for r in table if r["body_text"] and (r["language"] or "en") in settings.model_languages]
for _ in nlp.pipe(bodies, batch_size=settings.batch_size):
    pass
print(time.perf_counter() - started)
"""


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the largest process of the command's tree, and its stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed")
    return wall, usage.ru_maxrss / 1024, out


def pipeline_run(inputs: list[Path], out: Path, *extra: str) -> tuple[float, float, dict]:
    wall, peak, _ = timed([sys.executable, "-m", "pipeline", "run", *map(str, inputs), "--out", str(out), "-q", *extra])
    return wall, peak, json.loads((out / "run.json").read_text("utf-8"))


def prepare(name: str, work: Path, generated_pages: int) -> list[Path]:
    if name == "sample":
        return [ROOT / "raw"]
    if name in ("trafilatura", "dragnet"):
        folder = work / name
        folder.mkdir()
        source = SHARED / ("trafilatura_eval" if name == "trafilatura" else "dragnet") / "pages"
        for page in sorted(source.glob("*.gz")):
            (folder / page.name[:-3]).write_bytes(gzip.decompress(page.read_bytes()))
        return [folder]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_crawl import generate

    return [generate(work / "generated", generated_pages)]


def extra_page(inputs: list[Path]) -> Path:
    """A copy of one page of the set under a new name: new to the work store, same kind of page."""
    folder = inputs[0]
    page = next(p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in {".html", ".txt", ".htm"})
    target = page.with_name("zz-added-" + page.name)
    target.write_bytes(page.read_bytes() + b"\n<!-- added -->\n")
    return target


def measure(name: str, inputs: list[Path], work: Path, dask: bool) -> list[str]:
    out1, out2, out3 = work / f"{name}-1", work / f"{name}-2", work / f"{name}-dask"
    wall1, peak1, run1 = pipeline_run(inputs, out1, "--workers", "1")
    pages = run1["counts"].get("pages_read", 0)
    ner_wall, _, ner_out = timed([sys.executable, "-c", NER_ALONE, str(out1 / "documents.parquet")])
    wall2, peak2, run2 = pipeline_run(inputs, out2, "--workers", "2")
    rerun_wall, _, rerun = pipeline_run(inputs, out1, "--workers", "1")
    added = extra_page(inputs)
    added_wall, _, added_run = pipeline_run(inputs, out1, "--workers", "1")
    added.unlink()
    rows = [
        f"### {name}: {pages} pages, {run1['tables']['documents']} documents",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `python benchmarks/bench_pipeline.py {' '.join(sys.argv[1:])}`; load average before the set: {os.getloadavg()[0]:.1f}.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| one worker, end to end | {wall1:.1f} s ({pages / wall1:.1f} pages/s) |",
        f"| spaCy `ner` alone on the same bodies (model load included) | {ner_wall:.1f} s (its own clock: {float(ner_out.strip() or 0):.1f} s) |",
        f"| end to end ÷ `ner` alone | {wall1 / ner_wall:.2f}x |",
        f"| two workers (local) | {wall2:.1f} s, speed-up {wall1 / wall2:.2f}x |",
        f"| peak memory, largest process, one worker / two workers | {peak1:.0f} MB / {peak2:.0f} MB |",
        f"| unchanged re-run | {rerun_wall:.1f} s ({100 * rerun_wall / wall1:.1f}% of the full run; {rerun['work']['processed']} inputs processed) |",
        f"| re-run after one page added | {added_wall:.1f} s ({100 * added_wall / wall1:.1f}%; {added_run['work']['processed']} input processed) |",
    ]
    if dask:
        wall3, _, run3 = pipeline_run(inputs, out3, "--workers", "2", "--executor", "dask")
        same = run3["tables"] == run2["tables"]
        rows.append(f"| two Dask workers (LocalCluster) | {wall3:.1f} s, speed-up {wall1 / wall3:.2f}x; tables {'identical in size to' if same else 'DIFFER from'} the local run |")
    rows += ["", "| stage (one worker) | seconds | ms per page | share of `ner` alone |", "|---|---:|---:|---:|"]
    for stage, seconds in run1["stage_seconds"].items():
        rows.append(f"| {stage} | {seconds:.1f} | {1000 * seconds / max(pages, 1):.1f} | {seconds / ner_wall:.2f} |")
    rows += ["", "| phase (wall seconds) | one worker | two workers |", "|---|---:|---:|"]
    for phase, seconds in run1.get("phase_seconds", {}).items():
        rows.append(f"| {phase} | {seconds:.1f} | {run2.get('phase_seconds', {}).get(phase, 0):.1f} |")
    rows += ["", "Errors by reason: " + (", ".join(f"{k} {v}" for k, v in run1["errors_by_reason"].items()) or "none"), ""]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="sample,trafilatura,dragnet,generated")
    parser.add_argument("--generated-pages", type=int, default=10_000)
    parser.add_argument("--dask", action="store_true", help="also run on a Dask LocalCluster (needs the dask extra)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_pipeline_"))
    header = [
        "# Whole-pipeline benchmark: speed, memory, parallelism, incremental re-runs",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "- every measure is its own process, model loading included; peak memory is the largest process of the run's tree (the supervised workers included)",
        "- each set's section says when and how it was measured; running some sets replaces their sections and keeps the others",
        "",
    ]
    sections = _sections(RESULTS / "pipeline.md")
    try:
        for name in args.sets.split(","):
            sections[name] = measure(name, prepare(name, work, args.generated_pages), work, args.dask)
            write_report("pipeline", header + [line for section in sections.values() for line in section])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _sections(path: Path) -> dict[str, list[str]]:
    """The per-set sections of an earlier results file, by set name, in file order."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in path.read_text("utf-8").splitlines() if path.exists() else []:
        if line.startswith("### "):
            current = line[4:].split(":", 1)[0]
            sections[current] = []
        if current is not None:
            sections[current].append(line)
    return sections


if __name__ == "__main__":
    main()
