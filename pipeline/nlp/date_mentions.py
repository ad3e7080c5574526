"""Date expressions in the body, resolved against the publication date ("22 July" in an article of
18 November 2010 is 2010-07-22). The model's DATE mentions on English pages; on other pages, date
shapes found by regular expressions and confirmed by dateparser in the page's language. Vague or
durational expressions ("in the coming weeks", "one year") are kept with no resolved value."""

from __future__ import annotations

import re

from ..dates import iso_date, parse_date
from ..document import Document

_LEADING = re.compile(r"^(?:on|since|from|until|by|in|at|of|the|this|last|next)\s+", re.I)
_DURATION = re.compile(
    r"^(?:(?:more than|less than|at least|up to|about|some|nearly|over|almost)\s+)?"
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|\d+)[\s-]+"
    r"(?:years?|months?|weeks?|days?|hours?)(?:\s+(?:long|old))?$",
    re.I,
)
_WEEKDAY = re.compile(r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$", re.I)
_FUTURE = re.compile(r"\b(?:will|would|shall|to be|is to|are to|next|scheduled|plans? to)\b", re.I)
# Date shapes for pages without the English model: "1 января 2013 года", "18 июля", "июне 2011 года",
# "3. Mai 2012", "03.05.2012", "2012-05-03", a year. dateparser (in the page's language) confirms each.
_YEAR_WORD = r"(?:\s*(?:года|год|г\.|roku|r\.))?"
_CANDIDATE = re.compile(
    rf"\b\d{{1,2}}\.?\s+[^\W\d_]{{3,}}\.?(?:\s+\d{{4}})?{_YEAR_WORD}"
    rf"|\b[^\W\d_]{{3,}}\s+\d{{4}}{_YEAR_WORD}"
    r"|\b\d{1,2}\.\d{1,2}\.\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:1[89]|20)\d{2}\b"
)


def date_rows(doc: Document, model_ran: bool) -> list[dict]:
    languages = tuple(dict.fromkeys([doc.language or "en", "en"]))
    base = iso_date(doc.published)
    if model_ran:
        candidates = [(s.start, s.end, s.source) for s in doc.spans if s.label == "DATE"]
    else:
        candidates = [(m.start(), m.end(), "rule:dates/date-shape") for m in _CANDIDATE.finditer(doc.body_text)]
    if doc.dateline_end and doc.dateline_date:
        candidates = [c for c in candidates if c[0] >= doc.dateline_end]
        dateline = _dateline_date_span(doc)
        if dateline:
            candidates.insert(0, dateline)
    rows = []
    for start, end, source in candidates:
        text = doc.body_text[start:end]
        core = _LEADING.sub("", text.strip())
        if _DURATION.match(core) or re.fullmatch(r"[\w-]+-(?:day|week|month|year)", core):
            continue  # a length of time, not a date: counts has it
        parsed = parse_date(core, languages, base)
        if parsed is not None and _WEEKDAY.match(core) and base is not None and _FUTURE.search(_sentence_before(doc.body_text, start)):
            parsed = parse_date(f"next {core}", languages, base) or parsed
        if parsed is None and not model_ran:
            continue
        rows.append({
            "text": text, "resolved": parsed.iso if parsed else None, "granularity": parsed.granularity if parsed else None,
            "start": start, "end": end, "source": source,
        })
    return rows


def _dateline_date_span(doc: Document) -> tuple[int, int, str] | None:
    """The date written in the dateline ("VIENNA, 18 November 2010 - ") as a date mention."""
    head = doc.body_text[: doc.dateline_end]
    comma = head.find(",")
    if comma < 0:
        return None
    m = re.search(r"\S.*?(?=\s*(?:\([^)]*\))?\s*(?:-{1,2}|–|—)\s*$)", head[comma + 1 :])
    return (comma + 1 + m.start(), comma + 1 + m.end(), "dateline") if m else None


def _sentence_before(text: str, position: int) -> str:
    start = max(text.rfind(". ", 0, position), text.rfind("\n", 0, position))
    return text[start + 1 : position]
