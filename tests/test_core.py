"""The pipeline core: what a slow start costs, and who pays for it."""

from __future__ import annotations

import time
from collections import Counter

from pipeline.config import load_settings
from pipeline.core import process
from pipeline.stages import Stage
from pipeline.stages.ingest import make_document

PAGE = "<html><body><article><h1>Border post {n} reopened</h1><p>Border post {n} reopened on Monday.</p></article></body></html>"


def test_loading_resources_is_start_up_time_not_the_first_pages_time_limit():
    loaded = []

    def load_slowly():  # a gazetteer built on a busy machine
        time.sleep(1.5)
        loaded.append(True)

    def read(doc):
        assert loaded, "the stage ran before what it reads was loaded"
        doc.body_text = "The border post reopened on Monday."
        return doc

    settings = load_settings(overrides={"doc_timeout_seconds": "1"})
    stats: Counter = Counter()
    pages = [make_document(PAGE.format(n=i).encode(), f"page-{i}.html", settings) for i in range(3)]
    results = list(process(pages, [Stage("read", read, prepare=load_slowly)], settings, stats, tables={"documents", "errors"}))
    assert [r.rows.get("errors", []) for r in results] == [[], [], []]
    assert len(loaded) == 1
    assert stats["seconds/startup"] >= 1.5 and stats["seconds/read"] < 1


def test_a_batch_holds_one_parsed_page_at_a_time_and_the_model_never_sees_a_tree():
    """Per-document stages take each page through all of them before the next page starts, and the
    parsed tree is dropped once no later stage reads it; a stage list that ends with a reader keeps it."""
    from pipeline.extract.html import parse_html

    calls, trees_alive, trees_at_batch = [], [], []

    def parse(doc):
        calls.append(("parse", doc.source))
        doc.tree = parse_html(doc.text)
        trees_alive.append(sum(p.tree is not None for p in pages))
        return doc

    def read(doc):
        calls.append(("read", doc.source))
        doc.body_text = doc.tree.findtext(".//p")
        return doc

    def model(docs):
        trees_at_batch.extend(d.tree for d in docs)
        return docs

    settings = load_settings(overrides={"batch_size": "4"})
    pages = [make_document(PAGE.format(n=i).encode(), f"page-{i}.html", settings) for i in range(3)]
    stages = [Stage("parse", parse, reads_tree=True), Stage("read", read, reads_tree=True), Stage("model", model, batched=True)]
    results = list(process(pages, stages, settings, tables={"documents", "errors"}))
    assert calls == [(step, f"page-{i}.html") for i in range(3) for step in ("parse", "read")]
    assert trees_alive == [1, 1, 1] and trees_at_batch == [None, None, None]
    assert [r.doc.body_text for r in results] == [f"Border post {i} reopened on Monday." for i in range(3)]
    pages = [make_document(PAGE.format(n=i).encode(), f"page-{i}.html", settings) for i in range(3)]
    kept = list(process(pages, stages[:2], settings))
    assert all(r.doc.tree is not None for r in kept)
