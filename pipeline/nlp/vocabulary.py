"""The word lists of the entity extractors (``rules/vocabulary.toml``), loaded once and compiled on use."""

from __future__ import annotations

import re
import tomllib
from functools import cached_property, lru_cache
from pathlib import Path


class Vocabulary:
    def __init__(self, data: dict):
        counts, quotes, people = data["counts"], data["quotes"], data["people"]
        self.qualifiers: dict[str, str] = counts["qualifiers"]
        self.currency_codes: list[str] = counts["currency_codes"]
        self.currency_signs: dict[str, str] = counts["currency_signs"]
        self.document_number_cues: list[str] = counts["document_number_cues"]
        self.counts: dict = counts  # the whole [counts] section: nlp/counts.py compiles its word lists
        self.speech_verbs: list[str] = quotes["speech_verbs"]
        self.title_nouns: list[str] = people["title_nouns"]
        self.honorifics: list[str] = people["honorifics"]
        self.people: dict = people  # the whole [people] section: nlp/people.py compiles its word lists
        self.quotes: dict = quotes  # the whole [quotes] section: nlp/quotes.py compiles its word lists
        # [places]: the noun lists of nlp/places.py, as sets it asks about one word at a time
        self.places: dict[str, frozenset[str]] = {key: frozenset(words) for key, words in data["places"].items()}
        # Calendar words per language, in calendar order (``date_mentions`` compiles them per language);
        # the flat lists serve the extractors that only ask whether a word is a month or a weekday.
        self.calendar: dict = data["calendar"]
        self.relative_dates: dict[str, dict] = data.get("relative_dates", {})
        self.months: list[str] = [form for months in self.calendar["months"].values() for month in months for form in month]
        self.weekdays: list[str] = [form for days in self.calendar["weekdays"].values() for day in days for form in day]

    @cached_property
    def qualifier_pattern(self) -> str:
        # Spaces become \s+ (the count pattern is verbose, where a literal space would be ignored).
        return alternation(self.qualifiers, spaces=r"\s+")

    @cached_property
    def currency_pattern(self) -> str:
        return alternation([*self.currency_codes, *self.currency_signs])

    @cached_property
    def document_number(self) -> re.Pattern:
        return re.compile(rf"(?:{alternation(self.document_number_cues, whole_words=True)})\s*$", re.I)

    @cached_property
    def verb_pattern(self) -> str:
        return alternation(self.speech_verbs, spaces=r"\s+")

    @cached_property
    def lowercase_title(self) -> re.Pattern:
        nouns = alternation(self.title_nouns)
        return re.compile(rf"^(?:the\s+|The\s+)?(?:deputy\s+)?(?:{nouns})\s+(?:of|for|at|in)\s+\S.*$")

    @cached_property
    def month_after(self) -> re.Pattern:
        return re.compile(rf"^\s*(?:{alternation(self.months)})\b", re.I)

    @cached_property
    def month_before(self) -> re.Pattern:
        return re.compile(rf"(?:{alternation(self.months)})\.?\s*$", re.I)

    @cached_property
    def calendar_word(self) -> re.Pattern:
        return re.compile(alternation([*self.months, *self.weekdays]), re.I)

    @cached_property
    def honorific_gap(self) -> re.Pattern:
        return re.compile(rf"^[,\s]*(?:(?:{alternation(self.honorifics)})\s+)?$")


def alternation(items, spaces: str | None = None, whole_words: bool = False) -> str:
    """A regex alternation of literal items, longest first."""
    parts = []
    for item in sorted(items, key=len, reverse=True):
        escaped = re.escape(item)
        if spaces:
            escaped = escaped.replace(r"\ ", spaces)
        if whole_words and item[:1].isalnum():
            escaped = rf"\b{escaped}"
        parts.append(escaped)
    return "|".join(parts)


@lru_cache(maxsize=4)
def load_vocabulary(path: str) -> Vocabulary:
    return Vocabulary(tomllib.loads(Path(path).read_text("utf-8")))
