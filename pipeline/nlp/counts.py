"""Counts: how many of what, and how much of what is measured.

Counts ("Up to 31 international staff", "between 180 and 200 teachers", "two dozen journalists",
"Fifty-two of the graduates", "Около 60 юристов"), money ("EUR 1.1 million", "1,5 млн гривен"),
durations and ages ("a two-day seminar", "more than 30 days", "двухдневный", "a 23-year-old student",
"aged 15 to 29"), distances ("2 kilometres") and percentages ("30 per cent").

For a count the object is the noun phrase after the number. For a measure the unit ("days") is not the
object: the object is what is measured, found from token shapes around the expression (the spaCy
pipeline runs NER only, so there is no parser): the noun a compound qualifies ("two-day conference"),
"of" + a noun phrase ("2,000 kilometres of shared border"), the noun phrase before "worth", "every",
"aged" or "... ago", what a sum is for ("EUR 20,000 for projects"), the subject of a linking verb ("The
budget for 2016 amounts to EUR 2.3 million"), the person whose age it is ("Ana Lomidze, a 23-year-old
student"), else the clause fragment before the measure with the phrase that completes it ("publish
draft laws at least 14 days before parliamentary debate").

Every word list (qualifiers, number words in English and Russian, units, currencies, and the function
words the object heuristics stop at) is in the [counts] section of ``rules/vocabulary.toml``. Years,
dates, clock times, ordinals, phone numbers and document numbers ("Decision No. 961", "PC.DEC/947",
"Daily Report 14/2020") are not counts.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from ..document import Document
from .vocabulary import Vocabulary, alternation

SOURCE = "rule:counts/number-phrase"
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_](?:[\w'’.-]*[^\W_])?|[^\w\s]")
_GAP = r"[^\S\n]+"  # spaces inside one expression: never a paragraph break
_WINDOW = 200  # characters looked at on either side of an expression: a clause, never a page
_YEAR = re.compile(r"(?:1[5-9]|20|21)\d\d")
_OCLOCK = re.compile(r"\s*o['’]clock", re.I)
_DIGIT_NEXT = re.compile(r"\s?\d")
_DIGIT_BEFORE = re.compile(r"\d\s?$")
_CLOCK_AFTER = re.compile(r"\s?(?:a\.m\.|p\.m\.|am\b|pm\b|h\b)", re.I)
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_APOSTROPHE = re.compile(r"['’]")
# Up to four capitalised words and a comma: the name an apposition or an age follows ("Ana Lomidze, a ...").
_NAME_BEFORE_COMMA = r"([A-ZÀ-ÞА-ЯЁ][\w'’-]+(?:\s+[A-ZÀ-ÞА-ЯЁ][\w'’-]+){0,3}),\s+"
_VERB_GAP = re.compile(r"(?:[^\S\n]+[^\W\d_]+){1,3}[^\S\n]+")  # a verb, perhaps with an auxiliary and a preposition
_LABEL_BEFORE = re.compile(r"(?:^|[\n.:;]\s*)[A-ZА-ЯЁ][^\W\d_]*\s+$")
_POSSESSIVE_AFTER = re.compile(r"['’]s?(?=\s)")
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")
_CYRILLIC = re.compile(r"[а-яё]", re.I)


class _Rules:
    """The [counts] word lists of one vocabulary, compiled once."""

    def __init__(self, vocabulary: Vocabulary):
        words = vocabulary.counts
        lower = _lowered
        self.number_values = {form.lower(): float(value) for value, forms in words["number_words"].items() for form in forms}
        self.scale_values = {form.lower(): int(value) for value, forms in words["number_scales"].items() for form in forms}
        self.currency_words = {k.lower(): v for k, v in words["currency_words"].items()}
        self.units = {**{k.lower(): ("duration", v) for k, v in words["duration_units"].items()},
                      **{k.lower(): ("distance", v) for k, v in words["distance_units"].items()}}
        self.compound_stems = {k.lower(): v for k, v in words["compound_unit_stems"].items()}
        self.distance_unit_names = frozenset(words["distance_units"].values())
        self.list_connectors = lower(words["list_connectors"])
        self.interval_words = lower(words["interval_words"])
        self.age_words_before = lower(words["age_words_before"])
        self.age_predicate_verbs = lower(words["age_predicate_verbs"])
        self.age_predicate_qualifiers = frozenset(words["age_predicate_qualifiers"])
        self.range_openers = lower(words["range_openers"])
        self.stop_words = lower(words["object_stop_words"])
        self.clause_words = lower(words["clause_words"])
        self.relative_pronouns = lower(words["relative_pronouns"])
        self.determiners = lower(words["determiners"])
        self.auxiliaries = lower(words["auxiliaries"])
        self.adverbs = lower(words["adverbs"])
        self.prepositions = lower(words["prepositions"])
        self.continuations = lower(words["object_continuations"])
        self.partitive_words = lower(words["partitive_words"])
        self.noun_phrase_joiners = lower(words["noun_phrase_joiners"])
        self.articles = lower(words["articles"])
        self.infinitive_markers = lower(words["infinitive_markers"])
        self.verbal_auxiliaries = self.auxiliaries - self.prepositions  # "to" is also a preposition: kept in a fragment
        self.purpose_words = lower(words["purpose_words"])
        self.time_adjectives = lower(words["time_adjectives"])
        self.adjective_endings = tuple(words["adjective_endings"])
        self.plain_adjectives = lower(words["plain_adjectives"])
        self.verb_shape = re.compile(rf"[^\W\d_]{{2,}}(?:{alternation(words['verb_endings'])})")
        self.verb_ending_nouns = lower(words["verb_ending_nouns"])
        # Words that belong to a count expression: an object found by reading backwards stops at them.
        self.number_words = lower([*self.number_values, *self.scale_values, *self.currency_words, *vocabulary.currency_codes])

        tens = [f for f, v in self.number_values.items() if 20 <= v <= 90 and v % 10 == 0]
        ones = [f for f, v in self.number_values.items() if 1 <= v <= 9 and v.is_integer()]
        word_number = rf"(?:{_trie(tens)})(?:[-\s](?:{_trie(ones)}))?|(?:{_trie(self.number_values)})"
        digits = (r"\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[\u00a0\u202f]\d{3})+(?!\d)|\d{1,3}(?:\ \d{3})+(?=\s*[а-яё])"
                  r"|\d+(?:\.\d+|,\d{1,2}(?=\s*[а-яё]))?")
        scales = _trie(self.scale_values)
        unit_words = _trie([*self.units, *self.currency_words])
        singular_units = alternation(sorted({k for k in self.units if k.isascii() and k.isalpha()}))
        number = (rf"(?:{digits}|{word_number})(?:{_GAP}(?:{scales})(?![\w]))*"
                  rf"|an?{_GAP}(?:{scales})(?![\w])|(?P<article>an?)(?={_GAP}(?:{_trie(self.units)})(?!\w))")
        percent = alternation(words["percent_words"], spaces=r"\s?")
        # The start of a count expression: an object ends before it ("31 staff and two dozen interpreters").
        self.count_ahead = re.compile(
            rf"(?:(?:{vocabulary.qualifier_pattern})\s+)?(?:(?:{vocabulary.currency_pattern})\s?)?"
            rf"(?:\d|(?:{word_number})(?![^\W\d_]))",
            re.I,
        )
        self.age_tail = words["compound_age_suffix"].lower()
        tails = alternation([self.age_tail, words["compound_span_suffix"]])
        self.number = re.compile(
            rf"""(?<![\w./:#+-])
            (?P<number>{number})
            (?:(?:[^\S\n]*[-–—][^\S\n]*|{_GAP}(?P<connector>{alternation(words["range_connectors"])}){_GAP})(?P<high>{number.replace("(?P<article>", "(?:")}))?
            (?P<suffix>\s*(?:{percent})(?!\w)|-(?P<compound>{singular_units})(?P<tail>{tails})?(?!\w))?
            (?![\w/]|[.,:]\d)""",
            re.I | re.X,
        )
        # What stands before a number, read backwards from it: cue (every/aged), range opener, qualifier, currency.
        cues = alternation([*self.interval_words, *self.age_words_before], spaces=r"\s+")
        self.before_number = re.compile(
            # each word whole: "damaged 300 houses" is no age ("aged"), "cover 30 days" no qualifier ("over")
            rf"(?:(?<![\w-])(?P<cue>{cues})\s+)?(?:(?<![\w-])(?P<opener>{alternation(self.range_openers)})\s+)?"
            rf"(?:(?<![\w-])(?P<qualifier>{vocabulary.qualifier_pattern})\s+)?"
            rf"(?:(?P<currency>{vocabulary.currency_pattern})\s?)?$",
            re.I,
        )
        age_words_after = alternation(words["age_words_after"], spaces=r"\s+")
        self.unit_after = re.compile(rf"{_GAP}(?P<unit>{unit_words})(?!\w)(?:{_GAP}(?P<age>{age_words_after})(?!\w))?", re.I)
        # Compound words are rare: find their unit part first, then read the whole word.
        span_tail = re.escape(words["compound_span_suffix"])
        self.compound_trigger = re.compile(rf"{alternation(self.compound_stems)}|{span_tail}(?![\w-])", re.I)
        self.compound_word = re.compile(
            rf"(?P<number>{_trie(self.number_values)})(?P<stem>{alternation(self.compound_stems)})[^\W\d_]*|(?P<unit>{singular_units}){span_tail}",
            re.I,
        )
        self.preposition_before = _words_before(words["duration_prepositions"])
        self.time_adjective_before = _words_before(self.time_adjectives)
        self.determiner_before = _words_before(self.determiners)
        self.article_before = _words_before(self.articles)
        self.any_preposition_before = _words_before(self.prepositions)
        self.money_cue_before = _words_before(words["money_cues_before"])
        self.linking_before = _words_before(words["linking_verbs"])
        self.span_prepositions = lower(words["span_prepositions"])
        self.irregular_participles = lower(words["irregular_participles"])
        self.lasting_before = _words_before([*words["lasting_verbs"], *words["linking_verbs"], *self.prepositions, *self.auxiliaries])
        self.recipient_after = re.compile(rf"\s+(?:{alternation(words['money_recipients_after'])})(?=\s)", re.I)
        self.purpose_after = re.compile(rf"(?:\s+[\w'’-]+){{0,3}}?\s+(?:{alternation(self.purpose_words)})(?=\s)", re.I)
        self.percent_comparative_after = re.compile(rf"\s+(?:{alternation(words['percent_comparatives'])})(?=\s)", re.I)
        self.percent_words_before_object = lower(words["percent_words_before_object"])
        partitive_pronouns = alternation(words["partitive_pronouns"], spaces=r"\s+")
        self.partitive_pronoun_before = re.compile(rf"(?<!\w)(?:{partitive_pronouns}),?\s+$", re.I)
        self.partitive_pronoun_after = re.compile(rf"\s+(?:{partitive_pronouns})(?!\w)", re.I)
        self.partitive_quantifiers = lower(words["partitive_quantifiers"])
        self.group_of_before = re.compile(rf"(?<!\w)(?:{alternation(words['articles'])})\s+([^\W\d_][\w-]*)\s+of\s+$", re.I)
        self.partitive_subject = re.compile(
            rf"(?<![\w-])((?:{alternation(words['partitive_quantifiers'])})\s+of\s+(?:{alternation(words['group_pronouns'])}))\s+$", re.I)
        self.partitive_group = re.compile(
            rf"(?<![\w-])(?:{alternation(words['partitive_quantifiers'])})\s+of\s+(?:{alternation(words['articles'])})\s+[^\W\d_][\w'’-]*",
            re.I)  # "Most of the women [we meet were between 18 and 25]"
        self.of_after = re.compile(rf"\s+of\s+(?!(?:{age_words_after})\b)", re.I)
        self.ago_after = re.compile(rf"\s+(?:{alternation(words['ago_words'])})(?!\w)", re.I)
        directions = alternation(words["distance_directions"])
        distance_from = alternation(words["distance_from_words"], spaces=r"\s+")
        self.distance_to_after = re.compile(rf"\s+(?:(?:{directions})\s+(?:of|{distance_from})|{distance_from})\s+", re.I)
        self.destination_after = re.compile(rf"\s+(?:{alternation(words['distance_destination_words'])})\s+", re.I)
        self.subset_cue_before = _words_before(words["subset_cues"])
        self.relative_period_before = re.compile(
            rf"(?<![\w-])(?:{alternation(words['articles'])})\s+(?:{alternation(words['relative_period_words'])})\s+$", re.I)
        self.money_cues_detached = lower(words["money_cues_detached_by_comma"])
        self.genitive_plural_endings = sorted(words["genitive_plural_endings"].items(), key=lambda item: -len(item[0]))
        self.nominative_i_after = tuple(words["nominative_i_after"])
        self.irregular_plurals = {k.lower(): v for k, v in words["irregular_plurals"].items()}
        self.source_after = re.compile(rf"\s+(?:{alternation(words['money_sources_after'])})(?=\s)", re.I)
        self.named_apposition_before = re.compile(rf"{_NAME_BEFORE_COMMA}(?:an?\s+|the\s+)?$")
        total_cues = alternation(words["total_cues"], spaces=r"\s+")
        self.total_cue = re.compile(rf"\b(?:{total_cues})\s+", re.I)
        self.named_person_before = re.compile(rf"{_NAME_BEFORE_COMMA}(?:an?\s+)?$")

    def is_verb(self, word: str) -> bool:
        """A lowercase word with a Russian verb ending ("прошли", "откроются"), not a noun that has one ("дел")."""
        return word[:1].islower() and self.verb_shape.fullmatch(word) is not None and word.lower() not in self.verb_ending_nouns

    def value(self, phrase: str) -> float | None:
        """The number a matched phrase means: "1,140", "3.7 million", "1,5 млн", "Fifty-two", "two dozen", "a week"."""
        words = phrase.lower().replace("–", "-").split()
        digits = ""
        while words and words[0][0].isdigit():
            digits += words.pop(0)
        if digits:
            grouped = _GROUPED.fullmatch(digits)
            value = float(digits.replace(",", "") if grouped else digits.replace(",", "."))
        elif words and words[0] in ("a", "an"):
            value, words = 1.0, words[1:]
        else:
            value = 0.0
            while words and all(part in self.number_values for part in words[0].split("-")):
                value += sum(self.number_values[part] for part in words.pop(0).split("-"))
            if not value:
                return None
        for word in words:
            if word not in self.scale_values:
                return None
            value *= self.scale_values[word]
        return value


def _trie(words) -> str:
    """A regex alternation of literal words as a prefix tree: the same matches as "a|b|...", far fewer steps."""
    root: dict = {}
    for word in words:
        node = root
        for char in word.lower():
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict) -> str:
        parts = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(root)


def _lowered(items) -> frozenset[str]:
    return frozenset(item.lower() for item in items)


def _words_before(items) -> re.Pattern:
    """One of ``items`` as whole words, ending right where the search ends (searched on a short slice)."""
    alternatives = alternation(items, spaces=r"\s+")
    return re.compile(rf"(?<!\S)(?:{alternatives})\s+$", re.I)


@lru_cache(maxsize=4)
def _rules(vocabulary: Vocabulary) -> _Rules:
    return _Rules(vocabulary)


def count_rows(doc: Document, date_spans: list[tuple[int, int]], vocabulary: Vocabulary) -> list[dict]:
    """Rows of the counts table for one document, in text order; ``date_spans`` are the resolved dates,
    whose numbers are not counts."""
    rules = _rules(vocabulary)
    text = doc.body_text
    rows = []
    position = 0
    while (m := rules.number.search(text, position)) is not None:
        # A rejected number must not swallow the next one ("2012 - Twenty-eight judges"): go on right after it.
        position = m.end("number")
        # What a measure measures is never read back into the previous count ("EUR 2.3 million covers 18 months").
        floor = rows[-1]["end"] if rows else 0
        row = _number_row(text, m, rules, date_spans, vocabulary, floor)
        if row is not None:
            rows.append(row)
            position = m.end()
    for trigger in rules.compound_trigger.finditer(text):
        word_start, word_end = trigger.start(), trigger.end()
        while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "-"):
            word_start -= 1
        while word_end < len(text) and text[word_end].isalpha():
            word_end += 1
        if m := rules.compound_word.fullmatch(text, word_start, word_end):
            rows.append(_compound_word_row(text, m, rules))
    rows.sort(key=lambda row: row["start"])
    _fill_elided_objects(text, rows, rules)
    for row in rows:
        if row["kind"] == "count" and row["object"] and _governs_genitive_plural(row["value"]) and _CYRILLIC.match(row["object"]):
            row["object"] = _nominative_plural(row["object"], rules)
    return [row for k, row in enumerate(rows) if not _restated(text, row, rows[:k], rules)]


def _governs_genitive_plural(value: float) -> bool:
    """ "пять", "200", "430", "полторы тысячи": the Russian number takes the genitive plural (not 1-4, 21-24, ...)."""
    return value.is_integer() and (value % 10 not in (1, 2, 3, 4) or 11 <= value % 100 <= 14)


def _nominative_plural(phrase: str, rules: _Rules) -> str:
    """ "подтопленных домов в городе" -> "подтопленные дома в городе": the leading words in the genitive plural, in
    the nominative plural; the rest of the phrase (its prepositional phrases, its own genitives) as written."""
    words = phrase.split(" ")
    converted = []
    for word in words:
        lowered = word.lower()
        if lowered in rules.irregular_plurals:
            converted.append(rules.irregular_plurals[lowered])
            continue
        ending = next(((old, new) for old, new in rules.genitive_plural_endings if lowered.endswith(old)), None)
        stem = word[:len(word) - len(ending[0])] if ending else ""
        if not ending or not word[:1].islower() or len(stem) < 3 or "-" in word:
            break  # "женщин", a name, a compound: kept as written, and so is what follows
        nominative = ending[1]
        if nominative.startswith("ы") and stem.endswith(rules.nominative_i_after):
            nominative = "и" + nominative[1:]
        converted.append(stem + nominative)
    if not converted or converted[-1].endswith("е"):
        return phrase  # "малых предприятий": the adjective alone would not agree with its noun ("-ые"/"-ие" are no noun's)
    return " ".join([*converted, *words[len(converted):]])


def _restated(text: str, row: dict, earlier: list[dict], rules: _Rules) -> bool:
    """ "Twenty-four secondary school students ... 18 of the 24 students": after "the", the same number of the
    same thing as a count before it is that count named again, not a second one."""
    if row["kind"] != "count" or not row["object"] or not rules.article_before.search(text, max(0, row["start"] - 10), row["start"]):
        return False
    head = next((word for word in reversed(row["object"].lower().split()) if word not in rules.prepositions), None)
    if head is None:
        return False
    return any(r["kind"] == "count" and (r["value"], r["high"]) == (row["value"], row["high"]) and r["object"]
               and head in r["object"].lower().split() for r in earlier)


def _number_row(text: str, m: re.Match, rules: _Rules, date_spans, vocabulary: Vocabulary, floor: int) -> dict | None:
    value = rules.value(m["number"])
    before = rules.before_number.search(text, max(0, m.start() - 40), m.start())
    if rules.unit_after.match(text, m.end("high") if m["high"] else m.end("number")):
        date_spans = []  # "installed more than 25 years ago" is a date and holds a duration: both tables have it
    if value is None or _not_a_count(text, m, bool(before["currency"]), date_spans, vocabulary):
        return None
    cue = " ".join((before["cue"] or "").lower().split())
    qualifier_text = " ".join((before["qualifier"] or "").lower().split())
    qualifier = vocabulary.qualifiers.get(qualifier_text) if qualifier_text else None
    currency = before["currency"]
    if m["article"] and not (qualifier or rules.preposition_before.search(text, max(0, m.start() - 30), m.start())):
        return None  # "once a week", "15 requests a month": a rate, not a duration
    high = rules.value(m["high"]) if m["high"] else None
    connector = (m["connector"] or "").lower()
    if high is not None and (high <= value or qualifier not in (None, "between")
                             or (connector in rules.list_connectors and qualifier != "between")):
        high = None
    # "from more than 60 incidents": "from" opens no range here, and is no part of the expression
    opener_kept = high is not None and before["opener"]
    start = min([before.start(group) for group in ("qualifier", "currency") if before[group]]
                + [before.start("cue")] * bool(cue and (opener_kept or not before["opener"]))
                + [before.start("opener")] * bool(opener_kept) + [m.start()])
    end = m.end("high") if high is not None else m.end("number")

    kind, unit, age = "count", None, cue in rules.age_words_before
    if currency:
        kind, unit = "money", vocabulary.currency_signs.get(currency, currency.upper())
    suffix = (m["suffix"] or "").strip().lower() if (high is not None or not m["high"]) else ""
    if suffix and not m["compound"]:
        kind, unit, end = "percent", "%", m.end("suffix")
    elif suffix:
        kind, unit = rules.units[m["compound"].lower()]
        end = m.end("suffix")
        age = age or (m["tail"] or "").lower() == rules.age_tail
    elif kind == "count" and (after := rules.unit_after.match(text, end)):
        word = after["unit"].lower()
        if word in rules.currency_words:
            kind, unit = "money", rules.currency_words[word]
        else:
            kind, unit = rules.units[word]
            age = age or bool(after["age"])
        end = after.end()
    if age:
        kind, unit = "duration", unit or "year"
    elif kind == "duration" and qualifier_text in rules.span_prepositions and not rules.ago_after.match(text, end) \
            and not rules.lasting_before.search(text, max(0, start - 30), start):
        qualifier, start = None, m.start()  # "The forum, held in Tetovo over two days": when, not how long at least
    if m["article"] and kind == "count":
        return None
    if kind == "duration" and not (age or qualifier or m["compound"]) \
            and rules.relative_period_before.search(text, max(0, start - 30), start):
        return None  # "fewer than in the previous 24 hours": a period named like a date, not a measure
    if (kind == "duration" and value == 1 and m["number"][0].isalpha() and not qualifier and not m["compound"]
            and not text[max(0, start - 20):start].rstrip()[-1:].isalnum()):
        return None  # "One day, ...", "she said: one day the courts ...": an idiom, not a measure

    if kind == "count":
        obj, object_end = _count_object(text, start, end, rules)
        if obj is not None and object_end > end:
            end = object_end
        elif m["number"][0].isdigit() and 0 < value <= 120 and text[end:end + 1] in (",", ".") and not qualifier:
            if name := _person_before(text, start, rules):
                kind, unit, obj = "duration", "year", name  # "Ana, 23, said": her age
        if obj is None:
            is_age, whose = _age_predicate(text, start, value, high, qualifier, rules)
            if is_age:
                kind, unit, obj = "duration", "year", whose
            else:
                obj = _total_object(text, start, rules) or _linked_subject(text, start, rules) or _group_before(text, start, rules)
                if obj is None and text[end:end + 1] == ":":
                    # "На открытии выступили трое: ...": the names follow; the clause says what they are
                    obj = _clause_fragment_before(text, start, rules, floor)
        if kind == "count" and value == 1 and not m["number"][0].isdigit():
            return None  # "one of the", "одна из": almost never a count
    elif kind == "percent":
        obj = None
        if comparative := rules.percent_comparative_after.match(text, end):  # "40 per cent more incidents"
            obj = _noun_phrase_after(text, comparative.end(), rules)[0]
            end = comparative.end() if obj else end
        elif of := rules.of_after.match(text, end):
            obj = _noun_phrase_after(text, _after_articles(text, of.end(), rules), rules)[0]
        elif " ".join(suffix.split()) in rules.percent_words_before_object:  # "12 процентов малых предприятий"
            obj = _noun_phrase_after(text, end, rules)[0]
        obj = obj or _linked_subject(text, start, rules)  # "turnout ... had been about 20 percentage points lower"
    elif kind == "money":
        obj = _money_object(text, start, end, bool(currency), rules)
    elif age:
        obj = _age_object(text, start, end, m, before.start("cue") if cue else None, rules)
    else:
        obj = _measured_object(text, start, end, m, cue, kind, rules, floor)
    return {
        "text": text[start:end],
        "value": value, "low": value if high is not None else None, "high": high,
        "qualifier": qualifier,  # a range is "between" only when the text says so; low and high say it is one
        "object": obj or None, "kind": kind, "unit": unit,
        "start": start, "end": end, "source": SOURCE,
    }


def _compound_word_row(text: str, m: re.Match, rules: _Rules) -> dict:
    """ "year-long", "двухдневный": a number and a unit in one adjective; the object is the noun it qualifies."""
    if m["unit"]:
        value, (kind, unit) = 1.0, rules.units[m["unit"].lower()]
    else:
        value = float(rules.number_values[m["number"].lower()])
        unit = rules.compound_stems[m["stem"].lower()]
        kind = "distance" if unit in rules.distance_unit_names else "duration"
    return {
        "text": m.group(0), "value": value, "low": None, "high": None, "qualifier": None,
        "object": _noun_phrase_after(text, m.end(), rules)[0], "kind": kind, "unit": unit,
        "start": m.start(), "end": m.end(), "source": SOURCE,
    }


def _fill_elided_objects(text: str, rows: list[dict], rules: _Rules) -> None:
    """Counts whose noun is left out because the next or the previous count names it: "38 international and
    160 local staff" (both are staff), "12 journalists were sued, compared with five" (five journalists), "In a
    survey of 38 States, fewer than ten had ..." (ten States): a count without a noun counts what the count
    before it in the sentence counted."""
    counts = [row for row in rows if row["kind"] == "count"]
    for first, second in zip(counts, counts[1:]):
        between = text[first["end"] : second["start"]].strip().lower()
        words = (first["object"] or "").split()
        later = (second["object"] or "").split()
        if between in rules.list_connectors and len(words) == 1 and _adjective_shaped(words[0], rules) and len(later) >= 2:
            head = list(itertools.dropwhile(lambda word: _adjective_shaped(word, rules), later))
            if head and len(head) < len(later):
                first["object"] = " ".join([words[0], *head])
    for k, row in enumerate(counts):
        if row["object"] is not None or not k:
            continue
        # "71 ceasefire violations, including 19 explosions, compared with about 110": a part named between the
        # whole and the count is not what the count is compared with
        sentence = list(itertools.takewhile(lambda r: not _SENTENCE_END.search(text, r["end"], row["start"]), reversed(counts[:k])))
        whole = [r for r in sentence if not rules.subset_cue_before.search(text, max(0, r["start"] - 30), r["start"])]
        earlier = next(iter(whole or sentence), None)
        if earlier is not None and earlier["object"]:
            row["object"] = earlier["object"]
    # "restrictions on six occasions; four of them ...", "9 тысяч обращений, из них почти 70 процентов": a part of
    # what the count before it in the paragraph counted
    for k, row in enumerate(rows):
        if row["kind"] not in ("count", "percent"):
            continue
        pronoun_after = rules.partitive_pronoun_after.match(text, row["end"])
        if row["object"] is None and (pronoun_after or rules.partitive_pronoun_before.search(text, max(0, row["start"] - 20), row["start"])):
            earlier = next((r for r in reversed(rows[:k]) if r["kind"] == "count" and r["object"]), None)
            if earlier and "\n" not in text[earlier["end"]:row["start"]]:
                row["object"] = earlier["object"]
        if pronoun_after and row["object"]:
            # "six occasions, four of them in areas not controlled by the Government": the phrase after the
            # pronoun says which part
            tokens = _tokens_after(text, pronoun_after.end())
            if tokens and tokens[0].group(0).lower() in rules.prepositions - rules.partitive_words:
                if phrase := _prepositional_phrase(tokens, 0, rules)[0]:
                    row["object"] = f"{row['object']} {phrase}"
    # "Проект стоимостью 12 тысяч евро рассчитан на полтора года", "The budget of EUR 2.3 million covers 18 months":
    # only a verb between a sum said of a noun before it and a measure: the measure is of that noun too
    for earlier, row in zip(rows, rows[1:]):
        if row["object"] is None and row["kind"] in ("duration", "distance") and earlier["kind"] == "money" and earlier["object"] \
                and earlier["object"] in text[max(0, earlier["start"] - 60):earlier["start"]] \
                and _VERB_GAP.fullmatch(text, earlier["end"], row["start"]):
            row["object"] = earlier["object"]
    # "up to three hours' warning. Three hours is enough ...": the same measure again is of the same thing
    measures = [row for row in rows if row["kind"] in ("duration", "distance")]
    for k, row in enumerate(measures):
        if row["object"] is None:
            same = next((r for r in reversed(measures[:k]) if (r["value"], r["unit"]) == (row["value"], row["unit"]) and r["object"]), None)
            if same and "\n" not in text[same["end"]:row["start"]]:
                row["object"] = same["object"]
    # a sum restated in another currency ("3 million drams, roughly EUR 6,000") is for the same thing
    money = [row for row in rows if row["kind"] == "money"]
    for earlier, row in zip(money, money[1:]):
        if row["object"] is None and earlier["object"] and text[earlier["end"] : row["start"]].strip() in (",", "(", "or"):
            row["object"] = earlier["object"]


def _not_a_count(text: str, m: re.Match, money: bool, date_spans: list[tuple[int, int]], vocabulary: Vocabulary) -> bool:
    start, end = m.start("number"), m.end("number")
    number = m.group("number")
    if _YEAR.fullmatch(number) and not money:
        return True  # a year
    range_end = m.end("high") if m.group("high") else end
    after, before = vocabulary.month_after, vocabulary.month_before
    if after.match(text[end:end + 12]) or after.match(text[range_end:range_end + 12]) or before.search(text[max(0, start - 12):start]):
        return True  # 18 November, 4 and 5 December, November 18
    if _OCLOCK.match(text, range_end, range_end + 10):
        return True
    if text[range_end:range_end + 1] == ":" and _LABEL_BEFORE.search(text, max(0, start - 30), start):
        return True  # "Panel 3:", "Session 2:": a heading's number
    if vocabulary.document_number.search(text[max(0, start - 14):start]):
        return True
    if any(s <= start and end <= e for s, e in date_spans):
        return True
    before, after = text[max(0, start - 2):start], text[end:end + 3]
    if _DIGIT_NEXT.match(after) or _DIGIT_BEFORE.search(before) or _CLOCK_AFTER.match(after):
        return True  # phone numbers, digit groups, clock times
    return False


# --- objects ---------------------------------------------------------------------------------------

def _tokens_after(text: str, position: int) -> list[re.Match]:
    """Tokens of the same paragraph after ``position``."""
    ceiling = min(len(text), position + _WINDOW)
    paragraph_end = text.find("\n", position, ceiling)
    return list(_TOKEN.finditer(text, position, paragraph_end if paragraph_end >= 0 else ceiling))


def _scan_start(text: str, position: int, floor: int) -> int:
    """Where reading backwards from ``position`` stops: the paragraph start, the window, or ``floor``."""
    window = max(floor, position - _WINDOW)
    return max(window, text.rfind("\n", window, position) + 1)


def _tokens_before(text: str, position: int, floor: int = 0) -> list[re.Match]:
    """Tokens of the same paragraph before ``position`` and after ``floor``, nearest first."""
    return list(_TOKEN.finditer(text, _scan_start(text, position, floor), position))[::-1]


def _is_word(token: re.Match) -> bool:
    return token.group(0)[0].isalpha()


def _glued_to_number(token: re.Match) -> bool:
    """The word part of a compound with a number ("10-member"): it belongs to that number, not to a phrase."""
    return token.start() >= 2 and token.string[token.start() - 1] == "-" and token.string[token.start() - 2].isdigit()


def _participle(word: str, rules: _Rules) -> bool:
    """A past participle by its ending ("based"), or an irregular one among the stop words ("held", "led", "set")."""
    lowered = word.lower()
    return word[:1].islower() and (lowered.endswith("ed") or lowered in rules.irregular_participles)


def _adjective_shaped(word: str, rules: _Rules) -> bool:
    lowered = word.lower()
    return "-" in word or lowered.endswith(rules.adjective_endings) or lowered in rules.plain_adjectives


def _plural_shaped(word: str) -> bool:
    """An English plural by its ending ("families", "rights"); not "progress", "census", "analysis", "ethics", "news"."""
    lowered = word.lower()
    return lowered.endswith("s") and not lowered.endswith(("ss", "us", "is", "ics", "ws"))


def _starts_count(token: re.Match, rules: _Rules) -> bool:
    """Whether a count expression starts at ``token`` ("two dozen", "около 200", "EUR 20,000"); a year does not."""
    return rules.count_ahead.match(token.string, token.start()) is not None and not _YEAR.fullmatch(token.group(0))


def _noun_phrase_after(text: str, position: int, rules: _Rules, max_words: int = 4,
                       clause_subject: bool = False) -> tuple[str | None, int]:
    """The words after ``position`` that name what is counted ("OSCE participating States", "judges and
    prosecutors", "members of other communities", "officers trained since September 1999"). After the
    subject of a clause (``clause_subject``) a word in -ed is its verb, not a participle."""
    tokens = _tokens_after(text, position)
    words: list[str] = []
    end = position
    i = connectors = 0
    while i < len(tokens) and len(words) - connectors < max_words:
        token = tokens[i]
        word = token.group(0)
        lowered = word.lower()
        following = tokens[i + 1].group(0) if i + 1 < len(tokens) else ""
        count_follows = i + 1 < len(tokens) and _starts_count(tokens[i + 1], rules)
        if not _is_word(token):
            break
        if lowered in rules.list_connectors and words:
            # "judges and prosecutors", "border and customs officers"; not "regions and follow the process",
            # nor "31 staff and two dozen interpreters" (a second count)
            after_next = tokens[i + 2].group(0).lower() if i + 2 < len(tokens) else ""
            if (following[:1].isalpha() and following.lower() not in rules.stop_words and not following.isupper()
                    and following[:1].islower() == words[-1][:1].islower() and after_next not in rules.determiners
                    and not count_follows and not rules.is_verb(following)):
                words.append(word)
                i += 1
                connectors += 1
                continue
            break
        if words and lowered in rules.continuations and following[:1].isalpha():
            phrase, phrase_end = _prepositional_phrase(tokens, i, rules)
            if phrase:
                words.append(phrase)
                end = phrase_end
            break
        if lowered in rules.stop_words or lowered in rules.clause_words or rules.is_verb(word):
            break
        if words and word[:1].islower() and lowered.endswith("ed") and not words[-1].lower().endswith("ly"):
            # A participle after the noun: "officers trained since 1999" goes on with its phrase;
            # "municipalities established youth councils" is a verb with its own object.
            if clause_subject:
                break  # "Seven years ago, 50 families returned to the village"
            if following.lower() in rules.prepositions:
                phrase, phrase_end = _prepositional_phrase(tokens, i + 1, rules)
                words.append(word + (" " + phrase if phrase else ""))
                end = phrase_end if phrase else token.end()
            elif following in ("", ".", ",", ";", ":", ")"):
                words.append(word)
                end = token.end()
            break
        if words and lowered.endswith("ing") and (following.lower() in rules.stop_words
                                                  or (words[-1][:1].islower() and not _adjective_shaped(words[-1], rules))):
            # "staff working in", "course covering human rights"; not "OSCE participating States", "new monitoring equipment"
            break
        if words and word[:1].islower() and ((count_follows and not _adjective_shaped(words[-1], rules)) or (
                following.lower() in rules.determiners and _plural_shaped(words[-1]) and not _plural_shaped(word))):
            # a verb before its own object: "project trains 60 officials", "families rebuild their homes"; not "available beds 243"
            break
        if words and word[:1].islower() and lowered.endswith("ly") and not following[:1].isalnum():
            break  # "60 local officials annually.": an adverb closing the clause
        words.append(word)
        end = token.end()
        i += 1
    while words and words[-1].lower() in rules.list_connectors:
        words.pop()
    return (" ".join(words) if words else None), end


def _prepositional_phrase(tokens: list[re.Match], i: int, rules: _Rules, max_words: int = 4) -> tuple[str | None, int]:
    """The phrase opened by the preposition at ``tokens[i]`` ("of other communities", "since September 1999");
    it ends before another count ("residents of the 20 villages") and before a verb ("the mayor of Osh welcomed")."""
    words = [tokens[i].group(0)]
    end = tokens[i].end()
    content = 0
    for k, token in enumerate(tokens[i + 1:], start=i + 1):
        word = token.group(0)
        lowered = word.lower()
        if _starts_count(token, rules) and all(_adjective_shaped(w, rules) or _participle(w, rules) for w in words[len(words) - content:]):
            return None, end  # "2,400 tonnes of the estimated 42,000 tonnes": these words are the next count's
        if content >= max_words or not (word[0].isalnum()) or _starts_count(token, rules) or rules.is_verb(word):
            break
        if lowered in rules.determiners and not content:
            words.append(word)
            continue
        if lowered in rules.stop_words or lowered in rules.clause_words or lowered in rules.prepositions:
            break
        following = tokens[k + 1].group(0) if k + 1 < len(tokens) else ""
        if content and word[:1].islower() and lowered.endswith("ed") and (
                words[-1][:1].isupper() or not following[:1].islower() or following.lower() in rules.stop_words):
            break  # a verb: "the mayor of Osh welcomed", "members of local councils trained in"; not "of sweetened whipped cream"
        words.append(word)
        end = token.end()
        content += 1
    return (" ".join(words) if content else None), end


def _count_object(text: str, start: int, end: int, rules: _Rules) -> tuple[str | None, int]:
    """The noun phrase after a count; through "of the" for a partitive ("Fifty-two of the graduates")."""
    tokens = _tokens_after(text, end)
    subject = _starts_clause(text, start, rules)
    if (len(tokens) >= 3 and tokens[0].group(0).lower() in rules.partitive_words and tokens[1].group(0).lower() in rules.determiners
            and tokens[1].start() - tokens[0].end() == 1 and tokens[0].start() - end == 1):
        noun_start = tokens[2].end() if tokens[2].group(0)[0].isdigit() else tokens[1].end()  # "Twelve of the 30 participants"
        obj, object_end = _noun_phrase_after(text, noun_start, rules, clause_subject=subject)
        return obj, (object_end if obj else end)
    if not tokens or tokens[0].start() == end:
        return None, end  # "4,300." or "4,300," : no noun right after it
    return _noun_phrase_after(text, end, rules, clause_subject=subject)


def _starts_clause(text: str, start: int, rules: _Rules) -> bool:
    """Whether a count opens its clause, perhaps after a determiner ("Seven years ago, 50 families ...",
    "The 50 families ...", "and 200 volunteers ..."): then it is the subject, and the verb follows its noun."""
    for token in _tokens_before(text, start):
        word = token.group(0).lower()
        if word not in rules.determiners:
            return (not _is_word(token) and not word[0].isdigit()) or word in rules.clause_words
    return True


def _total_object(text: str, start: int, rules: _Rules) -> str | None:
    """ "bringing the number of officers trained ... to more than 4,300": the count is of officers."""
    floor = max(0, start - _WINDOW)
    sentence_start = max(text.rfind(". ", floor, start), text.rfind("\n", floor, start), floor)
    cues = list(rules.total_cue.finditer(text, sentence_start, start))
    return _noun_phrase_after(text, cues[-1].end() - 1, rules)[0] if cues else None


def _noun_phrase_before(text: str, position: int, rules: _Rules, floor: int = 0, max_words: int = 5) -> str | None:
    """The noun phrase ending right before ``position`` ("hydrological monitoring equipment" worth ...,
    "The College's budget for 2016" amounts to ...). A word right after an auxiliary or "to" is a verb
    ("will transmit water-level readings every 30 minutes") and stays out."""
    words: list[str] = []
    stopped_by = ""
    tokens = _tokens_before(text, position, floor)
    for k, token in enumerate(tokens):
        word = token.group(0)
        lowered = word.lower()
        earlier = tokens[k + 1].group(0).lower() if k + 1 < len(tokens) else ""
        if len(words) >= max_words:
            break
        if word[0].isdigit():
            if words or earlier not in rules.noun_phrase_joiners:
                break
            words.insert(0, word)  # "budget for 2016"
            continue
        if not _is_word(token) or lowered in rules.number_words or _glued_to_number(token):
            break
        if lowered in rules.noun_phrase_joiners and words:
            words.insert(0, word)
            continue
        if lowered in rules.stop_words or lowered in rules.clause_words or lowered in rules.determiners or lowered in rules.auxiliaries \
                or lowered in rules.adverbs or (lowered.endswith("ly") and word[:1].islower()):
            stopped_by = lowered
            break
        if words and word[:1].islower() and lowered.endswith("ed") and earlier and earlier not in rules.determiners \
                and earlier not in rules.stop_words and not earlier.endswith("ly"):
            break  # "the centre recruited volunteers [aged 15 to 29]": a verb; not "the registered voters"
        if words and word[:1].islower() and _plural_shaped(word) and words[0][:1].islower() and not _plural_shaped(words[0]):
            break  # "the grant replaces radio equipment": a verb before its object; not "human rights defenders"
        words.insert(0, word)
    if stopped_by in rules.auxiliaries and words:
        words.pop(0)
    for k, word in enumerate(words):
        if word.lower().endswith(("'s", "’s")):
            words = words[k + 1:]  # "Serbia's budget": the budget, not Serbia
    while words and words[0].lower() in rules.prepositions:
        words.pop(0)
    while words and words[-1].lower() in rules.prepositions:
        words.pop()
    return " ".join(words) or None


def _before_comma(text: str, position: int) -> int:
    """Where the noun phrase before an apposition ends: before its comma ("Participants, aged 15 to 29,",
    "The project, worth EUR 1.5 million,")."""
    stripped = text[:position].rstrip()
    return len(stripped) - 1 if stripped.endswith(",") else position


def _subject_before(text: str, position: int, rules: _Rules, floor: int = 0) -> str | None:
    """The subject of the clause that ends at ``position`` ("The Youth Ambassadors, who represent ..., are"):
    linking verbs, auxiliaries and adverbs are skipped, and so is a phrase between commas."""
    tokens = _tokens_before(text, position, floor)
    k = 0
    while k < len(tokens) and _is_word(tokens[k]) and (
            tokens[k].group(0).lower() in rules.auxiliaries or tokens[k].group(0).lower() in rules.adverbs):
        k += 1
    if k < len(tokens) and tokens[k].group(0) == ",":
        for j in range(k + 1, min(k + 12, len(tokens))):
            if tokens[j].group(0) == ",":
                opener = tokens[j - 1].group(0).lower()
                if opener in rules.clause_words or opener in rules.prepositions:
                    return _noun_phrase_before(text, tokens[j].start(), rules, floor)
                break
        return None
    return _noun_phrase_before(text, tokens[k - 1].start() if k else position, rules, floor)


def _reduced_relative_head(text: str, position: int, rules: _Rules, max_words: int = 8) -> str | None:
    """The noun a participle phrase ending at ``position`` is said of: "16 river gauges and sirens [installed along
    the Akhuryan and Pambak rivers] at a cost of USD 120,000" -> "sirens"; after an auxiliary, the subject of the
    passive ("The sirens were installed along the rivers at a cost of ..." -> "sirens")."""
    tokens = _tokens_before(text, position)
    for k, token in enumerate(tokens[:max_words]):
        word = token.group(0)
        if not _is_word(token) or word.lower() in rules.clause_words - rules.list_connectors:
            return None
        if k and _participle(word, rules) and tokens[k - 1].group(0).lower() in rules.prepositions:
            earlier = tokens[k + 1].group(0) if k + 1 < len(tokens) else ""
            if earlier.lower() in rules.auxiliaries:
                return _clause_subject(text, token.start(), rules)
            if earlier == ",":
                return _noun_phrase_before(text, tokens[k + 1].start(), rules)  # "The new radios, delivered to ..."
            if earlier[:1].islower() and earlier.lower() not in rules.determiners | rules.stop_words:
                # a common noun: "sirens installed along"; a name before a verb is its subject ("the Office handed over")
                return _noun_phrase_before(text, token.start(), rules)
            return None
    return None


def _group_before(text: str, start: int, rules: _Rules) -> str | None:
    """ "a team of three", "a population of 24,000": a number without a noun, after "a" + noun + "of", counts
    the members of that group."""
    if found := rules.group_of_before.search(text, max(0, start - 40), start):
        noun = found.group(1)
        if noun.lower() not in rules.stop_words and noun.lower() not in rules.number_words and noun[:1].islower():
            return noun
    return None


def _linked_subject(text: str, start: int, rules: _Rules) -> str | None:
    """What a number with no noun of its own is said of, as the predicate of a linking verb: "The population of
    Kukës before the crisis was some 24,000" (the population); "there were some 60" says nothing."""
    if linking := rules.linking_before.search(text, max(0, start - 40), start):
        return _clause_subject(text, linking.start(), rules)
    return None


def _clause_subject(text: str, position: int, rules: _Rules, max_words: int = 8) -> str | None:
    """The subject before a verb at ``position``, with its prepositional phrases: "The population of Kukës
    before the crisis [was]", "turnout among voters under 25 [had been]". An article starts it unless a
    preposition stands before the article ("before [the] crisis"); a pronoun, a clause word or punctuation
    ends it. A subject set off by commas is read by ``_subject_before``."""
    tokens = _tokens_before(text, position)
    k = 0
    while k < len(tokens) and _is_word(tokens[k]) and (
            tokens[k].group(0).lower() in rules.auxiliaries or tokens[k].group(0).lower() in rules.adverbs):
        k += 1
    if k < len(tokens) and tokens[k].group(0) == ",":
        return _subject_before(text, position, rules)
    pronouns = rules.determiners - rules.articles
    words: list[str] = []
    for j in range(k, min(len(tokens), k + max_words)):
        word = tokens[j].group(0)
        lowered = word.lower()
        earlier = tokens[j + 1].group(0).lower() if j + 1 < len(tokens) else ""
        if word[0].isdigit() and earlier in rules.prepositions:
            words.insert(0, word)  # "voters under 25", "budget for 2016"
            continue
        if not _is_word(tokens[j]) or lowered in rules.clause_words or lowered in rules.number_words or lowered in pronouns:
            break
        words.insert(0, word)
        if lowered in rules.articles and earlier not in rules.prepositions:
            break
    for k, word in enumerate(words):
        if word.lower().endswith(("'s", "’s")):
            words = words[k + 1:]  # "The Mission's budget": the budget, as in ``_noun_phrase_before``
    while words and (words[0].lower() in rules.determiners or words[0].lower() in rules.prepositions):
        words.pop(0)
    if not any(word.lower() not in rules.stop_words for word in words):
        return None
    return " ".join(words)


def _money_object(text: str, start: int, end: int, prefix_currency: bool, rules: _Rules) -> str | None:
    """What a sum is for: "equipment worth EUR 240,000", "a EUR 1.1 million programme", "EUR 20,000 this
    year for projects", "The budget for 2016 amounts to EUR 2.3 million", "на подготовку ... выделило 1,5 млн"."""
    floor = max(0, start - 40)
    cue = rules.money_cue_before.search(text, floor, start)
    if cue and " ".join(cue.group(0).lower().split()) in rules.money_cues_detached and text[max(0, cue.start() - 3):cue.start()].rstrip().endswith(","):
        cue = None  # "opened today in Ungheni, western Moldova, with EUR 35,000 ... for repairs": not Moldova's money
    if cue:
        position = _before_comma(text, cue.start())
        return _reduced_relative_head(text, position, rules) or _noun_phrase_before(text, position, rules)
    obj = _noun_phrase_after(text, end, rules)[0] if prefix_currency and text[end:end + 1] == " " else None
    if obj:
        return obj
    purpose_from = end
    if source := rules.source_after.match(text, end):  # "EUR 35,000 from the OSCE Mission to Moldova for repairs"
        purpose_from = _noun_phrase_after(text, _after_articles(text, source.end(), rules), rules)[1]
    if purpose := rules.purpose_after.match(text, purpose_from):
        if "," not in purpose.group(0) and (obj := _noun_phrase_after(text, _after_articles(text, purpose.end(), rules), rules)[0]):
            return obj
    if recipient := rules.recipient_after.match(text, end):  # "pledged EUR 4.5 million to the Voluntary Fund"
        if obj := _noun_phrase_after(text, _after_articles(text, recipient.end(), rules), rules)[0]:
            return obj
    if obj := _linked_subject(text, start, rules):
        return obj
    for token in _clause_tokens_before(text, start, rules):
        if token.group(0).lower() in rules.purpose_words:
            return _noun_phrase_after(text, token.end(), rules, max_words=3)[0]
    return None


def _after_articles(text: str, position: int, rules: _Rules) -> int:
    """Where the noun phrase after ``position`` starts, past its articles ("of [the] new arrivals")."""
    for token in _tokens_after(text, position)[:2]:
        if token.group(0).lower() not in rules.articles:
            break
        position = token.end()
    return position


def _clause_tokens_before(text: str, position: int, rules: _Rules) -> list[re.Match]:
    """Tokens back to the start of the clause that ``position`` is in, nearest first."""
    out = []
    for token in _tokens_before(text, position):
        if not _is_word(token) and not token.group(0)[0].isdigit():
            break
        if token.group(0).lower() in rules.clause_words:
            break
        out.append(token)
    return out


def _person_before(text: str, start: int, rules: _Rules) -> str | None:
    """The capitalised name in "Ana Lomidze, a 23-year-old ..." or "Ana, 23, ..." (not "In Vienna, a ...")."""
    person = rules.named_person_before.search(text, max(0, start - 60), start)
    if person is None:
        return None
    words = person.group(1).split()
    while words and (words[0].lower() in rules.stop_words or words[0].lower() in rules.prepositions):
        words.pop(0)
    return " ".join(words) or None


def _age_object(text: str, start: int, end: int, m: re.Match, cue_start: int | None, rules: _Rules) -> str | None:
    """Whose age: "Ana Lomidze, a 23-year-old law student", "the 19-year-old member Arben", "the 23-year-old
    student from Gori", "members aged 15 to 29", "The Youth Ambassadors, who ..., are between 18 and 25 years old".
    Unlike what lasts, whose age it is may be what a count just counted ("40 students aged 15 to 19"), so
    the previous count is no floor here; a noun phrase read backwards stops at its number anyway."""
    if m["compound"]:
        if person := _person_before(text, start, rules):
            return person
        noun, _ = _noun_phrase_after(text, end, rules, max_words=5)
        words = (noun or "").split()
        head = next((words[:k] for k, word in enumerate(words) if word.lower() in rules.prepositions), words)
        name = [word for word in head if word[:1].isupper()]
        if name and head[0][:1].islower() and name == head[len(head) - len(name):]:
            return " ".join(name)  # "the 19-year-old member Arben Rexhepi": the person, not the title
        return " ".join(head) or None
    if cue_start is not None:
        # "members aged 15 to 29", "children under the age of 14", "Participants, aged 15 to 29,": the noun
        # before the cue, its preposition and an apposition comma
        position = _before_comma(text, cue_start)
        while skipped := rules.determiner_before.search(text, max(0, position - 30), position) or \
                rules.any_preposition_before.search(text, max(0, position - 30), position):
            position = skipped.start()
        return _noun_phrase_before(text, position, rules)
    return _subject_before(text, start, rules)


def _age_predicate(text: str, start: int, value: float, high: float | None, qualifier: str | None, rules: _Rules) -> tuple[bool, str | None]:
    """Whether a count with no noun after it is the age of the people before it, and whose: "the new arrivals
    were under 18" (the subject of the verb), "turnout among voters under 25" (the plural noun right before).
    Not "there were over 60", nor "rose to over 60"."""
    if qualifier not in rules.age_predicate_qualifiers or not value.is_integer() or not 0 < (high or value) <= 120:
        return False, None
    tokens = _tokens_before(text, start)
    if not tokens or not _is_word(tokens[0]):
        return False, None
    word = tokens[0].group(0)
    if word.lower() in rules.age_predicate_verbs:
        if len(tokens) > 1 and tokens[1].group(0).lower() == "there":
            return False, None
        return True, _partitive_group_before(text, tokens[0].start(), rules) or _subject_before(text, tokens[0].start(), rules) \
            or _partitive_subject(text, tokens[0].start(), rules)
    if word[:1].islower() and _plural_shaped(word) and word.lower() not in rules.stop_words:
        return True, _noun_phrase_before(text, start, rules)
    if word.lower() in rules.partitive_quantifiers and len(tokens) > 2 and tokens[1].group(0) == "," \
            and _plural_shaped(tokens[2].group(0)) and tokens[2].group(0)[:1].islower():
        # "Most of them were pensioners, many over 70": "many [of whom are] over 70", said of the plural before the
        # comma (a noun after "were" is read as a verb by _noun_phrase_before: the noun alone, then)
        return True, _noun_phrase_before(text, tokens[1].start(), rules) or tokens[2].group(0)
    return False, None


def _partitive_subject(text: str, position: int, rules: _Rules) -> str | None:
    """ "Many of us [are over 60]": a part of a group named by a pronoun; the phrase is all the text says of it."""
    if found := rules.partitive_subject.search(text, max(0, position - 30), position):
        return " ".join(found.group(1).split())
    return None


def _partitive_group_before(text: str, position: int, rules: _Rules) -> str | None:
    """ "Most of the women we meet [were between 18 and 25]": the last part of a named group in the clause, whatever
    relative clause without a pronoun ("we meet") stands between it and the verb."""
    clause = _clause_tokens_before(text, position, rules)
    floor = clause[-1].start() if clause else position
    found = list(rules.partitive_group.finditer(text, floor, position))
    return " ".join(found[-1].group(0).split()) if found else None


def _measured_object(text: str, start: int, end: int, m: re.Match, cue: str, kind: str, rules: _Rules, floor: int) -> str | None:
    """What lasts or spans the measure."""
    if m["compound"]:
        return _noun_phrase_after(text, end, rules)[0]  # "a two-day conference", "a 12-week basic course"
    if possessive := _POSSESSIVE_AFTER.match(text, end):
        return _noun_phrase_after(text, possessive.end(), rules)[0]  # "three hours' warning", "a year's delay"
    if kind == "distance" and (to := rules.distance_to_after.match(text, end)):
        if obj := _distance_between(text, start, to.end(), rules, floor):
            return obj
    if (of := rules.of_after.match(text, end)) and (obj := _noun_phrase_after(text, of.end(), rules)[0]):
        return obj  # "2,000 kilometres of shared border"; not "within 24 hours of the close of polls"
    if cue in rules.interval_words or rules.ago_after.match(text, end):
        # "readings every 30 minutes", "equipment installed 30 years ago", "The centre, which opened 3 years ago"
        obj = _noun_phrase_before(text, start, rules, floor)
        if obj is None or " " not in obj:
            return _clause_fragment_before(text, start, rules, floor) or obj
        return obj
    fragment = _clause_fragment_before(text, start, rules, floor)
    completion = _completion_after(text, end, rules)
    if fragment:
        return " ".join(part for part in (fragment, completion) if part)
    if completion and _infinitive(completion, rules):
        return completion  # "another twenty years to wait", "It takes three hours to cross the border"
    if completion:
        return None  # "The 12 trainees spent three days [in Mostar]": a place alone says not what lasts
    return _noun_phrase_after(text, end, rules, max_words=1)[0]  # "в течение двенадцати месяцев обучение ..."


def _distance_between(text: str, start: int, place_start: int, rules: _Rules, floor: int) -> str | None:
    """ "Shyrokyne, a village about 20 kilometres east of Mariupol" -> "distance from Shyrokyne to Mariupol": a
    distance is between two places, the one it is said of and the one named after it ("from Osh to Bishkek"
    names both). The first is a name before an apposition ("Zolote, 12 km north-west of Luhansk", "a village
    about 20 km ..."), the subject of a linking verb ("The checkpoint is 5 km from ...") or of the verb right
    before the measure ("The crossing lies 40 km south of ...")."""
    place, place_end = _noun_phrase_after(text, _after_articles(text, place_start, rules), rules)
    if place is None:
        return None
    if to := rules.destination_after.match(text, place_end):
        if destination := _noun_phrase_after(text, _after_articles(text, to.end(), rules), rules)[0]:
            return f"distance from {place} to {destination}"
    return f"distance from {origin} to {place}" if (origin := _distance_origin(text, start, rules, floor)) else f"distance to {place}"


def _distance_origin(text: str, start: int, rules: _Rules, floor: int) -> str | None:
    stripped = text[max(floor, start - 3):start].rstrip()
    if stripped.endswith(","):
        return _noun_phrase_before(text, _before_comma(text, start), rules, floor)  # "Zolote, 12 km north-west of ..."
    noun = _noun_phrase_before(text, start, rules, floor)
    noun_start = text.rfind(noun, max(floor, start - _WINDOW), start) if noun else -1
    if noun and (named := rules.named_apposition_before.search(text, max(floor, noun_start - 60), noun_start)):
        return named.group(1)  # "Shyrokyne, a village about 20 kilometres ..."
    if noun and (article := rules.determiner_before.search(text, max(floor, noun_start - 15), noun_start)) \
            and text[max(floor, article.start() - 3):article.start()].rstrip().endswith(","):
        return noun  # "..., a village about 20 kilometres ...": an apposition; not "The crossing lies 40 km ..."
    if subject := _linked_subject(text, start, rules):
        return subject
    tokens = _tokens_before(text, start, floor)
    if tokens and _is_word(tokens[0]) and tokens[0].group(0)[:1].islower():
        return _clause_subject(text, tokens[0].start(), rules)  # "The border crossing lies 40 km south of ..."
    return None


def _infinitive(phrase: str, rules: _Rules) -> bool:
    """ "to wait", "to cross the border": a verb after "to", not a place or a noun phrase ("to Vienna", "to the end")."""
    words = phrase.split()
    return len(words) > 1 and words[0].lower() in rules.infinitive_markers and words[1][:1].islower() \
        and words[1].lower() not in rules.determiners and not words[1][:1].isdigit()


def _clause_fragment_before(text: str, start: int, rules: _Rules, floor: int, max_words: int = 6) -> str | None:
    """The clause before a duration or distance, without its auxiliaries, adverbs and leading determiners:
    "requests can go unanswered [for more than 30 days]" -> "requests go unanswered"; a lone verb after an
    auxiliary gives way to the subject ("A final report, with ..., will be published [about eight weeks]"
    -> "final report"; "The project, which will run [for 18 months]" -> "project"). It never reaches into
    another count: "The budget of EUR 2.3 million covers [18 months]" has no fragment."""
    position = start
    while True:
        skip_floor = max(floor, position - 30)
        skipped = rules.time_adjective_before.search(text, skip_floor, position) or \
            rules.preposition_before.search(text, skip_floor, position) or \
            rules.determiner_before.search(text, skip_floor, position)
        if not skipped:
            break
        position = skipped.start()
    words: list[re.Match] = []
    boundary = None
    after_count = False
    pronouns = rules.determiners - rules.articles
    tokens = _tokens_before(text, position, floor)
    for k, token in enumerate(tokens):
        lowered = token.group(0).lower()
        if lowered in rules.infinitive_markers and words and words[0].group(0)[:1].islower() and words[0].group(0).lower() not in rules.determiners:
            break  # "urged ministries to publish draft laws": the fragment starts at the verb
        base = _APOSTROPHE.split(lowered)[0]  # "they'll"
        if not _is_word(token) or lowered in rules.number_words or _glued_to_number(token) or lowered in rules.clause_words \
                or base in pronouns or len(words) >= max_words:
            boundary = token
            if base in pronouns and len(words) > 1 and _plural_shaped(words[0].group(0)) and k + 1 < len(tokens) \
                    and tokens[k + 1].group(0).lower() in rules.prepositions:
                words.pop(0)  # "in several countries requests go unanswered": "countries" ends the prepositional phrase
            break
        words.insert(0, token)
    else:
        after_count = 0 < floor == _scan_start(text, position, floor)  # read back to the previous count
    if boundary is not None and boundary.group(0) == "," and words and _participle(words[0].group(0), rules) and (
            len(words) == 1 or words[1].group(0).lower() in rules.prepositions):
        # "The forum, held in Tetovo over two days,": what lasts is the noun the participle is said of
        if subject := _noun_phrase_before(text, boundary.start(), rules, floor):
            return subject
    while words and words[0].group(0).lower() in rules.determiners | rules.prepositions:
        words.pop(0)
    while words and words[-1].group(0).lower() in rules.prepositions:
        words.pop()  # "increased from [one day a week]"
    kept = [w.group(0) for w in words if w.group(0).lower() not in rules.verbal_auxiliaries and w.group(0).lower() not in rules.adverbs
            and not (w.group(0).endswith("ly") and w.group(0)[:1].islower())]
    after_and = boundary is not None and boundary.group(0).lower() in rules.list_connectors
    if len(kept) <= 1 and (after_count or after_and or (kept and rules.is_verb(kept[0]))):
        # One word, most likely the verb: between two counts ("EUR 2.3 million covers 18 months"), opening
        # a coordinated clause ("The course began in May and lasted three weeks"), or by its ending ("длился").
        return None
    has_auxiliary = len(kept) < len(words)
    auxiliary_at = [k for k, w in enumerate(words) if w.group(0).lower() in rules.verbal_auxiliaries]
    if auxiliary_at and 0 < auxiliary_at[0] and len(words) - auxiliary_at[-1] == 2 and len(kept) > 1:
        kept.pop()  # "the final report is expected [in about eight weeks]": the report, not the expecting
    relative = boundary is not None and boundary.group(0).lower() in rules.clause_words and \
        text[max(0, boundary.start() - 3):boundary.start()].rstrip().endswith(",")
    if len(kept) <= 1 and ((has_auxiliary and (not words or words[0].group(0).lower() in rules.auxiliaries)) or relative):
        # Only "will be published" or ", which opened": the subject is before a parenthesis or a relative pronoun.
        if boundary is None:
            return None
        if boundary.group(0) == ",":
            return _subject_before(text, boundary.end(), rules, floor)
        comma = text.rfind(",", max(floor, boundary.start() - 3), boundary.start())
        if comma < 0 and boundary.group(0).lower() in rules.relative_pronouns:
            return _noun_phrase_before(text, boundary.start(), rules, floor)  # "a history teacher who has taught for 22 years"
        return _noun_phrase_before(text, comma, rules, floor) if comma >= 0 else None
    if not any(word.lower() not in rules.stop_words for word in kept):
        return None
    return " ".join(kept)


def _completion_after(text: str, end: int, rules: _Rules) -> str | None:
    """The phrase after a measure that says what it is before, after, at or for ("... before parliamentary debate")."""
    tokens = _tokens_after(text, end)
    if not tokens or tokens[0].group(0).lower() not in rules.prepositions - rules.partitive_words:
        return None
    words = [tokens[0].group(0)]
    for k, token in enumerate(tokens[1:7], start=1):
        lowered = token.group(0).lower()
        following = tokens[k + 1].group(0).lower() if k + 1 < len(tokens) else ""
        if not _is_word(token) or lowered in rules.clause_words or lowered in rules.prepositions - rules.partitive_words \
                or (lowered.endswith("ing") and following in rules.determiners):
            break  # "spent five days in Mostar assessing the needs": the place, not what they did there
        words.append(token.group(0))
    while words and words[-1].lower() in rules.determiners | rules.prepositions:
        words.pop()
    return " ".join(words) if len(words) > 1 else None
