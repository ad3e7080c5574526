"""The entity step's sub-steps, as one explicit ordered list (``ENTITY_STEPS``): the only place their order lives.

Each sub-step is a function ``(context, earlier) -> result``: ``context`` is the document as the
``ner`` stage left it (an ``EntityContext``: text, language, dates, the parse's mentions, the
vocabulary and the gazetteer), ``earlier`` maps the names of the steps it ``needs`` to their
results, and the result is new, typed data (frozen dataclasses holding tuples of mentions and rows).
A step never changes the document or an earlier step's result: the extractors in ``pipeline.nlp``
read (and some still rearrange) the mentions of a ``Document``, so each step hands them a scratch
document holding copies of the mentions it was given, and returns what it wants kept.

``check_order`` refuses a list in which a step comes before what it needs, and ``run_step`` runs one
step alone, with only the steps it depends on, so a notebook can look at and score one table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ..document import Document, Span
from .counts import count_rows
from .date_mentions import date_rows
from .people import canonical_names, people_rows
from .organizations import complete_place_slots, field_organization_rows, organization_rows
from .places import place_rows
from .quotes import quote_rows
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class EntityContext:
    """What every sub-step may read: the document after the ``ner`` stage, and the run's rule data."""

    doc_id: str
    text: str
    language: str | None
    published: str | None
    dateline_end: int | None
    dateline_date: str | None
    sources: tuple[str, ...]  # the page's own "Source:" field: who issued the document
    model_ran: bool
    parsed: tuple[Span, ...]  # the model's entities and the span ruler's matches, as the ner stage wrote them
    vocabulary: Vocabulary
    gazetteer: Any

    @classmethod
    def of(cls, doc: Document, vocabulary: Vocabulary, gazetteer) -> "EntityContext":
        return cls(doc.doc_id, doc.body_text, doc.language, doc.published, doc.dateline_end, doc.dateline_date,
                   tuple(doc.sources), doc.model_ran, copied(doc.spans), vocabulary, gazetteer)

    def scratch(self, spans: Sequence[Span]) -> Document:
        """A document holding copies of ``spans`` for an extractor to read: whatever it changes there stays there."""
        return Document(doc_id=self.doc_id, source="entity-step", format="text", body_text=self.text, language=self.language,
                        published=self.published, dateline_end=self.dateline_end, dateline_date=self.dateline_date,
                        spans=list(copied(spans)), model_ran=self.model_ran)


def copied(spans: Sequence[Span]) -> tuple[Span, ...]:
    """Copies of ``spans`` (their ``attrs`` hold plain values: a copy of the dict is a copy of them)."""
    return tuple(Span(s.start, s.end, s.label, s.text, s.source, s.norm, dict(s.attrs)) for s in spans)


@dataclass(frozen=True)
class Mentions:
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Rows:
    """The rows of one entity table (each row: that table's columns but ``doc_id``)."""

    rows: tuple[dict, ...]


@dataclass(frozen=True)
class Dates(Rows):
    @property
    def resolved_spans(self) -> tuple[tuple[int, int], ...]:
        """Where the resolved dates are: their numbers are no counts."""
        return tuple((d["start"], d["end"]) for d in self.rows if d["resolved"])


@dataclass(frozen=True)
class People(Rows):
    # The mentions as the people rules leave them: names trimmed of role words, the names the rules found
    # added, ``attrs["person"]`` on every mention (name or role) used for a person, ``attrs["not_a_person"]``
    # on the model's PERSON mentions that are none.
    mentions: tuple[Span, ...]
    names: Mapping[tuple[int, int], str]  # (start, end) of each mention naming a person -> their name

    @property
    def person_names(self) -> frozenset[str]:
        return frozenset(row["name"] for row in self.rows)


def finished_mentions(ctx: EntityContext, earlier: Mapping[str, Any]) -> Mentions:
    """The parse's mentions with rule matches widened over the places written in their ``{place}`` slot
    ("Центра ОБСЕ в" + "Астане"), and over the rest of a hyphenated name, so every later step and every
    scorer sees whole names."""
    doc = ctx.scratch(ctx.parsed)
    complete_place_slots(doc, ctx.gazetteer, ctx.vocabulary)
    return Mentions(tuple(doc.spans))


def dates(ctx: EntityContext, earlier: Mapping[str, Any]) -> Dates:
    doc = ctx.scratch(earlier["mentions"].spans)
    return Dates(tuple(date_rows(doc, ctx.model_ran, ctx.vocabulary)))


def people(ctx: EntityContext, earlier: Mapping[str, Any]) -> People:
    doc = ctx.scratch(earlier["mentions"].spans)
    rows = people_rows(doc, ctx.gazetteer, ctx.vocabulary)
    return People(tuple(rows), tuple(doc.spans), MappingProxyType(canonical_names(doc, rows)))


def places(ctx: EntityContext, earlier: Mapping[str, Any]) -> Rows:
    # The people step's mentions: a name the people rules found or trimmed is a longer name no place is inside.
    doc = ctx.scratch(earlier["people"].mentions)
    return Rows(tuple(place_rows(doc, ctx.gazetteer, ctx.model_ran, ctx.vocabulary)))


