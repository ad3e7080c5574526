"""Whole-pipeline throughput and memory: pages per second, seconds per stage, peak memory.

Not a test: run it by hand and commit the result file.

    python benchmarks/bench_pipeline.py [INPUT ...] [--limit N] [--workers N]

Default input: the real pages of ../shared/data/trafilatura_eval (gzipped HTML, many languages).
Writes benchmarks/results/pipeline.md.
"""

from __future__ import annotations

import argparse
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pipeline import load_settings, run

from _report import write_report

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = ROOT.parent / "shared" / "data" / "trafilatura_eval" / "pages"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", type=Path, default=[DEFAULT_INPUT])
    parser.add_argument("--limit", type=int, default=300, help="pages to take from a folder input (0 = all)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench_pipeline_"))
    inputs = []
    for source in args.inputs:
        if source.is_dir() and args.limit:
            sample = work / f"sample_{source.name}"
            sample.mkdir()
            for page in sorted(p for p in source.rglob("*") if p.is_file())[: args.limit]:
                shutil.copy(page, sample / page.name)
            inputs.append(sample)
        else:
            inputs.append(source)

    started = time.perf_counter()
    manifest = run(inputs, work / "out", load_settings(), workers=args.workers, force=True)
    wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pages = manifest["counts"].get("pages_read", 0)

    lines = [
        "# Whole-pipeline benchmark",
        "",
        f"- command: `python benchmarks/bench_pipeline.py {' '.join(sys.argv[1:])}`",
        f"- input: {', '.join(str(i) for i in args.inputs)} ({pages} pages read, "
        f"{manifest['counts'].get('documents_written', 0)} documents written)",
        f"- machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, workers={args.workers}",
        f"- model: {manifest['versions'].get('spacy_model', 'not loaded')}",
        "",
        "| measure | value |",
        "|---|---|",
        f"| wall time (incl. model load) | {wall:.1f} s |",
        f"| pages per second | {pages / wall:.2f} |",
        f"| peak memory, main process | {peak_mb:.0f} MB |",
        f"| peak memory, largest worker | {children_mb:.0f} MB |",
        "",
        "| stage | seconds | ms per page |",
        "|---|---|---|",
    ]
    for stage, seconds in manifest["stage_seconds"].items():
        lines.append(f"| {stage} | {seconds:.1f} | {1000 * seconds / max(pages, 1):.1f} |")
    lines += ["", "Errors by reason: " + (", ".join(f"{k} {v}" for k, v in manifest["errors_by_reason"].items()) or "none"), ""]
    write_report("pipeline", lines)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
