"""Running the stages over shards: everything the stages must not know about.

``run_shard`` feeds one shard's documents through the stages in small batches, turns drops and
exceptions into error rows, counts what happened, and writes the shard's table parts atomically
followed by a completion marker. ``run`` plans the shards, maps ``run_shard`` over them with an
executor (a plain loop or a process pool: the stages are the same either way), merges the parts
into the final tables, runs the cross-document steps and writes ``run.json``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyarrow as pa

from . import __version__
from .config import Settings
from .document import Document, Drop
from .io import read_parquet, write_csv, write_json, write_parquet
from .resources import Resources
from .rows import rows_for
from .schema import TABLES, to_arrow
from .stages import Stage, build_stages
from .stages.ingest import IngestError, Shard, plan_shards, read_shard

log = logging.getLogger("pipeline")

WORK_DIR = "_work"


@dataclass
class ShardResult:
    shard_id: str
    label: str
    stats: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    versions: dict = field(default_factory=dict)
    resumed: bool = False


# --------------------------------------------------------------------------------------- per shard

_RESOURCES: dict[str, Resources] = {}


def _resources(settings: Settings, fingerprint: str) -> Resources:
    """One Resources per process for the same settings and the same rule and template files: workers
    build their own (nothing heavy is pickled), and an edited rule file or newly learned templates
    (a notebook re-running in one kernel) give fresh ones instead of stale cached ones."""
    if fingerprint not in _RESOURCES:
        _RESOURCES[fingerprint] = Resources(settings)
    return _RESOURCES[fingerprint]


StageFactory = Callable[[Settings, Resources], list[Stage]]


def run_shard(shard: Shard, settings: Settings, out_dir: str | Path, stage_factory: StageFactory = build_stages) -> ShardResult:
    """Process one shard and write its parts; a shard already marked done is not redone."""
    work = Path(out_dir) / WORK_DIR
    marker = work / "done" / f"{shard.shard_id}.json"
    fingerprint = run_fingerprint(settings)
    if marker.exists():
        done = json.loads(marker.read_text("utf-8"))
        if done.get("fingerprint") == fingerprint:
            return ShardResult(shard.shard_id, shard.label, Counter(done["stats"]), done["seconds"], done["versions"], resumed=True)
    started = time.perf_counter()
    resources = _resources(settings, fingerprint)
    stages = stage_factory(settings, resources)
    tables = wanted_tables(settings)
    rows: dict[str, list[dict]] = {name: [] for name in tables}
    stats: Counter = Counter()
    seen: set[str] = set()

    for batch in _batches(read_shard(shard, settings), max(1, settings.batch_size)):
        docs: list[Document] = []
        for item in batch:
            if isinstance(item, IngestError):
                rows["errors"].append(_error_row(item.source, None, "ingest", item.error_type, item.message))
                stats[f"errors/ingest/{item.error_type}"] += 1
            elif item.doc_id in seen:
                stats["skipped/exact_duplicate_input"] += 1
            else:
                seen.add(item.doc_id)
                docs.append(item)
        stats["pages_read"] += len(batch)
        for stage in stages:
            docs = _apply(stage, docs, rows["errors"], stats, settings.doc_timeout_seconds)
        for doc in docs:
            try:
                for name, table_rows in rows_for(doc, set(tables)).items():
                    rows[name].extend(table_rows)
            except Exception as exc:  # noqa: BLE001 - a malformed record is one page's error, not the run's
                rows["errors"].append(_error_row(doc.source, doc.doc_id, "rows", type(exc).__name__, str(exc)))
                stats[f"errors/rows/{type(exc).__name__}"] += 1
                continue
            doc.tree = None  # the parsed page is the biggest thing a document holds
            stats["documents_written"] += 1

    for name in tables:
        write_parquet(to_arrow(name, rows[name]), work / "parts" / name / f"{shard.shard_id}.parquet")
    seconds = time.perf_counter() - started
    versions = resources.versions()
    write_json(marker, {"fingerprint": fingerprint, "shard": shard.label, "stats": dict(stats), "seconds": seconds, "versions": versions})
    return ShardResult(shard.shard_id, shard.label, stats, seconds, versions)


def _apply(stage: Stage, docs: list[Document], errors: list[dict], stats: Counter, timeout: float) -> list[Document]:
    """Run one stage; a document that fails is dropped with an error row and the others go on."""
    if not docs:
        return docs
    started = time.perf_counter()
    stats[f"stages/{stage.name}/in"] += len(docs)
    if stage.batched:
        try:
            with _time_limit(timeout * len(docs)):
                out = stage.fn(docs)
        except Exception:  # noqa: BLE001 - find the document that broke the batch by running them one by one
            out = []
            for doc in docs:
                out.extend(_apply_one(stage, doc, errors, stats, timeout, lambda d: stage.fn([d])))
    else:
        out = []
        for doc in docs:
            out.extend(_apply_one(stage, doc, errors, stats, timeout, stage.fn))
    stats[f"stages/{stage.name}/out"] += len(out)
    stats[f"seconds/{stage.name}"] += time.perf_counter() - started
    return out


def _apply_one(stage: Stage, doc: Document, errors: list[dict], stats: Counter, timeout: float, fn: Callable) -> list[Document]:
    try:
        with _time_limit(timeout):
            result = fn(doc)
        return result if isinstance(result, list) else [result]
    except Drop as drop:
        errors.append(_error_row(doc.source, doc.doc_id, stage.name, drop.reason, drop.detail or drop.reason))
        stats[f"dropped/{stage.name}/{drop.reason}"] += 1
    except _Timeout:
        errors.append(_error_row(doc.source, doc.doc_id, stage.name, "timeout", f"took longer than {timeout:g} s"))
        stats[f"errors/{stage.name}/timeout"] += 1
    except Exception as exc:  # noqa: BLE001 - bad input never kills a run
        errors.append(_error_row(doc.source, doc.doc_id, stage.name, type(exc).__name__, str(exc)[:500]))
        stats[f"errors/{stage.name}/{type(exc).__name__}"] += 1
    return []


class _Timeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float):
    """A per-document wall-clock limit (SIGALRM: main thread of a Unix process only; elsewhere no limit)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def _raise(signum, frame):
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _error_row(source: str, doc_id: str | None, stage: str, error_type: str, message: str) -> dict:
    return {"source": source, "doc_id": doc_id, "stage": stage, "error_type": error_type, "message": message}


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --------------------------------------------------------------------------------------- whole run


