"""Organizations: the rows of the organizations table, from the organization rules (with their
canonical names) and the model's ORG mentions that are organizations, and the finishing of the rule
matches every later step reads (``complete_place_slots``: "{place}" slots, hyphenated names, Russian
adjectives before a match). Places inside organization names are the place extractor's (nlp/places.py)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..document import Document, Span
from .places import CAPITALS, NAME, list_items, lookup_place, only_places
from .vocabulary import Vocabulary, alternation

_POSSESSIVE = re.compile(r"\s?['’]s$")  # "Union's", and "Union 's" of tokenized text

_PLACE_AFTER = re.compile(rf"\s+(?:in|of)\s+({NAME})")
_QUOTED = re.compile(r"[“\"«„]([^”\"»“\n]{1,80})[”\"»“]")
# A pattern's norm may end with "{place}": the place(s) written right after the phrase ("Центра ОБСЕ в"
# + "Астане" -> "Центр ОБСЕ в Астане"; "OSCE Centres in" + "Astana and Bishkek" -> one name per place).
# Phrases rather than token patterns with a place token: spaCy's phrase matcher costs next to nothing per
# pattern, its token matcher tries every pattern at every token.
_PLACE_SLOT = "{place}"
_NAMES_SEPARATOR = "; "
# An acronym in brackets may stand between the phrase and its place ("Министерства внутренних дел (МВД) Кыргызской
# Республики"): the name goes on over it, without it.
_PLACES_AFTER = re.compile(rf"[^\S\n]*(\([{CAPITALS}]{{2,8}}\)[^\S\n]+)?(?:the\s+)?({NAME}(?:(?:,\s+|,?\s+(?:and|и)\s+){NAME})*)")


def organization_rows(doc: Document, gazetteer, person_names: set[str], vocabulary: Vocabulary) -> list[dict]:
    """Rule matches (with their canonical name), names a rule's bare acronym opens ("OSCE Kosovo
    Verification Mission"), and model ORG mentions no rule covers that are organizations.

    A model mention is trimmed first: of a leading "the", a country's possessive ("Armenia's Ministry of
    ..."), a role and its preposition ("Head of ..."), a person's name the model ran into ("Rescue Service
    Armen Petrosyan"); it is widened over the rest of a name the model cut at a comma ("Ministry of Labour,
    Social Affairs and Family") and over "in/of <place>" after a branch noun ("Cantonal Court in Tuzla").
    It is no organization when what is left is a person, a surname, a place or list of places, a demonym
    plural ("Kosovo Albanians"), a currency code, a lone common word, a document, an event or programme
    ("Istanbul Summit", "Voluntary Fund"), a building, a role, a minister's portfolio ("Minister of Social
    Protection"), or words of a quoted title. A rule's match that is a person's role in apposition ("The
    OSCE Representative on Freedom of the Media, Aurelio ...,") is the role, not the institution.
    Then names are linked within the text (``_link_names``): an acronym in brackets after a name is that
    name, a short form takes the full name, "the Office" the last name with that head noun.
    The word lists are the [places] section of the run's vocabulary. Rule matches with a place slot were
    completed when the mentions were built (complete_place_slots)."""
    text = doc.body_text
    words = vocabulary.places
    people = sorted((s.start, s.end) for s in doc.spans if s.label == "PERSON" and "person" in s.attrs)
    model_orgs = _joined_model_orgs(doc, words["institution_nouns"])
    candidates = [s for s in doc.spans if s.label == "ORG" and s.source.startswith("rule:")
                  and not any(_extends_acronym(m, s, words["institution_nouns"]) for m in model_orgs)]
    after_acronyms, rule_orgs = _names_after_acronyms(
        [s for s in candidates if not _role_in_apposition(s, text, people, words["role_nouns"])], model_orgs, text, vocabulary)
    # Rule matches that are a word of a person's role ("OSCE Chairman-in-Office", "The OSCE Representative on
    # Freedom of the Media, Aurelio ..."): the model's mention of the same words is no organization either.
    kept = {id(s) for s in rule_orgs} | {s.start for s in after_acronyms}
    roles = [s for s in candidates if id(s) not in kept and s.start not in kept]
    rows = [row for s in rule_orgs for row in _rule_rows(s)]
    surnames = {name.split()[-1] for name in person_names if name.split()}
    titles = [(m.start(1), m.end(1)) for m in _QUOTED.finditer(text) if all(w[:1].isupper() for w in m.group(1).split())]
    for span in after_acronyms + model_orgs:
        if any(r.start < span.end and span.start < r.end for r in rule_orgs + roles) or any(s <= span.start and span.end <= e for s, e in titles):
            continue
        if span.source.startswith("model:") and _portfolio(text, span.start, vocabulary):
            continue  # "Deputy Minister of Social Protection, Family and Child": an office's field, not a ministry
        span = _trimmed(span, text, gazetteer, people, vocabulary)
        if span is None:
            continue
        span = _with_place(_with_list_tail(span, text, gazetteer, words["institution_nouns"]), text, gazetteer, words["branch_nouns"])
        name = _POSSESSIVE.sub("", span.text)
        if _not_an_organization(name, gazetteer, surnames | set(person_names), vocabulary) or _before_feature_noun(text, span.end, words["feature_nouns"]):
            continue
        if span.source.startswith("model:") and name.split()[-1].islower():
            continue  # "big league club", "harp guitars": the model's name ends in a common noun
        span = _with_title_article(span, text)
        rows.append(_org_row(span, _POSSESSIVE.sub("", span.text)))
    return _link_names(sorted(rows, key=lambda r: r["start"]), text, vocabulary)


def field_organization_rows(sources, text: str) -> list[dict]:
    """The organizations the page's own "Source:" field names and its body never does (not even inside
    a longer name or a person's role: "OSCE Representative on Freedom of the Media Teresa Ribeiro"):
    who issued a document is one of its organizations even when the text does not name it. Where the
    body does name it, the body's mention says what it is there. Such a row has no span in the body;
    ``source`` says the field it was read from."""
    body = _casefolded(text)
    out, seen = [], set()
    for value in sources:
        name = " ".join(str(value).split())
        key = _casefolded(name)
        if not _reads_as_a_name(name) or key in seen or re.search(rf"(?<!\w){re.escape(key)}(?!\w)", body):
            continue
        seen.add(key)
        out.append({"text": name, "name": name, "acronym": None, "start": None, "end": None, "source": "field:sources"})
    return out


def _reads_as_a_name(value: str) -> bool:
    """A field value that can be an organization's name: capitalised, a few words, no address
    ("Quelle: eigene Recherche", "Source: www.example.org" are none)."""
    return value[:1].isupper() and len(value.split()) <= MAX_NAME_WORDS and "://" not in value and not value.lower().startswith("www.")


MAX_NAME_WORDS = 12


def _casefolded(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


def _trimmed(span: Span, text: str, gazetteer, people: list[tuple[int, int]], vocabulary: Vocabulary) -> Span | None:
    """The mention without what leads or trails the name: "the", a place's possessive ("Armenia's",
    "Moldova's"), a role and its preposition ("Head of", "Prefect of"), a person's name the model ran
    into ("Rescue Service Armen Petrosyan"), the words of the next line or phrase it ran on into ("National
    Action\nIn", "Victoria Hockey Club of"), or None when only a person's name (with an honorific) is left."""
    start, end = span.start, span.end
    line_break = text.find("\n", start, end)
    if line_break != -1:
        end = line_break  # a name never runs over a line break; the model joins the end of one paragraph to the next
    for dash in _SPACED_DASHES:  # a dash between spaces separates phrases ("North Bridgton - agent"); a hyphen joins words
        cut = text.find(dash, start, end)
        end = cut if cut != -1 else end
    bracket = text.find("(", start, end)
    if bracket != -1 and text.find(")", bracket, end) == -1:
        end = bracket  # "Air Division (Defense": the bracket the mention opens is not the name's
    for s, e in people:
        if s < end and start < e:
            if s <= start:
                return None  # the mention starts on a person's name
            end = min(end, s)
    while True:
        lead = _LEADING_ARTICLE.match(text, start, end) or _leading_possessive(text, start, end, gazetteer) \
            or _leading_role(text, start, end, vocabulary.places["role_nouns"])
        if lead is None or lead.end() >= end:
            break
        start = lead.end()
    if text[start:end].split(maxsplit=1)[:1] and text[start:end].split(maxsplit=1)[0] in vocabulary.honorifics:
        return None  # "Ms Saltanat Isakova": a person, the honorific says so
    name = _without_trailing_words(text[start:end], vocabulary.places["name_trailing_words"])
    if not name:
        return None
    end = start + len(name)
    if (start, end) == (span.start, span.end):
        return span
    return Span(start, end, span.label, name, span.source, None)


_LEADING_ARTICLE = re.compile(r"(?:the|The|an|a)\s+")
_SPACED_DASHES = (" - ", " – ", " — ")


def _without_trailing_words(name: str, trailing_words: frozenset[str]) -> str:
    """``name`` without trailing punctuation and the function words no name ends in ("of", "of the")."""
    words = name.rstrip(_TRAILING_MARKS).split(" ")
    while len(words) > 1 and words[-1].lower() in trailing_words:
        words.pop()
    return " ".join(words).rstrip(_TRAILING_MARKS)


_TRAILING_MARKS = " ,;:'’\"-"


def _with_title_article(span: Span, text: str) -> Span:
    """"The" capitalised inside a sentence is a word of the name ("an editor of The Sunday Times", "members of
    The Scout Association"); at the start of a sentence or line it is only capitalised, and stays out."""
    start = span.start - len("The ")
    if start < 0 or text[start : span.start] != "The ":
        return span
    before = text[max(0, start - 3) : start].rstrip(" ")
    if not before or not (before[-1].isalnum() or before[-1] == ","):
        return span
    return Span(start, span.end, span.label, text[start : span.end], span.source, None)


def _leading_possessive(text: str, start: int, end: int, gazetteer):
    """"Armenia's " before an institution's name: the country it belongs to, not a word of the name."""
    m = _LEADING_POSSESSIVE.match(text, start, end)
    return m if m and lookup_place(gazetteer, m.group(1)) else None


_LEADING_POSSESSIVE = re.compile(rf"([{CAPITALS}][\w-]*(?:\s+[{CAPITALS}][\w-]*)?)['’]s\s+")


def _leading_role(text: str, start: int, end: int, role_nouns: frozenset[str]):
    """"Head of ", "Prefect of the ": a role and the preposition that opens what it is the role of."""
    m = _LEADING_ROLE.match(text, start, end)
    return m if m and m.group(1).lower() in role_nouns else None


_LEADING_ROLE = re.compile(r"([A-Z][\w-]*)\s+(?:of|for|on)\s+(?:the\s+)?")


def _portfolio(text: str, start: int, vocabulary: Vocabulary) -> bool:
    """The words right after "Minister of", "Co-ordinator for": the field of an office, not an organization."""
    m = _ROLE_PREPOSITION_BEFORE.search(text, max(0, start - 40), start)
    return m is not None and m.group(1).lower() in vocabulary.places["portfolio_role_nouns"]


_ROLE_PREPOSITION_BEFORE = re.compile(r"([\w-]+)\s+(?:of|for)\s+(?:the\s+)?$")


def _role_in_apposition(span: Span, text: str, people: list[tuple[int, int]], role_nouns: frozenset[str]) -> bool:
    """A rule's match whose last word is a role ("Representative on Freedom of the Media") written right
    before ", Name" of a person is that person's role: the sentence speaks of the person, not the office."""
    head = span.text.split()[0] if span.text.split()[0].isupper() and len(span.text.split()) > 1 else None
    words = span.text.split()[1:] if head else span.text.split()
    if not words or words[0].lower() not in role_nouns:
        return False
    m = _APPOSITION_COMMA.match(text, span.end)
    return m is not None and any(s == m.end() for s, _ in people)


_APPOSITION_COMMA = re.compile(r",\s+(?:[A-Z][a-z]{1,3}\.?\s+)?")


def _names_after_acronyms(rule_orgs: list[Span], model_orgs: list[Span], text: str, vocabulary: Vocabulary) -> tuple[list[Span], list[Span]]:
    """A rule's bare acronym followed by capitalised words is a modifier of what they name: of a longer
    name ending in an institution noun ("OSCE Kosovo Verification Mission", "the OSCE Presence": a name of
    its own, found here when the model and the rules miss it), or of a role ("OSCE Special Representative",
    "OSCE Chairman-in-Office": no organization mention). Returns the longer names and the rule matches kept."""
    words = vocabulary.places
    found, kept = [], []
    for span in rule_orgs:
        m = _CAPITALISED_AFTER.match(text, span.end) if " " not in span.text and span.text.isupper() else None
        if m is None:
            kept.append(span)
            continue
        after = [_POSSESSIVE.sub("", w).lower() for w in m.group(1).split()]
        if not any(w in words["institution_nouns"] for w in after):
            continue  # "OSCE Special Representative", "OSCE Chairman-in-Office", "the OSCE Area": a role or a name of no organization
        if any(o.start <= span.start and span.end < o.end for o in model_orgs):
            kept.append(span)  # the model's longer name decides (``_extends_acronym``)
        elif after[-1] in words["institution_nouns"]:
            found.append(Span(span.start, m.end(1), "ORG", text[span.start : m.end(1)], f"{span.source}+name-after-acronym", None))
        else:
            kept.append(span)
    return found, kept


# Up to five capitalised words right after an acronym ("OSCE Kosovo Verification Mission (KVM)").
_CAPITALISED_AFTER = re.compile(r"[^\S\n]+((?:[A-Z][\w’'-]*)(?:[^\S\n]+[A-Z][\w’'-]*){0,4})")


def _before_feature_noun(text: str, end: int, feature_nouns: frozenset[str]) -> bool:
    """"the Siverskyi Donets river": a name right before a river, a valley, a lake is that feature's."""
    m = _NEXT_WORD.match(text, end)
    return m is not None and m.group(1).lower() in feature_nouns


_NEXT_WORD = re.compile(r"[^\S\n]+([a-z]+)\b")


def _with_list_tail(span: Span, text: str, gazetteer, institution_nouns: frozenset[str]) -> Span:
    """"Ministry of Labour" + ", Social Affairs and Family": the name of an institution "of" several fields
    goes on over a list of capitalised fields ending in "and ..." that the model cut at a comma."""
    words = span.text.split()
    if len(words) < 3 or words[0].lower() not in institution_nouns or words[1] not in ("of", "for"):
        return span
    m = _LIST_TAIL.match(text, span.end)
    if m is None or any(lookup_place(gazetteer, item) for item in re.split(r",\s*|\s+and\s+", m.group(0)) if item.strip()):
        return span
    return Span(span.start, m.end(), span.label, text[span.start : m.end()], span.source, None)


# ", Social Affairs and Family", " and Family" after "Ministry of Labour, Social Affairs": up to three more
# fields of up to three capitalised words each, the last after "and".
_FIELD = r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}"
_LIST_TAIL = re.compile(rf"(?:, {_FIELD}){{0,2}},? and {_FIELD}\b(?! [A-Z])")


