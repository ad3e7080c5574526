"""The spaCy pipelines: the English model (only the components that matter) plus our rules.

Order: the statistical ``ner`` runs first and writes ``doc.ents``; then ``rule_spans`` (``RuleSpans``)
writes the rule matches to ``doc.spans["rules"]`` without touching ``doc.ents``. Both kinds of mentions are kept,
each with its own provenance, and later steps decide between them (a rule's ORG over the model's
GPE inside "OSCE Centre in Bishkek", for instance). Pages in other languages get a blank tokenizer
for their language plus the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from ..config import Settings
from ..language import written_without_spaces
from .rules import RuleSet

RULES_KEY = "rules"


@dataclass
class NLP:
    model: Language | None
    model_id: str
    rules: RuleSet
    settings: Settings
    _blank: dict[str, Language] = field(default_factory=dict)
    _first_words: FirstWords | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self._first_words = first_words(self.rules.patterns())

    def has_model(self, language: str | None) -> bool:
        return self.model is not None and (language or "en") in self.settings.model_languages

    def rules_may_match(self, text: str) -> bool:
        """False only when no rule pattern can match the text: none of the words a match must begin
        with is a word of the text. A page in a language without the model is parsed only for the
        rules, and on most such pages (a German news article) no rule applies: tokenizing it would
        be the whole cost of its ``ner`` step, for nothing. Text written without spaces (Chinese,
        Japanese, Thai) has no word boundaries to test and is always parsed."""
        if self._first_words is None or written_without_spaces(text):
            return True
        return self._first_words.may_open(text)

    def for_language(self, language: str | None) -> Language:
        """The model for the languages it was trained on; a blank pipeline with the rules otherwise."""
        if self.has_model(language):
            return self.model
        code = language or "xx"
        if code not in self._blank:
            try:
                blank = spacy.blank(code)
            except Exception:  # noqa: BLE001 - spaCy has no tokenizer for this language
                blank = spacy.blank("xx")
            _add_rules(blank, self.rules)
            self._blank[code] = blank
        return self._blank[code]

    def source_of(self, pipeline: Language) -> str:
        return f"model:{self.model_id}" if pipeline is self.model else f"model:spacy-blank-{pipeline.lang}"


def load_model(settings: Settings) -> tuple[Language | None, str]:
    """The first available model of ``settings.models`` (an installed package or a model folder, e.g. one
    the retraining notebook saved), with only ``settings.enable`` kept."""
    for name in settings.models:
        if Path(name).is_dir() and (Path(name) / "meta.json").exists():
            meta = spacy.util.get_model_meta(Path(name))
            name_for_id = f"{meta.get('lang', 'xx')}_{meta.get('name', Path(name).name)}"
        elif spacy.util.is_package(name):
            meta = spacy.util.get_model_meta(spacy.util.get_package_path(name))
            name_for_id = name
        else:
            continue
        components = meta.get("pipeline", [])
        exclude = [c for c in components if c not in settings.enable]
        model = spacy.load(name, exclude=exclude)
        return model, f"{name_for_id}-{meta.get('version', '?')}"
    return None, "none"


def build_nlp(settings: Settings, rules_dir: Path) -> NLP:
    rules = RuleSet.load(Path(rules_dir) / "patterns")
    model, model_id = load_model(settings)
    if model is not None:
        _add_rules(model, rules)
    return NLP(model, model_id, rules, settings)


def _add_rules(nlp: Language, rules: RuleSet) -> None:
    ruler = nlp.add_pipe(RULE_PIPE, config={"spans_key": RULES_KEY})
    ruler.add_patterns(rules.patterns())


RULE_PIPE = "rule_spans"


@Language.factory(RULE_PIPE, default_config={"spans_key": RULES_KEY})
def _make_rule_spans(nlp: Language, name: str, spans_key: str) -> RuleSpans:
    return RuleSpans(nlp, spans_key)


class RuleSpans:
    """The rule patterns' matches in ``doc.spans[spans_key]``, as spaCy's ``span_ruler`` writes them (the
    pattern's label, its id as ``span.id_``; phrase patterns match the exact text, token patterns are
    validated when added).

    The difference is cost. spaCy's ``Matcher`` tries every token pattern at every token, so each text
    pays for every pattern (on English news, the rules cost 7% of the model's time, nearly all of it
    patterns that cannot match there, such as the "OSCE Mission to X" family). Token patterns are grouped
    by the words their first token must be, and a group runs only on a text that contains one of those
    words: a substring test on the casefolded text, so it never skips a match. A pattern of one token
    that is a word list ("Adviser", "Ambassador", ... as ``ORTH`` or ``LOWER``) is a list of phrases:
    each word the tokenizer keeps as one token goes to a phrase matcher on that attribute (a hash
    lookup per token), which matches exactly where the token pattern would."""

    def __init__(self, nlp: Language, spans_key: str):
        self.spans_key = spans_key
        self._vocab = nlp.vocab
        self._make_doc = nlp.make_doc
        self._phrases = PhraseMatcher(nlp.vocab)
        self._lower_phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._groups: dict[frozenset[str] | None, Matcher] = {}
        self._label_and_id: dict[int, tuple[str, str]] = {}

    def add_patterns(self, patterns) -> None:
        """``{"label", "pattern", "id"}`` dicts; ``pattern`` a phrase (str) or a token pattern (list)."""
        for entry in patterns:
            label, pattern_id = entry["label"], entry.get("id", "")
            key = repr((label, pattern_id))
            self._label_and_id[self._vocab.strings.add(key)] = (label, pattern_id)
            pattern = entry["pattern"]
            if isinstance(pattern, str):
                self._phrases.add(key, [self._make_doc(pattern)])
                continue
            pattern = self._as_phrases(key, pattern)
            if pattern:
                words = first_token_words(pattern)
                if words not in self._groups:
                    self._groups[words] = Matcher(self._vocab, validate=True)
                self._groups[words].add(key, [pattern])

    def _as_phrases(self, key: str, pattern: list[dict]) -> list[dict] | None:
        """A one-token word-list pattern's words that are one token each, added as phrases; the
        pattern of the words left (None when none is)."""
        token = {name.upper(): value for name, value in pattern[0].items()} if len(pattern) == 1 else {}
        lowercase_only = token.pop("IS_LOWER", None) is True  # {"LOWER": ..., "IS_LOWER": true}: the word as written
        attr = next(iter(token)) if len(token) == 1 else None
        value = token.get(attr)
        words = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) and set(value) == {"IN"} else None
        if attr not in ("ORTH", "TEXT", "LOWER") or not words or not all(isinstance(w, str) for w in words) \
                or (lowercase_only and attr != "LOWER"):
            return pattern
        matcher = self._phrases if attr != "LOWER" or lowercase_only else self._lower_phrases
        left = []
        for word in words:
            doc = self._make_doc(word)
            # a LOWER value matches only a lowercase form of itself; with IS_LOWER, only that form as written
            same = word.islower() if lowercase_only else attr != "LOWER" or word == word.lower()
            if len(doc) == 1 and same:
                matcher.add(key, [doc])
            else:
                left.append(word)
        if not left:
            return None
        rest = {attr: {"IN": left}}
        return [{**rest, "IS_LOWER": True} if lowercase_only else rest]

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text.casefold()
        matches = list(self._phrases(doc))
        matches.extend(self._lower_phrases(doc))
        for words, matcher in self._groups.items():
            if words is None or any(word in text for word in words):
                matches.extend(matcher(doc))
        spans = {
            Span(doc, start, end, label=self._label_and_id[key][0], span_id=self._label_and_id[key][1])
            for key, start, end in matches
            if start != end
        }
        doc.spans[self.spans_key] = sorted(spans)
        return doc


def first_token_words(pattern: list[dict]) -> frozenset[str] | None:
    """The casefolded words a token pattern's match may begin with (see ``first_token_options``)."""
    options = first_token_options(pattern)
    return None if options is None else frozenset(word.casefold() for word, _ in options)


