"""Where a worker's memory goes: its resources, each stage, and growth with the pages read.

Not a test: run it by hand on a quiet machine and commit the result file.

    python benchmarks/bench_memory.py [--sets trafilatura,dragnet] [--dragnet-pages 300]

Every measure runs in a fresh process, as a worker would:
- resources: resident memory (RSS) and seconds after each resource a worker builds, with the
  gazetteer built in memory and mapped from its tables on disk (``gazetteer_cache_dir``);
- start-up: seconds from starting a Python process to its first page processed, both ways;
- stages: the pipeline over a page set in one process (``pipeline.core.process``, the stage list of a
  run), with the RSS high-water mark read around every stage call: each rise is charged to the stage
  (and to the size of the page or batch) that caused it; RSS after every 100 pages shows growth.

Sets: ``trafilatura`` the 990 real pages of ../shared/data/trafilatura_eval; ``dragnet`` the first
``--dragnet-pages`` of ../shared/data/dragnet (gunzipped into a temporary folder, never copied into
the repository). Writes benchmarks/results/memory.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import write_report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

# Run in a child process: prints one JSON line per measure.
RESOURCES = r"""
import json, sys, time
started = time.perf_counter()
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
from pipeline import load_settings
from pipeline.resources import Resources
import pipeline.stages.boilerplate, pipeline.stages.metadata, pipeline.stages.entities
print(json.dumps({"step": "imports", "rss": rss(), "seconds": time.perf_counter() - started}), flush=True)
cache = sys.argv[1] or None
resources = Resources(load_settings(overrides={"gazetteer_cache_dir": cache}))
steps = {"rule files (profiles, vocabulary, dates, content types)": lambda: (resources.profiles, resources.vocabulary, resources.date_rules, resources.content_types),
         "gazetteer": lambda: resources.gazetteer, "gazetteer.small_towns": lambda: resources.gazetteer.small_towns,
         "spaCy model + span ruler": lambda: resources.nlp}
for step, build in steps.items():
    t = time.perf_counter()
    build()
    print(json.dumps({"step": step, "rss": rss(), "seconds": time.perf_counter() - t}), flush=True)
"""

STARTUP = r"""
import sys, time
from collections import Counter
from pipeline import load_settings
from pipeline.core import process
from pipeline.resources import Resources
from pipeline.stages import build_stages
from pipeline.stages.ingest import plan_shards, read_shard
settings = load_settings(overrides={"gazetteer_cache_dir": sys.argv[2] or None})
resources = Resources(settings)
shards, _, _ = plan_shards([sys.argv[1]], settings)
first = next(process(read_shard(shards[0], settings), build_stages(settings, resources), settings, Counter(), tables={"documents", "places"}))
resources.gazetteer.small_towns  # the place extractor asks for them on most pages
print("done", flush=True)
"""

STAGES = r"""
import json, sys, time
from collections import Counter
def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
from pipeline import load_settings
from pipeline.core import process
from pipeline.resources import Resources
from pipeline.runner import wanted_tables
from pipeline.stages import Stage, build_stages
from pipeline.stages.ingest import plan_shards, read_shard
settings = load_settings(overrides={"gazetteer_cache_dir": sys.argv[2]})
resources = Resources(settings)
resources.gazetteer, resources.gazetteer.small_towns, resources.nlp, resources.vocabulary, resources.date_rules, resources.profiles
start = status("VmRSS")
rises, sizes = Counter(), Counter()

def size_class(chars):
    return "< 10k" if chars < 10_000 else "10k-100k" if chars < 100_000 else "100k-1M" if chars < 1_000_000 else ">= 1M"

def measured(stage):
    def fn(arg):
        before = status("VmHWM")
        out = stage.fn(arg)
        rise = status("VmHWM") - before
        if rise > 0:
            docs = arg if isinstance(arg, list) else [arg]
            rises[stage.name] += rise
            sizes[size_class(max(len(d.text or "") for d in docs))] += rise
        return out
    return Stage(stage.name, fn, stage.batched)

stages = [measured(s) for s in build_stages(settings, resources)]
shards, _, _ = plan_shards([sys.argv[1]], settings)
n, samples, t = 0, [], time.perf_counter()
for shard in shards:
    for result in process(read_shard(shard, settings), stages, settings, Counter(), tables=set(wanted_tables(settings))):
        n += 1
        if result.doc is not None:
            result.doc.tree = None  # as the runner does
        if n % 100 == 0:
            samples.append((n, status("VmRSS")))
