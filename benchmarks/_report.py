"""Where benchmark scripts put their results: one Markdown file each in benchmarks/results/, committed."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def write_report(name: str, lines: list[str]) -> Path:
    """Write ``results/<name>.md`` and echo it."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return path
