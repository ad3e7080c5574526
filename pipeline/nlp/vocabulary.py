"""The word lists of the entity extractors (``rules/vocabulary.toml``), checked against a declared schema and
compiled on use.

The schema is the TypedDicts below: one per section, each key with its type. Loading refuses a file
with a missing key, an unknown one (a misspelt key would otherwise be silently ignored and its list
would be empty: the error says which declared key it resembles) or a value of the wrong type, naming
the file, the section and the key. A new word list is declared here and written once, in the file.
"""

import difflib
import re
import tomllib
import typing
from functools import cached_property
from pathlib import Path
from typing import NotRequired, TypedDict

# --------------------------------------------------------------------------------------------- schema

ByLanguage = dict[str, list[str]]  # ISO 639-1 code -> words


class CountsWords(TypedDict):
    """[counts]: nlp/counts.py (and the qualifier, currency and document-number patterns of ``Vocabulary``)."""

    qualifiers: dict[str, str]
    range_connectors: list[str]
    list_connectors: list[str]
    range_openers: list[str]
    currency_codes: list[str]
    currency_signs: dict[str, str]
    compound_unit_stems: dict[str, str]
    age_words_after: list[str]
    age_words_before: list[str]
    age_predicate_verbs: list[str]
    age_predicate_qualifiers: list[str]
    compound_age_suffix: str
    compound_span_suffix: str
    percent_words: list[str]
    percent_words_before_object: list[str]
    percent_comparatives: list[str]
    ago_words: list[str]
    distance_directions: list[str]
    distance_from_words: list[str]
    distance_destination_words: list[str]
    subset_cues: list[str]
    relative_period_words: list[str]
    money_sources_after: list[str]
    interval_words: list[str]
    duration_prepositions: list[str]
    time_adjectives: list[str]
    money_cues_before: list[str]
    money_cues_detached_by_comma: list[str]
    purpose_words: list[str]
    linking_verbs: list[str]
    span_prepositions: list[str]
    lasting_verbs: list[str]
    irregular_participles: list[str]
    adjective_endings: list[str]
    plain_adjectives: list[str]
    verb_endings: list[str]
    verb_ending_nouns: list[str]
    total_cues: list[str]
    object_continuations: list[str]
    partitive_words: list[str]
    partitive_pronouns: list[str]
    partitive_quantifiers: list[str]
    group_pronouns: list[str]
    document_number_cues: list[str]
    object_stop_words: list[str]
    clause_words: list[str]
    relative_pronouns: list[str]
    determiners: list[str]
    auxiliaries: list[str]
    adverbs: list[str]
    prepositions: list[str]
    articles: list[str]
    infinitive_markers: list[str]
    noun_phrase_joiners: list[str]
    money_recipients_after: list[str]
    number_words: dict[str, list[str]]  # value (as a TOML key) -> every written form
    number_scales: dict[str, list[str]]
    currency_words: dict[str, str]
    duration_units: dict[str, str]
    distance_units: dict[str, str]
    genitive_plural_endings: dict[str, str]  # Russian genitive plural ending -> nominative plural ending
    nominative_i_after: list[str]
    irregular_plurals: dict[str, str]  # genitive plural -> nominative plural


class QuotesWords(TypedDict):
    """[quotes]: nlp/quotes.py; ``speech_verbs`` also serve the people rules."""

    speech_verbs: list[str]
    pronouns: dict[str, list[str]]  # gender -> pronouns
    honorific_genders: dict[str, list[str]]  # gender -> honorifics
    verb_genders: dict[str, list[str]]  # gender -> past-tense speech verbs
    speaker_determiners: list[str]
    name_small_words: list[str]
    title_cues: list[str]


class PeopleWords(TypedDict):
    """[people]: nlp/people.py."""

    title_nouns: list[str]
    title_modifiers: list[str]
    title_prepositions: list[str]
    honorifics: list[str]
    role_clause_openers: list[str]
    not_name_words: list[str]
    group_nouns: list[str]
    patronymic_endings: list[str]
    name_particles: list[str]
    abbreviations: list[str]
    role_chain_words: list[str]
    title_clause_leads: list[str]
    appositive_conjunctions: list[str]
    finite_verbs: list[str]
    role_complement_prepositions: list[str]
    role_complement_words: list[str]
    name_titles: list[str]