def _link_names(rows: list[dict], text: str, vocabulary: Vocabulary) -> list[dict]:
    """One organization, one name within a text:
    1. "Central Election Commission (CEC)": the acronym in brackets is an alias, every row of it takes the
       name (and the rows of the name take the acronym);
    2. a short form of a name the text gives in full takes the full name ("Programme Office" after "OSCE
       Programme Office in Bishkek", "OSCE Presence" after "OSCE Presence in Albania");
    3. "the Office", "the Government": a capitalised institution noun after "the" is the last organization
       named before with that head noun, or one of its own ("the Government")."""
    aliases: dict[str, str] = {}
    for row in rows:
        # right after the name, or inside a name that goes on after it ("Министерства внутренних дел (МВД) Кыргызской Республики")
        m = _ACRONYM_IN_BRACKETS.match(text, row["end"]) or _ACRONYM_IN_BRACKETS.search(row["text"])
        if m and m.group(1) != row["text"] and " " in row["name"]:
            aliases.setdefault(m.group(1), row["name"])
    for row in rows:
        defined = aliases.get(row["text"])
        # a model's acronym, or a rule's whose own name the text's is a longer form of ("МВД" -> "Министерство внутренних дел ...")
        if defined and (row["source"].startswith("model:") or row["name"] == row["text"] or defined.startswith(row["name"] + " ")):
            row["name"], row["acronym"] = defined, row["text"]
        elif row["acronym"] is None:
            row["acronym"] = next((a for a, name in aliases.items() if name == row["name"]), None)
    for acronym, name in aliases.items():  # the acronym wherever the text uses it, which the model may not tag
        for start in _whole_word_positions(text, acronym):
            end = start + len(acronym)
            if not any(r["start"] < end and start < r["end"] for r in rows):
                rows.append({"text": acronym, "name": name, "acronym": acronym, "start": start, "end": end,
                             "source": "rule:org/acronym-defined-in-text"})
    rows.sort(key=lambda r: r["start"])
    # in text order, so that of two longer names of one length the first written wins, in every process
    names = list(dict.fromkeys(row["name"] for row in rows if row["source"].startswith("rule:") or " " in row["name"]))
    for row in rows:
        if row["source"].startswith("rule:") and "+name-after-acronym" not in row["source"]:
            continue
        longer = [n for n in names if n != row["name"] and f" {row['name']} " in f" {n} "]
        if longer:
            row["name"] = max(longer, key=len)  # "Border Management Staff College" after "OSCE Border Management Staff College"
    return _institution_references(rows, text, vocabulary)


