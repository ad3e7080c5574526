"""Quotes and reported speech, with their speakers.

Direct quotes are words in quotation marks (“…”, "…", «…», „…“, '…', ‘…’) of at least four words, or of two or three
with an attribution right after them ("«Это важный шаг», – отметил Сотиров."); a short,
capitalised quotation next to a noun such as "law" or "project" (Закон «О бесплатной правовой помощи»,
the "Safe Streets" project) is a title, not speech. The speaker is found, in order:

1. in the sentence that leads into the quote: "Dreyer said: “…”", "Rakhimova, an editor, said that …:
   “…”", "Lomidze … said she hoped to work on “how young people …”", "По словам X, «…»": the person
   before the last speech verb there, else the first person the sentence names;
2. in the attribution right after it: "“…,” said the OSCE Senior Police Adviser Knut Dreyer.",
   "“…,” Baumgartner said.", "…», – сказала … посол Натали Дюпре.";
3. a quote with no attribution of its own continues the previous quote's speaker when it follows it in
   the same or the next paragraph.

A name, a known surname, a role mention that refers to a person ("the Chairperson-in-Office said") and a
pronoun ("he said": the person named last before the quote, skipping one of the other gender) all name the speaker;
a surname matches in any Russian case form ("По словам Сотирова"). "X said that …"
outside quotation marks is reported speech (``direct`` false).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..document import Document
from .people import same_word, without_abbreviation_periods
from .vocabulary import Vocabulary, alternation

_QUOTE = re.compile(r"[“\"«„]([^“”\"«»„]{10,}?)[”\"»“]")
# Single quotation marks, told from apostrophes ("Kazakhstan's", "don't", "the '90s"): the opening mark stands after
# no letter and before a letter, the closing one after no space and before no letter.
_SINGLE_QUOTE = re.compile(r"(?<![\w'’‘])['‘](?=[^\W\d_])([^“”\"«»„\n]{10,}?)(?<=\S)['’](?![\w'’])")
_SENTENCE_END = re.compile(r"[.!?][”\"»'’]?\s+(?=[^\W\d_]|[“\"«„'‘])")
_CAPITALISED_RUN = re.compile(r"[A-ZÀ-ÞА-ЯЁ][\w'’-]+(?:\s+[A-ZÀ-ÞА-ЯЁ][\w'’-]+)+")


@lru_cache(maxsize=4)
def _patterns(vocabulary: Vocabulary) -> dict[str, re.Pattern]:
    verbs = vocabulary.verb_pattern
    words = vocabulary.quotes
    return {
        "after": re.compile(rf"^\s*[,.]?\s*[–—-]?\s*(?P<verb>{verbs})\b(?P<who>[^.!?\n“\"«]{{0,160}})", re.I),
        "after_inverted": re.compile(rf"^\s*[,.]?\s*[–—-]?\s*(?P<who>[^.!?\n“\"«,]{{2,60}}?)\s+(?P<verb>{verbs})\b", re.I),
        "before": re.compile(rf"(?P<who>[^.!?\n”\"»]{{2,120}}?)\s+(?P<verb>{verbs})\s*(?:that\s*)?[:,]?\s*$", re.I),
        "verb": re.compile(rf"(?<![\w-])(?:{verbs})(?![\w-])", re.I),
        # "that" first, the verb before it second: a scan for the verbs at every position costs more than the NER
        "reported": re.compile(r"(?<![\w-])that\s+(?P<quote>[^.!?\n:“\"«]{10,}[.!?]?)", re.I),
        "verb_before": re.compile(rf"(?<![\w-])(?P<verb>{verbs})\s+$", re.I),
        "pronoun": re.compile(rf"^\s*(?:{alternation([p for ps in words['pronouns'].values() for p in ps])})\s*$", re.I),
        "title_before": re.compile(rf"(?<![\w-])(?:{alternation(words['title_cues'])})\s*$", re.I),
        "title_after": re.compile(rf"^\s*(?:{alternation(words['title_cues'])})(?![\w-])", re.I),
    }


def quote_rows(doc: Document, people: dict[tuple[int, int], str], vocabulary: Vocabulary) -> list[dict]:
    text = without_abbreviation_periods(doc.body_text, vocabulary)  # "St. Mary's" ends no sentence
    persons = sorted(people.items())
    patterns = _patterns(vocabulary)
    genders = _genders_by_honorific(doc, people, vocabulary)
    rows: list[dict] = []
    last_speaker, last_end = None, -1
    for m in _quotations(text):
        quote = m.group(1).strip()
        short = len(quote.split()) < 4  # speech only with an attribution right after it: "«Это важный шаг», – отметил X."
        if len(quote.split()) < 2 or _is_a_name(quote) or _is_a_title(text, m, quote, patterns):
            continue
        paragraph_start = text.rfind("\n\n", 0, m.start()) + 1
        paragraph_end = text.find("\n\n", m.end())
        paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        sentence_start = _sentence_start(text, paragraph_start, m.start())
        speaker, verb = (None, None) if short else _lead_in(text, sentence_start, m.start(), persons, genders, vocabulary, patterns)
        if speaker is None:
            speaker, verb = _attribution_after(text, m.end(), paragraph_end, m.start(), persons, genders, vocabulary, patterns)
        if short and speaker is None:
            continue
        if speaker and verb:
            _learn_gender(genders, speaker, verb, vocabulary)
        # a quote with an attribution of its own that names no one known is not the previous speaker's
        if speaker is None and verb is None and last_speaker and _continues(text, last_end, m.start()):
            speaker, verb = last_speaker, rows[-1]["verb"] if rows else None
        rows.append({
            "speaker": speaker, "quote": doc.body_text[m.start(1) : m.end(1)].strip(), "verb": verb, "direct": True,
            "start": m.start(1) + (len(m.group(1)) - len(m.group(1).lstrip())), "end": m.start(1) + len(m.group(1).rstrip()),
            "source": "rule:quotes/quotation-marks",
        })
        if speaker:
            last_speaker, last_end = speaker, m.end()
    for m in patterns["reported"].finditer(text):
        verb = patterns["verb_before"].search(text, max(0, m.start() - 40), m.start())
        if verb is None or any(r["start"] <= verb.start() <= r["end"] for r in rows):
            continue
        sentence_start = max(text.rfind(". ", 0, verb.start()) + 2, text.rfind("\n", 0, verb.start()) + 1)
        speaker = _person_in(sentence_start, verb.start(), persons, text, last=True)
        if speaker:
            rows.append({
                "speaker": speaker, "quote": doc.body_text[m.start("quote") : m.end("quote")].strip(), "verb": verb.group("verb"), "direct": False,
                "start": m.start("quote"), "end": m.end("quote"), "source": "rule:quotes/said-that",
            })
    return sorted(rows, key=lambda r: r["start"])


def _quotations(text: str) -> list[re.Match]:
    """Quotations in double marks, and in single marks outside them (a quote within a quote is part of it)."""
    double = list(_QUOTE.finditer(text))
    single = [m for m in _SINGLE_QUOTE.finditer(text) if not any(d.start() <= m.start() < d.end() for d in double)]
    return sorted([*double, *single], key=lambda m: m.start())


def _is_a_name(quote: str) -> bool:
    """A title in quotation marks ("Kyrgyzstan Community Security Initiative") is not speech."""
    words = quote.split()
    capitalised = sum(1 for w in words if w[:1].isupper() or w.lower() in ("of", "and", "for", "the", "in", "on"))
    return capitalised == len(words) and not re.search(r"[.!?,;:]", quote)


def _is_a_title(text: str, m: re.Match, quote: str, patterns) -> bool:
    """Закон «О бесплатной правовой помощи», the “Safe Streets for Everyone” project: short, capitalised, without
    clause punctuation, right after or before a noun that names titles."""
    if not quote[:1].isupper() or len(quote.split()) > 10 or re.search(r"[.!?,;:]", quote):
        return False
    before = text[max(0, m.start() - 40) : m.start()]
    return bool(patterns["title_before"].search(before) or patterns["title_after"].match(text[m.end() : m.end() + 40]))


def _sentence_start(text: str, paragraph_start: int, position: int) -> int:
    ends = list(_SENTENCE_END.finditer(text, paragraph_start, position + 1))  # + 1: the lookahead sees the quotation mark
    return ends[-1].end() if ends else paragraph_start


def _lead_in(text: str, start: int, quote_start: int, persons, genders, vocabulary, patterns) -> tuple[str | None, str | None]:
    """The speaker named in the sentence before the quote: 'X said: “…”', 'X called the outcome “…”'."""
    lead = text[start:quote_start]
    if not re.search(r"[^\W\d_]", lead):
        return None, None
    m = patterns["before"].search(lead)
    if m:
        speaker = _resolve(text, start + m.start("who"), start + m.end("who"), m.group("verb"), quote_start, persons, genders, vocabulary, patterns, last=True)
        if speaker:
            return speaker, m.group("verb")
    verbs = list(patterns["verb"].finditer(lead))
    if verbs:
        verb = verbs[-1]
        # the person before the verb ("X said"), else after it ("По словам Сотирова, «…»", "said X:")
        speaker = _person_in(start, start + verb.start(), persons, text, last=True) or _person_in(start + verb.end(), quote_start, persons, text)
        if speaker:
            return speaker, verb.group()
    return _person_in(start, quote_start, persons, text), None


def _attribution_after(text, quote_end, paragraph_end, quote_start, persons, genders, vocabulary, patterns):
    """The speaker and verb of the attribution right after a quote; (None, verb) when it names no one known."""
    after = text[quote_end:paragraph_end]
    verb = None
    for pattern in (patterns["after"], patterns["after_inverted"]):
        m = pattern.match(after)
        if m:
            verb = m.group("verb")
            speaker = _resolve(text, quote_end + m.start("who"), quote_end + m.end("who"), verb, quote_start, persons, genders, vocabulary, patterns)
            if speaker:
                return speaker, verb
    return None, verb


def _resolve(text, start, end, verb, quote_start, persons, genders, vocabulary, patterns, last=False) -> str | None:
    """Who text[start:end] names: a person or role mention, a known surname, a pronoun (the person named last
    before the quote whose known gender does not contradict the pronoun's or the verb's) or, on pages without a
    person model, a run of capitalised words."""
    who = text[start:end]
    if patterns["pronoun"].match(who):
        gender = _gender_of(who.strip().lower(), vocabulary.quotes["pronouns"]) or _gender_of(verb.lower(), vocabulary.quotes["verb_genders"])
        before = [name for (s, e), name in persons if e <= quote_start and genders.get(name, gender) == gender]
        return before[-1] if before else None
    return _person_in(start, end, persons, text, last=last) or _capitalised_name(who)


def _gender_of(word: str, words_by_gender: dict[str, list[str]]) -> str | None:
    return next((gender for gender, words in words_by_gender.items() if word in words), None)


def _genders_by_honorific(doc: Document, people: dict[tuple[int, int], str], vocabulary: Vocabulary) -> dict[str, str]:
    """Person -> gender, from an honorific right before a mention ("Ms. Lee", "г-жа Шмид")."""
    genders = {}
    honorifics = {s.end: s.text for s in doc.spans if s.label == "HONORIFIC"}
    for (start, _), name in people.items():
        honorific = honorifics.get(start - 1) if doc.body_text[start - 1 : start] == " " else None
        gender = _gender_of(honorific, vocabulary.quotes["honorific_genders"]) if honorific else None
        if gender:
            genders[name] = gender
    return genders


def _learn_gender(genders: dict[str, str], speaker: str, verb: str, vocabulary: Vocabulary) -> None:
    """A Russian past-tense speech verb tells its speaker's gender ("– отметила Шмид")."""
    gender = _gender_of(verb.lower(), vocabulary.quotes["verb_genders"])
    if gender:
        genders.setdefault(speaker, gender)


def _person_in(start: int, end: int, persons, text: str | None = None, last: bool = False) -> str | None:
    """The person mentioned in text[start:end] (the first, or the ``last``): a person or role mention, else a
    known person's surname (the model often misses a repeated surname: "said Dačić")."""
    inside = [name for (s, e), name in persons if start <= s and e <= end]
    if inside:
        return inside[-1] if last else inside[0]
    if text is not None:
        window = text[start:end]
        for name in dict.fromkeys(name for _, name in persons):
            if _has_word(window, name.split()[-1]):
                return name
    return None


def _has_word(text: str, word: str) -> bool:
    """``word`` as a whole word of ``text``, a Russian surname in any case form ("по словам Сотирова")."""
    at = text.find(word[:4])
    while at >= 0:
        if at == 0 or not text[at - 1].isalnum():
            end = at
            while end < len(text) and text[end].isalnum():
                end += 1
            if same_word(text[at:end], word):
                return True
        at = text.find(word[:4], at + 1)
    return False


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
