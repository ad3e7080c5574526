"""Ingest: find the pages in the inputs, cut them into shards, and turn bytes into decoded Documents.

Inputs are recognised by their content, not their names: a folder is walked recursively and each
file is sniffed (gzip, WARC, crawler JSONL, crawl sidecar, HTML, text rendering, binary).
A shard is a small, deterministic unit of work (a slice of a folder's pages, one WARC file, a range
of JSONL lines) so a run can resume shard by shard and shards can run in parallel.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
import os
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from ..config import Settings
from ..document import Document

SIDECAR_FIELDS = {"file", "url"}
# Field names accepted for crawler JSONL records, in order of preference.
JSONL_URL_FIELDS = ("url", "uri", "link", "target_uri")
JSONL_HTML_FIELDS = ("html", "raw_html", "body", "content", "text", "page")
JSONL_TIME_FIELDS = ("fetched_at", "fetch_time", "timestamp", "crawled_at", "date")
JSONL_TYPE_FIELDS = ("content_type", "mime", "mimetype")

_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.-]+)""", re.I)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_:.-]+)", re.I)
_HTML_SIGNS = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<div[\s>]|<p[\s>]|<title[\s>]", re.I)


@dataclass(frozen=True)
class PageRef:
    """One page file of a folder, with what a crawl sidecar says about it."""

    path: str
    url: str | None = None
    fetched_at: str | None = None
    content_type: str | None = None


@dataclass(frozen=True)
class Shard:
    shard_id: str
    kind: str  # pages | warc | jsonl
    path: str = ""  # the WARC or JSONL file
    pages: tuple[PageRef, ...] = ()
    first_line: int = 0
    last_line: int = 0  # exclusive

    @property
    def label(self) -> str:
        if self.kind == "pages":
            folders = {os.path.dirname(p.path) or "." for p in self.pages}
            return f"{len(self.pages)} pages from {os.path.commonpath(sorted(folders)) if len(folders) > 1 else folders.pop()}"
        if self.kind == "jsonl":
            return f"{self.path} lines {self.first_line + 1}-{self.last_line}"
        return self.path


@dataclass(frozen=True)
class IngestError:
    source: str
    error_type: str
    message: str


# --------------------------------------------------------------------------------------- planning


def plan_shards(inputs: list[str | Path], settings: Settings) -> tuple[list[Shard], list[IngestError], Counter]:
    """Sorted, deterministic shards for the inputs; unreadable inputs come back as errors, files that
    are not pages (JSON documents lying beside them) as a count per kind."""
    pages: list[PageRef] = []
    shards: list[Shard] = []
    errors: list[IngestError] = []
    skipped: Counter = Counter()
    for raw_input in inputs:
        root = Path(raw_input)
        if not root.exists():
            errors.append(IngestError(str(root), "missing_input", "input path does not exist"))
            continue
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        files = [f for f in files if not any(part.startswith(".") for part in f.relative_to(root).parts)] if root.is_dir() else files
        sidecar: dict[str, dict] = {}
        kinds: dict[Path, str] = {}
        for f in files:
            kind = sniff_file(f)
            kinds[f] = kind
            if kind == "sidecar":
                sidecar.update(read_sidecar(f))
        for f in files:
            kind = kinds[f]
            if kind == "json":
                skipped["json_document"] += 1
            if kind in ("sidecar", "json"):
                continue
            if kind == "warc":
                shards.append(_shard("warc", path=str(f)))
            elif kind == "jsonl":
                shards.extend(_jsonl_shards(f, settings.lines_per_shard))
            else:
                meta = sidecar.get(str(f.resolve()), {})
                pages.append(PageRef(str(f), meta.get("url"), meta.get("fetched_at"), meta.get("content_type")))
    per = max(1, settings.files_per_shard)
    for i in range(0, len(pages), per):
        shards.append(_shard("pages", pages=tuple(pages[i : i + per])))
    return shards, errors, skipped


def _shard(kind: str, path: str = "", pages: tuple[PageRef, ...] = (), first: int = 0, last: int = 0) -> Shard:
    key = json.dumps([kind, path, [p.path for p in pages], first, last])
    return Shard(hashlib.sha256(key.encode()).hexdigest()[:16], kind, path, pages, first, last)


def _jsonl_shards(path: Path, per: int) -> list[Shard]:
    n = 0
    with _open_maybe_gzip(path) as fh:
        for n, _ in enumerate(fh, start=1):
            pass
    per = max(1, per)
    return [_shard("jsonl", path=str(path), first=i, last=min(i + per, n)) for i in range(0, max(n, 1), per)]


def read_sidecar(path: Path) -> dict[str, dict]:
    """A crawl sidecar's records by the resolved path of the page each one describes."""
    out: dict[str, dict] = {}
    with _open_maybe_gzip(path) as fh:
        for line in fh:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and rec.get("file"):
                out[str((path.parent / rec["file"]).resolve())] = rec
    return out


