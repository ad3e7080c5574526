"""Counts: how many of what. "Up to 31 international staff", "between 180 and 200 teachers",
"EUR 1.1 million", "some 300", "two dozen", "a 12-week course", "30 per cent".

Numbers in digits work in every language; number words are English; qualifiers, currencies,
document-number cues and the words that end a counted object come from ``rules/vocabulary.toml``. Years, dates, clock times, ordinals, phone numbers and document numbers ("Decision No.
961", "PC.DEC/947", "Daily Report 14/2020") are not counts.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..document import Document
from .vocabulary import Vocabulary

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "dozen": 12}
_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_WORD_NUMBER = rf"(?:{_WORD})(?:[-\s](?:{_WORD}))?(?:\s+(?:hundred|thousand|million|billion|dozen))*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = rf"(?:{_DIGITS}|{_WORD_NUMBER})(?:\s+(?:hundred|thousand|million|billion))?"


@lru_cache(maxsize=4)
def _count_pattern(vocabulary: Vocabulary) -> re.Pattern:
    return re.compile(
        rf"""(?<![\w./:#+-])
        (?:(?P<qualifier>{vocabulary.qualifier_pattern})\s+)?
        (?:(?P<currency>{vocabulary.currency_pattern})\s?)?
        (?P<number>{_NUMBER})
        (?:(?:-|\s*–\s*|\s+(?:to|and)\s+)(?P<high>{_NUMBER}))?
        (?P<unit_suffix>\s*(?:%|per\s?cent|percent)|-(?:year|month|week|day|hour)s?\b)?
        (?![\w/:]|[.,]\d)""",
        re.I | re.X,
    )


_OBJECT_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def count_rows(doc: Document, date_spans: list[tuple[int, int]], vocabulary: Vocabulary) -> list[dict]:
    text = doc.body_text
    rows = []
    position = 0
    while True:
        m = _count_pattern(vocabulary).search(text, position)
        if m is None:
            break
        # A rejected number must not swallow the next one ("2012 - Twenty-eight judges"): go on right after it.
        position = m.end("number")
        number_text = m.group("number")
        value = to_number(number_text)
        if value is None:
            continue
        start = m.start()
        if _not_a_count(text, m, date_spans, vocabulary):
            continue
        position = m.end()
        qualifier_text = " ".join((m.group("qualifier") or "").lower().split())
        qualifier = vocabulary.qualifiers.get(qualifier_text) if qualifier_text else None
        high = to_number(m.group("high")) if m.group("high") else None
        if high is not None and (qualifier not in (None, "between") or high <= value):
            high = None
        end = m.end("number") if m.group("high") and high is None else m.end()
        kind, unit = "count", None
        suffix = (m.group("unit_suffix") or "").strip().lower()
        currency = m.group("currency")
        object_start = end
        if currency:
            kind, unit = "money", vocabulary.currency_signs.get(currency, currency.upper())
        elif suffix == "%" or suffix.startswith("per"):
            kind, unit = "percent", "%"
        elif suffix.startswith("-"):
            kind, unit = "duration", vocabulary.duration_units.get(suffix[1:], suffix[1:].rstrip("s"))
        obj, object_end = _counted_object(text, object_start, vocabulary.object_stop_words)
        first_word = (obj or "").split(" ")[0].lower()
        if kind == "count" and first_word in vocabulary.duration_units:
            kind, unit = "duration", vocabulary.duration_units[first_word]
            obj, object_end = first_word, object_start + text[object_start:].find(first_word) + len(first_word)
        elif kind == "count" and first_word in vocabulary.currency_words:
            kind, unit = "money", vocabulary.currency_words[first_word]
            obj, object_end = None, object_start + text[object_start:].lower().find(first_word) + len(first_word)
        if kind == "count" and number_text.lower() == "one":
            continue  # "one of the", "one another": almost never a count
        expression_end = max(end, object_end)
        rows.append({
            "text": text[start:expression_end].strip(),
            "value": value, "low": value if high is not None else None, "high": high,
            "qualifier": "between" if high is not None and qualifier in (None, "between") else qualifier,
            "object": obj, "kind": kind, "unit": unit,
            "start": start, "end": start + len(text[start:expression_end].rstrip()),
            "source": "rule:counts/number-phrase",
        })
    return rows


def _not_a_count(text: str, m: re.Match, date_spans: list[tuple[int, int]], vocabulary: Vocabulary) -> bool:
    start, end = m.start("number"), m.end("number")
    number = m.group("number")
    if re.fullmatch(r"(1[5-9]|20|21)\d\d", number) and not m.group("currency"):
        return True  # a year
    range_end = m.end("high") if m.group("high") else end
    after, before = vocabulary.month_after, vocabulary.month_before
    if after.match(text[end:end + 12]) or after.match(text[range_end:range_end + 12]) or before.search(text[max(0, start - 12):start]):
        return True  # 18 November, 4 and 5 December, November 18
    if re.match(r"\s*o['’]clock", text[range_end:range_end + 10], re.I):
        return True
    if vocabulary.document_number.search(text[max(0, start - 14):start]):
        return True
    if any(s <= start and end <= e for s, e in date_spans):
        return True
    before, after = text[max(0, start - 2):start], text[end:end + 3]
    if re.match(r"\s?\d", after) or re.search(r"\d\s?$", before) or re.match(r"\s?(?:a\.m\.|p\.m\.|am\b|pm\b|h\b)", after, re.I):
        return True  # phone numbers, digit groups, clock times
    return False


def _counted_object(text: str, position: int, stop_words: frozenset[str]) -> tuple[str | None, int]:
    """Up to four words after the number that name what is counted ("OSCE participating States")."""
    words = []
    end = position
    cursor = position
    for _ in range(4):
        m = re.match(r"[ \t]+", text[cursor:])
        if not m:
            break
        word_match = _OBJECT_WORD.match(text, cursor + m.end())
        if not word_match:
            break
        word = word_match.group(0)
        following = _next_word(text, word_match.end(), keep_case=True)
        if (word.lower() == "and" and words and len(words) <= 2 and following.lower() not in stop_words
                and following[:1].islower() == words[-1][:1].islower() and not following.isupper()):
            words.append(word)  # "judges and prosecutors", "border and customs officers"
            cursor = word_match.end()
            continue
        if word.lower() in stop_words:
            break
        if words and re.search(r"(?:ed|ing)$", word) and _next_word(text, word_match.end()) in stop_words:
            break  # "programme funded by", "staff working in": a verb after the counted noun
        words.append(word)
        cursor = end = word_match.end()
        if text[cursor:cursor + 1] in ",.;:)!?\"”":
            break
    while words and words[-1].lower() == "and":
        words.pop()
    return (" ".join(words) if words else None), end


def _next_word(text: str, position: int, keep_case: bool = False) -> str:
    m = re.match(r"\s+([\w'’-]+)", text[position:position + 40])
    word = m.group(1) if m else ""
    return word if keep_case else word.lower()


def to_number(text: str | None) -> float | None:
    if not text:
        return None
    text = text.strip().lower().replace("–", "-")
    m = re.fullmatch(r"([\d,]+(?:\.\d+)?)\s*(hundred|thousand|million|billion)?", text)
    if m:
        base = float(m.group(1).replace(",", ""))
        return base * _SCALES.get(m.group(2) or "", 1)
    total, current = 0.0, 0.0
    for word in re.split(r"[\s-]+", text):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in ("hundred",):
            current = (current or 1) * 100
        elif word in ("dozen",):
            current = (current or 1) * 12
        elif word in ("thousand", "million", "billion"):
            total += (current or 1) * _SCALES[word]
            current = 0
        elif word == "and":
            continue
        else:
            return None
    return total + current
