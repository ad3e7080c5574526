"""The pipeline core: documents through the stage list, one page's failure isolated from the others.

Every caller goes through ``process``: the runner's workers, ``analyze_text``, the evaluation
commands and the benchmarks. It owns what the stages must not know about: batching, per-page
isolation (a ``Drop`` or an exception becomes an errors row for that page only), the soft time
limit per page and stage, turning finished documents into table rows, and counting what happened.

The soft limit (``SIGALRM``) stops Python code; it cannot stop native code such as the regular
expression engine. The hard limit lives one level up, in ``pipeline.worker``: ``process`` tells a
``watch`` callback which pages a stage is about to work on and for how long, and the supervisor
kills and replaces the worker process when that time runs out, then runs the shard again with the
page marked ``poisoned`` (it becomes a ``timeout`` errors row without running again).
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Callable, ContextManager, Iterable, Iterator, Mapping

from .config import Settings
from .document import Document, Drop
from .rows import rows_for
from .stages import Stage
from .stages.ingest import IngestError

# watch(doc_ids, stage name, seconds): a context manager around one stage's work on those pages.
Watch = Callable[[tuple[str, ...], str, float], ContextManager]


def no_watch(doc_ids: tuple[str, ...], stage: str, seconds: float) -> ContextManager:
    return nullcontext()


@dataclass
class PageResult:
    """What one input became: a document with its table rows, or only errors rows."""

    source: str
    doc_id: str | None
    doc: Document | None
    rows: dict[str, list[dict]] = field(default_factory=dict)


@dataclass(frozen=True)
class Poison:
    """A page that overran its hard limit in an earlier attempt: reported, not run again."""

    stage: str
    seconds: float
    reason: str = "timeout"
    message: str = ""


class PageFailed(RuntimeError):
    """For callers that score one page at a time: the page gave no document, and why."""

    def __init__(self, result: "PageResult"):
        errors = result.rows.get("errors", [])
        super().__init__("; ".join(f"{e['stage']}/{e['error_type']}: {e['message']}" for e in errors) or "no document")


def error_row(source: str, doc_id: str | None, stage: str, error_type: str, message: str) -> dict:
    return {"source": source, "doc_id": doc_id, "stage": stage, "error_type": error_type, "message": message}


def process(
    items: Iterable[Document | IngestError],
    stages: list[Stage],
    settings: Settings,
    stats: Counter | None = None,
    *,
    tables: set[str] | None = None,
    watch: Watch = no_watch,
    poisoned: Mapping[str, Poison] | None = None,
    alone: frozenset[str] = frozenset(),
) -> Iterator[PageResult]:
    """Take each document through ``stages``; yield one ``PageResult`` per input, in input order.

    ``tables`` are the tables whose rows are wanted (None: no rows, only the documents, for callers
    that inspect them). A page in ``poisoned`` yields its timeout row without running; pages in
    ``alone`` go through batched stages in a batch of their own (a batch that overran its limit is
    retried so, to find the page that did it).
    """
    stats = stats if stats is not None else Counter()
    poisoned = poisoned or {}
    seen: set[str] = set()
    _prepare(stages, stats)
    for batch in _batches(items, max(1, settings.batch_size)):
        results: list[PageResult] = []
        docs: list[Document] = []
        for item in batch:
            if isinstance(item, IngestError) and item.doc_id is not None:
                # a note about a document that did come through (its text was cleaned), not a page of its own
                stats[f"notes/ingest/{item.error_type}"] += 1
                results.append(PageResult(item.source, item.doc_id, None, {"errors": [error_row(item.source, item.doc_id, "ingest", item.error_type, item.message)]}))
                continue
            stats["pages_read"] += 1
            if isinstance(item, IngestError):
                stats[f"errors/ingest/{item.error_type}"] += 1
                results.append(PageResult(item.source, None, None, {"errors": [error_row(item.source, None, "ingest", item.error_type, item.message)]}))
            elif item.doc_id in seen:
                stats["skipped/exact_duplicate_input"] += 1
            elif item.doc_id in poisoned:
                poison = poisoned[item.doc_id]
                stats[f"errors/{poison.stage}/{poison.reason}"] += 1
                message = poison.message or f"{poison.stage} took longer than {poison.seconds:g} s; the worker was stopped and replaced"
                results.append(PageResult(item.source, item.doc_id, None, {"errors": [error_row(item.source, item.doc_id, poison.stage, poison.reason, message)]}))
            else:
                seen.add(item.doc_id)
                result = PageResult(item.source, item.doc_id, item, {"errors": []})
                results.append(result)
                docs.append(item)
        by_id = {r.doc_id: r for r in results if r.doc is not None}
        together = [d for d in docs if d.doc_id not in alone]
        groups = ([together] if together else []) + [[d] for d in docs if d.doc_id in alone]
        finished: set[str] = set()
        for group in groups:
            for segment in _segments(stages):
                group = _run_segment(segment, group, by_id, stats, settings.doc_timeout_seconds, watch)
            for doc in group:
                if _finish(doc, by_id[doc.doc_id], tables, stats):
                    finished.add(doc.doc_id)
        for result in results:
            if result.doc is not None and result.doc_id not in finished:
                result.doc = None  # dropped or failed on the way: only its errors rows remain
        yield from results


def _prepare(stages: list[Stage], stats: Counter) -> None:
    """Load what the stages read before the first page (cached per worker: instant after the first unit)."""
    started = time.perf_counter()
    for stage in stages:
        if stage.prepare is not None:
            stage.prepare()
    stats["seconds/startup"] += time.perf_counter() - started


def _finish(doc: Document, result: PageResult, tables: set[str] | None, stats: Counter) -> bool:
    if tables is None:
        stats["documents_written"] += 1
        return True
    try:
        for name, table_rows in rows_for(doc, tables).items():
            result.rows.setdefault(name, []).extend(table_rows)
    except Exception as exc:  # noqa: BLE001 - a malformed record is one page's error, not the run's
        result.rows = {"errors": result.rows.get("errors", []) + [error_row(doc.source, doc.doc_id, "rows", type(exc).__name__, str(exc)[:500])]}
        stats[f"errors/rows/{type(exc).__name__}"] += 1
        return False
    stats["documents_written"] += 1
    return True


@dataclass(frozen=True)
class _Segment:
    stages: tuple[Stage, ...]
    drops_tree: bool  # no later stage reads the parsed page: drop it as each document leaves


def _segments(stages: list[Stage]) -> list[_Segment]:
    """The stage list cut into runs of per-document stages and single batched stages.

    A run of per-document stages takes one document through all of them before the next, so a
    batch holds one parsed page at a time, not one per document: the tree of a large page is
    hundreds of megabytes. It is dropped after the last stage that reads it when more stages
    follow (a caller whose list ends there gets it)."""
    last_reader = max((i for i, stage in enumerate(stages) if stage.reads_tree), default=-1)
    cuts = [i for i, stage in enumerate(stages) if stage.batched]
    bounds = sorted({0, len(stages), *cuts, *(i + 1 for i in cuts)})
    return [_Segment(tuple(stages[a:b]), last_reader < b < len(stages)) for a, b in zip(bounds, bounds[1:]) if a < b]


def _run_segment(segment: _Segment, docs: list[Document], results: dict, stats: Counter, timeout: float, watch: Watch) -> list[Document]:
    if segment.stages[0].batched:
        out = _apply(segment.stages[0], docs, results, stats, timeout, watch)
        for doc in out if segment.drops_tree else ():
            doc.tree = None
        return out
    out = []
    for doc in docs:
        one = [doc]
        for stage in segment.stages:
            one = _apply(stage, one, results, stats, timeout, watch)
        out.extend(one)
        if segment.drops_tree:
            doc.tree = None
    return out


def _apply(stage: Stage, docs: list[Document], results: dict, stats: Counter, timeout: float, watch: Watch) -> list[Document]:
    """Run one stage; a document that fails is dropped with an errors row and the others go on."""
    if not docs:
        return docs
    started = time.perf_counter()
    stats[f"stages/{stage.name}/in"] += len(docs)
    if stage.batched:
        try:
            limit = timeout * len(docs)
            with watch(tuple(d.doc_id for d in docs), stage.name, limit), soft_time_limit(limit):
                out = stage.fn(docs)
        except Exception:  # noqa: BLE001 - find the document that broke the batch by running them one by one
            out = []
            for doc in docs:
                out.extend(_apply_one(stage, doc, results, stats, timeout, watch, lambda d: stage.fn([d])))
    else:
        out = []
        for doc in docs:
            out.extend(_apply_one(stage, doc, results, stats, timeout, watch, stage.fn))
    stats[f"stages/{stage.name}/out"] += len(out)
    stats[f"seconds/{stage.name}"] += time.perf_counter() - started
    return out


def _apply_one(stage: Stage, doc: Document, results: dict, stats: Counter, timeout: float, watch: Watch, fn: Callable) -> list[Document]:
    errors = results[doc.doc_id].rows.setdefault("errors", [])
    try:
        with watch((doc.doc_id,), stage.name, timeout), soft_time_limit(timeout):
            result = fn(doc)
        return result if isinstance(result, list) else [result]
    except Drop as drop:
        errors.append(error_row(doc.source, doc.doc_id, stage.name, drop.reason, drop.detail or drop.reason))
        stats[f"dropped/{stage.name}/{drop.reason}"] += 1
    except TimeLimitExceeded:
        errors.append(error_row(doc.source, doc.doc_id, stage.name, "timeout", f"took longer than {timeout:g} s"))
        stats[f"errors/{stage.name}/timeout"] += 1
    except Exception as exc:  # noqa: BLE001 - bad input never kills a run
        errors.append(error_row(doc.source, doc.doc_id, stage.name, type(exc).__name__, str(exc)[:500]))
        stats[f"errors/{stage.name}/{type(exc).__name__}"] += 1
    return []


class TimeLimitExceeded(Exception):
    pass


@contextmanager
def soft_time_limit(seconds: float):
    """A wall-clock limit for Python code (SIGALRM: the main thread of a Unix process; elsewhere none)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def _raise(signum, frame):
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_pages(
    items: Iterable[Document | IngestError],
    settings: Settings,
    resources,
    *,
    stages: tuple[str, ...] | None = None,
    until: str | None = None,
    tables: set[str] | None = None,
    stats: Counter | None = None,
) -> Iterator[PageResult]:
    """The pipeline on pages in memory, for everything that is not a whole run (``analyze_text``, the
    evaluation commands, the benchmarks): the stage list, or the named ``stages`` of it, or the
    stages up to and including ``until``, with the same isolation as a run."""
    from .stages import build_stages

    chosen = build_stages(settings, resources)
    names = [s.name for s in chosen]
    if until is not None:
        chosen = chosen[: names.index(until) + 1]
    if stages is not None:
        unknown = set(stages) - set(names)
        if unknown:
            raise ValueError(f"unknown stages {sorted(unknown)}; the stages are {names}")
        chosen = [s for s in chosen if s.name in stages]
    yield from process(items, chosen, settings, stats, tables=tables)
