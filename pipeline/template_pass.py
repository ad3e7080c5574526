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
import heapq
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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
    """Per host, the counts of the live items only; counts files no live item needs are removed (``prune``).

    Exact, in memory bounded per host. Adding up every block of every page would hold every
    fingerprint a host ever showed, growing with its pages, though only blocks on a large share of
    them can be template. So the counts files are read three times: (1) per host its pages and the
    total of its counts, hence its threshold; (2) a frequent-items summary per host
    (``FrequentBlocks``) with just enough counters that no block at or above the threshold is lost;
    (3) the exact counts of the blocks the summaries kept. The result holds those candidates only,
    with their exact counts; every template block is among them, so ``is_template``, ``to_json()``
    and ``template_digest`` answer as an exact sum of everything does. A host's summary holds at
    most ``2 * capacity`` counters, set by its pages' average number of blocks, not by its pages."""
    selection, totals = _select_items(out, live, prune)
    summaries = {site: FrequentBlocks(total.capacity(settings)) for site, total in totals.items() if total.can_have_template(settings)}
    for site, counts in _live_counts(selection):
        if site in summaries:
            summaries[site].add(counts)
    exact = _exact_counts(selection, summaries)
    return {
        site: HostTemplate(total.n_pages, exact.get(site, Counter()), settings.template_min_pages, settings.template_min_share)
        for site, total in totals.items()
    }


@dataclass
class HostTotals:
    """Pass 1 of the sum, per host: its pages and the sum of its block counts."""

    n_pages: int = 0
    n_counts: int = 0

    def can_have_template(self, settings: Settings) -> bool:
        return self.n_pages >= settings.template_min_pages

    def capacity(self, settings: Settings) -> int | None:
        """Counters a summary needs to keep every block counted at least the threshold
        ``T = max(min_pages, min_share * n_pages)`` (``HostTemplate.is_template``): with k counters
        a block is undercounted by at most ``n_counts / (k + 1)``, which is below T when
        ``k = ceil(n_counts / T)``. None (count everything) when the threshold is not positive."""
        threshold = max(settings.template_min_pages, settings.template_min_share * self.n_pages)
        return max(1, math.ceil(self.n_counts / threshold)) if threshold > 0 else None


class FrequentBlocks:
    """A Misra–Gries summary of weighted counts, the mergeable variant: counts are added, and when
    a new block would make more than ``2 * capacity`` counters, the (capacity + 1)-th largest
    value is subtracted from all and those left at zero or below are dropped. Each such step takes
    at least ``capacity + 1`` times its value from the total, so no block loses more than
    ``total / (capacity + 1)``: every block counted more than that keeps a counter. ``capacity``
    None keeps every block."""

    def __init__(self, capacity: int | None):
        self.capacity = capacity
        self.counters: dict[str, int] = {}
        self.largest_size = 0  # the most counters ever held, for the memory bound's tests

    def add(self, counts: dict[str, int]) -> None:
        counters = self.counters
        limit = 2 * self.capacity if self.capacity is not None else None
        for fingerprint, n in counts.items():
            if fingerprint in counters:
                counters[fingerprint] += n
                continue
            if limit is not None and len(counters) >= limit:
                self._shrink()
                counters = self.counters
            counters[fingerprint] = n
        self.largest_size = max(self.largest_size, len(counters))

    def _shrink(self) -> None:
        cut = heapq.nlargest(self.capacity + 1, self.counters.values())[-1]
        self.counters = {fp: n - cut for fp, n in self.counters.items() if n > cut}

    def candidates(self) -> Iterable[str]:
        """The blocks that may reach the threshold; at most ``capacity`` (the same step, applied once more)."""
        if self.capacity is not None and len(self.counters) > self.capacity:
            self._shrink()
        return self.counters.keys()


Selection = list[tuple[Path, frozenset[str]]]  # a counts file, and its items not summed (not live, or summed already)


def _select_items(out: str | Path, live: set[str], prune: bool) -> tuple[Selection, dict[str, HostTotals]]:
    """Pass 1: which item of which counts file is summed, and each host's totals."""
    selection: Selection = []
    totals: dict[str, HostTotals] = {}
    # an item counted twice (a unit redone after an interruption) counts once; a copy of ``live``
    # shares its strings, where a set of the keys read would hold a second copy of each
    unsummed = set(live)
    for path in sorted((Path(out) / "_work" / COUNTS_DIR).glob("*.json")):
        items = _read_items(path)
        used = [key for key in items or () if key in unsummed]
        if not used:
            if prune:
                path.unlink(missing_ok=True)
            continue
        unsummed.difference_update(used)
        selection.append((path, frozenset(items).difference(used)))
        for key in used:
            for site, data in items[key].items():
                total = totals.setdefault(site, HostTotals())
                total.n_pages += data["n_pages"]
                total.n_counts += sum(data["counts"].values())
    return selection, totals


def _read_items(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text("utf-8"))["items"]
    except (OSError, ValueError, KeyError):
        return None


def _live_counts(selection: Selection) -> Iterator[tuple[str, dict[str, int]]]:
    """(host, its block counts) of every selected item, one counts file in memory at a time."""
    for path, skipped in selection:
        for key, sites in (_read_items(path) or {}).items():
            if key not in skipped:
                for site, data in sites.items():
                    yield site, data["counts"]


def _exact_counts(selection: Selection, summaries: dict[str, FrequentBlocks]) -> dict[str, Counter]:
    """Pass 3: the exact counts of each host's candidate blocks. A summary is let go as soon as its
    candidates are taken, so that the two are not held at once."""
    exact = {}
    for site in list(summaries):
        exact[site] = Counter(dict.fromkeys(summaries.pop(site).candidates(), 0))
    for site, counts in _live_counts(selection):
        wanted = exact.get(site)
        if wanted is None:
            continue
        for fingerprint, n in counts.items():
            if fingerprint in wanted:
                wanted[fingerprint] += n
    return exact


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
