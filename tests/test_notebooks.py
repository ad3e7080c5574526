"""Both notebooks run headless on a small real run; rules are written to a temporary folder, never the repo."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"


def execute(name: str, env: dict[str, str], tmp_path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    previous = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return notebook


def outputs_text(notebook) -> str:
    chunks = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            chunks.append(output.get("text", ""))
            for value in output.get("data", {}).values():
                chunks.append(value if isinstance(value, str) else "")
    return "\n".join(chunks)


def test_explore_notebook_runs_on_a_real_run(dev_run, tmp_path):
    out, _ = dev_run
    notebook = execute("01-explore-a-run.ipynb", {"PIPELINE_RUN_DIR": str(out)}, tmp_path)
    text = outputs_text(notebook)
    assert "Kyrgyzstan" in text  # the highlighted article or the tables name it
    assert "ODIHR Director" in text  # people with their roles
    assert "Permanent Council" in text  # organizations
    images = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "display_data" and "image/png" in o.get("data", {})]
    assert len(images) >= 2  # the monthly chart and the map


def test_retraining_notebook_improves_a_label_and_writes_only_to_its_rules_folder(tmp_path):
    package_rules = Path(__file__).parents[1] / "pipeline" / "rules"
    before = {p: p.read_bytes() for p in package_rules.rglob("*") if p.is_file()}
    rules_out = tmp_path / "rules"
    notebook = execute("02-retrain-entity-rules.ipynb", {"PIPELINE_RULES_OUT": str(rules_out)}, tmp_path)
    assert "improved labels: [" in outputs_text(notebook) and "improved labels: []" not in outputs_text(notebook)
    saved = (rules_out / "patterns" / "organizations.jsonl").read_text("utf-8")
    assert "org/field-operation/ru-obse-v" in saved
    ids = [line.split('"id": "')[1].split('"')[0] for line in saved.splitlines()]
    assert ids == sorted(ids)
    assert (rules_out / "model" / "meta.json").exists()
    assert {p: p.read_bytes() for p in package_rules.rglob("*") if p.is_file()} == before
