"""Every output table, its columns, their Arrow types and their meaning: the only place columns exist.

Writers always pass these schemas, so an empty table still has all its columns and every shard
agrees on the types. The data dictionary in docs/tables.md is generated from here (``pipeline schema``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyarrow as pa

SCHEMA_VERSION = "1"

STR = pa.string()
INT = pa.int64()
FLOAT = pa.float64()
BOOL = pa.bool_()
STRS = pa.list_(pa.string())


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    doc: str


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    sort_by: tuple[str, ...]
    optional: bool = False  # written only when asked for (e.g. ``--tables blocks``)

    @property
    def schema(self) -> pa.Schema:
        return pa.schema(
            [pa.field(c.name, c.type) for c in self.columns],
            metadata={"table": self.name, "schema_version": SCHEMA_VERSION},
        )

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _span_columns(source_doc: str = "rule id (`rule:<id>`), model (`model:<name>-<version>`) or mechanism", unplaced: str = "") -> tuple[Column, ...]:
    return (
        Column("start", INT, f"character offset of the first character in the document's `body_text`{unplaced}"),
        Column("end", INT, f"character offset just past the last character in `body_text`{unplaced}"),
        Column("source", STR, f"what produced the value: {source_doc}"),
    )


DOCUMENTS = Table(
    "documents",
    "One row per page that came through: identity, metadata and the clean body text.",
    (
        Column("doc_id", STR, "stable id: the same input gives the same id on every run and machine"),
        Column("source", STR, "input file, with `#line=N` (JSONL) or `#offset=N` (WARC) for records inside a file"),
        Column("url", STR, "page URL (crawl sidecar, WARC header, JSONL field, canonical link)"),
        Column("site", STR, "host of the URL without `www.`"),
        Column("fetched_at", STR, "when the crawler fetched the page (ISO 8601, as the crawl states it)"),
        Column("format", STR, "`html` or `text` (a text rendering of a page)"),
        Column("charset", STR, "character encoding used to decode the bytes"),
        Column("charset_source", STR, "where the encoding came from: bom | http | meta | detected | default"),
        Column("language", STR, "ISO 639-1 language of the body text"),
        Column("language_source", STR, "how the language was decided (detector, `<html lang>`, both)"),
        Column("page_kind", STR, "`article`, `listing` (an index of many items) or `other`"),
        Column("content_type", STR, "normalized content type (Press release, News, Statement, ...)"),
        Column("content_type_label", STR, "the content type exactly as the page labels it, in its language"),
        Column("title", STR, "headline, without site-name suffixes"),
        Column("title_source", STR, "where the title came from (site field, h1, og:title, <title>, text rendering)"),
        Column("published", STR, "publication date, ISO 8601; partial (`2010-11`, `2010`) when the page is"),
        Column("published_granularity", STR, "day | month | year"),
        Column("published_source", STR, "site field | dateline | json-ld | meta | time | url | script | text"),
        Column("updated", STR, "modification date when the page states one separately, ISO 8601"),
        Column("dateline_place", STRS, "place(s) named in the dateline (`VIENNA/THE HAGUE, ...` gives two)"),
        Column("dateline_country", STRS, "ISO 3166-1 alpha-2 codes of the dateline places, same order"),
        Column("dateline_date", STR, "date written in the dateline, ISO 8601"),
        Column("sources", STRS, "issuing bodies (`Source:` / `Where we are:` on osce.org; tags elsewhere)"),
        Column("fields_of_work", STRS, "topics (`Fields of work:` / `What we do:` on osce.org; keywords elsewhere)"),
        Column("author", STRS, "bylines, when the page names authors"),
        Column("body_text", STR, "clean article text, paragraphs separated by one blank line"),
        Column("body_source", STR, "what produced the body: site profile, generic extractor, text rendering"),
        Column("copy_note", STR, "a copy's note on where it came from (\"Archived from www.osce.org on ...\"), kept out of the body"),
        Column("n_words", INT, "number of words in `body_text`"),
        Column("notes", STRS, "doubts worth a look, e.g. disagreeing date signals"),
        Column("duplicate_of", STR, "doc_id of the first copy when this page repeats another one"),
    ),
    sort_by=("doc_id",),
)

MENTIONS = Table(
    "mentions",
    "Every entity mention found in a body text, as the model and the rules found it.",
    (
        Column("doc_id", STR, "document the mention is in"),
        Column("label", STR, "entity label (PERSON, GPE, ORG, DATE, CARDINAL, ...; rule labels such as ROLE)"),
        Column("text", STR, "the mention exactly as written"),
        Column("norm", STR, "normalized value where one is known (canonical name; ISO date or start/end range as in the dates table)"),
        *_span_columns(),
    ),
    sort_by=("doc_id", "start", "end", "label"),
)

ENTRIES = Table(
    "entries",
    "Items listed on listing pages (e.g. 'News and press releases'): one row per entry.",
    (
        Column("doc_id", STR, "the listing page"),
        Column("position", INT, "0-based order on the page"),
        Column("title", STR, "entry headline"),
        Column("url", STR, "absolute link to the item"),
        Column("published", STR, "date shown with the entry, ISO 8601"),
        Column("content_type", STR, "normalized content type shown with the entry"),
        Column("content_type_label", STR, "content type exactly as shown"),
        Column("where", STRS, "issuing bodies / places shown with the entry"),
        Column("what", STRS, "topics shown with the entry"),
        Column("teaser", STR, "the entry's summary text"),
    ),
    sort_by=("doc_id", "position"),
)

BLOCKS = Table(
    "blocks",
    "Each block of each page and what the boilerplate stage decided about it (optional: `--tables blocks`).",
    (
        Column("doc_id", STR, "document"),
        Column("position", INT, "0-based order of the block on the page"),
        Column("kind", STR, "body | title | metadata | navigation | related | footer | template | other"),
        Column("text", STR, "the block's text"),
        Column("reason", STR, "why the block got its kind"),
    ),
    sort_by=("doc_id", "position"),
    optional=True,
)

DUPLICATES = Table(
    "duplicates",
    "Pages that repeat another page, with the evidence for the decision.",
    (
        Column("doc_id", STR, "the later copy"),
        Column("duplicate_of", STR, "the first copy"),
        Column("similarity", FLOAT, "Jaccard similarity of the two bodies' word 5-gram shingles"),
        Column("method", STR, "how the match was found"),
    ),
    sort_by=("doc_id",),
)

PEOPLE = Table(
    "people",
    "One row per person per document, with the role the text gives them.",
    (
        Column("doc_id", STR, "document"),
        Column("name", STR, "canonical full name, diacritics kept"),
        Column("role", STR, "role or title given next to the name (\"OSCE Senior Police Adviser\")"),
        Column("organization", STR, "organization the role names, canonical"),
        Column("honorific", STR, "Ambassador, Dr, Mr, ... written before the name"),
        Column("n_mentions", INT, "mentions of the person in the document, surname-only ones included"),
        Column("text", STR, "the first mention as written"),
        *_span_columns("model (PERSON) plus the role rule, e.g. `model:en_core_web_sm-3.8.0+rule:role/...`"),
    ),
    sort_by=("doc_id", "start"),
)

PLACES = Table(
    "places",
    "One row per place mention, normalized with the gazetteer.",
    (
        Column("doc_id", STR, "document"),
        Column("text", STR, "the mention as written"),
        Column("name", STR, "canonical place name"),
        Column("kind", STR, "country | city | region | other"),
        Column("country", STR, "ISO 3166-1 alpha-2 code"),
        Column("lat", FLOAT, "latitude (GeoNames / countryinfo), when known"),
        Column("lon", FLOAT, "longitude, when known"),
        Column("geonames_id", INT, "GeoNames id, when known"),
        Column("in_org", BOOL, "the mention is part of an organization name (\"OSCE Centre in Bishkek\")"),
        Column("in_dateline", BOOL, "the mention is in the dateline"),
        *_span_columns("model (GPE/LOC), `gazetteer` or `dateline`, with the gazetteer entry's source"),
    ),
    sort_by=("doc_id", "start"),
)

ORGANIZATIONS = Table(
    "organizations",
    "One row per organization mention, and one per organization only the page's Source field names.",
    (
        Column("doc_id", STR, "document"),
        Column("text", STR, "the mention as written"),
        Column("name", STR, "canonical name (\"OSCE ODIHR\" -> Office for Democratic Institutions and Human Rights, as osce.org's Source field names it)"),
        Column("acronym", STR, "the mention when it is an acronym"),
        *_span_columns("rule id (`rule:<id>`), model (`model:<name>-<version>`), mechanism, or `field:sources` for an "
                       "organization only the page's Source field names", "; empty for a `field:sources` row"),
    ),
    sort_by=("doc_id", "start"),
)

COUNTS = Table(
    "counts",
    "Numbers of things: counts, money, durations and percentages, with what is counted.",
    (
        Column("doc_id", STR, "document"),
        Column("text", STR, "the whole expression (\"Up to 31 international staff\")"),
        Column("value", FLOAT, "the number (for a range, its lower end)"),
        Column("low", FLOAT, "lower end of a range (\"between 180 and 200\")"),
        Column("high", FLOAT, "upper end of a range"),
        Column("qualifier", STR, "up to | more than | at least | about | almost | fewer than | between (one value per meaning: \"nearly\", \"close to\", \"почти\" are almost)"),
        Column("object", STR, "what is counted (\"international staff\")"),
        Column("kind", STR, "count | money | duration | distance | percent"),
        Column("unit", STR, "currency code, duration unit or distance unit"),
        *_span_columns(),
    ),
    sort_by=("doc_id", "start"),
)

DATES = Table(
    "dates",
    "Every date expression in the body, resolved against the publication date.",
    (
        Column("doc_id", STR, "document"),
        Column("text", STR, "the expression as written"),
        Column("resolved", STR, "ISO 8601 (partial for a month or year); empty when vague (\"in the coming weeks\")"),
        Column("resolved_end", STR, "last day, month or year of a range (\"4 and 5 December\", \"from 10 to 12 April\"); empty otherwise"),
        Column("granularity", STR, "day | month | year"),
        *_span_columns(),
    ),
    sort_by=("doc_id", "start"),
)

QUOTES = Table(
    "quotes",
    "Quotations and reported speech, with the speaker.",
    (
        Column("doc_id", STR, "document"),
        Column("speaker", STR, "canonical name of the speaker (as in `people.name`), when found"),
        Column("quote", STR, "the quoted words"),
        Column("verb", STR, "the speech verb (said, added, отметил, ...)"),
        Column("direct", BOOL, "true for words in quotation marks, false for reported speech (\"said that ...\")"),
        *_span_columns(),
    ),
    sort_by=("doc_id", "start"),
)

ERRORS = Table(
    "errors",
    "One row per page (or input) that could not be processed, and why.",
    (
        Column("source", STR, "input file or record"),
        Column("doc_id", STR, "document id when one had been assigned"),
        Column("stage", STR, "stage that failed: ingest, boilerplate, metadata, entities, ..."),
        Column("error_type", STR, "reason code (empty_page, binary_content, undecodable, too_large, ...) or exception type"),
        Column("message", STR, "human-readable explanation"),
    ),
    sort_by=("source", "stage"),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (DOCUMENTS, MENTIONS, PEOPLE, PLACES, ORGANIZATIONS, COUNTS, DATES, QUOTES, ENTRIES, DUPLICATES, BLOCKS, ERRORS)
}


# No control character reaches a table cell (crawled pages are untrusted input, and a terminal or a
# spreadsheet acts on controls). Columns holding text as the body has it keep line breaks and tabs;
# every other column is one line. Each bad character becomes one space (a lone surrogate, which no
# file format can hold, becomes U+FFFD), so character offsets into `body_text` stay right.
MULTILINE_COLUMNS = frozenset({"body_text", "text", "quote", "teaser", "message"})
_BAD_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _replacement(m: re.Match) -> str:
    return "\ufffd" if "\ud800" <= m.group(0) <= "\udfff" else " "


def clean_cell(value, multiline: bool = False):
    """A string (or list of strings) with every control character a space; anything else unchanged."""
    if isinstance(value, str):
        bad = _BAD_MULTILINE if multiline else _BAD_ONE_LINE
        return bad.sub(_replacement, value) if bad.search(value) else value
    if isinstance(value, (list, tuple)):
        return [clean_cell(v, multiline) for v in value]
    return value


def to_arrow(name: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts) to an Arrow table with exactly the table's columns, in order; missing keys are null;
    control characters in text cells cleaned (``clean_cell``)."""
    table = TABLES[name]
    columns = {}
    for c in table.columns:
        values = [row.get(c.name) for row in rows]
        if c.type == STR or c.type == STRS:
            multiline = c.name in MULTILINE_COLUMNS
            values = [clean_cell(v, multiline) for v in values]
        columns[c.name] = values
    return pa.table(columns, schema=table.schema)


def data_dictionary_markdown() -> str:
    """The data dictionary of docs/tables.md, generated so it can never drift from the schemas."""
    out: list[str] = []
    for table in TABLES.values():
        out.append(f"## `{table.name}`\n\n{table.doc}\n\n| column | type | meaning |\n|---|---|---|")
        for c in table.columns:
            out.append(f"| `{c.name}` | {_type_name(c.type)} | {c.doc} |")
        out.append("")
    return "\n".join(out)


def _type_name(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return f"list<{t.value_type}>"
    return str(t)
