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
3. further on in the quote's sentence, after an apposition or the rest of a partial quote: "“…,” Scott
   Pruitt, the attorney general of Oklahoma, said", "''…'' of the proposals, Mr. Holtz-Eakin said";
4. a quote with no attribution of its own continues the previous quote's speaker when it follows it in
   the same or the next paragraph.

A name, a known surname, a role mention that refers to a person ("the Chairperson-in-Office said") and a
pronoun ("he said": the person named last before the quote, skipping one of the other gender) all name the speaker;
a surname matches in any Russian case form ("По словам Сотирова"). "X said that …"
outside quotation marks is reported speech (``direct`` false).
"""

from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache

from ..document import Document
from .people import refers_to_role, same_word, without_abbreviation_periods
from .vocabulary import Vocabulary, alternation

# Double quotation marks: “…”, "…", «…», „…“ and two apostrophes ''…'' (how some newspapers write them).
_DOUBLE_MARK = re.compile(r"''|[“”\"«»„]")
_OPENS_ONLY, _CLOSES_ONLY = "«„", "»"
_OPEN_AFTER = "([{—–-/"  # a mark after one of these (or a space) opens a quotation
# Single quotation marks, told from apostrophes ("Kazakhstan's", "don't", "the '90s"): the opening mark stands after
# no letter and before a letter, the closing one after no space and before no letter.
_SINGLE_QUOTE = re.compile(r"(?<![\w'’‘])['‘](?=[^\W\d_])([^“”\"«»„\n]{10,}?)(?<=\S)['’](?![\w'’])")
_SENTENCE_END = re.compile(r"[.!?][”\"»'’]?\s+(?=[^\W\d_]|[“\"«„'‘])")
_NAME_WORD = re.compile(r"(?<![\w'’-])[A-ZÀ-ÞА-ЯЁ][\w'’-]*\w")
_POSSESSIVE_END = re.compile(r"['’]s$")
_CYRILLIC_WORD = re.compile(r"[А-ЯЁ]")
_CAPITALISED_RUN = re.compile(r"[A-ZÀ-ÞА-ЯЁ][\w'’-]+(?:\s+[A-ZÀ-ÞА-ЯЁ][\w'’-]+)+")


@lru_cache(maxsize=4)
def _patterns(vocabulary: Vocabulary) -> dict[str, re.Pattern]:
    verbs = vocabulary.verb_pattern
    words = vocabulary.quotes
    return {
        "after": re.compile(rf"^\s*[,.]?\s*[–—-]?\s*(?P<verb>{verbs})\b(?P<who>[^.!?\n“\"«]{{0,160}})", re.I),
        "after_inverted": re.compile(rf"^\s*[,.]?\s*[–—-]?\s*(?P<who>[^.!?\n“\"«,]{{2,60}}?)\s+(?P<verb>{verbs})\b", re.I),
        # the speech verb ending a lead-in ("X said:"); the speaker is the words before it (``_speaker_before``)
        "verb_at_end": re.compile(rf"\s+(?P<verb>{verbs})\s*(?:that\s*)?[:,]?\s*$", re.I),
        "verb": re.compile(rf"(?<![\w-])(?:{verbs})(?![\w-])", re.I),
        # "that" first, the verb before it second: a scan for the verbs at every position costs more than the NER
        "reported": re.compile(r"(?<![\w-])that\s+(?P<quote>[^.!?\n:“\"«]{10,}[.!?]?)", re.I),
        "verb_before": re.compile(rf"(?<![\w-])(?P<verb>{verbs})\s+$", re.I),
        "pronoun": re.compile(rf"^\s*(?:{alternation([p for ps in words['pronouns'].values() for p in ps])})\s*$", re.I),
        "title_before": re.compile(rf"(?<![\w-])(?:{alternation(words['title_cues'])})\s*$", re.I),
        "name_small_words": frozenset(words["name_small_words"]),
        "title_after": re.compile(rf"^\s*(?:{alternation(words['title_cues'])})(?![\w-])", re.I),
        "speaker_determiner": re.compile(rf"^(?:{alternation(words['speaker_determiners'])})\s", re.I),
        "not_name": frozenset(vocabulary.people["not_name_words"]),
    }


def quote_rows(doc: Document, people: dict[tuple[int, int], str], vocabulary: Vocabulary) -> list[dict]:
    text = without_abbreviation_periods(doc.body_text, vocabulary)  # "St. Mary's" ends no sentence
    patterns = _patterns(vocabulary)
    genders = _genders_by_honorific(doc, people, vocabulary)
    persons = sorted({**_surname_mentions(text, people), **people}.items())
    role_holders = [(s.end, s.text, s.attrs["person"]) for s in doc.spans if s.label == "ROLE" and "person" in s.attrs]
    known = set(people.values())
    rows: list[dict] = []
    last_speaker, last_end = None, -1
    for q in _quotations(text):
        inner = text[q.inner_start : q.inner_end]
        quote = inner.strip()
        short = len(quote.split()) < 4  # speech only with an attribution right after it: "«Это важный шаг», – отметил X."
        if len(quote.split()) < 2 or _is_a_name(quote, patterns) or _is_a_title(text, q, quote, patterns):
            continue
        paragraph_start = text.rfind("\n\n", 0, q.start) + 1
        paragraph_end = text.find("\n\n", q.end)
        paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        sentence_start = _sentence_start(text, paragraph_start, q.start)
        speaker, verb = (None, None) if short else _lead_in(text, sentence_start, q.start, persons, genders, vocabulary, patterns)
        if speaker is None and not q.runs_on:
            speaker, verb = _attribution_after(text, q.end, paragraph_end, q.start, persons, genders, vocabulary, patterns)
        if speaker is None and not q.runs_on:
            speaker, verb = _attribution_later(text, q.end, paragraph_end, q.start, persons, genders, vocabulary, patterns) or (None, verb)
        if short and speaker is None:
            continue
        if speaker and speaker not in known:
            speaker = _role_holder(speaker, role_holders, q.start) or speaker
        if speaker and verb:
            _learn_gender(genders, speaker, verb, vocabulary)
        # a quote with an attribution of its own that names no one known is not the previous speaker's
        if speaker is None and verb is None and last_speaker and _continues(text, last_end, q.start):
            speaker, verb = last_speaker, rows[-1]["verb"] if rows else None
        start = q.inner_start + len(inner) - len(inner.lstrip())
        end = q.inner_start + len(inner.rstrip())
        rows.append({
            "speaker": speaker, "quote": doc.body_text[start:end], "verb": verb, "direct": True,
            "start": start, "end": end, "source": "rule:quotes/quotation-marks", "runs_on": q.runs_on,
        })
        if speaker:
            last_speaker, last_end = speaker, q.end
    # a quotation over several paragraphs is often attributed only after its last one
    for row, following in zip(reversed(rows[:-1]), reversed(rows[1:])):
        if row["runs_on"] and row["speaker"] is None:
            row["speaker"], row["verb"] = following["speaker"], following["verb"]
    for row in rows:
        del row["runs_on"]
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


class _Quotation:
    """One quotation: the marks at ``start`` and ``end`` (exclusive), the words between them; ``runs_on`` when it is
    a paragraph of a quotation that goes on in the next paragraph (which opens with a mark again, never closed here)."""

    __slots__ = ("start", "end", "inner_start", "inner_end", "runs_on")

    def __init__(self, start: int, end: int, inner_start: int, inner_end: int, runs_on: bool = False):
        self.start, self.end, self.inner_start, self.inner_end, self.runs_on = start, end, inner_start, inner_end, runs_on


def _quotations(text: str) -> list[_Quotation]:
    """Quotations in double marks, and in single marks outside them (a quote within a quote is part of it)."""
    double = _double_quotations(text)
    single = [
        _Quotation(m.start(), m.end(), m.start(1), m.end(1)) for m in _SINGLE_QUOTE.finditer(text)
        if not any(d.start <= m.start() < d.end for d in double)
    ]
    return sorted([*double, *single], key=lambda q: q.start)


def _double_quotations(text: str) -> list[_Quotation]:
    """Pairs of double marks, each mark told opening or closing by what stands on either side: straight marks
    look the same both ways, and one stray mark ("Marcia "Cia" Price", a typo) must not turn every later
    quotation inside out. A quotation that runs over paragraphs opens each paragraph with a mark and closes
    only at its end; a mark left open at a paragraph end is stray otherwise."""
    out: list[_Quotation] = []
    open_at: re.Match | None = None
    for mark in _DOUBLE_MARK.finditer(text):
        before = text[mark.start() - 1] if mark.start() else " "
        after = text[mark.end()] if mark.end() < len(text) else " "
        if open_at is not None and "\n" in text[open_at.end() : mark.start()]:
            paragraph_end = text.index("\n", open_at.end())
            opens_next = paragraph_end < mark.start() and not text[paragraph_end : mark.start()].strip() and _can_open(mark.group(), before, after)
            if opens_next and paragraph_end - open_at.end() >= 10:
                out.append(_Quotation(open_at.start(), paragraph_end, open_at.end(), paragraph_end, runs_on=True))
            open_at = None
        if open_at is not None and _can_close(mark.group(), before, after):
            if mark.start() - open_at.end() >= 10:
                out.append(_Quotation(open_at.start(), mark.end(), open_at.end(), mark.start()))
            open_at = None
        elif _can_open(mark.group(), before, after):
            open_at = mark  # a second opening mark: the first was stray
    return out


def _can_open(mark: str, before: str, after: str) -> bool:
    if mark in _CLOSES_ONLY or after.isspace():
        return False
    return mark in _OPENS_ONLY or before.isspace() or before in _OPEN_AFTER or (not before.isalnum() and after.isalnum())


def _can_close(mark: str, before: str, after: str) -> bool:
    if mark in _OPENS_ONLY or before.isspace():
        return False
    return mark in _CLOSES_ONLY or after.isspace() or not after.isalnum()


def _is_a_name(quote: str, patterns) -> bool:
    """A title in quotation marks ("Kyrgyzstan Community Security Initiative") is not speech."""
    words = quote.split()
    capitalised = sum(1 for w in words if w[:1].isupper() or w.lower() in patterns["name_small_words"])
    return capitalised == len(words) and not re.search(r"[.!?,;:]", quote)


def _is_a_title(text: str, q: _Quotation, quote: str, patterns) -> bool:
    """Закон «О бесплатной правовой помощи», the “Safe Streets for Everyone” project: short, capitalised, without
    clause punctuation, right after or before a noun that names titles."""
    if not quote[:1].isupper() or len(quote.split()) > 10 or re.search(r"[.!?,;:]", quote):
        return False
    before = text[max(0, q.start - 40) : q.start]
    return bool(patterns["title_before"].search(before) or patterns["title_after"].match(text[q.end : q.end + 40]))


def _sentence_start(text: str, paragraph_start: int, position: int) -> int:
    ends = list(_SENTENCE_END.finditer(text, paragraph_start, position + 1))  # + 1: the lookahead sees the quotation mark
    return ends[-1].end() if ends else paragraph_start


def _lead_in(text: str, start: int, quote_start: int, persons, genders, vocabulary, patterns) -> tuple[str | None, str | None]:
    """The speaker named in the sentence before the quote: 'X said: “…”', 'X called the outcome “…”'."""
    lead = text[start:quote_start]
    if not re.search(r"[^\W\d_]", lead):
        return None, None
    m = patterns["verb_at_end"].search(lead)
    who = _speaker_before(lead, m.start()) if m else None
    if who:
        speaker = _resolve(text, start + who[0], start + who[1], m.group("verb"), quote_start, persons, genders, vocabulary, patterns, last=True)
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


def _speaker_before(lead: str, verb_start: int) -> tuple[int, int] | None:
    """(start, end) of the words of the lead-in before its speech verb: at most SPEAKER_CHARS characters,
    within its sentence and outside quotation marks; None when fewer than two characters are left."""
    start = max(0, verb_start - SPEAKER_CHARS)
    for mark in ".!?\n”\"»":
        start = max(start, lead.rfind(mark, start, verb_start) + 1)
    return (start, verb_start) if verb_start - start >= 2 else None


SPEAKER_CHARS = 120


def _attribution_after(text, quote_end, paragraph_end, quote_start, persons, genders, vocabulary, patterns):
    """The speaker and verb of the attribution right after a quote; (None, verb) when it names no one known."""
    after = text[quote_end:paragraph_end]
    verb = None
    for pattern in (patterns["after"], patterns["after_inverted"]):
        m = pattern.match(after)
        if m:
            verb = m.group("verb")
            speaker = _resolve(text, quote_end + m.start("who"), quote_end + m.end("who"), verb, quote_start, persons, genders, vocabulary, patterns,
                               verb_first=pattern is patterns["after"])
            if speaker:
                return speaker, verb
    return None, verb


_MODIFIER_USE = re.compile(r"(?<![\w'’-])(?:a|an|the|A|An|The)\s$")
_LOWERCASE_WORD = re.compile(r"(?<![\w'’-])[^\W\d_A-ZÀ-ÞА-ЯЁ]")
_INITIAL_END = re.compile(r"(?<![\w'’-])[A-Z]$")  # "Elijah E. Cummings": the period of an initial ends no sentence


def _attribution_later(text, quote_end, paragraph_end, quote_start, persons, genders, vocabulary, patterns) -> tuple[str, str] | None:
    """The attribution further on in the quote's sentence: after an apposition ("“…,” Scott Pruitt, the Republican
    attorney general of Oklahoma, said"), or after the rest of a partial quote ("''I have admiration for the
    mechanics'' of the Clinton proposals, Mr. Holtz-Eakin said", "“…” for criminal behavior, she said"). The speech
    verb is the first one before the sentence ends or another quotation opens; the speaker is the person whose
    mention opens the attribution, else the words right before the verb (a person, a pronoun, a role)."""
    segment = text[quote_end : min(paragraph_end, quote_end + 250)]
    mark = _DOUBLE_MARK.search(segment)
    segment = segment[: mark.start()] if mark else segment
    verb = patterns["verb"].search(segment)
    if verb is None:
        return None
    for end in _SENTENCE_END.finditer(segment, 0, verb.start()):
        if not _INITIAL_END.search(segment, 0, end.start()):
            return None
    verb_start = quote_end + verb.start()
    # the first person named before the verb, with only capitalised words (a title) before the name
    opening = next(((s, e, name) for (s, e), name in persons if quote_end <= s and e <= verb_start), None)
    if opening is not None and not _LOWERCASE_WORD.search(text, quote_end, opening[0]):
        return opening[2], verb.group()
    clause_start = quote_end + segment.rfind(",", 0, verb.start()) + 1
    if clause_start == quote_end or not text[clause_start:verb_start].strip():
        return None
    speaker = _resolve(text, clause_start, verb_start, verb.group(), quote_start, persons, genders, vocabulary, patterns, last=True)
    return (speaker, verb.group()) if speaker else None


def _resolve(text, start, end, verb, quote_start, persons, genders, vocabulary, patterns, last=False, verb_first=False) -> str | None:
    """Who text[start:end] names: a person or role mention, a known surname, a pronoun (the person named last
    before the quote whose known gender does not contradict the pronoun's or the verb's), a run of capitalised
    words (a name the model missed), else the words standing for a speaker no name is given for ("the mayor",
    "a spokesperson for the ministry", "Nervo"). ``verb_first``: the words follow the speech verb ("said the
    mayor"); otherwise they precede it ("the mayor said")."""
    who = text[start:end]
    if patterns["pronoun"].match(who):
        gender = _gender_of(who.strip().lower(), vocabulary.quotes["pronouns"]) or _gender_of(verb.lower(), vocabulary.quotes["verb_genders"])
        # a name after an article is a modifier, not someone a pronoun refers to ("painting Trump as a Romney caricature")
        before = [name for (s, e), name in persons if e <= quote_start and genders.get(name, gender) == gender
                  and not _MODIFIER_USE.search(text, max(0, s - 5), s)]
        return before[-1] if before else None
    return _person_in(start, end, persons, text, last=last) or _capitalised_name(who) or _speaker_phrase(who, verb_first, patterns)


def _speaker_phrase(who: str, verb_first: bool, patterns) -> str | None:
    """The attribution's own words for a speaker without a known name: the phrase next to the verb, up to a comma,
    when it is a noun phrase with a determiner ("the ad's narrator", "a senior official") or one capitalised word
    ("Nervo"); a clause ("As the phone rang, the announcer") gives its last phrase."""
    parts = who.split(",")
    phrase = " ".join((parts[0] if verb_first else parts[-1]).split())
    words = phrase.split()
    if not words or len(words) > 6 or patterns["pronoun"].match(phrase):
        return None
    if patterns["speaker_determiner"].match(phrase) and len(words) >= 2 and not patterns["verb"].search(phrase):
        return phrase
    if len(words) == 1 and _is_name_word(words[0]) and words[0] not in patterns["not_name"]:
        return words[0]
    return None


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and any(c.islower() for c in word) and word[-1].isalpha()


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
            while end < len(text) and (text[end].isalnum() or text[end] == "-"):
                end += 1
            if same_word(text[at:end], word):
                return True
        at = text.find(word[:4], at + 1)
    return False


def _role_holder(words: str, role_holders: list[tuple[int, str, str]], before: int) -> str | None:
    """The person last given the role that ``words`` name again ("the Deputy Head" -> who was introduced as
    "Deputy Head of the OSCE Mission to Serbia")."""
    holders = [person for end, role, person in role_holders if end <= before and refers_to_role(words, role)]
    return holders[-1] if holders else None


def _surname_mentions(text: str, people: dict[tuple[int, int], str]) -> dict[tuple[int, int], str]:
    """Where a known person's surname stands alone and no mention covers it ("Hoxha-Dushku said", the model
    missing a repeated surname), so a pronoun after it finds that person, not the one the model saw last."""
    surnames: dict[str, str] = {}
    for name in people.values():
        if " " in name:
            surnames.setdefault(name.split()[-1], name)
    covered = sorted(people)
    starts = [start for start, _ in covered]
    reach = list(itertools.accumulate((end for _, end in covered), max))  # reach[k]: the furthest end of covered[: k + 1]
    out = {}
    for m in _NAME_WORD.finditer(text):
        word = _POSSESSIVE_END.sub("", m.group())
        name = surnames.get(word)
        if name is None and _CYRILLIC_WORD.match(word):  # a Russian surname in another case ("Назаровой")
            name = next((n for surname, n in surnames.items() if same_word(surname, word)), None)
        if name is None:
            continue
        k = bisect.bisect_right(starts, m.start())  # the mentions starting at or before the word
        if not (k and reach[k - 1] > m.start()):
            out[(m.start(), m.start() + len(word))] = name
    return out


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
