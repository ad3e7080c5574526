"""People with their roles: one row per person per document.

Names come from the model's PERSON mentions. Mentions are grouped by surname, so "Străjescu" and a
repeated "Mihaela Străjescu" count for the person whose longest written form is the canonical name.
A role is taken from a ROLE rule match right before the name ("the OSCE Senior Police Adviser
Knut Dreyer", "Deputy Minister of Education Mihaela Străjescu") or right after it, set off by a comma
("Cornelius Haverkamp, Head of the OSCE Mission to Moldova,"); it is widened over the capitalised
words and possessives in front of it ("Serbia's Foreign Minister", "OSCE Senior Police Adviser").
An honorific rule match right before the name gives the honorific.
"""

from __future__ import annotations

import re

from ..document import Document, Span

_POSSESSIVE = re.compile(r"['’]s$")
_ROLE_PREFIX = re.compile(r"(?:(?:[A-ZÀ-Þ][\w-]*(?:['’]s)?|OSCE)\s+)+$")
_CLAUSE_END = re.compile(r"[,.;:()\n“”\"]")


def people_rows(doc: Document, gazetteer=None) -> list[dict]:
    text = doc.body_text
    persons = [s for s in doc.spans if s.label == "PERSON"]
    roles = [s for s in doc.spans if s.label == "ROLE"]
    honorifics = [s for s in doc.spans if s.label == "HONORIFIC"]
    orgs = [s for s in doc.spans if s.label == "ORG"]
    clusters: dict[str, list[Span]] = {}
    for span in sorted(persons, key=lambda s: -len(s.text.split())):
        name = _POSSESSIVE.sub("", span.text.strip())
        surname = name.split()[-1] if name.split() else name
        key = next((k for k in clusters if k.split()[-1] == surname or k == name), name)
        clusters.setdefault(key, []).append(span)
    rows = []
    for name, spans in clusters.items():
        spans.sort(key=lambda s: s.start)
        if len(name.split()) < 2 and (gazetteer is not None and gazetteer.lookup(name) or len(spans) == 1 and not _near_role(spans[0], roles, text)):
            continue  # a lone single word the model calls a person is too often a place or a word
        role_span, role_text = None, None
        honorific = None
        for span in spans:
            role_span, role_text = _role_for(span, roles, text)
            honorific = honorific or _honorific_for(span, honorifics, text)
            if role_text:
                break
        organization = _organization_in(role_span, role_text, orgs) if role_text else None
        surname = name.split()[-1]
        extra = len([m for m in re.finditer(rf"(?<!\w){re.escape(surname)}(?!\w)", text) if not any(s.start <= m.start() < s.end for s in spans)])
        first = spans[0]
        sources = [first.source] + ([role_span.source] if role_span is not None else [])
        rows.append({
            "name": name, "role": role_text, "organization": organization, "honorific": honorific,
            "n_mentions": len(spans) + extra, "text": first.text, "start": first.start, "end": first.end,
            "source": "+".join(dict.fromkeys(sources)),
        })
    return sorted(rows, key=lambda r: r["start"])


def canonical_names(doc: Document, rows: list[dict]) -> dict[tuple[int, int], str]:
    """Every PERSON mention's (start, end) -> the canonical name of its row."""
    out = {}
    for span in (s for s in doc.spans if s.label == "PERSON"):
        surname = _POSSESSIVE.sub("", span.text.strip()).split()[-1:]
        for row in rows:
            if surname and row["name"].split()[-1] == surname[0]:
                out[(span.start, span.end)] = row["name"]
                break
    return out


def _near_role(span: Span, roles: list[Span], text: str) -> bool:
    return _role_for(span, roles, text)[1] is not None


def _role_for(person: Span, roles: list[Span], text: str) -> tuple[Span | None, str | None]:
    for role in roles:
        if role.start < person.start < role.end:  # a greedy title pattern ran into the name
            start = _widen_left(text, role.start)
            return role, _clean_role(text[start : person.start])
        gap = text[role.end : person.start]
        if role.end <= person.start and len(gap) <= 3 and gap.strip(" ,") == "":
            start = _widen_left(text, role.start)
            return role, _clean_role(text[start : role.end])
    after = text[person.end : person.end + 160]
    if after.startswith(", "):
        clause = _CLAUSE_END.split(after[2:], 1)[0]
        for role in roles:
            if person.end + 2 <= role.start < person.end + 2 + len(clause):
                return role, _clean_role(clause)
    return None, None


def _widen_left(text: str, start: int) -> int:
    """Take in the capitalised words and possessives right before a role ("Serbia's Foreign Minister");
    a leading article is left out, and punctuation (a sentence or clause boundary) stops the widening."""
    window = text[max(0, start - 60) : start]
    m = _ROLE_PREFIX.search(window)
    if not m:
        return start
    words = m.group(0).split()
    while words and words[0] in ("The", "A", "An"):
        words.pop(0)
    return start - len(" ".join(words)) - 1 if words else start


def _clean_role(role: str) -> str:
    role = re.sub(r"^(?:the|The|a|an)\s+", "", role.strip(" ,"))
    return " ".join(role.split())


def _honorific_for(person: Span, honorifics: list[Span], text: str) -> str | None:
    for honorific in honorifics:
        gap = text[honorific.end : person.start]
        if 0 <= len(gap) <= 2 and not gap.strip():
            return honorific.text.rstrip(".")
    return None


def _organization_in(role_span: Span | None, role_text: str, orgs: list[Span]) -> str | None:
    if role_span is None:
        return None
    role_start = role_span.end - len(role_text) if role_text.endswith(role_span.text) else role_span.start
    for org in orgs:
        if role_start - 60 <= org.start and org.end <= role_span.end + len(role_text):
            if org.text in role_text:
                return org.norm or org.text
    return None
