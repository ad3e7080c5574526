"""People with their roles: one row per person per document.

Names come from the model's PERSON mentions, trimmed of role words the model took in ("OSCE
Chairperson-in-Office" alone is a role, never a person) and without community names ("Kosovo Serbs"),
and from rules where the model is silent or absent (Russian pages): two or three capitalised words right
after a role ("Директор департамента Министерства юстиции Ольга Бондаренко", "посол Натали Дюпре"),
before an appositive that holds a role ("Arben Rexhepi, a 19-year-old member of ..."), next to a speech
verb ("– сказал Иван Петров", "по словам Марка Левицкого"). Mentions are grouped by surname (Russian case forms by stem: "Левицкого" ~
"Левицкий"), so a surname-only or repeated mention counts for the person whose fullest form is the name. Lowercase
particles belong to a name ("Пьер фон Хагель"), and an abbreviation's period ("Ss. Cyril") ends no role or clause.

A role is a ROLE rule match right before the name (widened over capitalised words and possessives:
"Serbia's Foreign Minister"; a Russian role over the words up to the name: "Координатор проектов ОБСЕ в
Украине"), a title clause before ", Name" ("the head of the education working group in Tiraspol,") or the
appositive after "Name, …," ("Swiss Foreign Minister and OSCE Chairperson-in-Office"), cut before a
relative clause. "the Representative, X" refers to the fuller role named earlier ("OSCE Representative on
Freedom of the Media"). Every mention and role mention used for a person carries ``attrs["person"]``,
which the quotes table uses to resolve "the Chairperson-in-Office said".
"""

from __future__ import annotations

import bisect
import os
import re
from functools import lru_cache

from ..document import Document, Span
from .vocabulary import Vocabulary, alternation

