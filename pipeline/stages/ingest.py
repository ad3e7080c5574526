"""Ingest: find the pages in the inputs, cut them into shards, and turn bytes into decoded Documents.

Inputs are recognised by their content, not their names: a folder is walked recursively and each
file is sniffed (gzip, WARC, crawler JSONL, crawl sidecar, HTML, text rendering, binary).
A shard is a small, deterministic unit of work (a slice of a folder's pages, one WARC file, a range
of JSONL lines) so a run can resume shard by shard and shards can run in parallel.
"""

from __future__ import annotations

import codecs
import errno
import gzip
import hashlib
import io
import json
import os
import re
import stat
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
# Characters no text means: C0 controls but tab, line feed and carriage return; DEL; C1 controls.
# NUL among them is what a crawler or a broken CMS leaves in otherwise good pages.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]+")
_FORM_BREAK = re.compile(r"[\x0b\x0c]")  # vertical tab, form feed: whitespace, read as a space
_URL_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
CLEANED_NOTE = "ingest: removed"
# File signatures of formats that are never pages (PDF, images, archives, executables, office files).
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"PK\x03\x04", b"\x7fELF", b"\xd0\xcf\x11\xe0", b"\xfd7zXZ", b"7z\xbc\xaf", b"RIFF", b"OggS", b"\x00\x00\x01\x00", b"wOFF", b"wOF2")
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
    content: str = ""  # a JSONL range: a digest of its lines, so a re-run knows which ranges changed

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
    """An input that gave no document — or, with ``doc_id``, a note about a document that did come
    through (its stray control characters were removed): one errors row either way."""

    source: str
    error_type: str
    message: str
    doc_id: str | None = None


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
        if not root.exists() and not root.is_symlink():
            errors.append(IngestError(str(root), "missing_input", "input path does not exist"))
            continue
        if root.is_dir():
            files = _walk(root, errors)
        else:
            problem = _not_a_page_file(root)
            if problem:
                errors.append(problem)
                continue
            files = [root]
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


