"""Reading and writing tables: atomic writes with the explicit schemas, and ``load_table`` for notebooks."""

from __future__ import annotations

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


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it only if the block finishes without error."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_json(target: Path, data: dict) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def write_parquet(table: pa.Table, target: Path) -> None:
    with atomic_path(target) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def write_csv(table: pa.Table, target: Path) -> None:
    """CSV for spreadsheets: list columns become one ``; ``-joined string."""
    flat = table
    for i, field in enumerate(table.schema):
        if pa.types.is_list(field.type):
            joined = pc.binary_join(table.column(i), LIST_SEPARATOR)
            flat = flat.set_column(i, pa.field(field.name, pa.string()), joined)
    with atomic_path(target) as tmp:
        pacsv.write_csv(flat, tmp)


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
    frame = table.to_pandas(types_mapper=pandas_type)
    for c in spec.columns:
        if pa.types.is_list(c.type):
            frame[c.name] = frame[c.name].map(lambda v: [] if v is None or v is pd.NA or v == "" else str(v).split(LIST_SEPARATOR))
    return frame


def pandas_type(arrow_type: pa.DataType):
    import pandas as pd

    return {
        pa.string(): pd.StringDtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
    }.get(arrow_type)