def sidecar_url(page: Path) -> str | None:
    """The URL a ``crawl.jsonl`` in the page's folder or the folder above gives the page."""
    key = str(Path(page).resolve())
    for folder in (Path(page).parent, Path(page).parent.parent):
        record = _sidecar_records(str(folder / "crawl.jsonl")).get(key)
        if record and record.get("url"):
            return record["url"]
    return None


@lru_cache(maxsize=16)
def _sidecar_records(path: str) -> dict[str, dict]:
    return read_sidecar(Path(path)) if Path(path).is_file() else {}


def sniff_file(path: Path) -> str:
    """warc | jsonl | sidecar | json | page — by content. Anything else is a page; decoding reports what is wrong."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
        if head[:2] == b"\x1f\x8b":
            try:
                with gzip.open(path, "rb") as gz:
                    head = gz.read(_SNIFF_BYTES)
            except (OSError, EOFError, zlib.error):
                return "page"
    except OSError:
        return "page"
    if head.startswith(b"WARC/"):
        return "warc"
    stripped = head.lstrip()
    first_line = stripped.split(b"\n", 1)[0]
    if first_line.startswith(b"{"):
        try:
            rec = json.loads(first_line)
        except ValueError:
            rec = None
            if _looks_like_jsonl_record_start(first_line):
                return "jsonl"
        if isinstance(rec, dict):
            # A record that carries a page is crawler JSONL; one that points to a page file (with an
            # empty content field, as evaluation sets have) is a sidecar describing the pages beside it.
            if any(isinstance(rec.get(k), str) and rec[k] for k in JSONL_HTML_FIELDS):
                return "jsonl"
            if SIDECAR_FIELDS <= rec.keys():
                return "sidecar"
            if any(k in rec for k in JSONL_HTML_FIELDS):
                return "jsonl"
    if stripped[:1] in (b"{", b"[") and _is_json_document(path):
        return "json"
    return "page"


def _is_json_document(path: Path) -> bool:
    """A whole-file JSON document (e.g. gold or metadata files lying beside the pages) is data, not a page."""
    if path.stat().st_size > 20_000_000:
        return False
    try:
        with _open_maybe_gzip(path) as fh:
            json.load(fh)
    except (ValueError, OSError, EOFError, zlib.error):
        return False
    return True


def _looks_like_jsonl_record_start(line: bytes) -> bool:
    # A first line longer than the sniff window cannot be parsed whole; judge by its keys.
    return any(f'"{k}"'.encode() in line for k in JSONL_HTML_FIELDS)


def _open_maybe_gzip(path: Path) -> io.TextIOBase:
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace")


# --------------------------------------------------------------------------------------- reading


def read_shard(shard: Shard, settings: Settings) -> Iterator[Document | IngestError]:
    if shard.kind == "pages":
        for ref in shard.pages:
            yield _read_page_file(ref, settings)
    elif shard.kind == "jsonl":
        yield from _read_jsonl(shard, settings)
    elif shard.kind == "warc":
        yield from _read_warc(shard, settings)
    else:  # pragma: no cover - plan_shards makes only these kinds
        raise ValueError(shard.kind)


def _read_page_file(ref: PageRef, settings: Settings) -> Document | IngestError:
    try:
        size = os.path.getsize(ref.path)
        if size > settings.max_page_bytes * 4:
            return IngestError(ref.path, "too_large", f"{size} bytes on disk; limit is {settings.max_page_bytes} per page")
        with open(ref.path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return IngestError(ref.path, "unreadable", str(exc))
    if data[:2] == b"\x1f\x8b":
        try:
            data = _gunzip_limited(data, settings.max_page_bytes)
        except _TooLarge:
            return IngestError(ref.path, "too_large", f"decompresses to more than {settings.max_page_bytes} bytes")
        except (OSError, EOFError, zlib.error) as exc:
            return IngestError(ref.path, "corrupt_gzip", f"cannot decompress: {exc}")
    return make_document(data, ref.path, settings, url=ref.url, fetched_at=ref.fetched_at, http_content_type=ref.content_type)


class _TooLarge(Exception):
    pass


def _gunzip_limited(data: bytes, limit: int) -> bytes:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data, limit + 1)
    if len(out) > limit:
        raise _TooLarge
    if not d.eof:
        raise EOFError("truncated gzip stream")
    return out


def _read_jsonl(shard: Shard, settings: Settings) -> Iterator[Document | IngestError]:
    with _open_maybe_gzip(Path(shard.path)) as fh:
        for lineno, line in enumerate(fh):
            if lineno < shard.first_line:
                continue
            if lineno >= shard.last_line:
                break
            source = f"{shard.path}#line={lineno + 1}"
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                yield IngestError(source, "bad_json", f"line is not JSON: {exc}")
                continue
            if not isinstance(rec, dict):
                yield IngestError(source, "bad_json", "line is not a JSON object")
                continue
            html = _first(rec, JSONL_HTML_FIELDS)
            if not isinstance(html, str):
                yield IngestError(source, "no_page_content", f"none of the fields {', '.join(JSONL_HTML_FIELDS)} holds a page")
                continue
            yield make_document(
                html.encode("utf-8", "surrogatepass"),
                source,
                settings,
                url=_first(rec, JSONL_URL_FIELDS),
                fetched_at=_as_str(_first(rec, JSONL_TIME_FIELDS)),
                http_content_type=_first(rec, JSONL_TYPE_FIELDS),
                known_charset=("utf-8", "jsonl"),
            )


def _first(rec: dict, names: tuple[str, ...]):
    for name in names:
        if rec.get(name) not in (None, ""):
            return rec[name]
    return None


def _as_str(value) -> str | None:
    return None if value is None else str(value)


def _read_warc(shard: Shard, settings: Settings) -> Iterator[Document | IngestError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        with open(shard.path, "rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                if record.rec_type != "response":
                    continue
                http = record.http_headers
                status = http.get_statuscode() if http else None
                ctype = http.get_header("Content-Type") if http else None
                wanted = (not status or status.startswith("2")) and (
                    not ctype or any(t in ctype.lower() for t in ("html", "xml", "text/plain"))
                )
                data, problem = b"", None
                if wanted:
                    try:
                        data = record.content_stream().read(settings.max_page_bytes + 1)
                    except Exception as exc:  # noqa: BLE001 - a corrupt record must not end the file
                        problem = IngestError("", "corrupt_warc_record", f"{type(exc).__name__}: {exc}")
                # warcio computes the offset by reading the record to its end: ask only after the content was read.
                source = f"{shard.path}#offset={records.get_record_offset()}"
                if not wanted:
                    continue
                if problem:
                    yield IngestError(source, problem.error_type, problem.message)
                    continue
                if len(data) > settings.max_page_bytes:
                    yield IngestError(source, "too_large", f"record body exceeds {settings.max_page_bytes} bytes")
                    continue
                yield make_document(
                    data,
                    source,
                    settings,
                    url=record.rec_headers.get_header("WARC-Target-URI"),
                    fetched_at=record.rec_headers.get_header("WARC-Date"),
                    http_content_type=ctype,
                )
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error) as exc:
        yield IngestError(shard.path, "corrupt_warc", f"{type(exc).__name__}: {exc}")


# --------------------------------------------------------------------------------------- decoding


def make_document(
    data: bytes,
    source: str,
    settings: Settings,
    url: str | None = None,
    fetched_at: str | None = None,
    http_content_type: str | None = None,
    known_charset: tuple[str, str] | None = None,
) -> Document | IngestError:
    """Check and decode one page's bytes into a Document (or say why it cannot be one)."""
    if len(data) > settings.max_page_bytes:
        return IngestError(source, "too_large", f"{len(data)} bytes; limit is {settings.max_page_bytes}")
    if not data.strip():
        return IngestError(source, "empty_page", "the page has no content")
    if _is_binary(data):
        return IngestError(source, "binary_content", "the bytes are not text (NUL bytes or control characters)")
    if known_charset:
        text, charset, charset_source = data.decode(known_charset[0], "replace"), *known_charset
    else:
        decoded = decode_bytes(data, http_content_type)
        if decoded is None:
            return IngestError(source, "undecodable", "no character encoding decodes the bytes to sensible text")
        text, charset, charset_source = decoded
    text = text.lstrip("\ufeff")
    if not text.strip():
        return IngestError(source, "empty_page", "the page has no text")
    fmt = "html" if _HTML_SIGNS.search(data[:65536]) else "text"
    doc_id = hashlib.sha256((url or "").encode() + b"\n" + hashlib.sha256(data).digest()).hexdigest()[:16]
    return Document(
        doc_id=doc_id,
        source=source,
        format=fmt,
        text=text,
        url=url,
        site=site_of(url),
        fetched_at=fetched_at,
        http_content_type=http_content_type,
        charset=charset,
        charset_source=charset_source,
    )