def _whole_word_positions(text: str, word: str):
    """Where ``word`` stands as a whole word in ``text`` (a string search: no pattern built per word)."""
    def joins(char: str) -> bool:
        return bool(char) and (char.isalnum() or char in "-_")

    start = text.find(word)
    while start != -1:
        if not joins(text[start - 1 : start]) and not joins(text[start + len(word) : start + len(word) + 1]):
            yield start
        start = text.find(word, start + 1)


_ACRONYM_IN_BRACKETS = re.compile(r"\s*\(([A-ZА-ЯЁ][A-ZА-ЯЁa-z]{0,2}[A-ZА-ЯЁ]{1,6})\)")


def _institution_references(rows: list[dict], text: str, vocabulary: Vocabulary) -> list[dict]:
    """Rows for "the Office", "the Mission", "the Government": the last organization named before with
    that head noun, or a row of its own named by the noun. Nouns in lower case name a kind ("the mission"),
    and a noun right before a capitalised word or "of" is the start of a longer name."""
    out = list(rows)
    for m in _patterns(vocabulary)["institution_reference"].finditer(text):
        start, end = m.start(1), m.end(1)
        if any(r["start"] <= start < r["end"] for r in rows):
            continue
        noun = m.group(1).lower()
        named = [r for r in rows if noun in r["name"].lower().split()]
        earlier = [r for r in named if r["start"] < start]
        # the last one named before, else the first named after (a daily report's "the Mission" before "the SMM")
        referred = earlier[-1] if earlier else named[0] if named else None
        out.append({"text": m.group(1), "name": referred["name"] if referred else m.group(1), "acronym": None, "start": start, "end": end,
                    "source": "rule:org/institution-reference" + ("+named-in-text" if referred else "")})
    return sorted(out, key=lambda r: r["start"])