_POSSESSIVE = re.compile(r"\s?['’]s$")  # "Kanye West 's" in tokenized text too
_ROLE_PREFIX = re.compile(r"(?:[A-ZÀ-Þ][\w-]*+(?:['’]s)?\s+)++$")
_CLAUSE_END = re.compile(r"[,.;:()\n“”\"«»]")
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
_CAPITALISED_WORD = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ][\w'’-]*")
_CYRILLIC = re.compile(r"[А-яЁё]")
# What may stand between a role and the name it belongs to: more titles, possessives, honorifics, commas.
# Possessive (*+): a capitalised word can also be split at an inner capital or a small word ("Berl|in",
# "O|S|C|E"), and a backtracking search over those splits is exponential in the words between role and name.
_THE = re.compile(r"^(?:the|The)\s+")
_COUNTRY_POSSESSIVE = re.compile(r"^((?:[A-Z][\w-]+\s+){0,2}[A-Z][\w-]+)['’]s\s")
# Stands in for the period of an abbreviation ("Ss. Cyril", "St. Mary's") while clauses are split: the same length,
# so offsets hold, and no clause end, so a role runs on over it.
ABBREVIATION_DOT = "\u2024"


@lru_cache(maxsize=4)
def _patterns(vocabulary: Vocabulary) -> dict:
    words = vocabulary.people
    name = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
    particles = words["name_particles"]
    particle = alternation([p for p in particles if _CYRILLIC.search(p)])
    names = rf"{name}(?:\s+(?:(?:{particle})\s+)*{name}){{1,2}}"
    verbs = vocabulary.verb_pattern
    leads = alternation([*vocabulary.speech_verbs, *words["title_clause_leads"]], spaces=r"\s+")
    verb_like = alternation([*vocabulary.speech_verbs, *words["finite_verbs"]], spaces=r"\s+")
    return {
        "relative": re.compile(rf"(?:^|\s+)(?:{alternation(words['role_clause_openers'])})\b.*$", re.S),
        "not_name": frozenset(words["not_name_words"]),
        "complement_prepositions": frozenset(words["role_complement_prepositions"]),
        "name_titles": frozenset(words["name_titles"]),
        "complement_words": frozenset(words["role_complement_words"]),
        "groups": frozenset(words["group_nouns"]),
        "particles": frozenset(particles),
        "abbreviation": re.compile(rf"(?<![\w.])({alternation(words['abbreviations'])})\.(?=\s)"),
        "patronymic": re.compile(rf"(?:{alternation(words['patronymic_endings'])})[а-я]?$"),
        # A Cyrillic name next to a speech verb: pages without a person model ("– сказал Иван Петров").
        "speech_name": re.compile(rf"(?:(?<![\w-])(?:{verbs})\s+(?P<after>{names}))|(?:(?P<before>{names})\s+(?:{verbs})(?![\w-]))"),
        # What may stand between a role and the name it belongs to: more titles, possessives, honorifics, commas.
        # Possessive (*+): a capitalised word can also be split at an inner capital or a small word ("Berl|in",
        # "O|S|C|E"), and a backtracking search over those splits is exponential in the words between role and name.
        "role_chain": re.compile(rf"(?:[\s,]|[A-ZÀ-ÞА-ЯЁ][\w'’.․-]*|(?:{alternation([*words['role_chain_words'], *vocabulary.honorifics])})(?!\w))*+$"),
        "conjunction": re.compile(rf"(?:{alternation(words['appositive_conjunctions'])})\s"),
        "verb_like": re.compile(rf"\b(?:{verb_like})\b"),
        # "The Mayor of Štip, " right before a name; a leading word ("said", "by") is taken with the boundary.
        "clause_before": re.compile(
            rf"(?:^|[.;:!?\n“”\"]\s*|,\s*|\b(?=(?:{leads})\s))(?:(?:{leads})\s+)?([^,.;:\n“”\"]{{3,100}}?),\s*"
            rf"(?:(?:{alternation(vocabulary.honorifics)})\s+)?$"
        ),
    }


def without_abbreviation_periods(text: str, vocabulary: Vocabulary) -> str:
    """The text with each abbreviation's period replaced by ``ABBREVIATION_DOT`` (offsets unchanged)."""
    return _patterns(vocabulary)["abbreviation"].sub(rf"\1{ABBREVIATION_DOT}", text)


def _restore_periods(text: str) -> str:
    return text.replace(ABBREVIATION_DOT, ".")


def people_rows(doc: Document, gazetteer, vocabulary: Vocabulary) -> list[dict]:
    text = without_abbreviation_periods(doc.body_text, vocabulary)
    roles = sorted((s for s in doc.spans if s.label == "ROLE"), key=lambda s: s.start)
    honorifics = [s for s in doc.spans if s.label == "HONORIFIC"]
    orgs = [s for s in doc.spans if s.label == "ORG"]
    patterns = _patterns(vocabulary)
    _extend_cyrillic_roles(text, roles, honorifics, patterns)
    words = _Words(text)
    mentions = _person_mentions(doc, text, roles, honorifics, orgs, gazetteer, patterns)
    honorifics_by_end = _by_end(honorifics)
    names = [(s.start, s.end) for s in mentions]
    rows = []
    # not a place, nor a lone single word the model calls a person (too often a place or a word)
    # a name that is also a place ("Obama", a town in Japan) is a person after an honorific ("Mr. Obama")
    clusters = []
    for name, spans in _clusters(mentions):
        if gazetteer.lookup(name) and not any(_honorific_for(s, honorifics_by_end, text) for s in spans):
            for span in spans:  # the model's PERSON is the place the gazetteer knows ("Reading"): a GPE mention
                span.label = "GPE"
                span.attrs["not_a_person"] = True
        elif len(name.split()) >= 2 or len(spans) > 1 or _near_role(spans[0], roles, text, vocabulary, names):
            clusters.append((name, spans))
    _add_surname_mentions(doc, clusters, words, gazetteer)
    for name, spans in clusters:
        role_span, role_text, honorific = None, None, None
        for span in spans:
            role_span, role_text = _role_for(span, roles, text, vocabulary, patterns, names)
            honorific = honorific or _honorific_for(span, honorifics_by_end, text)
            if role_text:
                break
        if any(s.source.startswith("rule:people/apposition") for s in spans) and not role_text:
            continue  # a name found only through an appositive role stands or falls with that role
        for span in spans:
            span.attrs["person"] = name
        for role in _roles_of(spans, roles, text, patterns):
            role.attrs["person"] = name
        role_text = _before_other_names(role_text, name, [other for other, _ in clusters], patterns)
        organization = _organization_in(role_text, orgs, gazetteer) if role_text else None
        first = spans[0]
        sources = [first.source] + ([role_span.source] if role_span is not None else ["rule:people/appositive"] if role_text else [])
        rows.append({
            "name": name, "role": role_text, "organization": organization, "honorific": honorific,
            "n_mentions": len(spans) + _extra_mentions(name, spans, words), "text": first.text, "start": first.start, "end": first.end,
            "source": "+".join(dict.fromkeys(sources)),
        })
    return sorted(rows, key=lambda r: r["start"])


def canonical_names(doc: Document, rows: list[dict]) -> dict[tuple[int, int], str]:
    """(start, end) -> canonical name for every mention of a person: names, surnames, and role mentions that
    refer to one ("the Chairperson-in-Office" after "Reto Baumgartner, ... OSCE Chairperson-in-Office")."""
    out = {(s.start, s.end): s.attrs["person"] for s in doc.spans if s.label == "PERSON" and "person" in s.attrs}
    attached = [s for s in doc.spans if s.label == "ROLE" and "person" in s.attrs]
    for span in doc.spans:
        if span.label != "ROLE":
            continue
        if "person" in span.attrs:
            out[(span.start, span.end)] = span.attrs["person"]
            continue
        same = [r for r in attached if refers_to_role(span.text, r.text) and r.start < span.start]
        if same:
            out[(span.start, span.end)] = same[-1].attrs["person"]
    return out


_ROLE_FILLERS = frozenset({"the", "a", "an", "of", "to", "in", "for", "on"})


def refers_to_role(short: str, full: str) -> bool:
    """Whether a role named again in short ("the Head of Mission", "the Deputy Head") refers to a fuller one
    ("Head of the OSCE Mission to Skopje", "Deputy Head of the OSCE Mission to Serbia"): its words, in order,
    are words of the fuller role, the first of them too."""
    wanted = [w for w in short.casefold().split() if w not in _ROLE_FILLERS]
    words = [w for w in full.casefold().split() if w not in _ROLE_FILLERS]
    if not wanted or wanted[0] not in words:
        return False
    rest = iter(words[words.index(wanted[0]) :])
    return all(word in rest for word in wanted)


def _person_mentions(doc: Document, text: str, roles, honorifics, orgs, gazetteer, patterns) -> list[Span]:
    """The model's PERSON mentions, cleaned, plus the names the rules find; new ones are added to ``doc.spans``."""
    covered = [(s.start, s.end) for s in [*roles, *honorifics, *(o for o in orgs if o.source.startswith("rule:"))]]
    mentions = []
    for span in (s for s in doc.spans if s.label == "PERSON"):
        if span.attrs.get("not_a_person") or not _trim(span, covered, text, patterns):
            span.attrs["not_a_person"] = True
            continue
        if _is_group(span.text, gazetteer, patterns) or _in_quoted_title(text, span):
            span.attrs["not_a_person"] = True
            continue
        _take_first_name(span, text, doc.spans, gazetteer, patterns)
        mentions.append(span)
    found = _names_after_roles(text, roles, honorifics, patterns)
    found += _names_before_appositives(text, roles, covered, patterns)
    found += _names_after_complements(text, roles, covered, gazetteer, patterns)
    found += _names_by_speech_verbs(text, patterns)
    added = []
    for start, end, how in found:
        if any(s.start < end and start < s.end for s in [*mentions, *added]) or _is_group(text[start:end], gazetteer, patterns):
            continue
        added.append(Span(start, end, "PERSON", _restore_periods(text[start:end]), f"rule:people/{how}"))
    if added:
        doc.spans.extend(added)
        doc.spans.sort(key=lambda s: (s.start, s.end, s.label))
    return sorted([*mentions, *added], key=lambda s: s.start)


def _trim(span: Span, covered: list[tuple[int, int]], text: str, patterns) -> bool:
    """Strip a possessive and the role, honorific and organization words the model took into a name
    ("OSCE Chairperson-in-Office Reto Baumgartner"); False when nothing of a name is left."""
    covered = [(s, e) for s, e in covered if not (s < span.start and e >= span.end)]  # a greedy title ran into the name
    words = [(span.start + m.start(), span.start + m.end()) for m in _WORD.finditer(span.text)]
    words = [w for w in words if not any(s <= w[0] < e for s, e in covered)]
    while len(words) > 1 and text[words[0][0] : words[0][1]] in patterns["name_titles"]:
        words.pop(0)  # "Colonel Jesse Auton", "Major General John C. Scheidt Jr.": a rank is no part of the name
    # a name never runs over a sentence end ("… in Bosnian. Enes Muratović"); an initial's period ("John D.
    # Podesta") ends no sentence, and abbreviations' periods are already replaced (ABBREVIATION_DOT)
    for k in range(len(words) - 1, 0, -1):
        gap = text[words[k - 1][1] : words[k][0]]
        if "\n" in gap or (gap.startswith(".") and words[k - 1][1] - words[k - 1][0] > 1):
            words = words[k:]
            break
    if not words:
        return False
    start, end = words[0][0], words[-1][1]
    if text[end : end + 1] == ABBREVIATION_DOT:  # "Clay Tice Jr.": the period belongs to the abbreviation
        end += 1
    name = _POSSESSIVE.sub("", text[start:end])
    if (start, start + len(name)) != (span.start, span.end):
        span.start, span.end, span.text = start, start + len(name), _restore_periods(name)
    return True


_LIST_BOUNDARY = re.compile(r"(?:[:;,]|\band)\s$")


def _take_first_name(span: Span, text: str, spans: list[Span], gazetteer, patterns) -> None:
    """'speakers: Arbëna Xhaferi-Stojkovska, ...': a first name the model left out of a name (it often does when the
    word has a letter it rarely saw) is the name word right before the mention, when a list or apposition boundary
    stands before that word and no other mention, place or sentence opener claims it."""
    m = re.search(r"(?<![\w'’-])([^\W\d_][\w'’-]*) $", text[max(0, span.start - 40) : span.start])
    if m is None:
        return
    start = span.start - len(m.group(0))
    word = m.group(1)
    if not _is_name_word(word) or word in patterns["not_name"] or word in patterns["name_titles"] \
            or not _LIST_BOUNDARY.search(text, max(0, start - 6), start):
        return
    if gazetteer.lookup(word) or gazetteer.demonym(word) is not None or any(s.start < start + len(word) and start < s.end for s in spans if s is not span):
        return
    if re.search(rf"(?<![\w'’-]){re.escape(word.lower())}(?![\w'’-])", text):
        return  # the word is also written in lowercase in the text: a common word, not a first name
    span.start, span.text = start, text[start : span.end]


def _in_quoted_title(text: str, span: Span) -> bool:
    """'the “Safe Schools for All” project': a name-like start of a short quotation without clause punctuation."""
    if span.start == 0 or text[span.start - 1] not in "“\"«„":
        return False
    close = re.search(r"[”\"»“.,;:!?\n]", text[span.end : span.end + 60])
    return close is not None and close.group() in "”\"»“"


def _is_group(name: str, gazetteer, patterns) -> bool:
    """'Kosovo Serbs', 'Meskhetian Turks': a place or demonym and a plural community noun."""
    words = name.split()
    last = words[-1]
    if last in patterns["groups"]:
        return True
    return len(words) > 1 and last.endswith("s") and (gazetteer.demonym(last[:-1]) is not None or gazetteer.lookup(words[0]) is not None)


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and any(c.islower() for c in word)


def _extend_cyrillic_roles(text: str, roles: list[Span], honorifics: list[Span], patterns) -> None:
    """A Russian role runs on over its complements up to the name ("Координатор" + "проектов ОБСЕ в Украине"
    + "посол" + "Марк Левицкий"): the role span is widened to end before the honorific or the name."""
    reach = -1
    for role in roles:
        if role.start < reach or not _CYRILLIC.search(role.text):
            continue
        name = _name_after(text, role.end, patterns, tail=12)
        if name is None:
            continue
        end = name[0]
        honorific = next((h for h in honorifics if h.end <= end and not text[h.end : end].strip() and h.start >= role.end), None)
        if honorific is not None:
            end = honorific.start
        tail = text[role.end : end].rstrip()
        role.end, role.text = role.end + len(tail), role.text + tail
        reach = role.end


def _name_after(text: str, position: int, patterns, tail: int) -> tuple[int, int] | None:
    """The first run of two or three name words after ``position`` within the clause, at most ``tail`` words on;
    in a longer capitalised run ("МВД Казахстана Ерлан Сейткали") the name is its last two words (three with a
    patronymic)."""
    clause = _CLAUSE_END.split(text[position : position + 200], 1)[0]
    clause = re.split(r"\s[–—-]\s", clause, 1)[0]
    words = [(m.group(), position + m.start(), position + m.end()) for m in _WORD.finditer(clause)]
    run: list = []
    for i, word in enumerate(words):
        if _is_name_word(word[0]) and word[0] not in patterns["not_name"]:
            run.append(word)
            continue
        if run and word[0] in patterns["particles"] and _name_goes_on(words, i + 1, patterns["particles"]):
            run.append(word)  # "Пьер фон Хагель", "Клаус ван дер Берг": particles inside a name
            continue
        if len(run) >= 2:
            break
        run = []
        if i >= tail:
            return None
    names = [w for w in run if w[0].lower() not in patterns["particles"]]  # "Анна Де Лука": a capitalised particle too
    if len(names) < 2:
        return None
    keep = 3 if len(names) >= 3 and patterns["patronymic"].search(names[-2][0]) else 2
    first = names[-keep]
    return first[1], run[-1][2]


def _name_goes_on(words: list, i: int, particles: frozenset) -> bool:
    """After any more particles, ``words[i:]`` go on with a name word."""
    while i < len(words) and words[i][0] in particles:
        i += 1
    return i < len(words) and _is_name_word(words[i][0])


def _names_after_roles(text: str, roles: list[Span], honorifics: list[Span], patterns) -> list[tuple[int, int, str]]:
    """A name right after a role or an honorific ("Ерлан Сейткали" after the widened Russian role)."""
    out = []
    for span in [*roles, *honorifics]:
        name = _name_after(text, span.end, patterns, tail=0)
        if name and not text[span.end : name[0]].strip(" "):
            out.append((*name, "after-role" if span.label == "ROLE" else "after-honorific"))
        comma = text.find(", ", span.end, span.end + 60)  # "the OSCE Special Representative on Gender, Tomasz Wielgosz,"
        if span.label == "ROLE" and comma >= 0 and not _CLAUSE_END.search(text, span.end, comma):
            name = _name_after(text, comma + 2, patterns, tail=0)
            if name and text[name[1] : name[1] + 1] in (",", ".") and name[0] == comma + 2:
                out.append((*name, "after-role"))
    return out


def _role_complement(text: str, position: int, patterns) -> list[tuple[str, int, int]]:
    """The words of a role's complement right after ``position``: a preposition, then capitalised words and small
    words, ending on a capitalised word ("on Roma and Sinti Issues", "of the Rescue Service Armen Petrosyan");
    [] when none follows. The name a complement runs into is its last capitalised words (the caller decides)."""
    window = text[position : position + 160]
    words = [(m.group(), position + m.start(), position + m.end()) for m in _WORD.finditer(window)]
    if not words or words[0][0] not in patterns["complement_prepositions"] or text[position : words[0][1]] != " ":
        return []
    out = [words[0]]
    for word in words[1:]:
        if text[out[-1][2] : word[1]] != " " or not (_capitalised(word[0]) or word[0] in patterns["complement_words"]):
            break
        out.append(word)
    while out and not _capitalised(out[-1][0]):
        out.pop()
    return out


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _names_after_complements(text: str, roles: list[Span], covered, gazetteer, patterns) -> list[tuple[int, int, str]]:
    """'head of the Rescue Service Armen Petrosyan said': a name the model missed at the end of a role's complement,
    its last two capitalised words when at least one more capitalised word (the organization) stands before them
    and a lowercase word or a comma follows."""
    out = []
    for role in roles:
        complement = _role_complement(text, role.end, patterns)
        run = []
        for word in reversed(complement):
            if not _capitalised(word[0]):
                break
            run.insert(0, word)
        if len(run) < 3:
            continue
        first, last = run[-2], run[-1]
        after = text[last[2] : last[2] + 3]
        if not (after.startswith(",") or (after[:1] == " " and after[1:2].islower())):
            continue
        if any(not _is_name_word(w) or w in patterns["not_name"] or gazetteer.lookup(w) for w, _, _ in (first, last)):
            continue
        if any(s < last[2] and first[1] < e for s, e in covered):
            continue
        out.append((first[1], last[2], "after-role-complement"))
    return out


def _names_before_appositives(text: str, roles: list[Span], covered, patterns) -> list[tuple[int, int, str]]:
    """'Arben Rexhepi, a 19-year-old member of the new council in Tetovo,': a name before a comma, with a role
    in the clause after it (the role itself is checked when the row is made)."""
    out = []
    for role in roles:
        comma = text.rfind(", ", max(0, role.start - 60), role.start)
        if comma < 0 or _CLAUSE_END.search(text[comma + 2 : role.start]):
            continue
        head = text[max(0, comma - 60) : comma]
        words = [(m.group(), comma - len(head) + m.start(), comma - len(head) + m.end()) for m in _WORD.finditer(head)]
        run = []
        for word in reversed(words):
            following = run[0][1] if run else comma
            if word[2] + 2 < following or text[word[2] : following].strip() or not _is_name_word(word[0]) \
                    or any(s <= word[1] < e for s, e in covered):  # only spaces inside a name: "Bosnian. Enes" is none
                break
            run.insert(0, word)
        while run and run[0][0] in patterns["not_name"]:
            run.pop(0)
        lead = text[comma + 2 : role.start]
        if len(lead.split()) > 4 or patterns["relative"].search(lead) or patterns["verb_like"].search(lead) or patterns["conjunction"].match(lead):
            continue  # the role is not the head of the appositive ("Banja Luka, a city where a judge ...")
        if 2 <= len(run) <= 3 and not any(word in patterns["not_name"] for word, _, _ in run):
            out.append((run[0][1], run[-1][2], "apposition"))
    return out


def _names_by_speech_verbs(text: str, patterns) -> list[tuple[int, int, str]]:
    out = []
    if not _CYRILLIC.search(text):
        return out  # the names are Cyrillic: pages in Latin script have the model
    for m in patterns["speech_name"].finditer(text):
        group = "after" if m.group("after") else "before"
        start, end = m.span(group)
        words = text[start:end].split()
        while words and words[0] in patterns["not_name"]:
            start += len(words.pop(0)) + 1
        if len(words) >= 2:
            out.append((start, end, "speech-verb"))
    return out


class _Words:
    """The capitalised words of a text (the only ones a name is made of) with their offsets, indexed by word (a
    possessive 's left off), built once per document."""

    def __init__(self, text: str):
        self.items = [(m.group(), m.start(), m.end()) for m in _CAPITALISED_WORD.finditer(text)]
        self.at: dict[str, list[int]] = {}
        for i, (word, _, _) in enumerate(self.items):
            self.at.setdefault(word[:-2] if word[-2:] in ("'s", "’s") else word, []).append(i)


def _add_surname_mentions(doc: Document, clusters: list[tuple[str, list[Span]]], words: "_Words", gazetteer) -> None:
    """'Player won Australian titles': a named person's surname standing alone is a mention of them where the model
    saw nothing or an organization ("Cowley broke in as a rookie"), or a place the gazetteer does not know. The
    surname of two people, a Cyrillic one (matched by stem elsewhere) and a word in a run of capitalised words
    ("Player Foundation") are left alone."""
    surnames: dict[str, list[tuple[str, list[Span]]]] = {}
    for name, spans in clusters:
        parts = name.split()
        while parts and parts[-1].endswith("."):
            parts.pop()  # "Thomas Reed Jr.": the surname is before the abbreviation
        if len(parts) >= 2 and not _CYRILLIC.search(name):
            surnames.setdefault(parts[-1], []).append((name, spans))
    spans_at = sorted(doc.spans, key=lambda s: s.start)
    starts = [s.start for s in spans_at]
    added = []
    for surname, people in surnames.items():
        if len(people) > 1:
            continue
        name, spans = people[0]
        for i in words.at.get(surname, ()):
            _, start, _ = words.items[i]
            end = start + len(surname)
            if (i > 0 and words.items[i - 1][2] == start - 1) or (i + 1 < len(words.items) and words.items[i + 1][1] == end + 1):
                continue
            k = bisect.bisect_right(starts, end)  # the spans starting before the word's end; the few last of them reach it
            overlapping = [s for s in spans_at[max(0, k - 8) : k] if s.start < end and start < s.end]
            if any(s.label == "PERSON" for s in overlapping):
                continue
            same = [s for s in overlapping if (s.start, s.end) == (start, end) and s.label in ("ORG", "GPE", "LOC")]
            if overlapping and not (same and len(same) == len(overlapping)):
                continue
            if same and same[0].label != "ORG" and gazetteer.lookup(surname):
                continue
            if same:
                span = same[0]
                span.label, span.source = "PERSON", f"{span.source}+rule:people/surname"
            else:
                span = Span(start, end, "PERSON", doc.body_text[start:end], "rule:people/surname")
                added.append(span)
            spans.append(span)
        spans.sort(key=lambda s: s.start)
    if added:
        doc.spans.extend(added)
        doc.spans.sort(key=lambda s: (s.start, s.end, s.label))


def _clusters(mentions: list[Span]) -> list[tuple[str, list[Span]]]:
    """Mentions grouped by person; the name is the fullest form, the earliest of equals. A fuller mention joins a
    name with its surname and first word ("John D. Podesta" ~ "John Podesta", not "Bill Clinton" ~ "Hillary
    Clinton"); a surname alone goes to the person of that surname named last before it."""
    clusters: dict[str, list[Span]] = {}
    alone = []
    for span in sorted(mentions, key=lambda s: (-len(s.text.split()), s.start)):
        words = span.text.split()
        if len(words) == 1 and any(same_word(k.split()[-1], words[0]) for k in clusters):
            alone.append(span)
            continue
        key = next((k for k in clusters if k == span.text.strip() or _shorter_form(words, k.split())), span.text.strip())
        clusters.setdefault(key, []).append(span)
    for span in alone:
        surname = span.text.split()[0]
        same = [(min(s.start for s in spans), k) for k, spans in clusters.items() if same_word(k.split()[-1], surname)]
        before = [item for item in same if item[0] < span.start]
        clusters[max(before)[1] if before else min(same)[1]].append(span)
    for spans in clusters.values():
        spans.sort(key=lambda s: s.start)
    return list(clusters.items())


def _shorter_form(words: list[str], fuller: list[str]) -> bool:
    """Whether a name of ``words`` is a shorter form of the name ``fuller``: the same surname, and either the same
    first word ("John Podesta" ~ "John D. Podesta") or words that are all, in order, the fuller name's last ones
    ("Menezes Corte-Real" ~ "Álvaro Menezes Corte-Real"); "Bill Clinton" is no form of "Hillary Clinton"."""
    if not same_word(fuller[-1], words[-1]):
        return False
    if same_word(fuller[0], words[0]):
        return True
    return len(words) >= 2 and len(words) < len(fuller) and all(same_word(a, b) for a, b in zip(words, fuller[-len(words) :]))


def same_word(a: str, b: str) -> bool:
    """The same surname, or two Russian case forms of it ("Левицкий" ~ "Левицкого")."""
    return a == b or (bool(_CYRILLIC.search(a) and _CYRILLIC.search(b)) and same_stem(a, b))


def same_stem(a: str, b: str) -> bool:
    """Inflected forms of one word: a shared prefix of at least 4 letters that leaves at most 3 letters
    of ending on either word ("адвокатов" ~ "адвокаты", "officers" ~ "officer")."""
    if a == b:
        return True
    prefix = len(os.path.commonprefix([a, b]))
    return prefix >= 4 and max(len(a), len(b)) - prefix <= 3


def _extra_mentions(name: str, spans: list[Span], words: _Words) -> int:
    """Surname occurrences no mention covers ("said Dačić" the model missed; "Сейткали" in any case form)."""
    surname = name.split()[-1]
    forms = [surname]
    if _CYRILLIC.search(surname):
        forms = [w for w in words.at if same_word(w, surname)]
    starts = [words.items[i][1] for form in forms for i in words.at.get(form, ())]
    return sum(1 for start in starts if not any(s.start <= start < s.end for s in spans))


def _near_role(span: Span, roles: list[Span], text: str, vocabulary: Vocabulary, names) -> bool:
    return _role_for(span, roles, text, vocabulary, _patterns(vocabulary), names)[1] is not None


def _roles_of(spans: list[Span], roles: list[Span], text: str, patterns) -> list[Span]:
    """Role mentions that name this person: in the clause right before or after a mention, including a chain
    ("The OSCE Chairperson-in-Office, Serbia's Foreign Minister Ivica Dačić")."""
    out = []
    for span in spans:
        right = _CLAUSE_END.search(text, span.end + 2)
        right = min(right.start() if right else len(text), span.end + 120)
        # A chain of titles is a clause long: a role further back is not this person's, and a chain
        # searched over the whole text costs (mentions x roles x text) on a page of capitalised words.
        out += [r for r in roles if r.end <= span.start <= r.end + 160 and patterns["role_chain"].match(text, r.end, span.start)]
        if text[span.end : span.end + 2] == ", ":
            out += [r for r in roles if span.end <= r.start and r.end <= right]
    return out


# A title written out: "Head of the OSCE Office in Tajikistan", "Co-ordinator of OSCE Economic ...",
# "Mayor of Štip"; or an appositive noun phrase: "a judge of the Cantonal Court in Tuzla", "a law student".
_TITLE_PHRASE = re.compile(r"^(?:the\s+|The\s+)?[A-ZÀ-Þ][\w'’-]*(?:\s+(?:and\s+)?[A-ZÀ-Þ][\w'’-]*)*\s+(?:of|for|on|to|in)\s+\S.*$")
# The modifiers may be capitalised ("a Roma health mediator"), the head noun is not.
_APPOSITIVE = re.compile(r"^(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}[a-z][\w-]*(?:\s+(?:of|in|at|for|from)\s+.+)?$")
_ORIGIN = re.compile(r"\s+from\s+\S.*$")
_AGE = re.compile(r"^\d+-year-old\s+")
_ARTICLE = re.compile(r"(?:^|\s)(?:the|a|an)\s+")


def _role_for(person: Span, roles: list[Span], text: str, vocabulary: Vocabulary, patterns, names=()) -> tuple[Span | None, str | None]:
    """The role given to ``person`` right before or after the mention; ``names``: the (start, end) of every person
    mention, which a list continuing a role's complement must not hold."""
    for role in roles:
        if role.start < person.start < role.end:  # a greedy title pattern ran into the name
            start = _widen_left(text, role.start)
            return role, _clean_role(text[start : person.start], patterns)
        gap = text[role.end : person.start]
        if role.end <= person.start and len(gap) <= 16 and vocabulary.honorific_gap.match(gap):
            start = _coordinated_start(text, _widen_left(text, role.start), roles, patterns)
            if role.text[:1].islower():  # "the Mission's anti-trafficking adviser, Ms X": the noun phrase the noun heads
                start = min(start, _noun_phrase_start(text, role.start, patterns))
            return role, _referenced_role(role, text, roles, patterns) or _clean_role(text[start : role.end], patterns)
        if role.end < person.start <= role.end + 160:  # "ODIHR Senior Adviser on Roma and Sinti Issues Kinga Lakatos-Várady"
            complement = [w for w in _role_complement(text, role.end, patterns) if w[2] <= person.start]
            end = complement[-1][2] if complement else role.end
            # "Deputy Prime Minister for Human Rights, Minorities and Regional Development, X"
            longer = _list_continuation(text, end, patterns, names)
            if longer != end and longer <= person.start and vocabulary.honorific_gap.match(text[longer : person.start]):
                end = longer
            elif not complement:
                continue
            if vocabulary.honorific_gap.match(text[end : person.start]):
                start = _coordinated_start(text, _widen_left(text, role.start), roles, patterns)
                return role, _clean_role(text[start:end], patterns)
    before = _clause_before(text, person.start, patterns)
    if before and not patterns["verb_like"].search(before):
        opener = _THE.sub("", before).split()[0]  # "In Bratislava on Monday, X": a sentence opener heads no title
        if (_TITLE_PHRASE.match(before) and opener not in patterns["not_name"]) or vocabulary.lowercase_title.match(before):
            return None, _clean_role(before, patterns)
        for m in _ARTICLE.finditer(before):  # "... side by the head of the education working group in Tiraspol"
            if vocabulary.lowercase_title.match(before[m.end() :]):
                return None, _clean_role(before[m.end() :], patterns)
    after = text[person.end : person.end + 160]
    if after.startswith(", "):
        clause = _CLAUSE_END.split(after[2:], 1)[0]
        clause = text[person.end + 2 : _list_continuation(text, person.end + 2 + len(clause), patterns, names)]
        clause = patterns["relative"].sub("", clause)
        for role in roles:
            if person.end + 2 <= role.start < person.end + 2 + len(clause) and not patterns["verb_like"].search(clause):
                return role, _clean_role(clause, patterns)
        if len(clause.split()) <= 12 and not patterns["verb_like"].search(clause) and (_TITLE_PHRASE.match(clause) or _APPOSITIVE.match(clause)):
            return None, _clean_role(clause, patterns)
    return None, None


def _list_continuation(text: str, end: int, patterns, names=()) -> int:
    """Where a role's complement ends when a list of capitalised names goes on after the comma at ``end``
    ("of Social Protection" + ", Family and Child"): the end of the list's last part, which holds "and"; ``end``
    itself when no such list follows, or when a part holds a person's name ("of Trebišov, Jozef Balog and ...")."""
    position = end
    for _ in range(4):
        if text[position : position + 2] != ", ":
            return end
        boundary = _CLAUSE_END.search(text, position + 2)
        part_end = boundary.start() if boundary else len(text)
        words = text[position + 2 : part_end].split()
        if not words or len(words) > 6 or not _capitalised(words[0]) or not _capitalised(words[-1]) \
                or not all(_capitalised(w) or w in patterns["complement_words"] for w in words) \
                or any(position < s < part_end for s, _ in names):
            return end
        position = part_end
        if "and" in words:
            return position
    return end


_LAST_ARTICLE = re.compile(r"(?<![\w'’-])(?:the|The|a|an|An|A)\s+((?:[\w'’-]+\s+){0,3})$")


def _noun_phrase_start(text: str, start: int, patterns) -> int:
    """Where the noun phrase that a lowercase role noun at ``start`` heads begins: its article, when at most three
    modifiers and no verb stand between ("the Mission's anti-trafficking adviser", "a senior police officer")."""
    m = _LAST_ARTICLE.search(text, max(0, start - 60), start)
    if m is None or patterns["verb_like"].search(m.group(1)):
        return start
    return m.start()


def _coordinated_start(text: str, start: int, roles: list[Span], patterns) -> int:
    """Where a role coordinated with the one at ``start`` begins: "Deputy Minister of Emergency Situations and head
    of the Rescue Service" (a role, with its complement, and "and" right before)."""
    if not text[max(0, start - 5) : start] == " and ":
        return start
    for role in roles:
        complement = _role_complement(text, role.end, patterns)
        end = complement[-1][2] if complement else role.end
        if end == start - 5:
            return _widen_left(text, role.start)
    return start


def _before_other_names(role: str | None, name: str, names: list[str], patterns) -> str | None:
    """'adviser to Foreign Minister Ivan Petrov': a role ends before another person's name (Petrov has a row of his own)."""
    for other in names:
        at = role.find(other) if role and other != name else -1
        if at >= 0:
            role = _clean_role(role[:at], patterns) or None
    return role


def _referenced_role(role: Span, text: str, roles: list[Span], patterns) -> str | None:
    """'the Representative, Eirik Thorsrud': the fuller role of that name the text gave before
    ("the OSCE Representative on Freedom of the Media")."""
    if not text[max(0, role.start - 4) : role.start].lower() == "the ":
        return None
    fuller = [r for r in roles if r.start < role.start and r.text != role.text and r.text.startswith(role.text)]
    if not fuller:
        return None
    r = fuller[-1]
    return _clean_role(text[_widen_left(text, r.start) : r.end], patterns)


def _clause_before(text: str, position: int, patterns) -> str | None:
    """"The Mayor of Štip, " right before a name: the clause between the last boundary and ", "."""
    head = text[max(0, position - 120) : position]
    # a leading "said" is taken with the boundary: "”, said the Head of the OSCE Presence, " is a title clause
    m = patterns["clause_before"].search(head)
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


def _clean_role(role: str, patterns) -> str:
    role = _restore_periods(role)
    role = patterns["relative"].sub("", role.strip(" ,"))
    role = re.sub(r"^(?:the|The|a|an)\s+(?![\w-]+['’]s\s)", "", role.strip(" ,"))  # "the Mission's adviser" keeps its "the"
    role = _AGE.sub("", role)
    if role[:1].islower():
        role = _ORIGIN.sub("", role)  # "an editor from Khujand": where they come from is not the role
    return " ".join(role.split())


def _by_end(spans: list[Span]) -> dict[int, tuple[int, Span]]:
    """end -> (list position, span) of the first of ``spans`` ending there: a lookup by end is one dict probe,
    where a scan of the list for every person made a long page's people quadratic."""
    out: dict[int, tuple[int, Span]] = {}
    for k, span in enumerate(spans):
        out.setdefault(span.end, (k, span))
    return out


def _honorific_for(person: Span, honorifics_by_end: dict[int, tuple[int, Span]], text: str) -> str | None:
    """The honorific written right before the name, with at most two spaces between ("Mr. Obama")."""
    found = [honorifics_by_end[end] for end in range(person.start - 2, person.start + 1)
             if end in honorifics_by_end and not text[end : person.start].strip()]
    return min(found, key=lambda item: item[0])[1].text.rstrip(".") if found else None


def _organization_in(role_text: str, orgs: list[Span], gazetteer) -> str | None:
    """The organization the role names: the longest rule match in its words ("Head of the OSCE Mission to
    Moldova"), else a model ORG, else the country of a possessive ("Tajikistan's Deputy Minister of Culture")."""
    named = [org for org in orgs if org.text in role_text and (org.source.startswith("rule:") or not gazetteer.lookup(org.text))]
    if named:
        best = max(named, key=lambda org: (len(_THE.sub("", org.text)), org.source.startswith("rule:")))
        return best.norm or _THE.sub("", best.text)
    m = _COUNTRY_POSSESSIVE.match(role_text)
    place = gazetteer.lookup(m.group(1)) if m else None
    return place.name if place is not None and place.kind == "country" else None