def wanted_tables(settings: Settings) -> list[str]:
    return [name for name, t in TABLES.items() if name != "duplicates" and (not t.optional or name in settings.extra_tables)]


def settings_hash(settings: Settings) -> str:
    return hashlib.sha256(json.dumps(settings.as_dict(), sort_keys=True, default=str).encode()).hexdigest()[:16]


def rule_hashes(settings: Settings) -> dict[str, str]:
    return _file_hashes(Resources(settings).rules_dir)


def _file_hashes(root: Path | None) -> dict[str, str]:
    if root is None or not root.is_dir():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()[:16]
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def run_fingerprint(settings: Settings) -> str:
    """What a shard's output depends on besides its input: code version, settings, rule files, learned templates."""
    templates = _file_hashes(Path(settings.templates_dir) if settings.templates_dir else None)
    payload = json.dumps([__version__, settings_hash(settings), rule_hashes(settings), templates], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def run(
    inputs: list[str | Path],
    out_dir: str | Path,
    settings: Settings,
    workers: int = 1,
    force: bool = False,
    progress: Callable[[ShardResult, int, int], None] | None = None,
    stage_factory: StageFactory = build_stages,
) -> dict:
    """Run the whole pipeline; returns the manifest also written to ``out_dir/run.json``."""
    from .duplicates import mark_duplicates

    out = Path(out_dir)
    started = time.perf_counter()
    if force and (out / WORK_DIR).exists():
        shutil.rmtree(out / WORK_DIR)
    shards, input_errors, skipped_files = plan_shards(inputs, settings)
    if settings.learn_templates:
        settings = learn_templates(shards, settings, out, workers)
    results: list[ShardResult] = []
    for result in _execute(shards, settings, out, workers, stage_factory):
        results.append(result)
        if progress:
            progress(result, len(results), len(shards))

    stats: Counter = Counter({f"skipped/{kind}": n for kind, n in skipped_files.items()})
    for result in results:
        stats.update(result.stats)
    tables = wanted_tables(settings)
    merged = _merge(out, tables, [s.shard_id for s in shards])
    if input_errors:
        extra = to_arrow("errors", [_error_row(e.source, None, "ingest", e.error_type, e.message) for e in input_errors])
        merged["errors"] = pa.concat_tables([extra, merged["errors"]])
        for e in input_errors:
            stats[f"errors/ingest/{e.error_type}"] += 1
    repeated = stats["documents_written"] - merged["documents"].num_rows
    if repeated:  # the same page (same URL and bytes) in several shards or inputs is written once
        stats["documents_written"] -= repeated
        stats["skipped/exact_duplicate_input"] += repeated
    merged["documents"], merged["duplicates"] = mark_duplicates(merged["documents"])
    written = _write_tables(out, merged, settings.formats)

    versions = next((r.versions for r in results if r.versions), {})
    manifest = {
        "pipeline_version": __version__,
        "inputs": [str(i) for i in inputs],
        "out": str(out),
        "shards": {"total": len(shards), "resumed": sum(r.resumed for r in results)},
        "counts": {k: v for k, v in sorted(stats.items()) if not k.startswith("seconds/")},
        "errors_by_reason": _errors_by_reason(merged["errors"]),
        "stage_seconds": {k.split("/", 1)[1]: round(v, 3) for k, v in sorted(stats.items()) if k.startswith("seconds/")},
        "tables": {name: merged[name].num_rows for name in merged},
        "files": written,
        "settings": settings.as_dict(),
        "settings_hash": settings_hash(settings),
        "rule_files": rule_hashes(settings),
        "versions": versions,
        "workers": workers,
        "wall_seconds": round(time.perf_counter() - started, 3),
    }
    write_json(out / "run.json", manifest)
    return manifest


def count_shard(shard: Shard, settings: Settings, out_dir: str | Path) -> str:
    """The counting pass of template learning for one shard: per host, on how many pages each block occurs."""
    from .templates import HostTemplate, page_fingerprints

    target = Path(out_dir) / WORK_DIR / "template_counts" / f"{shard.shard_id}.json"
    if target.exists():
        return str(target)
    hosts: dict[str, HostTemplate] = {}
    for item in read_shard(shard, settings):
        if isinstance(item, Document) and item.site:
            try:
                with _time_limit(settings.doc_timeout_seconds):
                    fingerprints = page_fingerprints(item)
            except Exception:  # noqa: BLE001 - an unparsable page just teaches nothing; extraction reports it
                continue
            hosts.setdefault(item.site, HostTemplate()).add_page(fingerprints)
    write_json(target, {site: t.to_json(prune=False) for site, t in sorted(hosts.items())})
    return str(target)


def learn_templates(shards: list[Shard], settings: Settings, out: Path, workers: int) -> Settings:
    """Count blocks over every shard (in parallel when asked), sum per host, write ``OUT/templates/``."""
    from dataclasses import replace

    from .templates import HostTemplate

    if workers > 1 and len(shards) > 1:
        import multiprocessing as mp

        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("forkserver")) as pool:
            paths = list(pool.map(count_shard, shards, [settings] * len(shards), [str(out)] * len(shards)))
    else:
        paths = [count_shard(shard, settings, out) for shard in shards]
    hosts: dict[str, HostTemplate] = {}
    for path in paths:
        for site, data in json.loads(Path(path).read_text("utf-8")).items():
            hosts.setdefault(site, HostTemplate()).merge(HostTemplate.from_json(data))
    directory = out / "templates"
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.json"):
        if old.stem not in hosts:
            old.unlink()
    for site, template in sorted(hosts.items()):
        write_json(directory / f"{site}.json", {"site": site, **template.to_json()})
    return replace(settings, templates_dir=str(directory))


