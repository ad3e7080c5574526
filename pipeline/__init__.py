"""Crawled news pages in, clean tables out.

Public API: ``run`` (the whole pipeline over inputs), ``load_table`` (a run's table as a DataFrame),
``analyze_text`` (entity tables for one plain text), ``load_settings``, ``Document``.
"""

__version__ = "0.1.0"

from .config import load_settings  # noqa: E402
from .document import Document  # noqa: E402
from .io import load_table  # noqa: E402


def run(inputs, out_dir="processed", settings=None, workers=1, force=False, progress=None):
    """Run the pipeline over ``inputs`` (folders, WARC or JSONL files) and write the tables to ``out_dir``."""
    from .runner import run as _run

    return _run(list(inputs), out_dir, settings or load_settings(), workers=workers, force=force, progress=progress)


def analyze_text(text, published=None, language=None, resources=None):
    """Entity tables (name -> pandas DataFrame) for one plain text; offsets are into ``text``.

    ``published``: date, datetime, pandas Timestamp or ISO string; ``resources``: a ``Resources`` to reuse."""
    from .analyze import analyze_text as _analyze_text

    return _analyze_text(text, published=published, language=language, resources=resources)


__all__ = ["Document", "analyze_text", "load_settings", "load_table", "run", "__version__"]