def _extends_acronym(model: Span, rule: Span, institution_nouns: frozenset[str]) -> bool:
    """The model's name starts with the rule's one-word match and goes on with more capitalised words."""
    words = re.sub(r"^(?:the|The)\s+", "", model.text).split()
    return (" " not in rule.text and model.start <= rule.start and rule.end < model.end and len(words) >= 2
            and words[0] == rule.text and _POSSESSIVE.sub("", words[-1]).lower() in institution_nouns)


def _rule_rows(span: Span) -> list[dict]:
    """A rule match's rows: one per canonical name (a completed ``{place}`` slot can hold several)."""
    return [_org_row(span, name) for name in (span.norm or span.text).split(_NAMES_SEPARATOR)]


def complete_place_slots(doc: Document, gazetteer, vocabulary: Vocabulary) -> None:
    """Fill the ``{place}`` slot of rule matches from the places written right after the phrase, and
    widen the mention over them: "Центра ОБСЕ в" + "Астане" -> "Центр ОБСЕ в Астане"; "OSCE Centres
    in" + "Astana and Bishkek" -> two names; "МВД" + "Казахстана". A word after the phrase that the
    gazetteer does not know is left out ("Министерства юстиции Ольга Бондаренко"). Runs before the
    place, organization and people rows, which need the widened mentions: it is the first entity step
    (``mentions`` in pipeline.nlp.steps.ENTITY_STEPS).
    Mentions cut inside a hyphenated name are widened first; capitalised adjectives before a Russian
    rule match are taken last (both are no-ops when run again on the same document)."""
    text = doc.body_text
    patterns = _patterns(vocabulary)
    _widen_to_whole_words(doc)
    for span in doc.spans:
        if span.label != "ORG" or not (span.norm or "").endswith(_PLACE_SLOT):
            continue
        head = span.norm[: -len(_PLACE_SLOT)].rstrip()
        names, end = [], span.end
        m = _PLACES_AFTER.match(text, span.end)
        for s, e in list_items(text, m.start(2), m.end(2)) if m else ():
            first = re.match(r"[\w'’/-]+", text[s:e])
            e = next((x for x in (e, s + first.end()) if gazetteer.lookup(text[s:x]) or gazetteer.lookup_inflected(text[s:x])), None)
            if e is None:
                break
            lead = text[span.end : s].replace(m.group(1) or "\0", "")  # " ", " the ", without the acronym in brackets
            names.append(f"{head}{lead}{text[s:e]}" if not names else f"{head} {text[s:e]}")
            end = e
        if not names:  # no known place follows: the mention and the name end before the dangling preposition
            end = span.start + len(patterns["dangling_preposition"].sub("", span.text))
        span.end, span.text = end, text[span.start : end]
        span.norm = _NAMES_SEPARATOR.join(names) if names else patterns["dangling_preposition"].sub("", head)
    _take_leading_adjectives(doc, patterns)




