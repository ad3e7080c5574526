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
from .vocabulary import Vocabulary

_POSSESSIVE = re.compile(r"['’]s$")
_ROLE_PREFIX = re.compile(r"(?:(?:[A-ZÀ-Þ][\w-]*(?:['’]s)?|OSCE)\s+)+$")
_CLAUSE_END = re.compile(r"[,.;:()\n“”\"]")


def people_rows(doc: Document, gazetteer, vocabulary: Vocabulary) -> list[dict]:
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
        if len(name.split()) < 2 and (gazetteer.lookup(name) or len(spans) == 1 and not _near_role(spans[0], roles, text, vocabulary)):
            continue  # a lone single word the model calls a person is too often a place or a word
        role_span, role_text = None, None
        honorific = None
        for span in spans:
            role_span, role_text = _role_for(span, roles, text, vocabulary)
            honorific = honorific or _honorific_for(span, honorifics, text)
            if role_text:
                break
        organization = _organization_in(role_span, role_text, orgs) if role_text else None
        surname = name.split()[-1]
        extra = len([m for m in re.finditer(rf"(?<!\w){re.escape(surname)}(?!\w)", text) if not any(s.start <= m.start() < s.end for s in spans)])
        first = spans[0]
        sources = [first.source] + ([role_span.source] if role_span is not None else ["rule:people/appositive"] if role_text else [])
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


def _near_role(span: Span, roles: list[Span], text: str, vocabulary: Vocabulary) -> bool:
    return _role_for(span, roles, text, vocabulary)[1] is not None


# A title written out: "Head of the OSCE Office in Tajikistan", "Co-ordinator of OSCE Economic ...",
# "Mayor of Štip"; or an appositive noun phrase: "a judge of the Cantonal Court in Tuzla", "a law student".
_TITLE_PHRASE = re.compile(r"^(?:the\s+|The\s+)?[A-ZÀ-Þ][\w'’-]*(?:\s+[A-ZÀ-Þ][\w'’-]*)*\s+(?:of|for|on|to|in)\s+\S.*$")
_APPOSITIVE = re.compile(r"^(?:a|an|the)\s+(?:[a-z\d][\w-]*\s+){0,3}[a-z][\w-]*(?:\s+(?:of|in|at|for|from)\s+.+)?$")
_ORIGIN = re.compile(r"\s+from\s+\S.*$")
_AGE = re.compile(r"^\d+-year-old\s+")
_VERB_LIKE = re.compile(r"\b(?:said|says|told|added|is|was|were|are|will|would|has|have|had|called|noted|stressed)\b")


def _role_for(person: Span, roles: list[Span], text: str, vocabulary: Vocabulary) -> tuple[Span | None, str | None]:
    for role in roles:
        if role.start < person.start < role.end:  # a greedy title pattern ran into the name
            start = _widen_left(text, role.start)
            return role, _clean_role(text[start : person.start])
        gap = text[role.end : person.start]
        if role.end <= person.start and len(gap) <= 16 and vocabulary.honorific_gap.match(gap):
            start = _widen_left(text, role.start)
            return role, _clean_role(text[start : role.end])
    before = _clause_before(text, person.start)
    if before and (_TITLE_PHRASE.match(before) or vocabulary.lowercase_title.match(before)) and not _VERB_LIKE.search(before):
        return None, _clean_role(before)
    after = text[person.end : person.end + 160]
    if after.startswith(", "):
        clause = _CLAUSE_END.split(after[2:], 1)[0]
        for role in roles:
            if person.end + 2 <= role.start < person.end + 2 + len(clause):
                return role, _clean_role(clause)
        if len(clause.split()) <= 12 and not _VERB_LIKE.search(clause) and (_TITLE_PHRASE.match(clause) or _APPOSITIVE.match(clause)):
            return None, _clean_role(clause)
    return None, None


def _clause_before(text: str, position: int) -> str | None:
    """"The Mayor of Štip, " right before a name: the clause between the last boundary and ", "."""
    head = text[max(0, position - 120) : position]
    m = re.search(r"(?:^|[.;:!?\n“”\"]\s*|,\s*|\b(?:said|by|with|and)\s+)([^,.;:\n“”\"]{3,100}?),\s*(?:(?:Ambassador|Dr\.?|Mr\.?|Ms\.?|Mrs\.?|Prof\.?|Judge)\s+)?$", head)
    return m.group(1).strip() if m else None


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
    role = _AGE.sub("", role)
    if role[:1].islower():
        role = _ORIGIN.sub("", role)  # "an editor from Khujand": where they come from is not the role
    return " ".join(role.split())


def _honorific_for(person: Span, honorifics: list[Span], text: str) -> str | None:
    for honorific in honorifics:
        gap = text[honorific.end : person.start]
        if honorific.end <= person.start and len(gap) <= 2 and not gap.strip():
            return honorific.text.rstrip(".")
    return None


def _organization_in(role_span: Span | None, role_text: str, orgs: list[Span]) -> str | None:
    """The longest organization named in the role's words ("Head of the OSCE Mission to Moldova")."""
    named = [org for org in orgs if org.text in role_text]
    if not named:
        return None
    best = max(named, key=lambda org: len(org.text))
    return best.norm or best.text
