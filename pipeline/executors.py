"""Where tasks run: in this process, in supervised local worker processes, or on a Dask cluster.

A task is a function named by its import path (``"pipeline.runner:process_unit"``) and keyword
arguments that pickle (settings, a work unit, paths): nothing heavy travels, every worker builds its
own resources (the spaCy pipeline is never pickled). Every executor runs the same stage code, so the
tables are the same whichever runs them.

- ``inline``: in this process, soft time limits only (for debugging and notebooks).
- ``local`` (default): ``workers`` supervised child processes (``pipeline.worker``) fed by as many
  threads; a page that overruns its limit gets its worker killed and replaced.
- ``dask``: the same supervised children, started by the Dask workers of an existing cluster
  (``scheduler`` address) or of a ``LocalCluster`` with ``workers`` processes.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any, Callable, Iterator

from .core import no_watch
from .worker import Supervisor, WorkerFailed, resolve

EXECUTORS = ("local", "inline", "dask")

# (task index, the result, or the exception the task raised)
Outcome = tuple[int, Any, BaseException | None]


class InlineExecutor:
    name = "inline"

    def __init__(self, workers: int = 1) -> None:
        self.workers = 1

    def map(self, fn: str | Callable, tasks: list[dict]) -> Iterator[Outcome]:
        """``fn`` may be a function object here (and the tasks may hold ones): nothing is pickled."""
        function = resolve(fn) if isinstance(fn, str) else fn
        for i, task in enumerate(tasks):
            try:
                yield i, function(**task, watch=no_watch), None
            except Exception as exc:  # noqa: BLE001 - the runner turns it into errors rows
                yield i, None, exc

    def close(self) -> None:
        pass


class LocalExecutor:
    name = "local"

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="supervisor")
        self._local = threading.local()
        self._supervisors: list[Supervisor] = []
        self._lock = threading.Lock()

    def _supervisor(self) -> Supervisor:
        if not hasattr(self._local, "supervisor"):
            self._local.supervisor = Supervisor()
            with self._lock:
                self._supervisors.append(self._local.supervisor)
        return self._local.supervisor

    def _call(self, fn: str, task: dict) -> Any:
        return self._supervisor().call(fn, **task)

    def map(self, fn: str, tasks: list[dict]) -> Iterator[Outcome]:
        futures = {self._pool.submit(self._call, fn, task): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            exc = future.exception()
            yield futures[future], (None if exc else future.result()), exc

    @property
    def restarts(self) -> int:
        return sum(s.restarts for s in self._supervisors)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        for supervisor in self._supervisors:
            supervisor.close()


# One supervisor per thread of each Dask worker process; its child lives as long as the worker.
_DASK_LOCAL = threading.local()


def run_supervised(fn: str, task: dict) -> Any:
    """The function a Dask worker runs: the task in this worker's supervised child process."""
    if not hasattr(_DASK_LOCAL, "supervisor"):
        _DASK_LOCAL.supervisor = Supervisor()
    return _DASK_LOCAL.supervisor.call(fn, **task)


class DaskExecutor:
    name = "dask"

    def __init__(self, workers: int = 1, scheduler: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the installed extras
            raise RuntimeError('the dask executor needs the dask extra: pip install ".[dask]"') from exc
        self._cluster = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            self._cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None)
            self._client = Client(self._cluster)
        self.workers = len(self._client.scheduler_info().get("workers", {})) or max(1, workers)

    def map(self, fn: str, tasks: list[dict]) -> Iterator[Outcome]:
        from distributed import as_completed as dask_as_completed

        futures = self._client.map(run_supervised, [fn] * len(tasks), tasks, pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        for future in dask_as_completed(futures):
            if future.status == "error":
                yield index[future.key], None, future.exception()
            else:
                yield index[future.key], future.result(), None
            future.release()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(name: str, workers: int = 1, scheduler: str | None = None):
    if name == "inline":
        return InlineExecutor(workers)
    if name == "local":
        return LocalExecutor(workers)
    if name == "dask":
        return DaskExecutor(workers, scheduler)
    raise ValueError(f"unknown executor {name!r}; known: {', '.join(EXECUTORS)}")


__all__ = ["EXECUTORS", "InlineExecutor", "LocalExecutor", "DaskExecutor", "WorkerFailed", "make_executor", "run_supervised"]