def _take_leading_adjectives(doc: Document, patterns) -> None:
    """Capitalised adjectives right before a Russian organization rule's match are part of the name
    (the rules match the head noun in lower case too): the mention starts at the first of them and
    the canonical name takes them in the nominative agreeing with the head ("Программного офиса
    ОБСЕ в Бишкеке" -> "Программный офис ОБСЕ в Бишкеке")."""
    text = doc.body_text
    for span in doc.spans:
        if span.label != "ORG" or not span.source.startswith("rule:") or not span.norm:
            continue
        m = patterns["leading_adjectives"].search(text, max(0, span.start - 80), span.start)
        if m is None:
            continue
        head = span.norm.split()[0]
        adjectives = " ".join(_nominative_adjective(word, _gender(head), patterns) for word in m.group(1).split())
        names = [f"{adjectives} {name[:1].lower()}{name[1:]}" for name in span.norm.split(_NAMES_SEPARATOR)]
        span.start, span.text, span.norm = m.start(1), text[m.start(1) : span.end], _NAMES_SEPARATOR.join(names)


def _gender(noun: str) -> str:
    last = noun[-1:].lower()
    return "feminine" if last in "ая" else "neuter" if last in "оеё" else "masculine"


def _nominative_adjective(word: str, gender: str, patterns) -> str:
    """A Russian adjective's nominative singular for a head of that gender; a form already
    nominative stays as written (a stressed "-ой" is masculine nominative: "Основной")."""
    if word.endswith(patterns["nominative_endings"][gender]):
        return word
    stem = patterns["adjective"].fullmatch(word).group(1)
    after_hushing = stem[-1:] in "жшчщ"
    if gender == "feminine":
        return stem + "ая"
    if gender == "neuter":
        return stem + ("ее" if after_hushing else "ое")
    return stem + ("ий" if after_hushing or stem[-1:] in "гкх" else "ый")