def _execute(shards: list[Shard], settings: Settings, out: Path, workers: int, stage_factory: StageFactory) -> Iterator[ShardResult]:
    if workers <= 1 or len(shards) <= 1:
        for shard in shards:
            yield run_shard(shard, settings, out, stage_factory)
        return
    import multiprocessing as mp

    # forkserver: workers start clean (no inherited spaCy/threads state) and build their own resources.
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("forkserver")) as pool:
        futures = [pool.submit(run_shard, shard, settings, str(out), stage_factory) for shard in shards]
        for future in futures:
            yield future.result()


def _merge(out: Path, tables: list[str], shard_ids: list[str]) -> dict[str, pa.Table]:
    """The shards' parts of each table, in shard order, sorted by the table's key.

    A page that occurs in several shards (the same bytes at the same URL) is kept from the first shard only.
    """
    parts = {name: _read_parts(out, name, shard_ids) for name in tables}
    owner: dict[str, int] = {}
    for index, part in parts["documents"]:
        for doc_id in part.column("doc_id").to_pylist():
            owner.setdefault(doc_id, index)
    merged: dict[str, pa.Table] = {}
    for name in tables:
        pieces = [_rows_owned_by(part, index, owner) for index, part in parts[name]]
        table = pa.concat_tables(pieces) if pieces else TABLES[name].schema.empty_table()
        if table.num_rows:
            table = table.sort_by([(key, "ascending") for key in TABLES[name].sort_by])
        merged[name] = table
    return merged


def _read_parts(out: Path, name: str, shard_ids: list[str]) -> list[tuple[int, pa.Table]]:
    paths = [(i, out / WORK_DIR / "parts" / name / f"{sid}.parquet") for i, sid in enumerate(shard_ids)]
    return [(i, read_parquet(p, name)) for i, p in paths if p.exists()]


def _rows_owned_by(part: pa.Table, index: int, owner: dict[str, int]) -> pa.Table:
    if "doc_id" not in part.column_names or not part.num_rows:
        return part
    doc_ids = part.column("doc_id").to_pylist()
    keep = [doc_id is None or owner.get(doc_id, index) == index for doc_id in doc_ids]
    return part if all(keep) else part.filter(pa.array(keep))


def _write_tables(out: Path, merged: dict[str, pa.Table], formats: tuple[str, ...]) -> list[str]:
    written = []
    for name, table in merged.items():
        if "parquet" in formats:
            write_parquet(table, out / f"{name}.parquet")
            written.append(f"{name}.parquet")
        if "csv" in formats:
            write_csv(table, out / f"{name}.csv")
            written.append(f"{name}.csv")
    return written


def _errors_by_reason(errors: pa.Table) -> dict[str, int]:
    counts = Counter(f"{s}/{t}" for s, t in zip(errors.column("stage").to_pylist(), errors.column("error_type").to_pylist()))
    return dict(sorted(counts.items()))
