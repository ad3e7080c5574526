"""A worker process with a hard time limit per page: the supervisor kills and replaces it on overrun.

The soft limit in ``pipeline.core`` raises inside Python code, but nothing raised in Python can stop
native code that never returns to the interpreter (a backtracking regular expression, a parser on
a pathological tree). So the stages run in a child process (``python -m pipeline.worker``) that
tells its supervisor, before each stage's work on a page, which pages and how long. When that
time plus a grace period runs out, the supervisor kills the child, marks the page ``poisoned`` (or,
for a batch, marks its pages to run alone), starts a fresh child and runs the task again: the
poisoned page becomes a ``timeout`` errors row and every other page still comes out.

The child is started with ``subprocess`` rather than ``multiprocessing`` so that it can be started
from anywhere, including a Dask worker (whose daemonic processes may not fork children). Messages
are length-prefixed pickles over the child's stdin and stdout; the child's own prints go to stderr.
"""

from __future__ import annotations

import importlib
import os
import pickle
import select
import struct
import subprocess
import sys
import time
import traceback
from contextlib import contextmanager
from typing import Any, BinaryIO

from .core import Poison

_HEADER = struct.Struct(">I")


class WorkerFailed(RuntimeError):
    """The task raised in the worker, or the worker died outside any page's work."""


def resolve(path: str):
    """``"package.module:function"`` -> the function (tasks travel by name, never as pickled code)."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def hard_limit(seconds: float) -> float:
    """The soft limit fires first; the kill comes after a grace period for the page to unwind."""
    return seconds + max(2.0, 0.25 * seconds)


class Supervisor:
    """Owns one child process and runs tasks in it, one at a time; reuses the child between tasks
    (the spaCy model is loaded once per child), replaces it after a kill."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None
        self.restarts = 0

    def call(self, fn: str, **kwargs: Any) -> Any:
        poisoned: dict[str, Poison] = dict(kwargs.pop("poisoned", None) or {})
        alone: set[str] = set(kwargs.pop("alone", None) or ())
        while True:
            proc = self._child()
            _send(proc.stdin, ("call", fn, {**kwargs, "poisoned": poisoned, "alone": frozenset(alone)}))
            outcome = self._wait(proc, poisoned, alone)
            if outcome is not _RETRY:
                return outcome

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            try:
                _send(self._proc.stdin, ("exit",))
                self._proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    def _child(self) -> subprocess.Popen:
        if self._proc is None or self._proc.poll() is not None:
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
            self._proc = subprocess.Popen([sys.executable, "-m", "pipeline.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        return self._proc

    def _wait(self, proc: subprocess.Popen, poisoned: dict[str, Poison], alone: set[str]) -> Any:
        watching: tuple[tuple[str, ...], str, float, float] | None = None  # doc ids, stage, seconds, deadline
        while True:
            timeout = None if watching is None else max(0.0, watching[3] - time.monotonic())
            ready, _, _ = select.select([proc.stdout], [], [], timeout)
            if not ready:
                doc_ids, stage, seconds, _ = watching
                self._kill(proc)
                if len(doc_ids) == 1 or set(doc_ids) <= alone:
                    poisoned.update({d: Poison(stage, seconds) for d in doc_ids})
                else:
                    alone.update(doc_ids)
                return _RETRY
            message = _receive(proc.stdout)
            if message is None:  # the child died: out of memory, a crash in native code, a kill from outside
                code = proc.wait()
                self._proc = None
                if watching is None:
                    raise WorkerFailed(f"the worker process exited with code {code} outside any page's work")
                doc_ids, stage, seconds, _ = watching
                if len(doc_ids) == 1 or set(doc_ids) <= alone:
                    poisoned.update({d: Poison(stage, seconds, "worker_died", f"the worker process died (exit code {code})") for d in doc_ids})
                else:
                    alone.update(doc_ids)
                self.restarts += 1
                return _RETRY
            kind = message[0]
            if kind == "watch":
                _, doc_ids, stage, seconds = message
                watching = (doc_ids, stage, seconds, time.monotonic() + hard_limit(seconds)) if seconds > 0 else None
            elif kind == "unwatch":
                watching = None
            elif kind == "result":
                return message[1]
            elif kind == "error":
                raise WorkerFailed(message[1])

    def _kill(self, proc: subprocess.Popen) -> None:
        proc.kill()
        proc.wait()
        self._proc = None
        self.restarts += 1


_RETRY = object()


def _send(stream: BinaryIO, message: tuple) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: BinaryIO) -> tuple | None:
    header = _read_exactly(stream, _HEADER.size)
    if header is None:
        return None
    data = _read_exactly(stream, _HEADER.unpack(header)[0])
    return None if data is None else pickle.loads(data)


def _read_exactly(stream: BinaryIO, n: int) -> bytes | None:
    chunks = []
    while n:
        chunk = os.read(stream.fileno(), n)  # unbuffered: select() on the descriptor must see every byte
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def main() -> None:
    """The child: run the tasks the supervisor sends, reporting each page's work before it starts."""
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt the message stream

    @contextmanager
    def watch(doc_ids: tuple[str, ...], stage: str, seconds: float):
        _send(replies, ("watch", doc_ids, stage, seconds))
        try:
            yield
        finally:
            _send(replies, ("unwatch",))

    while True:
        message = _receive(requests)
        if message is None or message[0] == "exit":
            return
        _, fn, kwargs = message
        try:
            result = resolve(fn)(**kwargs, watch=watch)
        except BaseException:  # noqa: BLE001 - reported to the supervisor, which decides
            _send(replies, ("error", traceback.format_exc()))
            continue
        _send(replies, ("result", result))


if __name__ == "__main__":
    main()
