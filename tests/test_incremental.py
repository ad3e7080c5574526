"""Incremental runs on the real pipeline: work is keyed by page content, not by position in a listing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.io import load_table
from pipeline.runner import run
from pipeline.status import run_status

CRAWL = Path(__file__).parent / "fixtures" / "crawl"
PAGES = sorted((CRAWL / "html").glob("*.html"))


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    # A copy of the rules: what these tests compare must not change under them while they run.
    rules = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(Path(__file__).parents[1] / "pipeline" / "rules", rules)
    return load_settings(overrides={"files_per_shard": "4", "rules_dir": str(rules)})


def crawl_of(folder: Path, pages) -> Path:
    folder.mkdir(exist_ok=True)
    for page in pages:
        shutil.copy(page, folder / page.name)
    return folder


def tables(out: Path) -> dict:
    """Every table, rows in a canonical order (units of an incremental run are not those of a fresh one)."""
    out_tables = {}
    for name in ("documents", "mentions", "people", "places", "counts", "dates", "quotes", "errors"):
        frame = load_table(name, out)
        out_tables[name] = frame.sort_values(list(frame.columns[:3])).reset_index(drop=True).astype(str).to_dict("records")
    return out_tables


def test_added_pages_are_the_only_ones_processed_and_the_tables_equal_a_fresh_run(tmp_path, settings):
    # The first page in sorted order is added last: with position-based shards it would shift every shard.
    crawl = crawl_of(tmp_path / "crawl", PAGES[1:9])
    # a page that gives no document, only an errors row with its doc id
    (crawl / "menu-only.html").write_text('<html><body><nav><a href="/news">News</a> <a href="/about">About us</a></nav></body></html>')
    out = tmp_path / "out"
    run([crawl], out, settings)
    # the workers mapped one gazetteer build kept with the run's work files, not each a build of its own
    assert len(list((out / "_work" / "gazetteer").glob("gazetteer-*"))) == 1
    shutil.copy(PAGES[0], crawl / PAGES[0].name)
    manifest = run([crawl], out, settings)
    assert manifest["work"]["processed"] == 1 and manifest["work"]["reused"] == 9
    assert manifest["counts"]["documents_written"] == 1 and "skipped/exact_duplicate_input" not in manifest["counts"]
    fresh = tmp_path / "fresh"
    run([crawl], fresh, settings)
    assert tables(out) == tables(fresh)
    status = run_status(out)
    assert (status["done"], status["pending"], status["failed"]) == (9, 0, 1)


def test_a_changed_page_is_redone_and_its_old_rows_are_gone(tmp_path, settings):
    crawl = crawl_of(tmp_path / "crawl", PAGES[:4])
    out = tmp_path / "out"
    run([crawl], out, settings)
    page = next(p for p in sorted(crawl.glob("*.html")) if "Sarajevo" in p.read_text("utf-8"))
    page.write_text(page.read_text("utf-8").replace("Sarajevo", "Mostar"), encoding="utf-8")
    manifest = run([crawl], out, settings)
    assert manifest["work"]["processed"] == 1
    documents = load_table("documents", out)
    assert len(documents) == 4
    edited = documents.loc[documents["source"] == str(page)]
    assert "Mostar" in edited["body_text"].item() and "Sarajevo" not in edited["body_text"].item()


def test_removed_pages_drop_out_of_every_table(tmp_path, settings):
    crawl = crawl_of(tmp_path / "crawl", PAGES[:5])
    out = tmp_path / "out"
    run([crawl], out, settings)
    removed = load_table("documents", out)
    gone = removed.loc[removed["source"].str.endswith(PAGES[3].name), "doc_id"].item()
    (crawl / PAGES[3].name).unlink()
    manifest = run([crawl], out, settings)
    assert manifest["work"]["processed"] == 0
    for name in ("documents", "mentions", "places", "errors"):
        assert gone not in set(load_table(name, out)["doc_id"].dropna())
    assert len(load_table("documents", out)) == 4


def test_status_tells_what_is_pending_before_a_run(tmp_path, settings):
    crawl = crawl_of(tmp_path / "crawl", PAGES[:3])
    out = tmp_path / "out"
    run([crawl], out, settings)
    (crawl / "empty.html").write_bytes(b"")
    shutil.copy(PAGES[5], crawl / PAGES[5].name)
    status = run_status(out)
    assert (status["items"], status["done"], status["pending"]) == (5, 3, 2)
    run([crawl], out, settings)
    status = run_status(out)
    assert (status["done"], status["pending"], status["failed"]) == (4, 0, 1)
    assert status["errors_by_reason"] == {"ingest/empty_page": 1}
