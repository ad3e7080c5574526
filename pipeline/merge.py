"""The units' table parts into one table each, streamed: no table is ever held whole in memory.

Parts are read one at a time, in the order of the inputs, filtered to the items the work store
chose (an item redone in a later unit, or an input since removed, leaves rows behind in older parts),
sorted within the part by the table's key, and appended to a Parquet writer (and a CSV writer) on a
temporary file that replaces the table only when it is complete. ``documents.duplicate_of`` is
filled on the way from the duplicates found on the documents' signatures.
"""

from __future__ import annotations

from collections import Counter
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from .duplicates import find_duplicates_in
from .io import atomic_path, csv_writer, read_parquet
from .schema import TABLES, to_arrow
from .workstore import WorkStore

SKETCH_SCHEMA = pa.schema(
    [("doc_id", pa.string()), ("site", pa.string()), ("published", pa.string()), ("fetched_at", pa.string()), ("position", pa.int64()), ("signature", pa.binary())]
)


def unit_order(chosen: dict[str, tuple[str, dict]], positions: dict[str, int]) -> list[tuple[str, set[str], set[str]]]:
    """(unit id, doc ids it may contribute, sources it may contribute), units in input order."""
    by_unit: dict[str, tuple[set[str], set[str], list[int]]] = {}
    for key, (unit_id, record) in chosen.items():
        docs, sources, where = by_unit.setdefault(unit_id, (set(), set(), []))
        docs.update(record["docs"])
        sources.update(record["sources"])
        where.append(positions[key])
    ordered = sorted(by_unit.items(), key=lambda kv: (min(kv[1][2]), kv[0]))
    return [(unit_id, docs, sources) for unit_id, (docs, sources, _) in ordered]


def _owned(part: pa.Table, docs: set[str], sources: set[str], taken: set[str]) -> pa.Table:
    """Rows of the chosen items only; a document already written from an earlier unit is not repeated."""
    if not part.num_rows:
        return part
    doc_ids = part.column("doc_id").to_pylist() if "doc_id" in part.column_names else [None] * part.num_rows
    row_sources = part.column("source").to_pylist() if "source" in part.column_names else [None] * part.num_rows
    keep = [(d in docs and d not in taken) if d is not None else (s in sources) for d, s in zip(doc_ids, row_sources)]
    return part if all(keep) else part.filter(pa.array(keep, pa.bool_()))


def find_duplicates(store: WorkStore, units: list[tuple[str, set[str], set[str]]], site_size: Counter) -> list[dict]:
    sketches: list[dict] = []
    seen: set[str] = set()
    for unit_id, docs, _ in units:
        path = store.part("sketches", unit_id)
        if not path.exists():
            continue
        for row in pq.read_table(path, schema=SKETCH_SCHEMA).to_pylist():
            if row["doc_id"] in docs and row["doc_id"] not in seen:
                seen.add(row["doc_id"])
                sketches.append(row)
    return find_duplicates_in(sketches, site_size)


def merge_tables(
    out: Path,
    store: WorkStore,
    units: list[tuple[str, set[str], set[str]]],
    tables: list[str],
    formats: tuple[str, ...],
    extra_errors: list[dict],
    duplicates: list[dict],
    csv_formula_guard: bool = True,
) -> tuple[dict[str, int], list[str], dict[str, int]]:
    """Write every table; returns rows per table, the files written and the errors by stage/reason."""
    first_copy = {row["doc_id"]: row["duplicate_of"] for row in duplicates}
    rows: dict[str, int] = {}
    written: list[str] = []
    reasons: Counter = Counter()
    for name in [*tables, "duplicates"]:
        if name == "duplicates":
            chunks: Iterator[pa.Table] = iter([to_arrow("duplicates", duplicates)])
        else:
            chunks = _chunks(store, units, name, extra_errors if name == "errors" else [], first_copy)
        if name == "errors":
            chunks = _counting(chunks, reasons)
        rows[name], files = _write(out, name, chunks, formats, csv_formula_guard)
        written.extend(files)
    return rows, written, dict(sorted(reasons.items()))


def _counting(chunks: Iterator[pa.Table], reasons: Counter) -> Iterator[pa.Table]:
    for chunk in chunks:
        reasons.update(f"{s}/{t}" for s, t in zip(chunk.column("stage").to_pylist(), chunk.column("error_type").to_pylist()))
        yield chunk


def _chunks(store: WorkStore, units, name: str, extra: list[dict], first_copy: dict[str, str]) -> Iterator[pa.Table]:
    if extra:
        yield to_arrow(name, extra)
    taken: set[str] = set()
    sort_by = [(key, "ascending") for key in TABLES[name].sort_by]
    for unit_id, docs, sources in units:
        path = store.part(name, unit_id)
        if not path.exists():
            continue
        part = _owned(read_parquet(path, name), docs, sources, taken if name == "documents" else set())
        if not part.num_rows:
            continue
        if name == "documents":
            taken.update(part.column("doc_id").to_pylist())
            index = part.schema.get_field_index("duplicate_of")
            column = pa.array([first_copy.get(d) for d in part.column("doc_id").to_pylist()], pa.string())
            part = part.set_column(index, part.schema.field(index), column)
        yield part.sort_by(sort_by) if sort_by else part


def _write(out: Path, name: str, chunks: Iterator[pa.Table], formats: tuple[str, ...], guard: bool) -> tuple[int, list[str]]:
    schema = TABLES[name].schema
    n = 0
    with ExitStack() as stack:
        writers = []
        if "parquet" in formats:
            tmp = stack.enter_context(atomic_path(out / f"{name}.parquet"))
            writers.append((f"{name}.parquet", stack.enter_context(closing(pq.ParquetWriter(tmp, schema, compression="zstd")))))
        if "csv" in formats:
            tmp = stack.enter_context(atomic_path(out / f"{name}.csv"))
            writers.append((f"{name}.csv", stack.enter_context(closing(csv_writer(tmp, schema, guard)))))
        for chunk in chunks:
            n += chunk.num_rows
            for _, writer in writers:
                writer.write_table(chunk)
        files = [file for file, _ in writers]
    return n, files