def first_token_options(pattern: list[dict]) -> frozenset[tuple[str, bool]] | None:
    """(word, as written) for each word a token pattern's match may begin with: its first token's
    ``ORTH`` or ``TEXT`` (as written: the case must match) or ``LOWER`` (any case), one value or an
    ``IN`` list, and, when that token is optional (``?``, ``*``), the words the rest may begin with;
    ``None`` where the first token is any word of a kind (``IS_TITLE``, ``SHAPE``...) or a negation."""
    first = {key.upper(): value for key, value in pattern[0].items()} if pattern else {}
    if first.get("OP") == "!":
        return None
    own = None
    for attr in ("ORTH", "TEXT", "LOWER"):
        value = first.get(attr)
        as_written = attr != "LOWER"
        if isinstance(value, str):
            own = frozenset([(value, as_written)])
        elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
            own = frozenset((v, as_written) for v in value["IN"])
        if own is not None:
            break
    if own is None or first.get("OP") not in ("?", "*"):
        return own
    rest = first_token_options(pattern[1:]) if len(pattern) > 1 else None
    return own | rest if rest is not None else None


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class FirstWords:
    """The words some rule match must begin with: ``exact`` as the text must write them (phrases and
    ``ORTH`` tokens: "UN", "EU", "Dr"), ``folded`` in any case (``LOWER`` tokens), casefolded. Kept
    apart, the French "un" and "eu" no longer send a page through the tokenizer for rules that want
    "UN" and "EU"."""

    exact: frozenset[str]
    folded: frozenset[str]

    def may_open(self, text: str) -> bool:
        words = set(_WORD.findall(text))
        return not self.exact.isdisjoint(words) or not self.folded.isdisjoint(w.casefold() for w in words)


def first_words(patterns) -> FirstWords | None:
    """The word every match of some pattern begins with (the first ``\\w+`` run of a phrase, of each
    word a token pattern's first token may be); None when a token pattern's first token may be any
    word of a kind, so that no text can be ruled out.

    A match's first token is a token of the text, and tokenizers of languages written with spaces
    cut inside a run of word characters only before digits, units and contractions, none of which
    opens a pattern: so the word is then also a whole ``\\w+`` run of the text."""
    exact: set[str] = set()
    folded: set[str] = set()
    for entry in patterns:
        pattern = entry["pattern"]
        options = [(pattern, True)] if isinstance(pattern, str) else first_token_options(pattern)
        if options is None:
            return None
        for option, as_written in options:
            found = _WORD.search(option)
            if found is None:
                return None
            if as_written:
                exact.add(found.group(0))
            else:
                folded.add(found.group(0).casefold())
    return FirstWords(frozenset(exact), frozenset(folded))
