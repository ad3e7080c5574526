"""The same run on Dask distributed (a LocalCluster of two worker processes) writes the same tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.io import load_table
from pipeline.runner import run

pytest.importorskip("distributed")

CRAWL = Path(__file__).parent / "fixtures" / "crawl"
SEED = Path(__file__).parent / "fixtures" / "seed"
TABLES = ("documents", "mentions", "people", "places", "organizations", "counts", "dates", "quotes", "entries", "errors", "duplicates")


def canonical(out: Path) -> dict:
    frames = {}
    for name in TABLES:
        frame = load_table(name, out)
        frames[name] = sorted(tuple(str(value) for value in row) for row in frame.itertuples(index=False))
    return frames


def test_a_dask_run_writes_the_tables_of_a_local_run(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).parents[1] / "pipeline" / "rules", rules)
    settings = load_settings(overrides={"files_per_shard": "3", "rules_dir": str(rules)})
    crawl = tmp_path / "crawl"
    shutil.copytree(CRAWL, crawl, ignore=shutil.ignore_patterns("gold", "records"))
    shutil.copytree(SEED, crawl / "seed", ignore=shutil.ignore_patterns("*.json"))
    (crawl / "broken.html").write_bytes(b"\x00\x01\x02" * 100)

    local = run([crawl], tmp_path / "local", settings, workers=2)
    dask = run([crawl], tmp_path / "dask", settings, workers=2, executor="dask")

    assert dask["executor"] == "dask" and dask["workers"] == 2
    assert dask["tables"] == local["tables"] and local["tables"]["documents"] >= 15
    assert canonical(tmp_path / "dask") == canonical(tmp_path / "local")
