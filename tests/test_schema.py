"""Table schemas: one place for columns; empty and full tables round-trip; docs/tables.md's dictionary is generated."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from pipeline.io import load_table, write_csv, write_parquet
from pipeline.schema import TABLES, data_dictionary_markdown, to_arrow

TABLES_DOC = Path(__file__).parents[1] / "docs" / "tables.md"


@pytest.mark.parametrize("name", list(TABLES))
def test_empty_table_round_trips_with_all_columns(tmp_path, name):
    table = to_arrow(name, [])
    write_parquet(table, tmp_path / f"{name}.parquet")
    write_csv(table, tmp_path / f"{name}.csv")
    frame = load_table(name, tmp_path)
    assert list(frame.columns) == TABLES[name].names and len(frame) == 0
    (tmp_path / f"{name}.parquet").unlink()
    assert list(load_table(name, tmp_path).columns) == TABLES[name].names


def test_rows_with_unknown_or_missing_keys_fit_the_schema():
    table = to_arrow("errors", [{"source": "a.html", "stage": "ingest", "error_type": "empty_page", "extra": 1}])
    assert table.column("message").to_pylist() == [None]
    assert table.schema.metadata[b"table"] == b"errors"


def test_wrong_types_fail_loudly():
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        to_arrow("mentions", [{"doc_id": "x", "start": "not a number"}])


def test_every_column_is_documented_and_names_are_unique():
    for table in TABLES.values():
        assert len(set(table.names)) == len(table.names)
        assert all(c.doc for c in table.columns), table.name
        assert set(table.sort_by) <= set(table.names)


def test_documented_data_dictionary_is_the_generated_one():
    assert data_dictionary_markdown() in TABLES_DOC.read_text("utf-8"), "run `pipeline schema --update docs/tables.md`"
