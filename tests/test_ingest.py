"""Ingest: every input format, detected by content; charsets; hostile bytes become errors, never exceptions."""

from __future__ import annotations

import gzip
import io
import json
import random
import shutil
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.config import load_settings
from pipeline.document import Document
from pipeline.stages.ingest import IngestError, decode_bytes, make_document, plan_shards, read_shard, sniff_file

FIXTURES = Path(__file__).parent / "fixtures"
CRAWL = FIXTURES / "crawl"
ARTICLE = CRAWL / "html" / "001_142343c9e64c5976.html"
RUSSIAN = CRAWL / "html" / "006_bac00724a9500356.html"
SEED = FIXTURES / "seed" / "000_975be6301a0f2c82.txt"


@pytest.fixture
def settings():
    return load_settings()


def read_all(inputs, settings):
    shards, errors, _ = plan_shards(inputs, settings)
    items = [item for shard in shards for item in read_shard(shard, settings)]
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, IngestError)] + errors


def test_folder_with_sidecar_gives_urls_and_fetch_times(settings):
    docs, errors = read_all([CRAWL], settings)
    assert not errors
    assert len(docs) == 16  # 13 HTML pages + 3 text renderings
    by_file = {Path(d.source).name: d for d in docs}
    page = by_file["001_142343c9e64c5976.html"]
    assert page.url == "https://www.osce.org/mission-to-moldova/415830"
    assert page.site == "osce.org"
    assert page.fetched_at == "2026-11-03T09:12:52Z"
    assert page.format == "html"
    assert page.charset == "utf-8" and page.charset_source == "http"
    assert by_file["003_b81f9d82acfba30d.txt"].format == "text"


def test_formats_are_detected_by_content_not_name(tmp_path, settings):
    (tmp_path / "page_without_extension").write_bytes(ARTICLE.read_bytes())
    (tmp_path / "rendering.dat").write_bytes(SEED.read_bytes())
    with gzip.open(tmp_path / "compressed.gz", "wb") as fh:
        fh.write(RUSSIAN.read_bytes())
    docs, errors = read_all([tmp_path], settings)
    assert not errors
    kinds = {Path(d.source).name: d.format for d in docs}
    assert kinds == {"page_without_extension": "html", "rendering.dat": "text", "compressed.gz": "html"}
    russian = next(d for d in docs if d.source.endswith(".gz"))
    assert "Центр ОБСЕ в Ашхабаде" in russian.text


def test_doc_id_is_stable_and_independent_of_location(tmp_path, settings):
    first = make_document(ARTICLE.read_bytes(), "a/x.html", settings, url="https://www.osce.org/moldova/138216")
    moved = make_document(ARTICLE.read_bytes(), "b/y.html", settings, url="https://www.osce.org/moldova/138216")
    other_url = make_document(ARTICLE.read_bytes(), "a/x.html", settings, url="https://mirror.example/138216")
    assert first.doc_id == moved.doc_id
    assert first.doc_id != other_url.doc_id
    assert len(first.doc_id) == 16


def _warc(path: Path, records: list[tuple[str, bytes, str, str]]) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body, status, ctype in records:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)


