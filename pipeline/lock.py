"""One run per output folder: a lock file that says who holds it.

Two runs writing one folder would interleave their shard parts and overwrite each other's tables,
so the second is refused with the name of the first. The lock is an ``flock`` on
``OUT/.pipeline.lock``: the kernel releases it when its process ends in any way (``kill -9``
included), so a lock left by a dead run never blocks the next one. The file holds the holder's pid,
host and start time for the message. On a file system without ``flock`` the file itself is the lock
(created with ``O_EXCL``); one left by a process that is gone from this host is taken over.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

LOCK_NAME = ".pipeline.lock"


class OutputLocked(RuntimeError):
    """Another run holds the output folder."""


@contextmanager
def output_lock(out_dir: str | Path) -> Iterator[Path]:
    """Hold ``out_dir`` for this run; raise ``OutputLocked`` naming the holder when another run has it."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    fd = _acquire(path)
    try:
        yield path
    finally:
        _release(path, fd)


def _holder() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def _acquire(path: Path) -> int:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not Unix
        return _acquire_exclusive(path)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise OutputLocked(_refusal(path)) from None
            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                return _acquire_exclusive(path)
            raise
        # The holder before us may have removed the file between our open and our lock: then we
        # hold a lock on a file nobody else will look at, and must lock the one at the path.
        try:
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps(_holder()).encode())
    os.fsync(fd)
    return fd


def _acquire_exclusive(path: Path) -> int:
    for _ in range(2):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            holder = _read_holder(path)
            if holder.get("host") == socket.gethostname() and holder.get("pid") and not _alive(int(holder["pid"])):
                path.unlink(missing_ok=True)  # a run that died without cleaning up: take over
                continue
            raise OutputLocked(_refusal(path)) from None
        os.write(fd, json.dumps(_holder()).encode())
        return fd
    raise OutputLocked(_refusal(path))


def _release(path: Path, fd: int) -> None:
    try:
        path.unlink(missing_ok=True)
    finally:
        os.close(fd)


def _read_holder(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _refusal(path: Path) -> str:
    holder = _read_holder(path)
    who = f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}, started {holder.get('started', '?')}"
    return (
        f"another run is writing to {path.parent} ({who}); wait for it to finish or choose another --out. "
        f"If no such run exists, delete {path}."
    )
