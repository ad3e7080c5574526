"""A whole run: plan the inputs, learn templates, process what is not done, merge, write run.json.

The order of a run lives here; each step is its own module:

1. ``workstore.plan``: the inputs become items keyed by content (``pipeline.workstore``);
2. ``template_pass``: the pages not yet counted are counted, the counts of live items summed;
3. ``process_unit`` (below) on every unit of pending items, through an executor
   (``pipeline.executors``: inline, supervised local workers, Dask); each unit's parts and marker
   are written atomically, so an interrupted run resumes and an unchanged re-run does nothing;
4. ``merge``: duplicates from the documents' signatures, then every table streamed from the parts.

``process_unit`` is the task every executor runs: it feeds one unit's inputs through the pipeline
core (``pipeline.core.process``) and writes the unit's table parts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import pyarrow as pa

from . import __version__
from .config import Settings
from .core import error_row, process
from .executors import make_executor
from .io import write_json, write_parquet
from .resources import Resources
from .schema import TABLES, to_arrow
from .stages import build_stages
from .stages.ingest import Shard, read_shard
from .workstore import WORK_DIR, Plan, WorkStore, item_keys, plan, ref_index, units

log = logging.getLogger("pipeline")

DEFAULT_STAGES = "pipeline.stages:build_stages"


@dataclass
class UnitResult:
    unit_id: str
    label: str
    stats: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    versions: dict = field(default_factory=dict)
    peak_rss_mb: float | None = None  # the high-water mark of the process that ran it, after it
    finished: float = 0.0


# --------------------------------------------------------------------------------------- one unit

_RESOURCES: dict[str, Resources] = {}


def _resources(settings: Settings, key: str) -> Resources:
    """One Resources per worker process for the same settings, rule files and templates: workers
    build their own (nothing heavy is pickled), and changed files give fresh ones."""
    if key not in _RESOURCES:
        _RESOURCES.clear()  # one run's resources at a time: a worker never holds two spaCy pipelines
        _RESOURCES[key] = Resources(settings)
    return _RESOURCES[key]


def process_unit(
    unit: Shard,
    keys: list[str],
    positions: list[int],
    settings: Settings,
    out: str,
    fingerprint: str,
    digests: dict[str, str],
    stage_factory: str = DEFAULT_STAGES,
    watch=None,
    poisoned=None,
    alone=frozenset(),
) -> dict:
    """Process one unit of items and write its parts and marker; returns the marker."""
    from .duplicates import sketch_row
    from .merge import SKETCH_SCHEMA
    from .worker import resolve

    started = time.perf_counter()
    store = WorkStore(out, load=False)
    resources = _resources(settings, fingerprint + json.dumps(digests, sort_keys=True))
    factory = resolve(stage_factory) if isinstance(stage_factory, str) else stage_factory
    stages = factory(settings, resources)
    tables = wanted_tables(settings)
    rows: dict[str, list[dict]] = {name: [] for name in tables}
    sketches: list[dict] = []
    stats: Counter = Counter()
    # docs: every doc id whose rows the item owns (errors rows included); documents: how many came out, document_ids: theirs
    records = {key: {"docs": [], "sources": [], "templates": {}, "documents": 0, "document_ids": []} for key in keys}
    key_of_source = {p.path: k for p, k in zip(unit.pages, keys)} if unit.kind == "pages" else {}
    position_of = dict(zip(keys, positions))
    options = {"watch": watch} if watch is not None else {}
    for n, result in enumerate(process(read_shard(unit, settings), stages, settings, stats, tables=set(tables), poisoned=poisoned, alone=alone, **options)):
        key = key_of_source.get(result.source, keys[0])
        record = records[key]
        record["sources"].append(result.source)
        if result.doc_id:
            record["docs"].append(result.doc_id)
        for name, table_rows in result.rows.items():
            if name in rows:
                rows[name].extend(table_rows)
        doc = result.doc
        if doc is not None:
            record["documents"] += 1
            record["document_ids"].append(doc.doc_id)
            if doc.site:
                record["templates"][doc.site] = digests.get(doc.site, "")
            sketch = sketch_row(doc, position_of[key] * 1_000_000 + n)
            if sketch is not None:
                sketches.append(sketch)
            doc.tree = None  # the parsed page is the biggest thing a document holds
    for name in tables:
        write_parquet(to_arrow(name, rows[name]), store.part(name, unit.shard_id))
    write_parquet(pa.Table.from_pylist(sketches, SKETCH_SCHEMA), store.part("sketches", unit.shard_id))
    marker = {
        "fingerprint": fingerprint,
        "label": unit.label,
        "items": records,
        "stats": dict(stats),
        "seconds": time.perf_counter() - started,
        "versions": resources.versions(),
        "peak_rss_mb": peak_rss_mb(),
        "finished": time.time(),
    }
    store.write_marker(unit.shard_id, marker)
    return marker


def peak_rss_mb() -> float | None:
    """This process's resident-memory high-water mark so far (None where the OS does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)  # bytes on macOS, KiB elsewhere


