"""The run report: a static, self-contained site built from a run's tables (``pipeline report RUN_DIR``)."""

from .build import build_report

__all__ = ["build_report"]
