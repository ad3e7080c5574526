"""Entity tables for one plain text, for notebooks and for scoring on public corpora.

No boilerplate removal: the text is the body, and every offset is into it. The dateline is read as
in the pipeline (so "VIENNA, 18 November 2010 - " is marked), the language is detected when not
given, and relative dates resolve against ``published``.
"""

from __future__ import annotations

from functools import lru_cache

from .config import load_settings
from .document import Document
from .io import pandas_type
from .rows import rows_for
from .schema import to_arrow

ENTITY_TABLES = ("mentions", "people", "places", "organizations", "counts", "dates", "quotes")


@lru_cache(maxsize=1)
def _resources():
    from .resources import Resources

    return Resources(load_settings())


def analyze_text(text: str, published: str | None = None, language: str | None = None) -> dict:
    from .dates import parse_dateline
    from .language import decide_language
    from .stages.entities import run_batch

    resources = _resources()
    doc = Document(doc_id="text", source="analyze_text", format="text", body_text=text, published=published)
    doc.language = language or decide_language(text)[0] or "en"
    first_paragraph = text.split("\n\n", 1)[0]
    dateline = parse_dateline(first_paragraph, (doc.language, "en"))
    if dateline is not None:
        doc.dateline_end = dateline.end
        doc.dateline_date = dateline.date.iso if dateline.date else None
    doc = run_batch([doc], resources, resources.settings)[0]
    rows = rows_for(doc, set(ENTITY_TABLES))
    return {name: to_arrow(name, rows.get(name, [])).to_pandas(types_mapper=pandas_type) for name in ENTITY_TABLES}