class CalendarWords(TypedDict):
    """[calendar]: nlp/date_mentions.py (per language), and the month and weekday tests of the other extractors."""

    months: dict[str, list[list[str]]]  # language -> one list of forms per month, January first
    weekdays: dict[str, list[list[str]]]  # language -> one list of forms per weekday, Monday first
    year_words: ByLanguage
    year_prepositions: ByLanguage
    range_openers: ByLanguage
    range_separators: ByLanguage
    range_conjunctions: ByLanguage
    day_after_month: list[str]
    date_joiners: ByLanguage
    leading_words: list[str]  # words before a date that are no part of it ("on", "since", "the")
    duration_amounts: list[str]  # with number words and digits, the amount of a length of time ("a week", "several days")
    duration_tails: list[str]  # after a length of time ("three years long")


class RelativePhrases(TypedDict, total=False):
    day: dict[str, int]  # phrase -> offset in days from the publication date
    month: dict[str, int]
    year: dict[str, int]


class RelativeDateWords(TypedDict, total=False):
    """[relative_dates.<language>]: every key optional (a language may have only phrases)."""

    future: list[str]
    past: list[str]
    past_endings: list[str]  # a word with one of these endings is a past form ...
    not_past: list[str]  # ... unless it is one of these
    clause_openers: list[str]  # words opening another clause: the search for a date's verb stops there
    adjective_markers: list[str]  # a past form right after one is an adjective ("the reduced dividend")
    next: list[str]
    last: list[str]
    month_year_joiners: list[str]
    day_parts: list[str]
    ago: list[str]
    units: dict[str, list[str]]  # granularity -> its words
    edges: dict[str, list[str]]  # edge of a period (start, middle, end) -> the words that name it
    edge_years: list[str]
    vague: list[str]
    vague_phrases: list[str]  # time expressions that name no date, kept as unresolved rows wherever they stand
    endpoints: list[str]  # "extended to Nov. 20": a past verb before these says nothing of the date after them
    year_ends: list[str]  # phrases of `phrases.year` that name the year's last day ("by year-end": 31 December)
    phrases: RelativePhrases
    anaphoric: RelativePhrases  # phrases counted from the date the text last named, not from publication


class PlacesWords(TypedDict):
    """[places]: nlp/places.py, one word at a time (lower case)."""

    institution_nouns: list[str]
    branch_nouns: list[str]
    document_nouns: list[str]
    site_nouns: list[str]
    event_nouns: list[str]
    role_nouns: list[str]
    portfolio_role_nouns: list[str]
    reference_nouns: list[str]
    feature_nouns: list[str]
    list_prepositions: list[str]
    place_prepositions: list[str]
    region_nouns: list[str]
    singular_region_nouns: list[str]
    river_nouns: list[str]
    adjective_endings_ru: list[str]
    nominative_adjective_endings_ru: dict[str, list[str]]  # gender of the head noun -> endings
    slot_prepositions: list[str]
    name_trailing_words: list[str]


class VocabularyFile(TypedDict):
    counts: CountsWords
    quotes: QuotesWords
    people: PeopleWords
    calendar: CalendarWords
    relative_dates: NotRequired[dict[str, RelativeDateWords]]  # language -> words
    places: PlacesWords


class VocabularyError(ValueError):
    """A rule file that does not fit its schema; the message names the file, the section and the key."""


def check_rule_file(data: dict, schema: type, source: str) -> None:
    """Raise ``VocabularyError`` unless ``data`` (a parsed TOML file) fits ``schema`` (a TypedDict)."""
    _check(data, schema, source, ())