def memory_peak(results: list[UnitResult]) -> dict:
    """The highest memory mark of the processes that ran this run's units, and the id of the unit after
    which it was first reached: a process's mark only rises, so that unit (or a page of it) raised it;
    its marker (``OUT/_work/done/<unit>.json``) lists its inputs."""
    measured = [r for r in results if r.peak_rss_mb is not None]
    if not measured:
        return {"worker_peak_rss_mb": None, "worker_peak_unit": None}
    top = max(r.peak_rss_mb for r in measured)
    first = min((r for r in measured if r.peak_rss_mb == top), key=lambda r: r.finished)
    return {"worker_peak_rss_mb": top, "worker_peak_unit": first.unit_id}


# --------------------------------------------------------------------------------------- whole run


def wanted_tables(settings: Settings) -> list[str]:
    return [name for name, t in TABLES.items() if name != "duplicates" and (not t.optional or name in settings.extra_tables)]


def settings_hash(settings: Settings) -> str:
    return hashlib.sha256(json.dumps(settings.output_shaping(), sort_keys=True, default=str).encode()).hexdigest()[:16]


def rule_hashes(settings: Settings) -> dict[str, str]:
    root = Resources(settings).rules_dir
    if not root.is_dir():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()[:16]
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def run_fingerprint(settings: Settings, stage_factory: str = DEFAULT_STAGES) -> str:
    """What a unit's output depends on besides its inputs and its hosts' templates: code version,
    settings, rule files, and which stages ran."""
    payload = json.dumps([__version__, settings_hash(settings), rule_hashes(settings), stage_factory], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def run(
    inputs: list[str | Path],
    out_dir: str | Path,
    settings: Settings,
    workers: int = 1,
    force: bool = False,
    progress: Callable[[UnitResult, int, int], None] | None = None,
    stage_factory: str | Callable = DEFAULT_STAGES,
    executor: str = "local",
    scheduler: str | None = None,
) -> dict:
    """Run the whole pipeline; returns the manifest also written to ``out_dir/run.json``."""
    from .lock import output_lock

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with output_lock(out):
        return _run(inputs, out, settings, workers, force, progress, stage_factory, executor, scheduler)


def _run(inputs, out: Path, settings: Settings, workers, force, progress, stage_factory, executor, scheduler) -> dict:
    from .merge import find_duplicates, merge_tables, unit_order
    from .template_pass import counted_items, sum_counts, write_templates

    started = time.perf_counter()
    if force and (out / WORK_DIR).exists():
        shutil.rmtree(out / WORK_DIR)
    factory_name = stage_factory if isinstance(stage_factory, str) else f"{stage_factory.__module__}:{stage_factory.__qualname__}"
    if not isinstance(stage_factory, str) and executor != "inline":
        raise ValueError("a stage factory given as a function runs only with executor='inline'; other executors take its import path")
    phases: dict[str, float] = {}  # wall seconds of each phase: where a run's serial time goes
    mark = time.perf_counter()

    def phase_done(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        phases[name] = round(now - mark, 3)
        mark = now

    the_plan: Plan = plan(inputs, settings)
    refs = ref_index(the_plan.items)
    live = {item.key for item in the_plan.items}
    positions = {item.key: item.position for item in the_plan.items}
    stats: Counter = Counter({f"skipped/{kind}": n for kind, n in the_plan.skipped.items()})
    failed_rows: list[dict] = [error_row(e.source, None, "ingest", e.error_type, e.message) for e in the_plan.errors]
    for e in the_plan.errors:
        stats[f"errors/ingest/{e.error_type}"] += 1

    if settings.gazetteer_cache_dir is None:  # built once per run's inputs, mapped by every worker
        settings = replace(settings, gazetteer_cache_dir=str(out / WORK_DIR / "gazetteer"))
    pool = make_executor(executor, workers, scheduler)
    phase_done("plan")
    try:
        digests: dict[str, str] = {}
        if settings.learn_templates:
            counted = counted_items(out)
            to_count = units([i for i in the_plan.items if i.key not in counted], pool.workers, settings, "templates")
            tasks = [{"unit": u, "keys": item_keys(u, refs), "settings": settings, "out": str(out)} for u in to_count]
            for index, _, exc in pool.map("pipeline.template_pass:count_unit", tasks):
                if exc is not None:
                    log.warning("template counting failed for %s: %s", to_count[index].label, exc)
            templates_dir, digests = write_templates(out, sum_counts(out, live, settings))
            settings = replace(settings, templates_dir=str(templates_dir))
            phase_done("template_pass")
        fingerprint = run_fingerprint(settings, factory_name)
        store = WorkStore(out)
        done = store.chosen(fingerprint, live, digests)
        pending = [item for item in the_plan.items if item.key not in done]
        work = units(pending, pool.workers, settings, fingerprint)
        tasks = [
            {"unit": u, "keys": (keys := item_keys(u, refs)), "positions": [positions[k] for k in keys], "settings": settings,
             "out": str(out), "fingerprint": fingerprint, "digests": digests, "stage_factory": stage_factory if executor == "inline" else factory_name}
            for u in work
        ]
        results: list[UnitResult] = []
        for index, marker, exc in pool.map("pipeline.runner:process_unit", tasks):
            unit = work[index]
            if exc is not None:
                log.error("unit %s failed: %s", unit.label, exc)
                for source in _sources(unit):
                    failed_rows.append(error_row(source, None, "worker", "worker_failed", str(exc).strip().splitlines()[-1][:500] if str(exc).strip() else type(exc).__name__))
                    stats["errors/worker/worker_failed"] += 1
                continue
            store.markers[unit.shard_id] = marker
            result = UnitResult(unit.shard_id, unit.label, Counter(marker["stats"]), marker["seconds"], marker["versions"],
                                marker.get("peak_rss_mb"), marker.get("finished", 0.0))
            results.append(result)
            if progress:
                progress(result, len(results), len(work))
        restarts = getattr(pool, "restarts", 0)
    finally:
        pool.close()
    phase_done("process_units")

    for result in results:
        stats.update(result.stats)
    chosen = store.chosen(fingerprint, live, digests)
    reused = [k for k in chosen if k in done]
    ordered = unit_order(chosen, positions)
    site_size = Counter()
    for _, record in chosen.values():
        for site in record["templates"]:
            site_size[site] += 1
    duplicates = find_duplicates(store, ordered, site_size)
    phase_done("duplicates")
    tables = wanted_tables(settings)
    rows, written, errors_by_reason = merge_tables(out, store, ordered, tables, settings.formats, failed_rows, duplicates, settings.csv_formula_guard)
    repeated = stats["documents_written"] - _new_documents(chosen, done)
    if repeated > 0:  # the same page (same URL and bytes) in several units or inputs is written once
        stats["documents_written"] -= repeated
        stats["skipped/exact_duplicate_input"] += repeated
    removed = store.remove_unused({unit_id for unit_id, _ in chosen.values()}, tables)
    phase_done("merge")

    versions = next((r.versions for r in results if r.versions), None) or next((m["versions"] for m in store.markers.values()), {})
    manifest = {
        "pipeline_version": __version__,
        "inputs": [str(i) for i in inputs],
        "out": str(out),
        "executor": executor,
        "workers": pool.workers,
        "work": {"items": len(the_plan.items), "reused": len(reused), "processed": len(pending), "units": len(work), "worker_restarts": restarts, "parts_removed": removed,
                 **memory_peak(results)},
        "counts": {k: v for k, v in sorted(stats.items()) if not k.startswith("seconds/")},
        "errors_by_reason": errors_by_reason,
        "stage_seconds": {k.split("/", 1)[1]: round(v, 3) for k, v in sorted(stats.items()) if k.startswith("seconds/")},
        "phase_seconds": phases,
        "tables": rows,
        "files": written,
        "settings": settings.as_dict(),
        "settings_hash": settings_hash(settings),
        "rule_files": rule_hashes(settings),
        "versions": versions,
        "wall_seconds": round(time.perf_counter() - started, 3),
    }
    write_json(out / "run.json", manifest)
    return manifest


def _sources(unit: Shard) -> list[str]:
    return [p.path for p in unit.pages] if unit.kind == "pages" else [unit.label]


def _new_documents(chosen: dict, done: dict) -> int:
    """Documents in the tables that this run produced: not reused from earlier runs, each written once."""
    def ids(reused: bool) -> set[str]:
        # markers written before the ids were kept: the item's doc ids, errors rows' included
        return {d for key, (_, record) in chosen.items() if (key in done) == reused for d in record.get("document_ids", record["docs"])}

    return len(ids(False) - ids(True))