# The rest of a hyphenated name: capitalised parts, maybe joined by a short particle ("Nur-Sultan",
# "Rostov-on-Don", "Ростов-на-Дону"); "OSCE-supported" is a name and a word, not a longer name.
_HYPHENATED_REST = re.compile(rf"(?:[-‐‑](?:[a-zа-яё]{{1,3}}[-‐‑])*[{CAPITALS}][\w'’]*)+")


def _widen_to_whole_words(doc: Document) -> None:
    """The tokenizer splits hyphenated names ("Nur-Sultan", "Ivano-Frankivsk"), so a model mention or a
    token rule ending in a title-case token ("OSCE Programme Office in Nur") can stop inside one: a
    mention ends where the word ends."""
    text = doc.body_text
    for span in doc.spans:
        if not text[span.end - 1 : span.end].isalnum():
            continue
        rest = _HYPHENATED_REST.match(text, span.end)
        if rest:
            span.end, span.text = rest.end(), text[span.start : rest.end()]


def _with_place(span: Span, text: str, gazetteer, branch_nouns: frozenset[str]) -> Span:
    """An institution's name followed by "in/of <place>" takes it: "Cantonal Court in Tuzla"."""
    words = re.sub(r"^(?:the|The)\s+", "", span.text).split()
    if not words or not (words[-1].lower() in branch_nouns or words[0].lower() in branch_nouns):
        return span
    m = _PLACE_AFTER.match(text, span.end)
    if m is None or lookup_place(gazetteer, m.group(1)) is None:
        return span
    return Span(span.start, m.end(), span.label, text[span.start : m.end()], span.source, None)