print(json.dumps({"pages": n, "start": start, "end": status("VmRSS"), "peak": status("VmHWM"), "rises": rises, "sizes": sizes,
                  "samples": samples, "seconds": time.perf_counter() - t}))
"""


def child(code: str, *args: str) -> tuple[float, list[str]]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - started, out.strip().splitlines()


def prepare(name: str, work: Path, dragnet_pages: int) -> Path:
    folder = work / name
    folder.mkdir()
    source = SHARED / ("trafilatura_eval" if name == "trafilatura" else "dragnet") / "pages"
    pages = sorted(source.glob("*.gz"))
    for page in pages if name == "trafilatura" else pages[:dragnet_pages]:
        (folder / page.name[:-3]).write_bytes(gzip.decompress(page.read_bytes()))
    return folder


def resources_rows(cache: Path) -> list[str]:
    rows = ["## Resources of one worker", "", "| step | RSS after, gazetteer built in memory | seconds | RSS after, gazetteer tables mapped | seconds |", "|---|---:|---:|---:|---:|"]
    child(RESOURCES, str(cache))  # writes the tables, so the second measure maps them
    _, built = child(RESOURCES, "")
    _, mapped = child(RESOURCES, str(cache))
    for a, b in zip(map(json.loads, built), map(json.loads, mapped)):
        rows.append(f"| {a['step']} | {a['rss']:.0f} MB | {a['seconds']:.2f} | {b['rss']:.0f} MB | {b['seconds']:.2f} |")
    return rows + [""]


def startup_rows(pages: Path, cache: Path) -> list[str]:
    one = pages.parent / "one-page"
    one.mkdir(exist_ok=True)
    first = sorted(pages.iterdir())[0]
    shutil.copy(first, one / first.name)
    built, _ = child(STARTUP, str(one), "")
    mapped, _ = child(STARTUP, str(one), str(cache))
    return ["## Worker start-up", "", "Seconds from starting a Python process to its first page processed (imports, resources, small towns, one page).", "",
            "| gazetteer | seconds |", "|---|---:|", f"| built in memory | {built:.1f} |", f"| tables mapped from `gazetteer_cache_dir` | {mapped:.1f} |", ""]


def stage_rows(name: str, pages: Path, cache: Path) -> list[str]:
    _, lines = child(STAGES, str(pages), str(cache))
    r = json.loads(lines[-1])
    rows = [f"## Stages: {name}, {r['pages']} pages in one process", "",
            f"RSS with every resource loaded {r['start']:.0f} MB; after the pages {r['end']:.0f} MB; high-water mark {r['peak']:.0f} MB; {r['seconds']:.0f} s.", "",
            "| stage | rises of the high-water mark charged to it |", "|---|---:|"]
    rows += [f"| {stage} | {mb:.0f} MB |" for stage, mb in sorted(r["rises"].items(), key=lambda kv: -kv[1])]
    rows += ["", "| largest page of the call (characters) | rises charged |", "|---|---:|"]
    rows += [f"| {size} | {mb:.0f} MB |" for size, mb in sorted(r["sizes"].items(), key=lambda kv: -kv[1])]
    rows += ["", "RSS by pages read: " + ", ".join(f"{n}: {mb:.0f} MB" for n, mb in r["samples"]), ""]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="trafilatura,dragnet")
    parser.add_argument("--dragnet-pages", type=int, default=300)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_memory_"))
    cache = work / "gazetteer"
    try:
        lines = ["# Memory of a worker: resources, stages, growth with pages", "",
                 f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `python benchmarks/bench_memory.py {' '.join(sys.argv[1:])}`; "
                 f"load average at the start {os.getloadavg()[0]:.1f} (2 shared cores: trust ratios more than seconds).", ""]
        lines += resources_rows(cache)
        sets = {name: prepare(name, work, args.dragnet_pages) for name in args.sets.split(",")}
        lines += startup_rows(next(iter(sets.values())), cache)
        for name, pages in sets.items():
            lines += stage_rows(name, pages, cache)
        write_report("memory", lines)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
