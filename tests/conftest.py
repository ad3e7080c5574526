"""Shared fixtures: one real pipeline run over the seed and the test crawl per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def dev_run(tmp_path_factory):
    """(output folder, manifest) of a full run over tests/fixtures/seed and tests/fixtures/crawl."""
    from pipeline import load_settings, run

    out = tmp_path_factory.mktemp("dev_run")
    manifest = run([FIXTURES / "seed", FIXTURES / "crawl"], out, load_settings())
    return out, manifest