def _joined_model_orgs(doc: Document, institution_nouns: frozenset[str]) -> list[Span]:
    """Model ORG mentions, with halves the model split at "and" joined ("High Judicial and Prosecutorial Council")."""
    spans = sorted((s for s in doc.spans if not s.source.startswith("rule:") and (s.label == "ORG" or _institution_facility(s, institution_nouns))), key=lambda s: s.start)
    out: list[Span] = []
    for span in spans:
        if out and doc.body_text[out[-1].end : span.start] == " and " and span.text[:1].isupper():
            previous = out.pop()
            span = Span(previous.start, span.end, "ORG", doc.body_text[previous.start : span.end], span.source, None)
        out.append(span)
    return out


def _institution_facility(span: Span, institution_nouns: frozenset[str]) -> bool:
    """The model reads "the Embassy of Norway" as a facility; an embassy is also an organization."""
    words = re.sub(r"^(?:the|The)\s+", "", span.text).split()
    return span.label == "FAC" and bool(words) and words[0].lower() in institution_nouns


def _not_an_organization(text: str, gazetteer, surnames: set[str], vocabulary: Vocabulary) -> bool:
    nouns = vocabulary.places
    words = text.split()
    if not words or text in surnames or text in vocabulary.currency_codes or gazetteer.lookup(text):
        return True
    last = words[-1].lower()
    if last in nouns["document_nouns"] or last in nouns["site_nouns"] or last in nouns["event_nouns"] or last in nouns["feature_nouns"]:
        return True  # "Aarhus Convention", "Federal Palace", "Istanbul Summit", "Package of Measures", "the OSCE Area"
    if any(w.lower() in nouns["event_nouns"] for w in words[1:-1]) and not any(w.lower() in nouns["institution_nouns"] for w in words):
        return True  # "Action Plan for ...", "Summit of the ...": an event or programme named after its subject
    if (last in nouns["role_nouns"] or last.split("-")[-1] in nouns["role_nouns"]) and words[0].lower() not in nouns["institution_nouns"]:
        return True  # "Kyrgyz Co-Chair"; "Office of the President" stays
    singular = re.sub(r"ies$", "y", last) if last.endswith("ies") else last.removesuffix("s")
    if last != singular and (singular in nouns["institution_nouns"] or singular in nouns["role_nouns"]):
        return True  # "Aarhus Centres", "Youth Ambassadors": a kind of institution, a group of people
    if len(words) == 1 and not re.search(r"[A-Z].*[A-Z]", text):
        return True  # one capitalised common word; acronyms (two capitals or more) stay
    if only_places(text, gazetteer):
        return True  # "Chisinau and Tiraspol", "Osh, Jalal-Abad"
    return words[-1].endswith("s") and gazetteer.demonym(words[-1][:-1]) is not None  # "Kosovo Albanians"



def _org_row(span: Span, name: str) -> dict:
    text = _POSSESSIVE.sub("", span.text)
    acronym = text if re.fullmatch(r"[A-Z][A-Za-z]{1,7}", text) and sum(c.isupper() for c in text) >= 2 else None
    return {"text": text, "name": name, "acronym": acronym, "start": span.start, "end": span.start + len(text), "source": span.source}


@lru_cache(maxsize=4)
def _patterns(vocabulary: Vocabulary) -> dict:
    """The patterns made of the [places] word lists of ``rules/vocabulary.toml`` that organization names use."""
    words = vocabulary.places
    endings = alternation(words["adjective_endings_ru"])
    return {
        # A run of capitalised Russian adjectives right before a rule's match ("Программный офис ОБСЕ в Бишкеке",
        # "Программного офиса ОБСЕ"), and one adjective's stem and case ending.
        "leading_adjectives": re.compile(rf"(?:(?<=\s)|^)((?:[А-ЯЁ][а-яё]+(?:{endings})\s+)+)$"),
        "adjective": re.compile(rf"([А-ЯЁа-яё]+?)({endings})$"),
        # Nominative adjective endings by the gender of the head noun, which the head's last letter tells.
        "nominative_endings": {gender: tuple(e) for gender, e in vocabulary.places["nominative_adjective_endings_ru"].items()},
        "dangling_preposition": re.compile(rf"\s+(?:{alternation(words['slot_prepositions'])})$"),
        # "the Office will", "the Government.": a capitalised institution noun after "the", not opening a longer name
        "institution_reference": re.compile(
            rf"\b[Tt]he\s+({alternation(sorted(w.capitalize() for w in words['reference_nouns']))})\b(?!\s+(?:[A-Z]|of\b|for\b|on\b|in\b|to\b))"
        ),
    }
