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
