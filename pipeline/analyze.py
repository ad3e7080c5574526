"""Entity tables for one plain text, for notebooks and for scoring on public corpora.

No boilerplate removal: the text is the body, and every offset is into it. The dateline is read as
in the pipeline (so "VIENNA, 18 November 2010 - " is marked), the language is detected when not
given, and relative dates resolve against ``published``.

Without ``resources`` each call builds its rules from the files as they are now: a notebook that edits
a rule file sees the edit on the next call. Only the spaCy model (which no rule file shapes) and rule
data whose files' bytes are unchanged are reused between calls (see ``pipeline.resources``).
"""

from __future__ import annotations

import datetime as dt

from .config import load_settings
from .document import Document
from .io import pandas_type
from .schema import to_arrow

ENTITY_TABLES = ("mentions", "people", "places", "organizations", "counts", "dates", "quotes")


def analyze_text(text: str, published=None, language: str | None = None, resources=None) -> dict:
    """Entity tables (name -> DataFrame) for ``text``.

    ``published``: a ``date``, ``datetime``, pandas ``Timestamp`` or ISO 8601 string (``2010-11-18``,
    ``2010-11``, ``2010``), or None. ``resources``: a ``pipeline.resources.Resources`` to reuse (e.g.
    one built with other settings); by default one is built from the current settings and rule files."""
    from .dates import parse_dateline
    from .language import decide_language
    from .resources import Resources
    from .core import PageFailed, run_pages

    resources = resources or Resources(load_settings())
    doc = Document(doc_id="text", source="analyze_text", format="text", body_text=text, published=iso_published(published))
    doc.language = language or decide_language(text)[0] or "en"
    first_paragraph = text.split("\n\n", 1)[0]
    dateline = parse_dateline(first_paragraph, (doc.language, "en"))
    if dateline is not None:
        doc.dateline_end = dateline.end
        doc.dateline_date = dateline.date.iso if dateline.date else None
    result = next(run_pages([doc], resources.settings, resources, stages=("ner", "entities"), tables=set(ENTITY_TABLES)))
    if result.doc is None:  # a notebook wants to see why, not empty tables
        raise PageFailed(result)
    rows = result.rows
    return {name: to_arrow(name, rows.get(name, [])).to_pandas(types_mapper=pandas_type) for name in ENTITY_TABLES}


def iso_published(value) -> str | None:
    """An ISO 8601 date string for a publication date given as a date, datetime, Timestamp or string."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp (NaT is a missing date)
        if value != value:
            return None
        value = value.to_pydatetime()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    raise TypeError(f"published must be a date, datetime, pandas Timestamp or ISO string, not {type(value).__name__}")
