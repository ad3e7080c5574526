"""The counting pass of template learning, incremental like the rest of a run.

Before extraction, every page's blocks are fingerprinted (``pipeline.templates``) and counted per
host. Counts are kept per input item in ``OUT/_work/template_counts/``, so a re-run counts only new
items, removed items stop counting, and the sums (per host: pages, and pages per block) are exact
however the items were split between workers or machines. The sums go to ``OUT/templates/<host>.json``
for the boilerplate stage; each host's **template digest** (a hash of the set of blocks that are
template under the thresholds) tells the work store which pages need redoing when it changes.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .config import Settings
from .core import Poison, no_watch, soft_time_limit
from .document import Document
from .io import write_json
from .stages.ingest import Shard, read_shard
from .templates import HostTemplate, page_fingerprints

COUNTS_DIR = "template_counts"


def count_unit(unit: Shard, keys: list[str], settings: Settings, out: str, watch=no_watch, poisoned: dict[str, Poison] | None = None, alone=frozenset()) -> str:
    """Count one unit's pages; ``keys`` are its item keys (one per page file, or one for a JSONL
    range or WARC file). Runs in a supervised worker: a page whose parse overruns is skipped."""
    poisoned = poisoned or {}
    per_item: dict[str, dict[str, HostTemplate]] = {key: {} for key in keys}
    # by source, not by position: a page can also yield an error note (cleaned control characters)
    key_of_source = {page.path: key for page, key in zip(unit.pages, keys)} if unit.kind == "pages" else {}
    for item in read_shard(unit, settings):
        if not isinstance(item, Document) or not item.site or item.doc_id in poisoned:
            continue
        key = key_of_source.get(item.source, keys[0])
        try:
            with watch((item.doc_id,), "templates", settings.doc_timeout_seconds), soft_time_limit(settings.doc_timeout_seconds):
                fingerprints = page_fingerprints(item)
        except Exception:  # noqa: BLE001 - an unparsable page teaches nothing; extraction reports it
            continue
        per_item[key].setdefault(item.site, HostTemplate()).add_page(fingerprints)
    target = Path(out) / "_work" / COUNTS_DIR / f"{unit.shard_id}.json"
    write_json(target, {"items": {key: {site: t.to_json(prune=False) for site, t in hosts.items()} for key, hosts in per_item.items()}})
    return str(target)


def counted_items(out: str | Path) -> dict[str, Path]:
    """item key -> the counts file that holds it."""
    found: dict[str, Path] = {}
    for path in sorted((Path(out) / "_work" / COUNTS_DIR).glob("*.json")):
        try:
            for key in json.loads(path.read_text("utf-8"))["items"]:
                found[key] = path
        except (OSError, ValueError, KeyError):
            continue
    return found


def sum_counts(out: str | Path, live: set[str], settings: Settings, prune: bool = True) -> dict[str, HostTemplate]:
    """Per host, the counts of the live items only; counts files no live item needs are removed (``prune``)."""
    hosts: dict[str, HostTemplate] = {}
    summed: set[str] = set()  # an item counted twice (a unit redone after an interruption) counts once
    for path in sorted((Path(out) / "_work" / COUNTS_DIR).glob("*.json")):
        try:
            items = json.loads(path.read_text("utf-8"))["items"]
        except (OSError, ValueError, KeyError):
            if prune:
                path.unlink(missing_ok=True)
            continue
        used = [key for key in items if key in live and key not in summed]
        summed.update(used)
        if not used:
            if prune:
                path.unlink(missing_ok=True)
            continue
        for key in used:
            for site, data in items[key].items():
                hosts.setdefault(site, HostTemplate(min_pages=settings.template_min_pages, min_share=settings.template_min_share)).merge(HostTemplate.from_json(data))
    return hosts


def template_digest(template: HostTemplate) -> str:
    """What the boilerplate stage's decisions depend on: the set of blocks that are template."""
    blocks = sorted(fp for fp in template.counts if template.is_template(fp))
    return hashlib.sha256("\n".join(blocks).encode()).hexdigest()[:16]


_SAFE_HOST = re.compile(r"[a-z0-9][a-z0-9.-]{0,200}")


def template_file(directory: Path, site: str) -> Path:
    """A host's file; a host name that is not a plain one is hashed, so page content never makes a path."""
    name = site if _SAFE_HOST.fullmatch(site) and ".." not in site else "host-" + hashlib.sha256(site.encode()).hexdigest()[:16]
    return directory / f"{name}.json"


def write_templates(out: str | Path, hosts: dict[str, HostTemplate]) -> tuple[Path, dict[str, str]]:
    """``OUT/templates/<host>.json`` for the boilerplate stage, and each host's template digest."""
    directory = Path(out) / "templates"
    directory.mkdir(parents=True, exist_ok=True)
    wanted = {template_file(directory, site): site for site in hosts}
    for old in directory.glob("*.json"):
        if old not in wanted:
            old.unlink()
    digests = {}
    for target, site in sorted(wanted.items()):
        template = hosts[site]
        payload = {"site": site, **template.to_json()}
        if not target.exists() or json.loads(target.read_text("utf-8")) != payload:
            write_json(target, payload)
        digests[site] = template_digest(template)
    return directory, digests


__all__ = ["count_unit", "counted_items", "sum_counts", "template_digest", "write_templates"]
