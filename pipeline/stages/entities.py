"""Entities: mentions from the spaCy model and from the rules, with offsets into the body text.

The model's entities carry ``model:<name>-<version>``; rule matches carry ``rule:<pattern id>``.
Where rule matches of one label overlap, the longest is kept ("OSCE Mission to Moldova" over "OSCE");
model and rule mentions are both kept, so the tables show what each produced. Normalized values:
an organization's canonical name (the pattern's ``norm``), a place's gazetteer name, a date resolved
against the publication date by the dates table (a range as ``start/end``).
"""

from __future__ import annotations


from ..config import Settings
from ..document import Document, Span
from ..nlp.build import RULES_KEY
from ..nlp.counts import count_rows
from ..nlp.date_mentions import date_rows
from ..nlp.people import canonical_names, people_rows
from ..nlp.places import complete_place_slots, organization_rows, place_rows
from ..nlp.quotes import quote_rows

PLACE_LABELS = {"GPE", "LOC"}


def run_model(docs: list[Document], resources, settings: Settings) -> list[Document]:
    """The batched step: the statistical model and the span ruler over each body (``nlp.pipe``).

    Its cost is linear in the text, so a batch can share one time limit; everything that reasons
    over the text (the rule-based tables) runs per document in ``run_rules``."""
    nlp = resources.nlp
    by_pipeline: dict[int, tuple[object, list[Document]]] = {}
    for doc in docs:
        if doc.body_text:
            pipeline = nlp.for_language(doc.language)
            by_pipeline.setdefault(id(pipeline), (pipeline, []))[1].append(doc)
    for pipeline, group in by_pipeline.values():
        source = nlp.source_of(pipeline)
        patterns = nlp.rules.by_id()
        for doc, parsed in zip(group, pipeline.pipe((d.body_text for d in group), batch_size=settings.batch_size)):
            doc.spans = mentions(doc, parsed, source, patterns, resources.gazetteer)
            doc.model_ran = pipeline is nlp.model
    return docs


def run_rules(doc: Document, resources) -> Document:
    """The per-document step: the entity tables built from the mentions and the text."""
    if doc.body_text:
        doc.records = entity_records(doc, resources.gazetteer, resources.vocabulary, doc.model_ran)
    return doc


def run_batch(docs: list[Document], resources, settings: Settings) -> list[Document]:
    """Both entity steps on a list of documents (for callers outside the runner)."""
    return [run_rules(doc, resources) for doc in run_model(docs, resources, settings)]


def entity_records(doc: Document, gazetteer, vocabulary, model_ran: bool) -> dict[str, list[dict]]:
    """Rows of the entity tables, built from the document's mentions and its text."""
    dates = date_rows(doc, model_ran, vocabulary)
    _resolve_date_mentions(doc, dates)
    people = people_rows(doc, gazetteer, vocabulary)
    return {
        "people": people,
        "places": place_rows(doc, gazetteer, model_ran, vocabulary),
        "organizations": organization_rows(doc, gazetteer, {p["name"] for p in people}, vocabulary),
        "dates": dates,
        "counts": count_rows(doc, [(d["start"], d["end"]) for d in dates if d["resolved"]], vocabulary),
        "quotes": quote_rows(doc, canonical_names(doc, people), vocabulary),
    }


def _resolve_date_mentions(doc: Document, dates: list[dict]) -> None:
    """A DATE mention's norm is what the dates table resolved for the expression holding it, so both
    tables agree (ranges as ``start/end``, relative expressions against the publication date)."""
    resolved = [d for d in dates if d["resolved"]]
    for span in doc.spans:
        if span.label == "DATE":
            row = next((d for d in resolved if d["start"] < span.end and span.start < d["end"]), None)
            if row is not None:
                span.norm = f"{row['resolved']}/{row['resolved_end']}" if row.get("resolved_end") else row["resolved"]


def mentions(doc: Document, parsed, model_source: str, patterns: dict[str, dict], gazetteer) -> list[Span]:
    out: list[Span] = []
    for ent in parsed.ents:
        out.append(Span(ent.start_char, ent.end_char, ent.label_, ent.text, model_source, _norm(ent.label_, ent.text, gazetteer)))
    for span in _longest_per_label(parsed.spans.get(RULES_KEY, [])):
        pattern = patterns.get(span.id_, {})
        norm = pattern.get("norm") or _norm(span.label_, span.text, gazetteer)
        out.append(Span(span.start_char, span.end_char, span.label_, span.text, f"rule:{span.id_}", norm))
    out.sort(key=lambda s: (s.start, s.end, s.label))
    # Rule matches that end in a place slot ("Центра ОБСЕ в" + "Астане") are widened over the place and
    # get their canonical name here, so every consumer of the mentions (tables, scorers) sees the whole name.
    doc.spans = out
    complete_place_slots(doc, gazetteer)
    return doc.spans


def _longest_per_label(spans) -> list:
    kept: list = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(k.label_ == span.label_ and k.start < span.end and span.start < k.end for k in kept):
            kept.append(span)
    return kept


def _norm(label: str, text: str, gazetteer) -> str | None:
    if label in PLACE_LABELS:
        place = gazetteer.lookup(text)
        return place.name if place is not None else None
    return None  # DATE: set from the dates table (_resolve_date_mentions)
