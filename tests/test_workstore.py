"""How pending work is cut into units for the workers."""

from __future__ import annotations

from pipeline.config import load_settings
from pipeline.stages.ingest import PageRef
from pipeline.workstore import MIN_UNIT_BYTES, Item, units


def pages(sizes: list[int]) -> list[Item]:
    return [Item(f"key{i}", i, size, page=PageRef(f"/crawl/{i:04d}.html")) for i, size in enumerate(sizes)]


def test_units_cover_every_page_once_are_balanced_by_bytes_and_go_largest_first():
    sizes = [40_000 + (i * 7919) % 300_000 for i in range(400)]  # 400 pages of 40 to 340 KB
    cut = units(pages(sizes), 2, load_settings(overrides={"files_per_shard": "200"}), "fp")
    paths = [p.path for unit in cut for p in unit.pages]
    assert sorted(paths) == sorted(f"/crawl/{i:04d}.html" for i in range(len(sizes)))
    size_of = {f"/crawl/{i:04d}.html": s for i, s in enumerate(sizes)}
    unit_bytes = [sum(size_of[p.path] for p in unit.pages) for unit in cut]
    assert len(cut) >= 2 * 8  # enough units that two workers end together
    assert unit_bytes == sorted(unit_bytes, reverse=True)
    assert max(unit_bytes[:-1]) < 1.5 * min(unit_bytes[:-1])  # all but the remainder are alike


def test_small_crawls_are_not_cut_into_tiny_units_and_no_unit_exceeds_the_file_limit():
    assert len(units(pages([10_000] * 20), 2, load_settings(), "fp")) == 1  # 200 KB < MIN_UNIT_BYTES
    cut = units(pages([MIN_UNIT_BYTES] * 30), 2, load_settings(overrides={"files_per_shard": "4"}), "fp")
    assert all(len(unit.pages) <= 4 for unit in cut)
