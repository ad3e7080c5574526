"""Quotes and reported speech, with their speakers.

Direct quotes are words in quotation marks (“…”, "…", «…», „…“) of at least four words. The speaker
is found in the attribution next to the quote ("…,” said the OSCE Senior Police Adviser Knut Dreyer.",
"Dreyer said: “…”", "…», – сказала … Натали Дюпре."): a person mention there, or, on pages without a
person model, the last run of capitalised words. A quote with no attribution of its own continues
the previous quote's speaker when it follows it in the same or the next paragraph ("“…,” said X.
“…”"). "X said that …" outside quotation marks is reported speech (``direct`` false).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..document import Document
from .vocabulary import Vocabulary

_QUOTE = re.compile(r"[“\"«„]([^“”\"«»„]{10,}?)[”\"»“]")


@lru_cache(maxsize=4)
def _patterns(vocabulary: Vocabulary) -> dict[str, re.Pattern]:
    verbs = vocabulary.verb_pattern
    return {
        "after": re.compile(rf"^\s*[,.]?\s*[–—-]?\s*(?P<verb>{verbs})\b(?P<who>[^.!?\n“\"«]{{0,160}})", re.I),
        "after_inverted": re.compile(rf"^\s*[,.]?\s*(?P<who>[^.!?\n“\"«]{{2,80}}?)\s+(?P<verb>{verbs})\b", re.I),
        "before": re.compile(rf"(?P<who>[^.!?\n”\"»]{{2,120}}?)\s+(?P<verb>{verbs})\s*(?:that\s*)?[:,]?\s*$", re.I),
        "reported": re.compile(rf"(?P<verb>{verbs})\s+(?:that\s+)(?P<quote>[^.!?\n]{{10,}}[.!?]?)", re.I),
    }


_CAPITALISED_RUN = re.compile(r"[A-ZÀ-ÞА-ЯЁ][\w'’-]+(?:\s+[A-ZÀ-ÞА-ЯЁ][\w'’-]+)+")


def quote_rows(doc: Document, people: dict[tuple[int, int], str], vocabulary: Vocabulary) -> list[dict]:
    text = doc.body_text
    persons = sorted(people.items())
    patterns = _patterns(vocabulary)
    rows: list[dict] = []
    last_speaker, last_end = None, -1
    for m in _QUOTE.finditer(text):
        quote = m.group(1).strip()
        if len(quote.split()) < 4 or _is_a_name(quote):
            continue
        paragraph_start = text.rfind("\n\n", 0, m.start()) + 1
        paragraph_end = text.find("\n\n", m.end())
        paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        speaker, verb = _attribution(text, m.end(), paragraph_end, m.start(), paragraph_start, persons, patterns)
        if speaker is None and last_speaker and _continues(text, last_end, m.start()):
            speaker, verb = last_speaker, rows[-1]["verb"] if rows else None
        rows.append({
            "speaker": speaker, "quote": quote, "verb": verb, "direct": True,
            "start": m.start(1) + (len(m.group(1)) - len(m.group(1).lstrip())), "end": m.start(1) + len(m.group(1).rstrip()),
            "source": "rule:quotes/quotation-marks",
        })
        if speaker:
            last_speaker, last_end = speaker, m.end()
    for m in patterns["reported"].finditer(text):
        if any(r["start"] <= m.start() <= r["end"] for r in rows):
            continue
        sentence_start = max(text.rfind(". ", 0, m.start()) + 2, text.rfind("\n", 0, m.start()) + 1)
        speaker = _person_in(sentence_start, m.start(), persons, text)
        if speaker:
            rows.append({
                "speaker": speaker, "quote": m.group("quote").strip(), "verb": m.group("verb"), "direct": False,
                "start": m.start("quote"), "end": m.end("quote"), "source": "rule:quotes/said-that",
            })
    return sorted(rows, key=lambda r: r["start"])


def _is_a_name(quote: str) -> bool:
    """A title in quotation marks ("Kyrgyzstan Community Security Initiative") is not speech."""
    words = quote.split()
    capitalised = sum(1 for w in words if w[:1].isupper() or w.lower() in ("of", "and", "for", "the", "in", "on"))
    return capitalised == len(words) and not re.search(r"[.!?,;:]", quote)


def _attribution(text, quote_end, paragraph_end, quote_start, paragraph_start, persons, patterns):
    after = text[quote_end:paragraph_end]
    for pattern in (patterns["after"], patterns["after_inverted"]):
        m = pattern.match(after)
        if m:
            who_start = quote_end + m.start("who")
            who_end = quote_end + m.end("who")
            speaker = _person_in(who_start, who_end, persons, text) or _capitalised_name(text[who_start:who_end])
            if speaker:
                return speaker, m.group("verb")
    before = text[paragraph_start:quote_start]
    m = patterns["before"].search(before)
    if m:
        who_start, who_end = paragraph_start + m.start("who"), paragraph_start + m.end("who")
        speaker = _person_in(who_start, who_end, persons, text) or _capitalised_name(text[who_start:who_end])
        if speaker:
            return speaker, m.group("verb")
    return None, None


def _person_in(start: int, end: int, persons, text: str | None = None) -> str | None:
    """The person mentioned in text[start:end]: a person mention, else a known person's surname
    (the model often misses a repeated surname: "said Dačić")."""
    inside = [name for (s, e), name in persons if start <= s and e <= end]
    if inside:
        return inside[-1]
    if text is not None:
        window = text[start:end]
        for name in dict.fromkeys(name for _, name in persons):
            if re.search(rf"(?<!\w){re.escape(name.split()[-1])}(?!\w)", window):
                return name
    return None


def _capitalised_name(text: str) -> str | None:
    """Pages without a person model: the last run of two or more capitalised words ("Натали Дюпре")."""
    runs = _CAPITALISED_RUN.findall(text)
    if not runs:
        return None
    words = runs[-1].split()
    return " ".join(words[-3:]) if len(words) <= 3 else " ".join(words[-2:])


def _continues(text: str, previous_end: int, start: int) -> bool:
    """The quote follows the previous one with nothing but its attribution between (same or next paragraph)."""
    between = text[previous_end:start]
    return between.count("\n\n") <= 1 and len(between) < 200