def test_warc_response_records_with_http_charset(tmp_path, settings):
    cyrillic = "<html><body><p>Миссия ОБСЕ в Молдове провела семинар для журналистов.</p></body></html>".encode("cp1251")
    _warc(
        tmp_path / "crawl.warc.gz",
        [
            ("https://www.osce.org/moldova/138216", ARTICLE.read_bytes(), "200 OK", "text/html; charset=utf-8"),
            ("https://www.osce.org/missing", b"<html>not found</html>", "404 Not Found", "text/html"),
            ("https://www.osce.org/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "200 OK", "image/png"),
            ("https://www.osce.org/ru/page", cyrillic, "200 OK", "text/html; charset=windows-1251"),
        ],
    )
    docs, errors = read_all([tmp_path], settings)
    assert not errors
    assert [d.url for d in docs] == ["https://www.osce.org/moldova/138216", "https://www.osce.org/ru/page"]
    assert all("#offset=" in d.source and d.fetched_at for d in docs)
    assert docs[1].charset == "cp1251" and docs[1].charset_source == "http"
    assert "Миссия ОБСЕ в Молдове" in docs[1].text


def test_crawler_jsonl_records_and_bad_lines(tmp_path, settings):
    lines = [
        json.dumps({"url": "https://www.osce.org/moldova/138216", "html": ARTICLE.read_text("utf-8"), "fetched_at": "2025-06-02"}),
        "{not json",
        json.dumps({"url": "https://www.osce.org/empty"}),
        json.dumps({"link": "https://www.osce.org/ru/ukraine/92011", "content": RUSSIAN.read_text("utf-8")}),
    ]
    (tmp_path / "pages.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, errors = read_all([tmp_path / "pages.jsonl"], settings)
    assert [d.url for d in docs] == ["https://www.osce.org/moldova/138216", "https://www.osce.org/ru/ukraine/92011"]
    assert docs[0].source.endswith("#line=1") and docs[0].fetched_at == "2025-06-02"
    assert sorted(e.error_type for e in errors) == ["bad_json", "no_page_content"]
    assert {e.source.rsplit("=", 1)[1] for e in errors} == {"2", "3"}


def test_jsonl_is_split_into_line_range_shards(tmp_path):
    settings = load_settings(overrides={"lines_per_shard": "2"})
    rec = json.dumps({"url": "https://x.example/a", "html": "<html><body><p>Some text here.</p></body></html>"})
    (tmp_path / "pages.jsonl").write_text("\n".join([rec] * 5) + "\n", encoding="utf-8")
    shards, _, _ = plan_shards([tmp_path], settings)
    assert [(s.first_line, s.last_line) for s in shards] == [(0, 2), (2, 4), (4, 5)]
    assert sum(1 for s in shards for _ in read_shard(s, settings)) == 5


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.html", b"", "empty_page"),
        ("blank.html", b"  \n\t \n", "empty_page"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary_content"),
        ("truncated.html.gz", gzip.compress(b"<html><body>" + bytes(random.Random(1).choices(b"abcdefghij <>", k=20000)))[:300], "corrupt_gzip"),
    ],
)
def test_hostile_files_become_error_rows(tmp_path, settings, name, data, reason):
    (tmp_path / name).write_bytes(data)
    shutil.copy(ARTICLE, tmp_path / "good.html")
    docs, errors = read_all([tmp_path], settings)
    assert [Path(d.source).name for d in docs] == ["good.html"]
    assert [(Path(e.source).name, e.error_type) for e in errors] == [(name, reason)]


def test_page_over_the_size_limit_is_reported(tmp_path):
    settings = load_settings(overrides={"max_page_bytes": "10000"})
    (tmp_path / "huge.html").write_bytes(b"<html><body>" + b"<div>x</div>" * 5000 + b"</body></html>")
    with gzip.open(tmp_path / "bomb.html.gz", "wb") as fh:
        fh.write(b"<html>" + b" " * 2_000_000 + b"</html>")
    docs, errors = read_all([tmp_path], settings)
    assert not docs
    assert sorted(e.error_type for e in errors) == ["too_large", "too_large"]


def test_missing_input_is_an_error_not_a_crash(settings):
    shards, errors, _ = plan_shards([Path("/nonexistent/crawl")], settings)
    assert not shards and errors[0].error_type == "missing_input"


def test_sniffing():
    assert sniff_file(CRAWL / "crawl.jsonl") == "sidecar"
    assert sniff_file(ARTICLE) == "page"


def test_a_jsonl_pointing_to_page_files_with_empty_content_fields_is_a_sidecar(tmp_path, settings):
    (tmp_path / "pages").mkdir()
    with gzip.open(tmp_path / "pages" / "a1.html.gz", "wb") as fh:
        fh.write(ARTICLE.read_bytes())
    record = {"id": "a1", "url": "https://news.example.org/a1", "body": None, "date": "2012-03-01", "file": "pages/a1.html.gz"}
    (tmp_path / "truth.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert sniff_file(tmp_path / "truth.jsonl") == "sidecar"
    docs, errors = read_all([tmp_path], settings)
    assert not errors and [d.url for d in docs] == ["https://news.example.org/a1"]
    (tmp_path / "crawl.jsonl").write_text(json.dumps({"url": "https://news.example.org/b", "html": "<p>x</p>"}) + "\n", encoding="utf-8")
    assert sniff_file(tmp_path / "crawl.jsonl") == "jsonl"


@pytest.mark.parametrize(
    "data, header, charset, origin",
    [
        ("\ufeffЗдравствуйте".encode("utf-8"), None, "utf-8", "bom"),
        ("<html><head><meta charset='windows-1251'></head><body>Привет</body></html>".encode("cp1251"), None, "cp1251", "meta"),
        ("Grüße aus Wien".encode("latin-1"), "text/html; charset=ISO-8859-1", "cp1252", "http"),
        ("<p>Grüße aus Wien und überall</p>".encode("utf-8"), "text/html; charset=ascii", "utf-8", "detected"),
    ],
)
def test_charset_precedence(data, header, charset, origin):
    text, found, source = decode_bytes(data, header)
    assert (found, source) == (charset, origin)
    assert "\ufffd" not in text


def test_undeclared_legacy_encoding_is_detected():
    data = ("<html><body><p>" + "Организация по безопасности и сотрудничеству в Европе провела встречу. " * 20 + "</p></body></html>").encode("cp1251")
    text, charset, source = decode_bytes(data)
    assert source == "detected"
    assert "Организация по безопасности" in text


def test_json_documents_beside_pages_are_counted_as_skipped_not_read(settings):
    shards, errors, skipped = plan_shards([CRAWL], settings)
    assert not errors
    json_files = [p for p in CRAWL.rglob("*.json")]
    assert skipped == {"json_document": len(json_files)} and len(json_files) > 0
    planned = {Path(page.path).suffix for shard in shards for page in shard.pages}
    assert ".json" not in planned
