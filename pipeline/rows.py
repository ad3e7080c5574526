"""Document -> rows for each table. The last stage: nothing is extracted here, only laid out."""

from __future__ import annotations

import re

from .document import Document
from .schema import TABLES

_WORD = re.compile(r"\w+")


def document_row(doc: Document) -> dict:
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "url": doc.url,
        "site": doc.site,
        "fetched_at": doc.fetched_at,
        "format": doc.format,
        "charset": doc.charset,
        "charset_source": doc.charset_source,
        "language": doc.language,
        "language_source": doc.language_source,
        "page_kind": doc.page_kind,
        "content_type": doc.content_type,
        "content_type_label": doc.content_type_label,
        "title": doc.title,
        "title_source": doc.title_source,
        "published": doc.published,
        "published_granularity": doc.published_granularity,
        "published_source": doc.published_source,
        "updated": doc.updated,
        "dateline_place": doc.dateline_place,
        "dateline_country": doc.dateline_country,
        "dateline_date": doc.dateline_date,
        "sources": doc.sources,
        "fields_of_work": doc.fields_of_work,
        "author": doc.author,
        "body_text": doc.body_text,
        "body_source": doc.body_source,
        "copy_note": doc.copy_note,
        "n_words": len(_WORD.findall(doc.body_text)),
        "notes": doc.notes,
        "duplicate_of": doc.duplicate_of,
    }


def rows_for(doc: Document, tables: set[str]) -> dict[str, list[dict]]:
    """Rows of every wanted table for one document (``errors`` and ``duplicates`` are made elsewhere)."""
    out: dict[str, list[dict]] = {"documents": [document_row(doc)]}
    out["mentions"] = [
        {"doc_id": doc.doc_id, "label": s.label, "text": s.text, "norm": s.norm, "start": s.start, "end": s.end, "source": s.source}
        for s in doc.spans
    ]
    out["entries"] = [{"doc_id": doc.doc_id, **entry} for entry in doc.entries]
    if "blocks" in tables:
        out["blocks"] = [
            {"doc_id": doc.doc_id, "position": b.position, "kind": b.kind, "text": b.text, "reason": b.reason} for b in doc.blocks
        ]
    for name, records in doc.records.items():
        if name not in TABLES:
            raise KeyError(f"stage produced rows for unknown table {name!r}")
        out.setdefault(name, []).extend({"doc_id": doc.doc_id, **r} for r in records)
    return {name: rows for name, rows in out.items() if name in tables}
