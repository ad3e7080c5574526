"""Summing template counts in bounded memory gives exactly what adding up everything gives."""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import template_pass
from pipeline.config import load_settings
from pipeline.template_pass import FrequentBlocks, sum_counts, template_digest, write_templates
from pipeline.templates import HostTemplate


def fingerprint(*parts) -> str:
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).hexdigest()


def threshold(settings, n_pages: int) -> float:
    return max(settings.template_min_pages, settings.template_min_share * n_pages)


def random_host_pages(rng: random.Random, host: str, n_pages: int, settings) -> list[set[str]]:
    """A host's pages as sets of block fingerprints: blocks on every page, blocks whose page count
    sits at, just below and just above the host's threshold, a long skewed tail, and unique blocks."""
    pages: list[set[str]] = [set() for _ in range(n_pages)]
    at = math.ceil(threshold(settings, n_pages))
    on_pages = [n_pages] * rng.randint(0, 12)
    on_pages += [min(n_pages, max(1, at + d)) for d in (-2, -1, -1, 0, 0, 1, 1, 2) for _ in range(rng.randint(0, 3))]
    on_pages += [max(1, int(n_pages / rng.paretovariate(1.2))) for _ in range(rng.randint(0, 3 * n_pages))]
    for i, count in enumerate(on_pages):
        for page in rng.sample(range(n_pages), count):
            pages[page].add(fingerprint(host, "shared", i))
    for page, blocks in enumerate(pages):
        blocks.update(fingerprint(host, "own", page, j) for j in range(rng.randint(0, 40)))
    return pages


def item_counts(pages: list[tuple[str, set[str]]]) -> dict[str, dict]:
    """One item's counts, as ``count_unit`` writes them: per host its pages, and per block on how many."""
    hosts: dict[str, HostTemplate] = {}
    for site, blocks in pages:
        hosts.setdefault(site, HostTemplate()).add_page(blocks)
    return {site: template.to_json(prune=False) for site, template in hosts.items()}


def write_counts_files(rng: random.Random, out: Path, hosts: dict[str, list[set[str]]]) -> tuple[set[str], dict[str, dict], Path]:
    """Counts files of shuffled units, returning the live item keys, the live items (each once) and a
    file that holds only items no longer live.

    Most items are one page; some are a range of pages (a JSONL range, a WARC file), whose counts are
    > 1 and may span hosts. One item is in two files (a unit redone after an interruption)."""
    pages = [(site, blocks) for site, host_pages in hosts.items() for blocks in host_pages]
    rng.shuffle(pages)
    items: dict[str, dict] = {}
    while pages:
        size = rng.choice([1, 1, 1, 1, 2, 3, 8])
        items[f"page-{len(items):05d}"], pages = item_counts(pages[:size]), pages[size:]
    n_units = rng.randint(2, 6)
    units: list[dict[str, dict]] = [{} for _ in range(n_units)]
    for key, counts in items.items():
        units[rng.randrange(n_units)][key] = counts
    redone = rng.choice(sorted(items))
    units[rng.randrange(n_units)][redone] = items[redone]
    # removed pages share their host's blocks: counted by mistake, they would tip blocks over the threshold
    gone_pages = [(site, hosts[site][0] | {fingerprint("removed", i, j) for j in range(5)}) for i, site in enumerate(rng.choices(sorted(hosts), k=4))]
    units[0]["removed-page"] = item_counts(gone_pages[:1])
    units.append({"removed-range": item_counts(gone_pages[1:])})
    directory = out / "_work" / template_pass.COUNTS_DIR
    directory.mkdir(parents=True)
    for i, unit in enumerate(units):
        (directory / f"{fingerprint('unit', i)}.json").write_text(json.dumps({"items": unit}), "utf-8")
    return set(items), items, directory / f"{fingerprint('unit', len(units) - 1)}.json"


def exact_sum(items: dict[str, dict], settings) -> dict[str, HostTemplate]:
    """The reference: every count of every item added up."""
    n_pages: Counter = Counter()
    counts: dict[str, Counter] = {}
    for sites in items.values():
        for site, data in sites.items():
            n_pages[site] += data["n_pages"]
            counts.setdefault(site, Counter()).update(data["counts"])
    return {site: HostTemplate(n_pages[site], counts[site], settings.template_min_pages, settings.template_min_share) for site in counts}


def template_blocks(template: HostTemplate) -> set[str]:
    return {fp for fp in template.counts if template.is_template(fp)}


def written_files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.glob("*.json"))}


