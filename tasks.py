#!/usr/bin/env python3
"""Set up and run the project with nothing but Python: `python3 tasks.py run` / `python3 tasks.py test`.

`run` runs the pipeline on raw/ into processed/ and builds the report in processed/report/; `report`
rebuilds only the report.
`setup` makes `.venv/` (if missing) and installs the package with its dependencies, the spaCy English
model (from the package registry) and the test tools; it reinstalls only when pyproject.toml changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def sh(*args: str | Path) -> None:
    print("+", " ".join(map(str, args)), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def setup() -> None:
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    pyproject = ROOT / "pyproject.toml"
    if STAMP.exists() and STAMP.stat().st_mtime >= pyproject.stat().st_mtime:
        return
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[model,dev]")
    STAMP.touch()


def run(args: list[str]) -> None:
    """The pipeline on raw/ (with the blocks table, so the report can show what was dropped), then the report."""
    setup()
    sh(BIN / "python", "-m", "pipeline", "run", *(args or ["raw", "--out", "processed", "--table", "blocks"]))
    flags = [i for i, a in enumerate(args[:-1]) if a in ("--out", "-o")]
    out = args[flags[-1] + 1] if flags else "processed"
    sh(BIN / "python", "-m", "pipeline", "report", out)


def report(args: list[str]) -> None:
    """The report of an existing run (default processed/), without running the pipeline again."""
    setup()
    sh(BIN / "python", "-m", "pipeline", "report", *(args or ["processed"]))


def test(args: list[str]) -> None:
    setup()
    sh(BIN / "python", "-m", "pytest", *(args or ["-q"]))


COMMANDS = {"setup": lambda args: setup(), "run": run, "report": report, "test": test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(COMMANDS)}}} [args...]")
    try:
        COMMANDS[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
