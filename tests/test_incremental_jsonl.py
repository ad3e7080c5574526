"""Incremental runs over crawler JSONL: ranges of lines are keyed by their content."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.config import load_settings
from pipeline.io import load_table
from pipeline.runner import run
from stage_factories import plain  # the first paragraph as the body: the bookkeeping is under test, not extraction


def record(n: int, town: str) -> str:
    html = f"<html><body><nav>Home | News</nav><p>Monitors visited {town} on day {n} and met the local council.</p></body></html>"
    return json.dumps({"url": f"https://news.example.org/report/{n}", "status": 200, "html": html}) + "\n"


def write(path: Path, towns: list[str]) -> None:
    path.write_text("".join(record(n, town) for n, town in enumerate(towns)), encoding="utf-8")


def bodies(out: Path) -> list[str]:
    return sorted(load_table("documents", out)["body_text"])


def test_appended_records_are_the_only_ones_processed(tmp_path):
    settings = load_settings(overrides={"lines_per_shard": "2", "learn_templates": "false"})
    crawl = tmp_path / "crawl.jsonl"
    write(crawl, ["Osh", "Jalal-Abad", "Batken", "Naryn"])
    out = tmp_path / "out"
    first = run([crawl], out, settings, stage_factory=plain, executor="inline")
    assert first["work"] == {**first["work"], "items": 2, "processed": 2}
    # The crawler appends a record: the two full ranges stay done, the new line is a range of its own.
    write(crawl, ["Osh", "Jalal-Abad", "Batken", "Naryn", "Talas"])
    second = run([crawl], out, settings, stage_factory=plain, executor="inline")
    assert (second["work"]["items"], second["work"]["processed"], second["work"]["reused"]) == (3, 1, 2)
    assert len(bodies(out)) == 5 and any("Talas" in b for b in bodies(out))
    # A record rewritten in place redoes its range only, and its old rows are gone.
    write(crawl, ["Osh", "Karakol", "Batken", "Naryn", "Talas"])
    third = run([crawl], out, settings, stage_factory=plain, executor="inline")
    assert (third["work"]["processed"], third["work"]["reused"]) == (1, 2)
    assert not any("Jalal-Abad" in b for b in bodies(out)) and any("Karakol" in b for b in bodies(out))
    fresh = tmp_path / "fresh"
    run([crawl], fresh, settings, stage_factory=plain, executor="inline")
    assert bodies(out) == bodies(fresh)