def site_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host or None


def _is_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 BOM: text with NULs
        return False
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) * 0.05


def decode_bytes(data: bytes, http_content_type: str | None = None) -> tuple[str, str, str] | None:
    """(text, charset, where the charset came from), trying BOM, HTTP header, meta tag, then detection."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(name, "replace"), name, "bom"
    candidates: list[tuple[str, str]] = []
    if http_content_type:
        m = _HTTP_CHARSET.search(http_content_type)
        if m:
            candidates.append((m.group(1), "http"))
    m = _META_CHARSET.search(data[:_SNIFF_BYTES * 4])
    if m:
        candidates.append((m.group(1).decode("ascii", "ignore"), "meta"))
    for name, origin in candidates:
        codec = _codec(name)
        if codec is None:
            continue
        if codec == "cp1252" and _is_utf8(data):
            continue  # declared Latin-1/ASCII but written in UTF-8, a common server misconfiguration
        try:
            return data.decode(codec), codec, origin
        except UnicodeDecodeError:
            continue  # the declaration is wrong; fall through to detection
    try:
        return data.decode("utf-8"), "utf-8", "detected"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    codec = _codec(best.encoding) or "utf-8"
    return data.decode(codec, "replace"), codec, "detected"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.isascii()


def _codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # Pages that declare latin-1/ascii are, per the WHATWG encoding standard, windows-1252.
    return "cp1252" if codec in {"latin-1", "iso8859-1", "ascii"} else codec
