"""The hard time limit per page: a worker stuck in native code is killed and replaced, the page
becomes a ``timeout`` errors row, and every other page still comes out."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.io import load_table
from pipeline.runner import run

CRAWL = Path(__file__).parent / "fixtures" / "crawl"
SARAJEVO = "004_00cb4f64701574cd.html"
TIRASPOL = "001_142343c9e64c5976.html"
BERN = "011_1778cd7f654a5aad.html"


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    folder = tmp_path / "crawl"
    folder.mkdir()
    for page in sorted((CRAWL / "html").glob("*.html"))[:12]:
        shutil.copy(page, folder / page.name)
    return folder


@pytest.fixture
def settings():
    return load_settings(overrides={"doc_timeout_seconds": "1", "batch_size": "4", "learn_templates": "false"})


def outcome(out: Path) -> tuple[dict, set[str]]:
    errors = load_table("errors", out)
    by_page = {Path(s).name: (stage, kind) for s, stage, kind in zip(errors["source"], errors["stage"], errors["error_type"])}
    return by_page, {Path(s).name for s in load_table("documents", out)["source"]}


def test_a_page_stuck_in_the_regex_engine_is_a_timeout_row_and_the_run_goes_on(crawl, tmp_path, settings):
    started = time.monotonic()
    manifest = run([crawl], tmp_path / "out", settings, stage_factory="stage_factories:hanging")
    errors, documents = outcome(tmp_path / "out")
    assert errors == {SARAJEVO: ("metadata", "timeout")}
    assert len(documents) == 11 and SARAJEVO not in documents
    assert manifest["work"]["worker_restarts"] == 1
    assert time.monotonic() - started < 60  # one kill after 1 s + grace, not a stalled run


def test_python_code_past_its_limit_is_stopped_without_a_kill(crawl, tmp_path, settings):
    manifest = run([crawl], tmp_path / "out", settings, stage_factory="stage_factories:slow")
    errors, documents = outcome(tmp_path / "out")
    assert errors == {TIRASPOL: ("metadata", "timeout")}
    assert len(documents) == 11
    assert manifest["work"]["worker_restarts"] == 0


def test_a_worker_that_dies_on_a_page_costs_only_that_page(crawl, tmp_path, settings):
    run([crawl], tmp_path / "out", settings, stage_factory="stage_factories:crashing")
    errors, documents = outcome(tmp_path / "out")
    assert errors == {BERN: ("metadata", "worker_died")}
    assert len(documents) == 11


def test_a_batch_that_hangs_is_retried_page_by_page_and_only_the_culprit_is_lost(crawl, tmp_path, settings):
    manifest = run([crawl], tmp_path / "out", settings, stage_factory="stage_factories:hanging_batch", workers=2)
    errors, documents = outcome(tmp_path / "out")
    assert errors == {SARAJEVO: ("ner", "timeout")}
    assert len(documents) == 11
    assert manifest["work"]["worker_restarts"] == 2  # the batch of four, then the page alone


def test_a_timed_out_page_is_remembered_so_a_rerun_does_not_hang_again(crawl, tmp_path, settings):
    run([crawl], tmp_path / "out", settings, stage_factory="stage_factories:hanging")
    again = run([crawl], tmp_path / "out", settings, stage_factory="stage_factories:hanging")
    assert again["work"]["processed"] == 0 and again["work"]["worker_restarts"] == 0
    assert outcome(tmp_path / "out")[0] == {SARAJEVO: ("metadata", "timeout")}


def test_the_run_names_the_unit_after_which_a_worker_reached_its_memory_peak(crawl, tmp_path, settings):
    one_page_units = load_settings(overrides={"doc_timeout_seconds": "1", "learn_templates": "false", "files_per_shard": "1"})
    manifest = run([crawl], tmp_path / "out", one_page_units, stage_factory="stage_factories:memory_hungry")
    work = manifest["work"]
    assert work["units"] == 12 and work["worker_peak_rss_mb"] >= 1024  # the page that held 1 GB
    marker = json.loads((tmp_path / "out" / "_work" / "done" / f"{work['worker_peak_unit']}.json").read_text("utf-8"))
    assert [Path(s).name for item in marker["items"].values() for s in item["sources"]] == [BERN]
    again = run([crawl], tmp_path / "out", one_page_units, stage_factory="stage_factories:memory_hungry")
    assert again["work"]["processed"] == 0 and again["work"]["worker_peak_rss_mb"] is None  # no process ran a unit
