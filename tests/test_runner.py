"""Runner mechanics on real pages: failures stay per page, outputs are atomic, runs resume.

The stages here are small stand-ins whose failures we control (the real stages should not fail on
these pages); the full pipeline is exercised in test_end_to_end.py.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.config import load_settings
from pipeline.document import Drop
from pipeline.io import load_table
from pipeline.runner import run
from pipeline.schema import TABLES
from pipeline.stages import Stage

CRAWL = Path(__file__).parent / "fixtures" / "crawl"


def copy_pages(tmp_path: Path, n: int = 6) -> Path:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for page in sorted((CRAWL / "html").glob("*.html"))[:n]:
        shutil.copy(page, crawl / page.name)
    return crawl


def first_paragraph(doc):
    doc.body_text = doc.text[doc.text.find("<p>") + 3 : doc.text.find("</p>")] if "<p>" in doc.text else ""
    return doc


def picky(doc):
    if "Tiraspol" in doc.text:
        raise ValueError("this stage cannot handle Tiraspol")
    if "Пресс-релиз" in doc.text:
        raise Drop("not_english", "only English pages wanted")
    return doc


def batch_that_breaks_on_sarajevo(docs):
    if any("Sarajevo" in d.text for d in docs):
        raise RuntimeError("Sarajevo broke the batch")
    return docs


def factory(settings, resources):
    return [
        Stage("boilerplate", first_paragraph),
        Stage("metadata", picky),
        Stage("entities", batch_that_breaks_on_sarajevo, batched=True),
    ]


class Interrupt(BaseException):
    """Stands in for Ctrl-C or a killed worker: not an Exception, so the runner must not swallow it."""


def interrupting_factory(settings, resources):
    """The stages of ``factory``, plus Ctrl-C on the Bern page while INTERRUPT_ON_BERN is set."""

    def interrupt_on_bern(doc):
        if os.environ.get("INTERRUPT_ON_BERN") and "Bern" in doc.text:
            raise Interrupt
        return doc

    return [Stage("interrupt", interrupt_on_bern), *factory(settings, resources)]


@pytest.fixture
def settings():
    return load_settings(overrides={"files_per_shard": "3", "batch_size": "2"})


def test_a_failing_page_becomes_an_error_row_and_the_rest_comes_out(tmp_path, settings):
    crawl = copy_pages(tmp_path)
    (crawl / "empty.html").write_bytes(b"")
    manifest = run([crawl], tmp_path / "out", settings, stage_factory=factory, executor="inline")

    errors = load_table("errors", tmp_path / "out")
    reasons = {(Path(s).name, stage, kind) for s, stage, kind in zip(errors["source"], errors["stage"], errors["error_type"])}
    assert reasons == {
        ("empty.html", "ingest", "empty_page"),
        ("001_142343c9e64c5976.html", "metadata", "ValueError"),  # Tiraspol
        ("006_bac00724a9500356.html", "metadata", "not_english"),
        ("004_00cb4f64701574cd.html", "entities", "RuntimeError"),  # Sarajevo, isolated from its batch
    }
    documents = load_table("documents", tmp_path / "out")
    assert sorted(Path(s).name for s in documents["source"]) == [
        "002_d65d6edfb493ab46.html", "003_b81f9d82acfba30d.html", "005_e85ec74f0b8ca2f1.html",
    ]
    assert manifest["counts"]["pages_read"] == 7
    assert manifest["errors_by_reason"] == {"entities/RuntimeError": 1, "ingest/empty_page": 1, "metadata/ValueError": 1, "metadata/not_english": 1}


def test_every_table_is_written_with_all_columns_even_when_empty(tmp_path, settings):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "empty.html").write_bytes(b"")
    run([crawl], tmp_path / "out", settings, stage_factory=factory, executor="inline")
    for name, table in TABLES.items():
        if table.optional:
            continue
        parquet = pq.read_table(tmp_path / "out" / f"{name}.parquet")
        assert parquet.schema.names == table.names
        header = (tmp_path / "out" / f"{name}.csv").read_text("utf-8").splitlines()[0]
        assert header == ",".join(f'"{c}"' for c in table.names)
    assert load_table("errors", tmp_path / "out")["error_type"].tolist() == ["empty_page"]


def test_interrupted_run_leaves_no_half_written_table_and_a_rerun_resumes(tmp_path, settings, monkeypatch):
    crawl = copy_pages(tmp_path, n=12)  # 4 units of 3; page 011 (Bern) is in the last one
    out = tmp_path / "out"
    monkeypatch.setenv("INTERRUPT_ON_BERN", "1")
    with pytest.raises(Interrupt):
        run([crawl], out, settings, stage_factory=interrupting_factory, executor="inline")
    monkeypatch.delenv("INTERRUPT_ON_BERN")
    assert not list(out.glob("*.parquet")) and not list(out.glob("*.csv"))
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert len(list((out / "_work" / "done").glob("*.json"))) == 3

    manifest = run([crawl], out, settings, stage_factory=interrupting_factory, executor="inline")
    assert (manifest["work"]["reused"], manifest["work"]["processed"]) == (9, 3)
    assert len(load_table("documents", out)) + len(load_table("errors", out)) == 12

    again = run([crawl], out, settings, stage_factory=interrupting_factory, executor="inline")
    assert (again["work"]["reused"], again["work"]["processed"]) == (12, 0)
    assert again["tables"] == manifest["tables"]


def test_changed_settings_redo_the_shards(tmp_path, settings):
    crawl = copy_pages(tmp_path, n=3)
    run([crawl], tmp_path / "out", settings, stage_factory=factory, executor="inline")
    changed = load_settings(overrides={"files_per_shard": "3", "batch_size": "2", "min_body_words": "7"})
    manifest = run([crawl], tmp_path / "out", changed, stage_factory=factory, executor="inline")
    assert manifest["work"]["reused"] == 0


def test_manifest_records_inputs_settings_rules_and_versions(tmp_path, settings):
    crawl = copy_pages(tmp_path, n=2)
    (crawl / "notes.json").write_text('{"not": "a page"}', encoding="utf-8")
    run([crawl], tmp_path / "out", settings, stage_factory=factory, executor="inline")
    manifest = json.loads((tmp_path / "out" / "run.json").read_text("utf-8"))
    assert manifest["inputs"] == [str(crawl)]
    assert manifest["counts"]["skipped/json_document"] == 1
    assert manifest["settings"]["files_per_shard"] == 3
    assert manifest["versions"]["spacy"]
    assert manifest["wall_seconds"] >= 0
    assert "stage_seconds" in manifest and "boilerplate" in manifest["stage_seconds"]
    phases = manifest["phase_seconds"]
    assert list(phases) == ["plan", "template_pass", "process_units", "duplicates", "merge"]
    assert sum(phases.values()) <= manifest["wall_seconds"] + 0.01


def test_csv_joins_list_columns_and_load_table_splits_them_back(tmp_path, settings):
    crawl = copy_pages(tmp_path, n=2)

    def with_sources(doc):
        doc.sources = ["OSCE Secretariat", "Permanent Council"]
        return doc

    run([crawl], tmp_path / "out", load_settings(overrides={"formats": "csv"}), stage_factory=lambda s, r: [Stage("metadata", with_sources)], executor="inline")
    assert not (tmp_path / "out" / "documents.parquet").exists()
    assert "OSCE Secretariat; Permanent Council" in (tmp_path / "out" / "documents.csv").read_text("utf-8")
    frame = load_table("documents", tmp_path / "out")
    assert frame["sources"].tolist() == [["OSCE Secretariat", "Permanent Council"]] * 2
    assert str(frame["n_words"].dtype) == "Int64"


def test_the_same_page_in_two_inputs_is_written_once(tmp_path, settings):
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(CRAWL / "html" / "003_b81f9d82acfba30d.html", folder / "page.html")
        (folder / "crawl.jsonl").write_text(json.dumps({"file": "page.html", "url": "https://www.osce.org/odihr/elections/468402"}) + "\n")
    manifest = run([tmp_path / "a", tmp_path / "b"], tmp_path / "out", settings, stage_factory=factory, executor="inline")
    assert manifest["tables"]["documents"] == 1 and manifest["tables"]["errors"] == 0
    assert manifest["counts"]["documents_written"] == 1
    assert manifest["counts"]["skipped/exact_duplicate_input"] == 1


def test_an_edited_rule_file_redoes_the_shards_with_the_new_rules(tmp_path):
    """A notebook edits rules and re-runs in the same process: no stale cached rules, no stale outputs."""
    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).parents[1] / "pipeline" / "rules", rules)
    settings = load_settings(overrides={"rules_dir": str(rules), "files_per_shard": "3"})
    crawl = copy_pages(tmp_path, n=3)

    def stage_seeing_rules(settings, resources):
        def note_pattern_count(doc):
            doc.notes = [f"{len(resources.nlp.rules.patterns())} patterns"]
            return doc

        return [Stage("entities", note_pattern_count)]

    run([crawl], tmp_path / "out", settings, stage_factory=stage_seeing_rules, executor="inline")
    before = load_table("documents", tmp_path / "out")["notes"].iloc[0][0]
    with open(rules / "patterns" / "organizations.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "org/zz-new", "label": "ORG", "pattern": "Aarhus Centre"}) + "\n")
    manifest = run([crawl], tmp_path / "out", settings, stage_factory=stage_seeing_rules, executor="inline")
    after = load_table("documents", tmp_path / "out")["notes"].iloc[0][0]
    assert manifest["work"]["reused"] == 0
    assert int(after.split()[0]) == int(before.split()[0]) + 1
