"""``pipeline status OUT``: what of a run's inputs is done, pending and failed, without running anything."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq

from .config import WORK_LOCATIONS, load_settings
from .runner import DEFAULT_STAGES, run_fingerprint
from .template_pass import sum_counts, template_digest
from .workstore import WorkStore, plan


def run_status(out: str | Path, inputs: list[str | Path] | None = None) -> dict:
    out = Path(out)
    manifest_path = out / "run.json"
    manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    inputs = list(inputs or manifest.get("inputs") or [])
    known = {k: v for k, v in manifest.get("settings", {}).items() if k not in WORK_LOCATIONS}
    settings = load_settings(overrides={k: tuple(v) if isinstance(v, list) else v for k, v in known.items()})
    the_plan = plan(inputs, settings)
    live = {item.key for item in the_plan.items}
    digests: dict[str, str] = {}
    if settings.learn_templates:
        digests = {site: template_digest(t) for site, t in sum_counts(out, live, settings, prune=False).items()}
        settings = replace(settings, templates_dir=str(out / "templates"))
    store = WorkStore(out)
    chosen = store.chosen(run_fingerprint(settings, DEFAULT_STAGES), live, digests)
    failed = [key for key, (_, record) in chosen.items() if not record.get("documents")]
    pending = [item for item in the_plan.items if item.key not in chosen]
    used_units = {unit_id for unit_id, _ in chosen.values()}
    errors = Counter()
    if (out / "errors.parquet").exists():
        table = pq.read_table(out / "errors.parquet", columns=["stage", "error_type"])
        errors.update(f"{s}/{t}" for s, t in zip(table.column("stage").to_pylist(), table.column("error_type").to_pylist()))
    return {
        "out": str(out),
        "inputs": [str(i) for i in inputs],
        "items": len(the_plan.items),
        "done": len(chosen) - len(failed),
        "failed": len(failed),
        "pending": len(pending),
        "pending_examples": [(item.page.path if item.page else item.shard.label) for item in pending[:5]],
        "documents": sum(record.get("documents", 0) for _, record in chosen.values()),
        "error_rows": sum(errors.values()),
        "errors_by_reason": dict(sorted(errors.items())),
        "stale_units": len([u for u in store.markers if u not in used_units]),
    }