def _check(value, expected, source: str, path: tuple[str, ...]) -> None:
    if typing.is_typeddict(expected):
        if not isinstance(value, dict):
            raise VocabularyError(f"{_where(source, path)}: expected a table, found {_kind(value)}")
        hints = typing.get_type_hints(expected)
        for key in value:
            if key not in hints:
                close = difflib.get_close_matches(key, list(hints), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else f"; declared: {', '.join(hints)}"
                what = "section" if not path else "key"
                raise VocabularyError(f"{_where(source, (*path, key))}: unknown {what}{hint} (a new {what} is declared in "
                                      f"{expected.__module__}.{expected.__name__})")
        for key in sorted(expected.__required_keys__ - set(value)):
            raise VocabularyError(f"{_where(source, (*path, key))}: missing (declared in {expected.__module__}.{expected.__name__})")
        for key in value:
            _check(value[key], hints[key], source, (*path, key))
        return
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if origin is list:
        if not isinstance(value, list):
            raise VocabularyError(f"{_where(source, path)}: expected {_describe(expected)}, found {_kind(value)}")
        for i, item in enumerate(value):
            _check(item, args[0], source, (*path, f"[{i}]"))
    elif origin is dict:
        if not isinstance(value, dict):
            raise VocabularyError(f"{_where(source, path)}: expected {_describe(expected)}, found {_kind(value)}")
        for key, item in value.items():
            _check(item, args[1], source, (*path, str(key)))
    elif expected is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise VocabularyError(f"{_where(source, path)}: expected an integer, found {_kind(value)}")
    elif expected is str:
        if not isinstance(value, str):
            raise VocabularyError(f"{_where(source, path)}: expected a string, found {_kind(value)}")
    else:
        raise TypeError(f"schema type {expected!r} is not supported")


def _where(source: str, path: tuple[str, ...]) -> str:
    if not path:
        return source
    key = ".".join(path[1:]).replace(".[", "[")
    return f"{source} [{path[0]}]" + (f" {key}" if key else "")


def _describe(expected) -> str:
    if typing.is_typeddict(expected):
        return "a table"
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if origin is list:
        return f"a list of {_plural(args[0])}"
    if origin is dict:
        return f"a table of {_plural(args[1])}"
    return {str: "a string", int: "an integer"}.get(expected, str(expected))


def _plural(expected) -> str:
    described = _describe(expected)
    return {"a string": "strings", "an integer": "integers", "a table": "tables"}.get(described, described.replace("a list of", "lists of").replace("a table of", "tables of"))


def _kind(value) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}
    kind = names.get(type(value), type(value).__name__)
    return f"{kind} {value!r}" if isinstance(value, (str, int, float)) and len(repr(value)) <= 40 else kind


# ----------------------------------------------------------------------------------------- vocabulary


class Vocabulary:
    """The checked sections of ``vocabulary.toml`` and the patterns several extractors compile from them."""

    def __init__(self, data: dict, source: str = "vocabulary.toml"):
        check_rule_file(data, VocabularyFile, source)
        counts, quotes, people = data["counts"], data["quotes"], data["people"]
        self.qualifiers: dict[str, str] = counts["qualifiers"]
        self.currency_codes: list[str] = counts["currency_codes"]
        self.currency_signs: dict[str, str] = counts["currency_signs"]
        self.document_number_cues: list[str] = counts["document_number_cues"]
        self.counts: CountsWords = counts  # the whole [counts] section: nlp/counts.py compiles its word lists
        self.speech_verbs: list[str] = quotes["speech_verbs"]
        self.title_nouns: list[str] = people["title_nouns"]
        self.honorifics: list[str] = people["honorifics"]
        self.people: PeopleWords = people  # the whole [people] section: nlp/people.py compiles its word lists
        self.quotes: QuotesWords = quotes  # the whole [quotes] section: nlp/quotes.py compiles its word lists
        # [places]: the word lists of nlp/places.py, as sets it asks about one word at a time
        self.places: dict = {key: frozenset(words) if isinstance(words, list) else words for key, words in data["places"].items()}
        # Calendar words per language, in calendar order (``date_mentions`` compiles them per language);
        # the flat lists serve the extractors that only ask whether a word is a month or a weekday.
        self.calendar: CalendarWords = data["calendar"]
        self.relative_dates: dict[str, RelativeDateWords] = data.get("relative_dates", {})
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
        words = self.people
        nouns, modifiers = alternation(self.title_nouns), alternation(words["title_modifiers"])
        return re.compile(rf"^(?:the\s+|The\s+)?(?:(?:{modifiers})\s+)?(?:{nouns})\s+(?:{alternation(words['title_prepositions'])})\s+\S.*$")

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


def parse_vocabulary(text: str, source: str = "vocabulary.toml") -> Vocabulary:
    """The vocabulary of a ``vocabulary.toml`` text (``source`` names it in errors). Not cached here:
    ``Resources.vocabulary`` caches it by the file's content, so an edited file is seen by the next ``Resources``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{source}: not TOML: {exc}") from exc
    return Vocabulary(data, source)


def load_vocabulary(path: str | Path) -> Vocabulary:
    """The vocabulary of a ``vocabulary.toml`` file, its path named in errors (uncached, like ``parse_vocabulary``)."""
    return parse_vocabulary(Path(path).read_text("utf-8"), str(path))
