"""What is done, keyed by input content: the bookkeeping behind resumable, incremental runs.

The inputs are planned into **items**: a page file (keyed by its path, size, modification time and
crawl-sidecar URL), a range of JSONL lines (keyed by path, range and a digest of its lines, so
records a crawler appends leave the earlier ranges done) or a WARC file (keyed by path, size and
modification time). Items that still need work are grouped into **units** sized by bytes and worker
count; a unit's table parts land in ``OUT/_work/parts/<table>/<unit>.parquet`` and then its marker
``OUT/_work/done/<unit>.json``, which records for every item the documents and sources it produced
and the template digest of each host they belong to.

An item is done when a marker with the current fingerprint (code version, settings, rule files)
holds it and the templates of its hosts have not changed since. So a re-run processes only new or
changed items, a changed rule file or setting redoes everything, newly learned templates redo the
pages of the hosts whose template changed, and removed inputs drop out: the merge keeps only rows
of items that are still planned.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .io import write_json
from .stages.ingest import IngestError, PageRef, Shard, plan_shards

WORK_DIR = "_work"
# A unit aims at this many bytes of pages, and at least a few units per worker so all stay busy.
UNITS_PER_WORKER = 8
MIN_UNIT_BYTES = 256 * 1024


@dataclass(frozen=True)
class Item:
    key: str
    position: int  # place in the planned input order: the order of rows in the tables
    size: int
    page: PageRef | None = None  # a page file, or
    shard: Shard | None = None  # a JSONL line range or a WARC file


@dataclass(frozen=True)
class Plan:
    items: list[Item]
    errors: list[IngestError]
    skipped: Counter


def plan(inputs: list[str | Path], settings: Settings) -> Plan:
    shards, errors, skipped = plan_shards(inputs, settings)
    items: list[Item] = []
    for shard in shards:
        if shard.kind == "pages":
            for ref in shard.pages:
                size, mtime = _stat(ref.path)
                items.append(Item(_key("page", ref.path, size, mtime, ref.url, ref.fetched_at), len(items), size, page=ref))
        elif shard.kind == "jsonl":  # a range of lines is keyed by the lines' bytes: appending records keeps earlier ranges done
            items.append(Item(_key(shard.kind, shard.path, shard.first_line, shard.last_line, shard.content), len(items), 0, shard=shard))
        else:
            size, mtime = _stat(shard.path)  # a WARC file is a unit of its own: its size is not needed
            items.append(Item(_key(shard.kind, shard.path, size, mtime), len(items), 0, shard=shard))
    return Plan(items, errors, skipped)


def _stat(path: str) -> tuple[int, int]:
    try:
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns
    except OSError:
        return 0, 0


def _key(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:20]


def units(items: list[Item], workers: int, settings: Settings, fingerprint: str) -> list[Shard]:
    """Pending items grouped into units: page files by bytes (never more than ``files_per_shard``),
    JSONL ranges and WARC files one each. The unit id hashes the fingerprint and the item keys."""
    pages = [i for i in items if i.page is not None]
    total = sum(i.size for i in pages)
    target = max(MIN_UNIT_BYTES, total // max(1, workers * UNITS_PER_WORKER))
    sized: list[tuple[int, Shard]] = []
    group: list[Item] = []
    size = 0
    for item in pages:
        group.append(item)
        size += item.size
        if size >= target or len(group) >= max(1, settings.files_per_shard):
            sized.append((size, _unit(group, fingerprint)))
            group, size = [], 0
    if group:
        sized.append((size, _unit(group, fingerprint)))
    # largest first: the small remainder unit goes last, so the workers finish together
    out = [unit for _, unit in sorted(sized, key=lambda pair: -pair[0])]
    for item in items:
        if item.shard is not None:
            out.append(Shard(_key(fingerprint, item.key), item.shard.kind, item.shard.path, (), item.shard.first_line, item.shard.last_line, item.shard.content))
    return out


def _unit(group: list[Item], fingerprint: str) -> Shard:
    return Shard(_key(fingerprint, *[i.key for i in group]), "pages", pages=tuple(i.page for i in group))


def item_keys(unit: Shard, items_by_ref: dict) -> list[str]:
    if unit.kind == "pages":
        return [items_by_ref[("page", p.path)] for p in unit.pages]
    return [items_by_ref[(unit.kind, unit.path, unit.first_line, unit.last_line)]]


def ref_index(items: list[Item]) -> dict:
    """(kind, path[, range]) -> item key, to tell which item a unit's inputs were."""
    out = {}
    for item in items:
        if item.page is not None:
            out[("page", item.page.path)] = item.key
        else:
            out[(item.shard.kind, item.shard.path, item.shard.first_line, item.shard.last_line)] = item.key
    return out


class WorkStore:
    """The markers of finished units in ``OUT/_work/done``."""

    def __init__(self, out: str | Path, load: bool = True):
        self.root = Path(out) / WORK_DIR
        self.markers: dict[str, dict] = {}
        for path in sorted((self.root / "done").glob("*.json")) if load else []:
            try:
                self.markers[path.stem] = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                continue  # a marker is written atomically; an unreadable one just means "not done"

    def part(self, table: str, unit_id: str) -> Path:
        return self.root / "parts" / table / f"{unit_id}.parquet"

    def write_marker(self, unit_id: str, marker: dict) -> None:
        write_json(self.root / "done" / f"{unit_id}.json", marker)
        self.markers[unit_id] = marker

    def chosen(self, fingerprint: str, live: set[str], digests: dict[str, str]) -> dict[str, tuple[str, dict]]:
        """item key -> (unit id, its record) for every live item some valid marker holds."""
        out: dict[str, tuple[str, dict]] = {}
        for unit_id, marker in sorted(self.markers.items(), key=lambda kv: kv[1].get("finished", 0)):
            if marker.get("fingerprint") != fingerprint:
                continue
            for key, record in marker["items"].items():
                if key in live and all(digests.get(site, "") == d for site, d in record.get("templates", {}).items()):
                    out[key] = (unit_id, record)  # a later marker of the same item wins
        return out

    def remove_unused(self, keep: set[str], tables: list[str]) -> int:
        """Markers and parts no live item needs any more (removed inputs, older settings)."""
        removed = 0
        for unit_id in [u for u in self.markers if u not in keep]:
            for table in [*tables, "sketches"]:
                self.part(table, unit_id).unlink(missing_ok=True)
            (self.root / "done" / f"{unit_id}.json").unlink(missing_ok=True)
            del self.markers[unit_id]
            removed += 1
        return removed