def _walk(root: Path, errors: list[IngestError]) -> list[Path]:
    """The regular files under ``root`` (hidden names left out), sorted; whatever cannot be read as a
    page file — an unreadable folder, a broken link, a link loop, a linked folder, a device or pipe —
    becomes an error instead of being passed over in silence. Linked folders are not followed: a link
    may loop or lead out of the input."""
    files: list[Path] = []

    def unreadable(exc: OSError) -> None:
        errors.append(IngestError(str(exc.filename or root), "unreadable", f"cannot list the folder: {exc.strerror or exc}"))

    for folder, dirs, names in os.walk(root, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        here = Path(folder)
        for d in dirs[:]:
            if (here / d).is_symlink():
                dirs.remove(d)
                errors.append(_link_problem(here / d) or IngestError(str(here / d), "symlinked_folder", "a linked folder is not followed; give its target as an input"))
        for name in sorted(names):
            if name.startswith("."):
                continue
            problem = _not_a_page_file(here / name)
            if problem:
                errors.append(problem)
            else:
                files.append(here / name)
    return sorted(files)


def _not_a_page_file(path: Path) -> IngestError | None:
    if path.is_symlink():
        problem = _link_problem(path)
        if problem:
            return problem
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return IngestError(str(path), "unreadable", exc.strerror or str(exc))
    if not stat.S_ISREG(mode):
        return IngestError(str(path), "not_a_file", "not a regular file (a device, pipe or socket is never read: it could block the run)")
    return None


def _link_problem(path: Path) -> IngestError | None:
    try:
        path.stat()
    except FileNotFoundError:
        return IngestError(str(path), "broken_symlink", f"the link points to {os.readlink(path)!r}, which does not exist")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return IngestError(str(path), "symlink_loop", "the link leads back to itself")
        return IngestError(str(path), "unreadable", exc.strerror or str(exc))
    target = path.resolve()
    if path.is_dir() and (target == path.parent.resolve() or target in path.parent.resolve().parents):
        return IngestError(str(path), "symlink_loop", f"the link leads back to the folder {target} it lies in")
    return None


def _shard(kind: str, path: str = "", pages: tuple[PageRef, ...] = (), first: int = 0, last: int = 0, content: str = "") -> Shard:
    key = json.dumps([kind, path, [p.path for p in pages], first, last])
    return Shard(hashlib.sha256(key.encode()).hexdigest()[:16], kind, path, pages, first, last, content)


def _jsonl_shards(path: Path, per: int) -> list[Shard]:
    """Ranges of ``per`` lines, each with a digest of its lines: records appended by a crawler make new
    ranges (and change the last one), and the ranges before them stay done."""
    per = max(1, per)
    digests: list[str] = []
    hasher = hashlib.blake2b(digest_size=12)
    n = 0
    try:
        with _open_maybe_gzip(path) as fh:
            for n, line in enumerate(fh, start=1):
                hasher.update(line.encode("utf-8", "surrogatepass"))
                if n % per == 0:
                    digests.append(hasher.hexdigest())
                    hasher = hashlib.blake2b(digest_size=12)
    except (OSError, EOFError, zlib.error):
        pass  # a truncated gzip stream: the lines before the break are read, the reader reports the break
    if n % per or not digests:
        digests.append(hasher.hexdigest())
    return [_shard("jsonl", path=str(path), first=i, last=min(i + per, n), content=digests[i // per]) for i in range(0, max(n, 1), per)]


def read_sidecar(path: Path) -> dict[str, dict]:
    """A crawl sidecar's records by the resolved path of the page each one describes."""
    out: dict[str, dict] = {}
    try:
        with _open_maybe_gzip(path) as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if isinstance(rec, dict) and isinstance(rec.get("file"), str) and rec["file"]:
                    try:
                        out[str((path.parent / rec["file"]).resolve())] = rec
                    except (OSError, RuntimeError, ValueError):
                        continue  # a record naming an impossible path (a loop, a NUL) describes no page
    except (OSError, EOFError, zlib.error):
        pass  # the records before a truncated end still count
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
            head = fh.read(_SNIFF_BYTES * 16)
        if head[:2] == b"\x1f\x8b":
            try:  # the start of the stream is enough: a file truncated further on is still what it starts as
                head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, _SNIFF_BYTES)
            except zlib.error:
                return "page"
        head = head[:_SNIFF_BYTES]
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
    try:
        if path.stat().st_size > 20_000_000:
            return False
    except OSError:
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
    """The shard's documents and errors, in input order; a document whose text had to be cleaned is
    followed by an ``IngestError`` note carrying its ``doc_id``."""
    if shard.kind == "pages":
        for ref in shard.pages:
            yield from _with_notes(_read_page_file(ref, settings))
    elif shard.kind == "jsonl":
        yield from _read_jsonl(shard, settings)
    elif shard.kind == "warc":
        yield from _read_warc(shard, settings)
    else:  # pragma: no cover - plan_shards makes only these kinds
        raise ValueError(shard.kind)


def _with_notes(item: Document | IngestError) -> Iterator[Document | IngestError]:
    yield item
    if isinstance(item, Document):
        for note in item.notes:
            if note.startswith(CLEANED_NOTE):
                yield IngestError(item.source, "cleaned_control_characters", note, doc_id=item.doc_id)


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
    """All members of a gzip stream (``cat a.gz b.gz`` is one valid file), refusing more than ``limit`` bytes."""
    out = b""
    while True:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out += d.decompress(data, limit + 1 - len(out))
        if len(out) > limit:
            raise _TooLarge
        if not d.eof:
            raise EOFError("truncated gzip stream")
        data = d.unused_data
        if not data.strip(b"\x00"):
            return out


def _read_jsonl(shard: Shard, settings: Settings) -> Iterator[Document | IngestError]:
    lineno = shard.first_line - 1
    try:
        with _open_maybe_gzip(Path(shard.path)) as fh:
            for lineno, line in enumerate(fh):
                if lineno < shard.first_line:
                    continue
                if lineno >= shard.last_line:
                    break
                for item in _jsonl_record(line, f"{shard.path}#line={lineno + 1}", settings):
                    yield from _with_notes(item)
    except (OSError, EOFError, zlib.error) as exc:
        yield IngestError(f"{shard.path}#line={lineno + 2}", "corrupt_gzip", f"the file breaks off after line {lineno + 1}: {exc}")


def _jsonl_record(line: str, source: str, settings: Settings) -> Iterator[Document | IngestError]:
    if not line.strip():
        return
    try:
        rec = json.loads(line)
    except (ValueError, RecursionError) as exc:
        yield IngestError(source, "bad_json", f"line is not JSON: {exc}"[:500])
        return
    if not isinstance(rec, dict):
        yield IngestError(source, "bad_json", "line is not a JSON object")
        return
    html = _first(rec, JSONL_HTML_FIELDS)
    if not isinstance(html, str):
        yield IngestError(source, "no_page_content", f"none of the fields {', '.join(JSONL_HTML_FIELDS)} holds a page")
        return
    url = _first(rec, JSONL_URL_FIELDS)
    ctype = _first(rec, JSONL_TYPE_FIELDS)
    yield make_document(
        html.encode("utf-8", "surrogatepass"),
        source,
        settings,
        url=url if isinstance(url, str) else None,
        fetched_at=_as_str(_first(rec, JSONL_TIME_FIELDS)),
        http_content_type=ctype if isinstance(ctype, str) else None,
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
    """The pages of a WARC file; a record that is cut short or unreadable is one errors row with its
    byte offset, and the records before it still come out."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = None
    try:
        size = os.path.getsize(shard.path)
        with open(shard.path, "rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                yield from _warc_record(record, records, shard.path, settings)
        if records.offset < size:  # a gzip member cut off mid-record ends the iteration without a word
            yield IngestError(f"{shard.path}#offset={records.offset}", "truncated_warc_record", f"the file ends inside the record at byte {records.offset} ({size - records.offset} bytes left unread)")
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
        offset = records.offset if records is not None else 0
        yield IngestError(f"{shard.path}#offset={offset}", "corrupt_warc_record", f"cannot read the record at byte {offset}: {type(exc).__name__}: {exc}"[:500])


def _warc_record(record, records, path: str, settings: Settings) -> Iterator[Document | IngestError]:
    if record.rec_type != "response":
        return
    http = record.http_headers
    status = http.get_statuscode() if http else None
    ctype = http.get_header("Content-Type") if http else None
    wanted = (not status or status.startswith("2")) and (not ctype or any(t in ctype.lower() for t in ("html", "xml", "text/plain")))
    data, problem = b"", None
    if wanted:
        try:
            data = record.content_stream().read(settings.max_page_bytes + 1)
        except Exception as exc:  # noqa: BLE001 - a corrupt record must not end the file
            problem = ("corrupt_warc_record", f"{type(exc).__name__}: {exc}"[:500])
        else:
            left = getattr(record.raw_stream, "limit", 0)
            if len(data) <= settings.max_page_bytes and left:
                problem = ("truncated_warc_record", f"the record ends {left} bytes before its declared Content-Length")
    # warcio computes the offset by reading the record to its end: ask only after the content was read.
    source = f"{path}#offset={records.get_record_offset()}"
    if not wanted:
        return
    if problem:
        yield IngestError(source, *problem)
        return
    if len(data) > settings.max_page_bytes:
        yield IngestError(source, "too_large", f"record body exceeds {settings.max_page_bytes} bytes")
        return
    yield from _with_notes(
        make_document(
            data,
            source,
            settings,
            url=record.rec_headers.get_header("WARC-Target-URI"),
            fetched_at=record.rec_headers.get_header("WARC-Date"),
            http_content_type=ctype,
        )
    )


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
        return IngestError(source, "binary_content", "the bytes are not text (a binary file format, or mostly NUL and control bytes)")
    if known_charset:
        text, charset, charset_source = data.decode(known_charset[0], "replace"), *known_charset
    else:
        decoded = decode_bytes(data, http_content_type)
        if decoded is None:
            return IngestError(source, "undecodable", "no character encoding decodes the bytes to sensible text")
        text, charset, charset_source = decoded
    text = text.lstrip("\ufeff")
    text, removed = clean_controls(text)
    if not text.strip():
        return IngestError(source, "empty_page", "the page has no text")
    url = clean_url(url)
    fmt = "html" if _HTML_SIGNS.search(data[:65536]) else "text"
    doc_id = hashlib.sha256((url or "").encode() + b"\n" + hashlib.sha256(data).digest()).hexdigest()[:16]
    doc = Document(
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
    if removed:
        doc.notes.append(f"{CLEANED_NOTE} {removed} control character{'s' if removed > 1 else ''} (NUL, C0 or C1) from otherwise readable text")
    return doc


def clean_controls(text: str) -> tuple[str, int]:
    """The text without characters no text means (NUL, other C0 and C1 controls, DEL), and how many there were."""
    removed = sum(len(m) for m in _CONTROL.findall(text))
    if removed:
        text = _CONTROL.sub("", text)
    return _FORM_BREAK.sub(" ", text), removed


def clean_url(url) -> str | None:
    """A URL as the WHATWG URL standard reads it: surrounding spaces and controls stripped, tabs and
    newlines removed, any other control percent-encoded (so no control character reaches a table)."""
    if not isinstance(url, str):
        return None
    url = url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    url = url.replace("\t", "").replace("\n", "").replace("\r", "")
    url = _URL_CONTROL.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), url)
    return url or None


def site_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host or None


def _is_binary(data: bytes) -> bool:
    """Only real binary: a known binary file signature, or a start that is mostly not text. A few NUL
    or control bytes in readable text are cleaned, not a reason to lose the page."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 BOM: text with NULs
        return False
    if head.startswith(_BINARY_MAGIC):
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32 or b == 127)
    return control > len(head) * 0.10


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
