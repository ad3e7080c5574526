"""Property: whatever a crawl holds, every input is a document or an errors row, and nothing escapes.

Hypothesis generates HTML (random tags, attributes, entities, nesting), plain text, raw bytes and
crawler JSONL (good, broken and odd records), and everything goes through a real run
(``pipeline.run``, one process) or through the pipeline core. Generated text includes NUL and
control characters, formula-like starts, quotes, dashes, Cyrillic and long runs of capitalised words.
Time and memory per page are bounded generously: these are safety bounds, not speed targets.
"""

from __future__ import annotations

import json
import tempfile
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline import load_settings

PEAK_BYTES_PER_PAGE = 300_000_000

_WORDS = st.sampled_from(
    ["OSCE", "Minister", "Vienna", "said", "the", "of", "and", "Ivan", "Petrov", "2014", "1,200", "“", "”", "«", "»", "-", "–", "=", "+", "@",
     "\x00", "\x07", "\x1b", "\u200b", "Москва", "заявил", "Chairperson-in-Office", "Berlin", "Main", "U.S.", "4 May 2014", "&amp;", "&#0;", "&bogus;"]
)
_TEXT = st.one_of(st.lists(_WORDS, max_size=60).map(" ".join), st.text(max_size=300))
_TAGS = st.sampled_from(["p", "div", "span", "h1", "h2", "a", "li", "ul", "table", "td", "script", "style", "title", "meta", "br", "article", "nav", "footer", "time", "b"])


@st.composite
def html_pages(draw) -> str:
    def element(depth: int) -> str:
        tag = draw(_TAGS)
        attrs = draw(st.sampled_from(["", ' class="content"', ' class="nav menu"', ' itemprop="datePublished" datetime="2014-05-04"', ' href="javascript:alert(1)"', ' style="display:none"']))
        children = "".join(element(depth + 1) if depth < 6 and draw(st.booleans()) else draw(_TEXT) for _ in range(draw(st.integers(0, 3))))
        closing = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"  # sometimes left open, as real pages do
        return f"<{tag}{attrs}>{children}{closing}"

    head = draw(st.sampled_from(["", "<!DOCTYPE html>", '<?xml version="1.0"?>', '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>']))
    body = "".join(element(0) for _ in range(draw(st.integers(0, 6))))
    deep = "<div>" * draw(st.sampled_from([0, 0, 300]))  # deep nesting now and then
    return f"{head}<html><head><title>{draw(_TEXT)}</title></head><body>{deep}{body}</body></html>"


def jsonl_files() -> st.SearchStrategy[str]:
    record = st.fixed_dictionaries(
        {},
        optional={
            "url": st.one_of(st.just("https://x.example/a\x01b"), st.text(max_size=40), st.integers(), st.none()),
            "html": st.one_of(html_pages(), _TEXT, st.integers(), st.lists(st.integers(), max_size=2)),
            "fetched_at": st.one_of(st.text(max_size=20), st.integers()),
            "content_type": st.one_of(st.just("text/html; charset=latin-1"), st.integers(), st.text(max_size=20)),
        },
    )
    line = st.one_of(record.map(json.dumps), st.text(max_size=80).filter(lambda s: "\n" not in s and "\r" not in s))
    return st.lists(line, min_size=1, max_size=6).map(lambda lines: "\n".join(lines) + "\n")


_INPUT = st.one_of(
    html_pages().map(lambda h: ("html", h.encode("utf-8", "surrogatepass"))),
    _TEXT.map(lambda t: ("txt", t.encode("utf-8", "surrogatepass"))),
    st.binary(max_size=2000).map(lambda b: ("bin", b)),
    jsonl_files().map(lambda j: ("jsonl", j.encode("utf-8", "surrogatepass"))),
)


def _check_run(inputs: list[tuple[str, bytes]]) -> None:
    from pipeline import load_table, run

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        expected: set[str] = set()
        for i, (kind, data) in enumerate(inputs):
            path = folder / f"{i:02d}.{kind}"
            # a distinct first line: two identical inputs are one document (counted as skipped in run.json)
            path.write_bytes(data if kind == "jsonl" else f"<!-- input {i} -->\n".encode() + data if kind == "html" else data)
            if kind == "jsonl" and data.lstrip().startswith(b"{"):
                expected |= {f"{path}#line={n}" for n, line in enumerate(data.decode("utf-8", "replace").split("\n"), 1) if line.strip()}
            else:
                expected.add(str(path))
        out = Path(tmp) / "out"
        manifest = run([folder], out, load_settings())
        # no input needed the time limit (a stall would show as a timeout row or a killed worker)
        assert manifest["work"]["worker_restarts"] == 0 and not any("timeout" in reason for reason in manifest["errors_by_reason"])
        docs = load_table("documents", out)
        errors = load_table("errors", out)
        covered = set(docs["source"]) | set(errors["source"])
        skipped = manifest["counts"].get("skipped/exact_duplicate_input", 0) + manifest["counts"].get("skipped/json_document", 0)
        # a file sniffed as a page (not JSONL) is one source; a JSONL file's lines are one each
        missing = {s for s in expected if s not in covered and s.split("#line=")[0] not in covered}
        assert len(missing) <= skipped, (missing, manifest["counts"])
        for frame in (docs, errors):
            for column in frame.columns:
                for value in frame[column]:
                    if isinstance(value, str):
                        assert not any(ord(c) < 32 and c not in "\n\t" for c in value), (column, value)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_INPUT, min_size=1, max_size=4))
def test_every_input_is_a_document_or_an_errors_row(inputs):
    _check_run(inputs)


@pytest.fixture(scope="module")
def core():
    from pipeline.resources import Resources
    from pipeline.stages import build_stages

    from pipeline.core import process
    from pipeline.stages.ingest import make_document

    settings = load_settings()
    stages = build_stages(settings, Resources(settings))
    warm = make_document(b"<html><body><p>Ivan Petrov said in Vienna on 4 May 2014 that 12 observers went.</p></body></html>", "warm", settings)
    list(process([warm], stages, settings, Counter(), tables={"documents"}))  # the model loads here, not in a timed example
    return settings, stages


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(data=st.one_of(html_pages().map(str.encode), _TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=3000)))
def test_the_core_gives_one_result_per_page_within_its_limits(core, data):
    from pipeline.core import process
    from pipeline.stages.ingest import make_document

    settings, stages = core
    item = make_document(data, "generated", settings, url="https://x.example/p")
    tracemalloc.start()
    try:
        results = list(process([item], stages, settings, Counter(), tables={"documents", "errors", "people", "quotes"}))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES_PER_PAGE
    assert len(results) == 1
    result = results[0]
    assert not [row for row in result.rows.get("errors", []) if row["error_type"] == "timeout"]  # nothing ran into the time limit
    assert result.doc is not None or result.rows.get("errors"), "a page that is no document must say why"
