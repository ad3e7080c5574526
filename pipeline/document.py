"""The one record that flows through the stages, and the exception a stage raises to drop it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Drop(Exception):
    """Raised by a stage to drop a document; the message is the reason code (e.g. ``empty_page``)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class Span:
    """A piece of the body text, with where it is and what produced it.

    ``start``/``end`` are character offsets into ``Document.body_text``; ``source`` is
    ``rule:<pattern id>``, ``model:<name>-<version>`` or ``<stage>:<mechanism>``.
    ``attrs`` carries label-specific values (a count's qualifier, a place's country, ...).
    """

    start: int
    end: int
    label: str
    text: str
    source: str
    norm: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Block:
    """One block of the page as the boilerplate stage saw it, and why it was kept or dropped."""

    position: int
    kind: str  # body | title | metadata | navigation | related | footer | template | other
    text: str
    reason: str


@dataclass(slots=True)
class Document:
    """A page on its way through the stages.

    Ingest fills the identity and the decoded ``text``; boilerplate fills ``body_text``,
    ``page_kind``, ``fields`` (labelled values the page states about itself) and ``blocks``;
    metadata fills the typed fields; entities fills ``spans``.
    """

    doc_id: str
    source: str
    format: str  # html | text
    text: str = ""
    url: str | None = None
    site: str | None = None
    fetched_at: str | None = None
    http_content_type: str | None = None
    charset: str | None = None
    charset_source: str | None = None
    tree: Any = None  # the parsed lxml tree: parse once, share between stages; never serialized

    page_kind: str = "article"  # article | listing | other
    body_text: str = ""
    body_source: str | None = None
    copy_note: str | None = None  # a copy's note on where it came from, kept out of the body
    fields: dict[str, list[str]] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)

    title: str | None = None
    title_source: str | None = None
    content_type: str | None = None
    content_type_label: str | None = None
    published: str | None = None  # ISO 8601, partial when the page is partial: 2010-11-18 | 2010-11 | 2010
    published_granularity: str | None = None  # day | month | year
    published_source: str | None = None
    updated: str | None = None
    dateline_place: list[str] = field(default_factory=list)
    dateline_country: list[str] = field(default_factory=list)
    dateline_date: str | None = None
    dateline_end: int | None = None  # offset in body_text just past the dateline, when there is one
    sources: list[str] = field(default_factory=list)
    fields_of_work: list[str] = field(default_factory=list)
    language: str | None = None
    language_source: str | None = None
    author: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # disagreements and doubts worth a look

    spans: list[Span] = field(default_factory=list)
    model_ran: bool = False  # whether the statistical model read this body (only the rules run on other languages)
    # Rows for the entity tables (people, places, counts, ...), keyed by table name; each row holds
    # that table's columns except doc_id. The rows stage validates them against pipeline.schema.
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    duplicate_of: str | None = None
