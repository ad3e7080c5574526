"""Reading and writing tables: atomic writes with the explicit schemas, and ``load_table`` for notebooks.

Every file is written to a temporary file beside its target and moved over it only when complete,
so a killed run, a full disk or a failing writer leaves the previous file as it was. Files get the
permissions the umask gives (not ``mkstemp``'s private 0600), so a group sharing an output folder
can read each other's tables. A write that fails for want of space or permission is an
``OutputError`` naming the file.

CSV files are for spreadsheets, which run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return) as a formula: with ``csv_formula_guard`` (the default) such text cells get a
leading single quote, as OWASP recommends for CSV injection, and every text cell is quoted, so
embedded separators and quotes cannot end a cell. Numbers are never touched; Parquet keeps the raw
text; ``load_table`` takes the quote off again, so it gives back exactly what was written.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .schema import TABLES

LIST_SEPARATOR = "; "

# A text cell a spreadsheet would evaluate, after any quotes a guard already put there; guarding
# ``'=x`` as ``''=x`` too keeps the guard reversible for text that itself starts with a quote.
_FORMULA_START = r"^('*[=+\-@\t\r])"
_GUARDED_START = r"^'('*[=+\-@\t\r])"
# Errors of the output side (the disk, the folder) rather than of the data being written.
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}


class OutputError(OSError):
    """A table or work file could not be written (full disk, read-only or unwritable folder)."""


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)  # no /proc: read it the only portable way, and put it back at once
    os.umask(current)
    return current


def _output_error(target: Path, exc: OSError) -> OutputError:
    hint = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exhausted",
        errno.EFBIG: "the file is too large for the file system",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "no permission to write there",
        errno.EPERM: "no permission to write there",
    }.get(exc.errno, exc.strerror or str(exc))
    error = OutputError(exc.errno, f"cannot write {target}: {hint}; earlier complete outputs are unchanged")
    error.filename = str(target)
    return error


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it only if the block finishes without error."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.fchmod(fd, 0o666 & ~_umask())
        os.close(fd)
    except OSError as exc:
        raise _output_error(target, exc) from exc
    tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
        except OSError as exc:
            if exc.errno in _OUTPUT_ERRNOS and not isinstance(exc, OutputError):
                raise _output_error(target, exc) from exc
            raise
        try:
            _fsync(tmp_path)
            os.replace(tmp_path, target)
        except OSError as exc:
            raise _output_error(target, exc) from exc
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _fsync(path: Path) -> None:
    """The data on disk before the rename, so a crash cannot leave a complete name over an empty file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(target: Path, data: dict) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def write_parquet(table: pa.Table, target: Path) -> None:
    with atomic_path(target) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def write_csv(table: pa.Table, target: Path, formula_guard: bool = True) -> None:
    """CSV for spreadsheets: list columns become one ``; ``-joined string; formula-like text is guarded."""
    flat = for_csv(table, formula_guard)
    with atomic_path(target) as tmp:
        pacsv.write_csv(flat, tmp)


def for_csv(table: pa.Table, formula_guard: bool = True) -> pa.Table:
    """The table as CSV cells: lists joined, and (with the guard) text a spreadsheet would run quoted off."""
    flat = table
    for i, field in enumerate(table.schema):
        column = table.column(i)
        if pa.types.is_list(field.type):
            column = pc.binary_join(column, LIST_SEPARATOR)
        elif not pa.types.is_string(field.type):
            continue  # numbers and booleans stay what they are
        if formula_guard:
            column = pc.replace_substring_regex(column, pattern=_FORMULA_START, replacement=r"'\1")
        flat = flat.set_column(i, pa.field(field.name, pa.string()), column)
    return flat


def unguard(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """The raw text of a guarded CSV column (the inverse of the formula guard)."""
    return pc.replace_substring_regex(column, pattern=_GUARDED_START, replacement=r"\1")


def read_parquet(path: Path, name: str) -> pa.Table:
    return pq.read_table(path, schema=TABLES[name].schema)


def load_table(name: str, run_dir: str | Path = "processed"):
    """A run's table as a typed pandas DataFrame (Parquet if present, else CSV with lists split back)."""
    import pandas as pd

    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
    run_dir = Path(run_dir)
    spec = TABLES[name]
    parquet = run_dir / f"{name}.parquet"
    if parquet.exists():
        return read_parquet(parquet, name).to_pandas(types_mapper=pandas_type)
    csv = run_dir / f"{name}.csv"
    if not csv.exists():
        raise FileNotFoundError(f"no {name}.parquet or {name}.csv in {run_dir}")
    string_schema = {c.name: (pa.string() if pa.types.is_list(c.type) else c.type) for c in spec.columns}
    table = pacsv.read_csv(csv, convert_options=pacsv.ConvertOptions(column_types=string_schema))
    if _formula_guard_of(run_dir):
        for i, field in enumerate(table.schema):
            if pa.types.is_string(field.type):
                table = table.set_column(i, field, unguard(table.column(i)))
    frame = table.to_pandas(types_mapper=pandas_type)
    for c in spec.columns:
        if pa.types.is_list(c.type):
            frame[c.name] = frame[c.name].map(lambda v: [] if v is None or v is pd.NA or v == "" else str(v).split(LIST_SEPARATOR))
    return frame


def _formula_guard_of(run_dir: Path) -> bool:
    """Whether the run that wrote these CSV files guarded formulas (its run.json says; the default is on)."""
    try:
        settings = json.loads((run_dir / "run.json").read_text("utf-8")).get("settings", {})
    except (OSError, ValueError):
        return True
    return bool(settings.get("csv_formula_guard", True))


def pandas_type(arrow_type: pa.DataType):
    import pandas as pd

    return {
        pa.string(): pd.StringDtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
    }.get(arrow_type)


class csv_writer:
    """A CSV file written chunk by chunk (list columns ``; ``-joined), for tables too big to hold whole."""

    def __init__(self, target: Path, schema: pa.Schema, formula_guard: bool = True):
        self._flat_schema = pa.schema([pa.field(f.name, pa.string()) if pa.types.is_list(f.type) else f for f in schema])
        self._writer = pacsv.CSVWriter(str(target), self._flat_schema)
        self.formula_guard = formula_guard

    def write_table(self, table: pa.Table) -> None:
        self._writer.write_table(for_csv(table, self.formula_guard).cast(self._flat_schema))

    def close(self) -> None:
        self._writer.close()
