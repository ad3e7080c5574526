"""Places: model GPE/LOC mentions, dateline places and place names inside organization names,
normalized with the gazetteer. Pages without the English model get gazetteer look-ups of
capitalised word runs instead. Demonyms ("Kyrgyz") are not places."""

from __future__ import annotations

import re

from ..document import Document, Span
from .vocabulary import Vocabulary

PLACE_LABELS = {"GPE", "LOC"}
_CAPITALISED_RUN = re.compile(r"(?<![\w-])[A-ZÀ-ÞА-ЯЁ][\w'’-]+(?:\s+(?:and\s+|of\s+|de\s+)?[A-ZÀ-ÞА-ЯЁ][\w'’-]+){0,3}")
_POSSESSIVE = re.compile(r"['’]s$")


def place_rows(doc: Document, gazetteer, model_ran: bool, vocabulary: Vocabulary) -> list[dict]:
    orgs = [s for s in doc.spans if s.label == "ORG"]
    dateline_end = doc.dateline_end or 0
    candidates: list[tuple[int, int, str]] = []
    if model_ran:
        candidates += [(s.start, s.end, s.source) for s in doc.spans if s.label in PLACE_LABELS]
        candidates += _after_preposition(doc.body_text)
    else:
        candidates += _capitalised_runs(doc.body_text, 0, len(doc.body_text), "gazetteer")
    for org in orgs:
        candidates += _after_preposition(doc.body_text, org.start, org.end, "gazetteer:in-org")
    if dateline_end:
        candidates += _capitalised_runs(doc.body_text, 0, dateline_end, "dateline")
    rows: list[dict] = []
    taken: list[tuple[int, int]] = []
    for start, end, source in sorted(candidates, key=lambda c: (c[0], -(c[1] - c[0]))):
        text = _POSSESSIVE.sub("", doc.body_text[start:end])
        end = start + len(text)
        if any(start < e and s < end for s, e in taken) or gazetteer.demonym(text) or vocabulary.calendar_word.fullmatch(text):
            continue
        place = _lookup(gazetteer, text)
        if place is None or not _trusted(place, text):
            continue
        taken.append((start, end))
        rows.append({
            "text": text, "name": place.name, "kind": place.kind, "country": place.country,
            "lat": place.lat, "lon": place.lon, "geonames_id": place.geonames_id,
            "in_org": any(o.start <= start and end <= o.end for o in orgs),
            "in_dateline": start < dateline_end,
            "start": start, "end": end, "source": f"{source}+{place.source}",
        })
    return rows


def _trusted(place, text: str) -> bool:
    """A city matched through one of its many alternate names ("Mission", "Media", "March") is only
    trusted in a non-Latin script; countries, regions and curated names always are."""
    if place.kind != "city" or place.source.startswith("gazetteer:"):
        return True
    from ..geo import normalize

    return normalize(place.name) == normalize(text.removeprefix("the ").removeprefix("The ")) or (not text.isascii() and len(text) >= 4)


_PREPOSITION_RUN = re.compile(r"\b(?:in|to|from|at|near|across|of|for|and)\s+(?:the\s+)?([A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+)?(?:\s+region)?)")


def _after_preposition(text: str, start: int = 0, end: int | None = None, source: str = "gazetteer:after-preposition") -> list[tuple[int, int, str]]:
    """Capitalised words after a place preposition ("in Bender", "Mission to Moldova"), and their first word."""
    out = []
    for m in _PREPOSITION_RUN.finditer(text, start, len(text) if end is None else end):
        out.append((m.start(1), m.end(1), source))
        first = re.match(r"[\w'’-]+", m.group(1))
        if first and first.end() < len(m.group(1)):
            out.append((m.start(1), m.start(1) + first.end(), source))
    return out


def _lookup(gazetteer, text: str):
    place = gazetteer.lookup(text)
    if place is None and text.lower().startswith("the "):
        place = gazetteer.lookup(text[4:])
    return place


def _capitalised_runs(text: str, start: int, end: int, source: str) -> list[tuple[int, int, str]]:
    """Capitalised word runs in text[start:end], and each of their words, as candidate place names."""
    out = []
    for m in _CAPITALISED_RUN.finditer(text, start, end):
        out.append((m.start(), m.end(), source))
        for word in re.finditer(r"[\w'’-]+", m.group(0)):
            # Short capitalised words are mostly sentence-initial function words ("По", "In").
            if word.group(0)[:1].isupper() and len(word.group(0)) >= 4:
                out.append((m.start() + word.start(), m.start() + word.end(), source))
    return out


_CURRENCY_CODES = {"EUR", "USD", "CHF", "GBP", "RUB", "UAH", "KZT"}


def organization_rows(doc: Document, gazetteer, person_names: set[str] | None = None) -> list[dict]:
    """Rule matches (with their canonical name), and model ORG mentions no rule covers that are not
    something else: a person's surname, a place or list of places, a demonym plural ("Kosovo
    Albanians"), a currency code or a lone common word ("Office", "Commission")."""
    rule_orgs = [s for s in doc.spans if s.label == "ORG" and s.source.startswith("rule:")]
    rows = [_org_row(s, s.norm or s.text) for s in rule_orgs]
    surnames = {name.split()[-1] for name in person_names or set() if name.split()}
    for span in _joined_model_orgs(doc):
        if any(r.start < span.end and span.start < r.end for r in rule_orgs):
            continue
        text = re.sub(r"^(?:the|The)\s+", "", _POSSESSIVE.sub("", span.text))
        if _not_an_organization(text, gazetteer, surnames):
            continue
        rows.append(_org_row(span, text, offset=len(span.text) - len(re.sub(r"^(?:the|The)\s+", "", span.text))))
    return sorted(rows, key=lambda r: r["start"])


def _joined_model_orgs(doc: Document) -> list[Span]:
    """Model ORG mentions, with halves the model split at "and" joined ("High Judicial and Prosecutorial Council")."""
    spans = sorted((s for s in doc.spans if s.label == "ORG" and not s.source.startswith("rule:")), key=lambda s: s.start)
    out: list[Span] = []
    for span in spans:
        if out and doc.body_text[out[-1].end : span.start] == " and " and span.text[:1].isupper():
            previous = out.pop()
            span = Span(previous.start, span.end, "ORG", doc.body_text[previous.start : span.end], span.source, None)
        out.append(span)
    return out


def _not_an_organization(text: str, gazetteer, surnames: set[str]) -> bool:
    words = text.split()
    if not words or text in surnames or text in _CURRENCY_CODES or gazetteer.lookup(text):
        return True
    if len(words) == 1 and not re.search(r"[A-Z].*[A-Z]", text):
        return True  # one capitalised common word; acronyms (two capitals or more) stay
    parts = [p for p in re.split(r",\s*|\s+and\s+", text) if p]
    if len(parts) > 1 and all(gazetteer.lookup(p) for p in parts):
        return True  # "Chisinau and Tiraspol", "Osh, Jalal-Abad"
    last = words[-1]
    return last.endswith("s") and gazetteer.demonym(last[:-1]) is not None  # "Kosovo Albanians"


def _org_row(span: Span, name: str, offset: int = 0) -> dict:
    text = span.text[offset:] if offset else span.text
    text = _POSSESSIVE.sub("", text)
    acronym = text if re.fullmatch(r"[A-Z][A-Za-z]{1,7}", text) and sum(c.isupper() for c in text) >= 2 else None
    return {"text": text, "name": name, "acronym": acronym, "start": span.start + offset, "end": span.start + offset + len(text), "source": span.source}