def organizations(ctx: EntityContext, earlier: Mapping[str, Any]) -> Rows:
    doc = ctx.scratch(earlier["people"].mentions)
    rows = organization_rows(doc, ctx.gazetteer, set(earlier["people"].person_names), ctx.vocabulary)
    return Rows(tuple(rows + field_organization_rows(ctx.sources, ctx.text)))


def counts(ctx: EntityContext, earlier: Mapping[str, Any]) -> Rows:
    doc = ctx.scratch(())
    return Rows(tuple(count_rows(doc, list(earlier["dates"].resolved_spans), ctx.vocabulary)))


def quotes(ctx: EntityContext, earlier: Mapping[str, Any]) -> Rows:
    person = earlier["people"]
    doc = ctx.scratch(person.mentions)
    return Rows(tuple(quote_rows(doc, dict(person.names), ctx.vocabulary)))


def mention_table(ctx: EntityContext, earlier: Mapping[str, Any]) -> Mentions:
    """The mentions table: the mentions as the people rules left them, a model's ORG mention as the
    organizations step read it, a DATE mention's norm being what the dates table resolved for the
    expression holding it (ranges as ``start/end``), so the tables agree."""
    resolved = [d for d in earlier["dates"].rows if d["resolved"]]
    spans = _with_organization_names(copied(earlier["people"].mentions), earlier["organizations"].rows)
    for span in spans:
        if span.label == "DATE":
            row = next((d for d in resolved if d["start"] < span.end and span.start < d["end"]), None)
            if row is not None:
                span.norm = f"{row['resolved']}/{row['resolved_end']}" if row.get("resolved_end") else row["resolved"]
    return Mentions(tuple(spans))


def _with_organization_names(spans: list[Span], organizations: Sequence[dict]) -> list[Span]:
    """A model's ORG mention cut to the one organization name the organizations step read in it ("the
    American Medical Association" -> "American Medical Association", "Victoria Hockey Club of" ->
    "Victoria Hockey Club"); one the step found no organization in ("Best Rock Video", "Train No.")
    is left out, as it is of the organizations table."""
    out = []
    for span in spans:
        if span.label == "ORG" and span.source.startswith("model:"):
            inside = [r for r in organizations if r["start"] is not None and span.start <= r["start"] and r["end"] <= span.end]
            if len(inside) == 1 and (inside[0]["start"], inside[0]["end"]) != (span.start, span.end):
                row = inside[0]
                span = Span(row["start"], row["end"], span.label, row["text"], span.source, span.norm)
            elif not any(r["start"] is not None and r["start"] < span.end and span.start < r["end"] for r in organizations):
                continue
        out.append(span)
    return out


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[EntityContext, Mapping[str, Any]], Any]
    needs: tuple[str, ...] = ()
    table: str | None = None  # the table whose rows the result holds (``mentions``: the spans of the mentions table)


ENTITY_STEPS: tuple[Step, ...] = (
    Step("mentions", finished_mentions),
    Step("dates", dates, needs=("mentions",), table="dates"),
    Step("people", people, needs=("mentions",), table="people"),
    Step("places", places, needs=("people",), table="places"),
    Step("organizations", organizations, needs=("people",), table="organizations"),
    Step("counts", counts, needs=("dates",), table="counts"),
    Step("quotes", quotes, needs=("people",), table="quotes"),
    Step("mention_table", mention_table, needs=("people", "dates", "organizations"), table="mentions"),
)


class StepOrderError(ValueError):
    pass


def check_order(steps: Sequence[Step]) -> None:
    """Every step's needs are steps listed before it; names are unique."""
    seen: set[str] = set()
    names = [s.name for s in steps]
    for step in steps:
        if step.name in seen:
            raise StepOrderError(f"entity step {step.name!r} is listed twice")
        for need in step.needs:
            if need not in names:
                raise StepOrderError(f"entity step {step.name!r} needs {need!r}, which no step provides (steps: {names})")
            if need not in seen:
                raise StepOrderError(f"entity step {step.name!r} needs {need!r}, which comes after it in the list {names}")
        seen.add(step.name)


def run_steps(ctx: EntityContext, steps: Sequence[Step] = ENTITY_STEPS) -> dict[str, Any]:
    """Every step in list order; step name -> result."""
    check_order(steps)
    results: dict[str, Any] = {}
    for step in steps:
        results[step.name] = step.run(ctx, MappingProxyType({need: results[need] for need in step.needs}))
    return results


def steps_for(name: str, steps: Sequence[Step] = ENTITY_STEPS) -> list[Step]:
    """The step ``name`` and the steps it depends on, directly or not, in list order."""
    by_name = {s.name: s for s in steps}
    if name not in by_name:
        raise KeyError(f"no entity step {name!r} (steps: {list(by_name)})")
    wanted, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in wanted:
            wanted.add(current)
            todo.extend(by_name[current].needs)
    return [s for s in steps if s.name in wanted]


def run_step(name: str, doc: Document, resources, steps: Sequence[Step] = ENTITY_STEPS) -> Any:
    """One step's result for a document the ``ner`` stage has read (``pipeline.stages.entities.run_model``),
    running only the steps it depends on."""
    ctx = EntityContext.of(doc, resources.vocabulary, resources.gazetteer)
    return run_steps(ctx, steps_for(name, steps))[name]