@pytest.mark.parametrize("seed", range(30))
def test_the_bounded_sum_is_the_exact_sum(tmp_path, seed):
    rng = random.Random(seed)
    settings = load_settings()
    if seed % 3:
        settings = replace(settings, template_min_pages=rng.choice([2, 3, 5]), template_min_share=rng.choice([0.1, 0.3, 0.5]))
    # host0 is large enough that its summary must drop blocks; the others are of any size, some
    # below min_pages
    sizes = [rng.randint(40, 200)] + [rng.choice([1, 2, 3, 5, 10, 40, 200, rng.randint(1, 200)]) for _ in range(rng.randint(1, 6))]
    hosts = {f"host{h}.example.org": random_host_pages(rng, f"host{h}", n, settings) for h, n in enumerate(sizes)}
    live, items, no_longer_live = write_counts_files(rng, tmp_path / "out", hosts)

    summed = sum_counts(tmp_path / "out", live, settings)
    reference = exact_sum(items, settings)

    assert summed.keys() == reference.keys()
    for site, exact in reference.items():
        bounded = summed[site]
        assert bounded.n_pages == exact.n_pages
        assert template_blocks(bounded) == template_blocks(exact), site
        assert all(bounded.counts[fp] == exact.counts[fp] for fp in bounded.counts)
        assert template_digest(bounded) == template_digest(exact)
        if exact.n_pages < settings.template_min_pages:
            assert not bounded.counts
    assert sum(map(len, (t.counts for t in summed.values()))) < sum(map(len, (t.counts for t in reference.values())))
    write_templates(tmp_path / "bounded", summed)
    write_templates(tmp_path / "exact", reference)
    assert written_files(tmp_path / "bounded" / "templates") == written_files(tmp_path / "exact" / "templates")
    assert not no_longer_live.exists()  # pruned, as before


def test_a_hosts_summary_holds_at_most_twice_its_capacity_however_many_unique_blocks(tmp_path, monkeypatch):
    summaries: list[FrequentBlocks] = []

    class Recorded(FrequentBlocks):
        def __init__(self, capacity):
            super().__init__(capacity)
            summaries.append(self)

    monkeypatch.setattr(template_pass, "FrequentBlocks", Recorded)
    settings = load_settings()
    n_pages = 600
    site = "news.example.org"
    menu = {fingerprint("menu", i) for i in range(8)}
    related = {fingerprint("related-box", i) for i in range(4)}  # on every third page: template (200 of 600)
    poll = {fingerprint("poll", i) for i in range(3)}  # on every fourth page: not template (150 < 180)
    pages = [(site, menu | (related if p % 3 == 0 else set()) | (poll if p % 4 == 0 else set()) | {fingerprint("paragraph", p, j) for j in range(40)}) for p in range(n_pages)]
    directory = tmp_path / "out" / "_work" / template_pass.COUNTS_DIR
    directory.mkdir(parents=True)
    for unit in range(6):
        unit_items = {f"page-{p:04d}": item_counts([pages[p]]) for p in range(unit, n_pages, 6)}
        (directory / f"unit-{unit}.json").write_text(json.dumps({"items": unit_items}), "utf-8")

    summed = sum_counts(tmp_path / "out", {f"page-{p:04d}" for p in range(n_pages)}, settings)

    (summary,) = summaries
    n_counts = sum(len(blocks) for _, blocks in pages)
    capacity = math.ceil(n_counts / threshold(settings, n_pages))
    distinct = len(set().union(*(blocks for _, blocks in pages)))
    assert summary.capacity == capacity
    assert summary.largest_size <= 2 * capacity < distinct / 50
    assert len(summed[site].counts) <= capacity
    assert template_blocks(summed[site]) == menu | related
    assert all(summed[site].counts[fp] == 200 for fp in related)


def test_a_summary_keeps_every_block_above_its_share_of_weighted_counts():
    rng = random.Random(7)
    capacity = 25
    summary = FrequentBlocks(capacity)
    totals: Counter = Counter()
    for _ in range(400):
        counts = {fingerprint("block", int(rng.paretovariate(0.8))): rng.choice([1, 1, 1, 4, 30]) for _ in range(rng.randint(1, 30))}
        totals.update(counts)
        summary.add(counts)
    assert summary.largest_size <= 2 * capacity
    frequent = {fp for fp, n in totals.items() if n > totals.total() / (capacity + 1)}
    kept = set(summary.candidates())
    assert frequent and frequent <= kept and len(kept) <= capacity < len(totals)
