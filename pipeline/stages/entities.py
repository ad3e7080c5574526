"""Entities: mentions from the spaCy model and from the rules, with offsets into the body text.

Two stages. ``ner`` (``run_model``, batched) runs the model and the span ruler over each body and
writes what they found to ``doc.spans``: the model's entities carry ``model:<name>-<version>``, rule
matches ``rule:<pattern id>``; where rule matches of one label overlap, the longest is kept ("OSCE
Mission to Moldova" over "OSCE"); model and rule mentions are both kept, so the tables show what each
produced. ``entities`` (``run_rules``, per document) runs the sub-steps of ``pipeline.nlp.steps``
(``ENTITY_STEPS``, the only place their order lives) and writes their rows to ``doc.records`` and the
finished mentions back to ``doc.spans``. Normalized values: an organization's canonical name (the
pattern's ``norm``), a place's gazetteer name, a date resolved against the publication date by the
dates table (a range as ``start/end``).
"""

from __future__ import annotations

from ..config import Settings
from ..document import Document, Span
from ..nlp.build import RULES_KEY
from ..nlp.steps import ENTITY_STEPS, EntityContext, finished_mentions, run_steps

PLACE_LABELS = {"GPE", "LOC"}


def run_model(docs: list[Document], resources, settings: Settings) -> list[Document]:
    """The batched step: the statistical model and the span ruler over each body (``nlp.pipe``).

    Its cost is linear in the text, so a batch can share one time limit; everything that reasons
    over the text (the rule-based tables) runs per document in ``run_rules``."""
    nlp = resources.nlp
    by_pipeline: dict[int, tuple[object, list[Document], list]] = {}
    for doc in docs:
        doc.spans = []
        doc.model_ran = nlp.has_model(doc.language)
        # without the model, a piece of a body is parsed only for the rules, and only when one may match it
        pieces = [(offset, text) for offset, text in model_pieces(doc.body_text, settings.ner_batch_chars)
                  if doc.model_ran or nlp.rules_may_match(text)] if doc.body_text else []
        if pieces:
            pipeline = nlp.for_language(doc.language)
            _, group, queued = by_pipeline.setdefault(id(pipeline), (pipeline, [], []))
            group.append(doc)
            queued.extend((doc, offset, text) for offset, text in pieces)
    for pipeline, group, pieces in by_pipeline.values():
        source = nlp.source_of(pipeline)
        patterns = nlp.rules.by_id()
        found: dict[int, list[Span]] = {id(doc): [] for doc in group}
        for batch in _batches_by_size(pieces, settings.batch_size, settings.ner_batch_chars):
            # Every new word of a text would stay in the pipeline's vocabulary and tokenizer cache for
            # the worker's life (memory growing with the pages read); a memory zone forgets them after
            # the batch. The parsed docs are invalid after it, so what is kept is copied out inside.
            with pipeline.memory_zone():
                for (doc, offset, _), parsed in zip(batch, pipeline.pipe([text for _, _, text in batch], batch_size=len(batch))):
                    found[id(doc)].extend(parse_mentions(parsed, source, patterns, resources.gazetteer, offset))
        for doc in group:
            doc.spans = found[id(doc)]
    return docs


def run_rules(doc: Document, resources) -> Document:
    """The per-document step: the entity tables built from the mentions and the text, by ``ENTITY_STEPS``."""
    if doc.body_text:
        results = run_steps(EntityContext.of(doc, resources.vocabulary, resources.gazetteer), ENTITY_STEPS)
        doc.records = {step.table: list(results[step.name].rows) for step in ENTITY_STEPS if step.table and step.table != "mentions"}
        doc.spans = list(results["mention_table"].spans)
    return doc


def mentions(doc: Document, parsed, model_source: str, patterns: dict[str, dict], gazetteer, vocabulary) -> list[Span]:
    """The finished mentions of one parse (what the tables start from), for scorers of the mentions alone."""
    ctx = EntityContext(doc_id=doc.doc_id, text=doc.body_text, language=doc.language, published=doc.published,
                        dateline_end=doc.dateline_end, dateline_date=doc.dateline_date, sources=tuple(doc.sources), model_ran=True,
                        parsed=tuple(parse_mentions(parsed, model_source, patterns, gazetteer)), vocabulary=vocabulary, gazetteer=gazetteer)
    return list(finished_mentions(ctx, {}).spans)


def parse_mentions(parsed, model_source: str, patterns: dict[str, dict], gazetteer, offset: int = 0) -> list[Span]:
    """The model's entities and the span ruler's matches (the longest of overlapping ones per label), in
    text order; ``offset``: where the parsed text starts in the body (a piece of a long body)."""
    out: list[Span] = []
    for ent in parsed.ents:
        out.append(Span(offset + ent.start_char, offset + ent.end_char, ent.label_, ent.text, model_source, _norm(ent.label_, ent.text, gazetteer)))
    for span in _longest_per_label(parsed.spans.get(RULES_KEY, [])):
        pattern = patterns.get(span.id_, {})
        norm = pattern.get("norm") or _norm(span.label_, span.text, gazetteer)
        out.append(Span(offset + span.start_char, offset + span.end_char, span.label_, span.text, f"rule:{span.id_}", norm))
    out.sort(key=lambda s: (s.start, s.end, s.label))
    return out


def model_pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """(offset, text) pieces of at most ``limit`` characters, cut between paragraphs (else between
    words): the model's working memory grows with the text it is given at once, and a body of a
    million characters would take gigabytes. A body within the limit is one piece, as it was."""
    pieces, start = [], 0
    while len(text) - start > limit:
        cut = text.rfind("\n\n", start + 1, start + limit)
        if cut == -1:
            cut = text.rfind(" ", start + 1, start + limit)
        if cut == -1:
            cut = start + limit
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


def _batches_by_size(pieces: list, most: int, chars: int):
    """Runs of at most ``most`` pieces and, unless a single piece is longer, ``chars`` characters."""
    batch, size = [], 0
    for piece in pieces:
        if batch and (len(batch) >= most or size + len(piece[2]) > chars):
            yield batch
            batch, size = [], 0
        batch.append(piece)
        size += len(piece[2])
    if batch:
        yield batch


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
    return None  # DATE: set from the dates table (pipeline.nlp.steps.mention_table)
