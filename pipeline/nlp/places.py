"""Places: model GPE/LOC mentions, dateline places and place names inside organization names,
normalized with the gazetteer. Pages without the English model get gazetteer look-ups of
capitalised word runs instead. Demonyms ("Kyrgyz") are not places. The names and helpers made
public here (``NAME``, ``list_items``, ``lookup_place``, ``only_places``) serve nlp/organizations.py too."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..document import Document
from .vocabulary import Vocabulary, alternation

PLACE_LABELS = {"GPE", "LOC"}
_CAPITALISED_RUN = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁЀ-Џ][\w'’-]+(?:\s+(?:and\s+|of\s+|de\s+)?[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁЀ-Џ][\w'’-]+){0,3}")
_POSSESSIVE = re.compile(r"['’]s$")


def place_rows(doc: Document, gazetteer, model_ran: bool, vocabulary: Vocabulary) -> list[dict]:
    text = doc.body_text
    # A model ORG mention that only lists places ("Osh, Jalal-Abad") is no organization around them.
    orgs = [s for s in doc.spans if s.label == "ORG" and not only_places(s.text, gazetteer)]
    # Model spans that name something other than a place: their first word is not a place by itself
    # ("at the Federal Palace" is no town called Federal).
    other_names = [(s.start, s.end) for s in doc.spans if s.label in _NOT_PLACE_LABELS and not s.source.startswith("rule:")]
    dateline_end = doc.dateline_end or 0
    patterns = _patterns(vocabulary, gazetteer.forms.region_noun_forms, gazetteer.forms.adjective_endings)
    candidates: list[tuple[int, int, str, object]] = _region_lists(text, gazetteer, patterns)
    if model_ran:
        candidates += [(s.start, s.end, s.source, None) for s in doc.spans if s.label in PLACE_LABELS]
        candidates += _after_preposition(text, patterns, other_names=other_names)
    else:
        candidates += _capitalised_runs(text, 0, len(text), "gazetteer")
    for org in orgs:
        candidates += _after_preposition(text, patterns, org.start, org.end, "gazetteer:in-org")
    if dateline_end:
        candidates += _capitalised_runs(text, 0, dateline_end, "dateline")
    rows: list[dict] = []
    readings: list[tuple[str, list]] = []  # per row: what found it, and every place its name can be
    taken: list[tuple[int, int]] = []
    for start, end, source, place in sorted(candidates, key=lambda c: (c[0], -(c[1] - c[0]))):
        mention = _POSSESSIVE.sub("", text[start:end])
        end = start + len(mention)
        if any(start < e and s < end for s, e in taken) or gazetteer.demonym(mention) or vocabulary.calendar_word.fullmatch(mention):
            continue
        options = None
        if place is None:
            options = _options(gazetteer, mention, small_towns=source != "gazetteer")
            place = lookup_place(gazetteer, mention) or (options[0] if options else None)
            inflected = place is None and source == "gazetteer"
            if inflected:
                place = gazetteer.lookup_inflected(mention)
            if place is None:
                continue
            if not _trusted(place, mention, source):
                # an alternate name ("Gnjilane" for Gjilan, "Peć" for Pejë) stands only beside another place
                # of that country in the text (``_small_towns_in_context``), and never on shape alone
                if source.startswith("gazetteer") or mention[:1].islower():
                    continue
                source += "+alternate-name"
            if source == "gazetteer" and not _named_as_place(place, inflected, text, start, rows, patterns):
                continue
        if _common_noun(text, start, mention, source, place, vocabulary):
            continue
        taken.append((start, end))
        alternatives = [o for o in options or () if o is not place and _trusted(o, mention, source)]
        readings.append((source, [place, *alternatives]))
        rows.append({
            "text": mention, "name": place.name, "kind": place.kind, "country": place.country,
            "lat": place.lat, "lon": place.lon, "geonames_id": place.geonames_id,
            # An ORG mention that is the place name alone ("Nizhniy Panj" read as ORG) is no organization around it.
            "in_org": any(o.start <= start and end <= o.end and o.end - o.start > end - start for o in orgs),
            "in_dateline": start < dateline_end,
            "start": start, "end": end, "source": f"{source}+{place.source}",
        })
    _add_named_before_qualifier(text, rows, readings, taken, gazetteer, orgs)
    _choose_by_context(text, rows, readings)
    _add_other_mentions(text, rows, readings, taken, doc.spans)
    order = sorted(range(len(rows)), key=lambda i: rows[i]["start"])
    rows = _regions_the_gazetteer_lacks(text, _small_towns_in_context([rows[i] for i in order]), gazetteer, patterns)
    return _rivers(text, rows, gazetteer, patterns)


def _rivers(text: str, rows: list[dict], gazetteer, patterns) -> list[dict]:
    """Rivers named before a lower-case river noun ("along the Akhuryan and Pambak rivers", "the Siverskyi
    Donets river"), which the gazetteer (towns and areas) lacks: a place of kind "other", named without the
    noun, in the country the text's other places name most; no coordinates (a river is a line). A town of
    the same name read there is replaced ("the Akhuryan river" is no town of Akhuryan)."""
    if not rows or not patterns["river_noun"].search(text):
        return rows
    countries = Counter(r["country"] for r in rows if r["country"] and not r["in_org"])
    if not countries:
        return rows
    country = countries.most_common(1)[0][0]
    for m in patterns["named_river"].finditer(text):
        for start, end in list_items(text, m.start(1), m.end(1)):
            start += len(_LIST_ITEM_LEAD.match(text, start, end).group(0))
            name = _REGION_NAME_LEAD.sub("", text[start:end])
            start = end - len(name)
            known = lookup_place(gazetteer, name) if name else None
            if not name or gazetteer.demonym(name) or known is not None and known.kind != "city":
                continue
            overlapping = [r for r in rows if r["start"] < end and start < r["end"]]
            if any(r["kind"] != "city" or not (start <= r["start"] and r["end"] <= end) for r in overlapping):
                continue
            rows = [r for r in rows if r not in overlapping]
            rows.append({"text": name, "name": name, "kind": "other", "country": country, "lat": None, "lon": None, "geonames_id": None,
                         "in_org": False, "in_dateline": False, "start": start, "end": end, "source": "gazetteer:river-noun+context"})
    return sorted(rows, key=lambda r: r["start"])


def _regions_the_gazetteer_lacks(text: str, rows: list[dict], gazetteer, patterns) -> list[dict]:
    """Districts and provinces no gazetteer lists, named with their region noun ("Shirak province", "the
    Trebišov district", "the Polog region", "the region of Sandžak"): a region of its own, in the country of
    the town it is named after, else of the country possessive before it ("Armenia's Shirak province"), else
    of the text's other places (the most named country). It replaces the town a part of the name was read
    as ("Tavush province" is no village called Tavush); a region the gazetteer knows keeps its row. ``text``
    is written as the text writes it; coordinates are the town's, or none."""
    if not rows or not patterns["region_noun"].search(text):
        return rows
    countries = Counter(r["country"] for r in rows if r["country"] and not r["in_org"])
    for m in patterns["named_region"].finditer(text):
        group = 1 if m.group(1) else 2
        name = _REGION_NAME_LEAD.sub("", m.group(group))
        possessive = _COUNTRY_POSSESSIVE.match(name) or _COUNTRY_POSSESSIVE_BEFORE.search(text, max(0, m.start() - 40), m.start())
        name = name[possessive.end() :] if possessive and possessive.re is _COUNTRY_POSSESSIVE else name
        start, end = m.end(group) - len(name), m.end(group)
        known, region = lookup_place(gazetteer, name), gazetteer.region(name) if name else None
        if not name or gazetteer.demonym(name) or known is not None and known.kind != "city":
            continue
        inside = [r for r in rows if start <= r["start"] and r["end"] <= m.end()]
        if any(r["start"] < m.end() and start < r["end"] and r not in inside for r in rows) or any(r["kind"] != "city" for r in inside):
            continue
        town = next((r for r in inside if r["kind"] == "city"), None)
        if region is not None:  # "in Luhansk region": the region, not the city the model read
            rows = [r for r in rows if r not in inside] + [_row(text, start, m.end() if group == 1 else end, region, "gazetteer:region-noun", (), 0)]
            continue
        owner = lookup_place(gazetteer, possessive.group(1)) if possessive else None
        country = town["country"] if town else owner.country if owner and owner.kind == "country" else countries.most_common(1)[0][0] if countries else None
        if country is None:
            continue
        written = text[start : m.end()] if group == 1 else name
        rows = [r for r in rows if r not in inside]
        # a region named after its town keeps its noun to be told from the town ("Trebišov district"); any
        # other is named by its proper name ("Has" for "Has district", "Shirak" for "Shirak province")
        rows.append({"text": written, "name": written if town else name, "kind": "region", "country": country,
                     "lat": town["lat"] if town else None, "lon": town["lon"] if town else None, "geonames_id": None,
                     "in_org": False, "in_dateline": False, "start": start, "end": m.end() if group == 1 else end,
                     "source": "gazetteer:region-noun+" + ("town" if town else "possessive" if owner else "context")})
    return sorted(rows, key=lambda r: r["start"])



def _add_named_before_qualifier(text: str, rows: list[dict], readings: list, taken: list, gazetteer, orgs) -> None:
    for i, row in enumerate(list(rows)):
        if row["kind"] not in ("region", "country"):
            continue
        m = _NAME_BEFORE_COMMA.search(text, max(0, row["start"] - 60), row["start"])
        if m is None:
            continue
        qualifier = readings[i][1][0]
        # the longest run of the name's last words that the gazetteer knows there ("Gun Barrel City", not "Officials In Corsicana")
        for word in re.finditer(r"\S+", m.group(1)):
            start, end = m.start(1) + word.start(), m.end(1)
            inside = [o for o in _options(gazetteer, text[start:end]) if o.kind != "country" and o.country == row["country"]
                      and (row["kind"] == "country" or qualifier.admin1 is None or o.admin1 == qualifier.admin1)]
            if inside:
                break
        if not inside or any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        readings.append(("gazetteer:before-region", inside))
        rows.append(_row(text, start, end, inside[0], "gazetteer:before-region", orgs, 0))


def _add_other_mentions(text: str, rows: list[dict], readings: list, taken: list, spans) -> None:
    """One name, one place in a text: a name read as a place once is that place where it stands again on
    its own (the model reads "Alexandria" as a person at the head of a sentence and as a town after
    "in"), not where it is part of a longer name ("Alexandria Smith", "Athens Road")."""
    longer_names = [(s.start, s.end) for s in spans if s.label not in PLACE_LABELS]
    searched = set()
    for row, (source, options) in list(zip(rows, readings)):
        name = row["text"]
        if len(name) < 4 or not name[:1].isupper() or source.startswith("gazetteer:same-name") or name in searched:
            continue
        searched.add(name)  # a name's later rows would find the same mentions, all taken by then
        for start in _whole_word_occurrences(text, name):
            end = start + len(name)
            if any(start < e and s < end for s, e in taken) or _inside_longer_name(text, start, end, longer_names):
                continue
            taken.append((start, end))
            readings.append(("gazetteer:same-name", options))
            copy = dict(row, start=start, end=end, in_dateline=False, in_org=False)
            copy["source"] = "gazetteer:same-name+" + row["source"].split("+", 1)[-1]
            rows.append(copy)


def _whole_word_occurrences(text: str, name: str):
    """Starts of ``name`` in ``text`` with no word character, apostrophe or hyphen on either side."""
    start = text.find(name)
    while start != -1:
        end = start + len(name)
        if not (start and _joins_a_word(text[start - 1])) and not (end < len(text) and _joins_a_word(text[end])):
            yield start
        start = text.find(name, start + 1)


def _joins_a_word(char: str) -> bool:
    return char.isalnum() or char in "_'’-"


# A capitalised word of four letters or more right before, or a capitalised word right after: part of a longer name
# (short capitalised words before are mostly sentence-initial "In", "At", "The").
_CAPITALISED_NEIGHBOUR_BEFORE = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]{3,}\s+$")
_CAPITALISED_NEIGHBOUR_AFTER = re.compile(r"^\s+(?:[A-ZÀ-ÖØ-ÞА-ЯЁ]|of\s+[A-Z])")


def _inside_longer_name(text: str, start: int, end: int, names: list[tuple[int, int]]) -> bool:
    if any(s <= start and end <= e and e - s > end - start for s, e in names):
        return True
    return bool(_CAPITALISED_NEIGHBOUR_BEFORE.search(text[max(0, start - 30) : start])) or bool(_CAPITALISED_NEIGHBOUR_AFTER.match(text[end : end + 6]))


def _row(text: str, start: int, end: int, place, source: str, orgs, dateline_end: int) -> dict:
    return {
        "text": text[start:end], "name": place.name, "kind": place.kind, "country": place.country,
        "lat": place.lat, "lon": place.lon, "geonames_id": place.geonames_id,
        "in_org": any(o.start <= start and end <= o.end and o.end - o.start > end - start for o in orgs),
        "in_dateline": start < dateline_end,
        "start": start, "end": end, "source": f"{source}+{place.source}",
    }


# A place whose name several places share is read in the text's own country, unless the first reading is
# a country's capital or this many times bigger than the text's one (Paris, France in a Texan paper; but
# Athens, Georgia over Athens, Greece when the text names other places of Georgia).
_CONTEXT_POPULATION_RATIO = 100
# ... and a capital yields to a town of a region the text names only when it is not this many times bigger
# (Athens, Georgia, 127,000 people, beside Georgian towns; but Paris, Texas, 25,000, is not Paris beside Dallas).
_CAPITAL_POPULATION_RATIO = 10
_QUALIFIER_GAP = re.compile(r"^\s*,\s*$")


def _choose_by_context(text: str, rows: list[dict], readings: list[tuple[str, list]]) -> None:
    """Tell same-named places apart with the text's evidence, in place:

    1. "City, Region" / "City, Country" / "City, ST": a place written right after another one and a comma
       (``Gainesville, Fla.``, ``Slobozia, Moldova``) says which country and region the first one is in;
    2. the countries and first-level regions of the places that have one reading only, and of the dateline,
       are the text's own: a shared name is read there (Georgia the US state among US towns, Alexandria,
       Louisiana in a text naming Louisiana) unless the first reading is a capital or much bigger.
    Rows resolved here say so in ``source`` ("...+qualifier+..." or "...+context+...")."""
    chosen = [options[0] for _, options in readings]
    qualified = [False] * len(rows)
    for i in range(len(rows) - 1):
        qualifier = chosen[i + 1]
        if len(readings[i][1]) < 2 or qualifier.kind not in ("region", "country") or not _QUALIFIER_GAP.match(text[rows[i]["end"] : rows[i + 1]["start"]]):
            continue
        inside = [o for o in readings[i][1] if o is not qualifier and o.country == qualifier.country
                  and (qualifier.kind == "country" or qualifier.admin1 is None or o.admin1 == qualifier.admin1)]
        if inside:
            chosen[i], qualified[i] = inside[0], True
    countries, regions = Counter(), Counter()
    for i, (row, (_, options)) in enumerate(zip(rows, readings)):
        if qualified[i] or row["in_dateline"] or len({o.country for o in options}) == 1:
            countries[chosen[i].country] += 1
            if chosen[i].admin1:
                regions[(chosen[i].country, chosen[i].admin1)] += 1
    for i, (row, (source, options)) in enumerate(zip(rows, readings)):
        evidence = "qualifier" if qualified[i] else None
        if not qualified[i] and len({o.country for o in options}) > 1:
            better = _contextual(options, countries, regions) or _shared_region(i, readings, countries)
            if better is not None:
                chosen[i], evidence = better, "context"
        if evidence is None:
            continue
        place = chosen[i]
        row.update({"name": place.name, "kind": place.kind, "country": place.country, "lat": place.lat, "lon": place.lon,
                    "geonames_id": place.geonames_id, "source": f"{source}+{evidence}+{place.source}"})
    _counties_at_their_towns(rows, chosen)


def _counties_at_their_towns(rows: list[dict], chosen: list) -> None:
    """A county has no coordinates of its own in the gazetteer: in a text that names a town of the same
    state, it is placed at that town (local news names the county around its towns)."""
    from ..geo import US_COUNTY_SOURCE

    towns = [(place.admin1, row) for row, place in zip(rows, chosen) if place.kind == "city" and place.country == "US" and row["lat"] is not None]
    for row, place in zip(rows, chosen):
        if place.source.startswith(US_COUNTY_SOURCE):
            town = next((t for admin1, t in towns if admin1 == place.admin1), None)
            if town is not None:
                row.update({"lat": town["lat"], "lon": town["lon"], "source": row["source"] + f" (placed at {town['name']})"})


def _shared_region(i: int, readings: list[tuple[str, list]], countries: Counter):
    """When nothing settled points to a region: the reading in a region another ambiguous name of the text
    can be in too ("Gainesville" and "Hall County" both have a reading in Georgia), within the first
    reading's country or one the text names."""
    first = readings[i][1][0]
    if first.capital or first.kind == "country":
        return None
    elsewhere = Counter(r for j, (_, options) in enumerate(readings) if j != i
                        for r in {(o.country, o.admin1) for o in options if o.admin1 and o.kind != "country"})
    shared = [o for o in readings[i][1] if o.admin1 and elsewhere[(o.country, o.admin1)]
              and (o.country == first.country or countries[o.country])]
    if not shared:
        return None
    pick = max(shared, key=lambda o: elsewhere[(o.country, o.admin1)])  # max keeps the earliest of equals
    return None if pick is first else pick


def _contextual(options: list, countries: Counter, regions: Counter):
    """The reading of a shared name the text's other places point to, or None to keep the first one."""
    first = options[0]
    in_region = [o for o in options if o.admin1 and regions[(o.country, o.admin1)]]
    in_country = [o for o in options if countries[o.country]]
    for pick in (in_region[:1] or in_country[:1]):
        if pick is first:
            return None
        if first.kind == "country":
            # a country yields only to a region of a country the text names more often (Georgia, US)
            return pick if pick.kind == "region" and countries[pick.country] > countries[first.country] else None
        if in_region and pick is in_region[0] and not (first.capital and pick.population * _CAPITAL_POPULATION_RATIO < first.population):
            return pick
        if first.capital or countries[first.country]:
            return None
        if pick.kind == "region" or pick.population * _CONTEXT_POPULATION_RATIO >= first.population:
            return pick
    return None


def _options(gazetteer, text: str, small_towns: bool = True) -> list:
    """Every reading of a name: the gazetteer's places of that name (with the towns of fewer than 5,000
    when asked), then the region it is the bare name of ("Chui" in "the Chui Regional Police" among
    Kyrgyz towns, not Chui in Uruguay)."""
    options = gazetteer.candidates(text, small_towns=small_towns)
    if not options and text.lower().startswith("the "):
        options = gazetteer.candidates(text[4:], small_towns=small_towns)
    region = gazetteer.region(text) if options else None
    return options + [region] if region is not None and all(region is not o for o in options) else options


def _common_noun(text: str, start: int, mention: str, source: str, place, vocabulary: Vocabulary) -> bool:
    """A capitalised institution noun is the institution ("the Mission", "the Centre"), not the town of
    that name; and a single word the text's shape found after "the" ("of the Media") is no town: towns
    go without an article (regions do: "the Talas region"). Word lists and shapes, not names."""
    if " " in mention.strip() or place.kind != "city":
        return False
    if mention.casefold() in vocabulary.places.get("institution_nouns", ()):
        return True
    return source.startswith("gazetteer") and text[max(0, start - 4) : start].casefold() == "the "


def _small_towns_in_context(rows: list[dict]) -> list[dict]:
    """A town of fewer than 15,000 found by the text's shape alone (not by the model, not in the
    dateline), and any town of fewer than 5,000, stays only when the text names another place in its
    country ("Nizhniy Panj" beside Tajikistan, "Bratunac" beside Bosnia and Herzegovina): among all the
    world's small towns, a name is that one only in its own country's news."""
    from ..geo import SMALL_TOWNS_SOURCE

    def guessed(row: dict) -> bool:
        source = row["source"]
        return (source.startswith("gazetteer") and source.endswith(":cities5000")) or SMALL_TOWNS_SOURCE in source or "+alternate-name+" in source

    countries = {r["country"] for r in rows if not guessed(r)}
    return [r for r in rows if not guessed(r) or r["country"] in countries]


_NOT_PLACE_LABELS = {"ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "NORP"}
# Capital letters of the Latin (with its extensions: Š, Ć, Ž) and Cyrillic alphabets. Latin Extended-A
# interleaves capitals and small letters; a name starting with a small accented letter is rare enough.
CAPITALS = "A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁЀ-Џ"
_WORD = rf"[{CAPITALS}][\w'’-]*(?:/[{CAPITALS}][\w'’-]*)?"  # "Gjilan/Gnjilane": a bilingual name is one word
NAME = rf"{_WORD}(?:\s+{_WORD})?"
_NAME_WORDS = rf"{_WORD}(?:\s+{_WORD}){{0,2}}"  # a town of up to three words ("Gun Barrel City")
# "Corsicana, Texas", "Athens, Ga.", "Slobozia, Moldova": a capitalised name right before a comma and a
# region or country the text names; the name counts as a place when the gazetteer has one of that name there.
_NAME_BEFORE_COMMA = re.compile(rf"(?<![\w'’.-])({_NAME_WORDS}),\s*$")
_LIST_SEPARATOR = re.compile(r",?\s+(?:and|и)\s+|,\s+")
# What leads a list item without being part of the region's name: "the", a country's possessive.
_LIST_ITEM_LEAD = re.compile(r"(?:(?:the|The)\s+)?(?:[A-ZÀ-ÖØ-Þ][\w-]*['’]s\s+)?")
_LIST_GAP = re.compile(r"^(?:,\s*|,?\s+(?:и|and)\s+)$")
# Sentence-initial words and articles a capitalised run can take in ("In Shirak province", "The Polog region").
_REGION_NAME_LEAD = re.compile(r"^(?:(?:The|In|At|From|Of|To|For|And)\s+)+")
_COUNTRY_POSSESSIVE = re.compile(rf"([{CAPITALS}][\w-]+)['’]s\s+")
_COUNTRY_POSSESSIVE_BEFORE = re.compile(rf"([{CAPITALS}][\w-]+)['’]s\s+$")


@lru_cache(maxsize=4)
def _patterns(vocabulary: Vocabulary, region_noun_forms_ru: tuple[str, ...], region_adjective_endings_ru: tuple[str, ...]) -> dict[str, re.Pattern]:
    """The patterns made of the [places] word lists of ``rules/vocabulary.toml`` and of the Russian
    region forms the gazetteer reads too (``rules/gazetteers/word_forms.toml`` [russian]: one list for both)."""
    words = vocabulary.places
    regions, regions_ru = alternation(words["region_nouns"]), alternation(list(region_noun_forms_ru))
    # "Ошской", "Джалал-Абадской": a capitalised adjective, its parts joined by hyphens each capitalised.
    adjective = rf"[А-ЯЁ][а-яё]*(?:-[А-ЯЁа-яё][а-яё]*)*(?:{alternation(list(region_adjective_endings_ru))})"
    return {
        "preposition_list": re.compile(
            rf"\b(?:{alternation(words['list_prepositions'])})\s+(?:the\s+)?"
            rf"({NAME}(?:\s+(?:{regions}))?(?:,\s+{NAME})*(?:,?\s+(?:and|и)\s+{NAME})?)"
        ),
        "place_preposition_before": re.compile(rf"(?:^|[^\w])(?:{alternation(words['place_prepositions'])})\s+(?:the\s+)?$", re.I),
        "region_noun": re.compile(rf"\b(?:{regions}|{regions_ru})", re.I),
        # "Shirak province", "the region of Sandžak": a name with its region noun, after or before it
        "named_region": re.compile(
            rf"(?<![\w'’-])({NAME})\s+(?:{alternation(words['singular_region_nouns'])})\b"
            rf"|\b(?:{alternation(words['singular_region_nouns'])})\s+of\s+({NAME})(?![\w'’-])"
        ),
        "river_noun": re.compile(rf"\b(?:{alternation(words['river_nouns'])})\b"),
        "named_river": re.compile(rf"(?<![\w'’-])({NAME}(?:,\s+{NAME})*(?:,?\s+and\s+{NAME})?)\s+(?:{alternation(words['river_nouns'])})\b"),
        "region_list": re.compile(
            rf"\b({NAME}(?:,\s+{NAME})*(?:,?\s+and\s+{NAME})?)\s+(?:{regions})\b"
            rf"|(?<![\w-])({adjective}(?:,\s*{adjective})*(?:\s+и\s+{adjective})?)\s+(?:{regions_ru})(?![а-яё])"
        ),
    }


def _named_as_place(place, inflected: bool, text: str, start: int, rows: list[dict], patterns) -> bool:
    """On a page without the model a city (or any guessed case form but a country's) needs evidence:
    a place preposition before it, or a place right before it in a list ("из Астаны, Алматы и
    Шымкента")."""
    if place.kind in ("country", "region") and (not inflected or place.kind == "country"):
        return True
    if place.source.startswith("gazetteer:") and not inflected:
        return True
    if patterns["place_preposition_before"].search(text, max(0, start - 12), start):
        return True
    return bool(rows) and _LIST_GAP.match(text[rows[-1]["end"] : start]) is not None


def _region_lists(text: str, gazetteer, patterns) -> list[tuple[int, int, str, object]]:
    """Bare region names before a region noun, each its own region: "the Talas and Chui regions",
    "the Zhambyl region", "Винницкой, Полтавской и Харьковской областей"."""
    out = []
    if not patterns["region_noun"].search(text):
        return out  # most texts name no region: skip the list pattern, which tries every word
    for m in patterns["region_list"].finditer(text):
        group = 1 if m.group(1) else 2
        names = list(list_items(text, m.start(group), m.end(group)))
        names = [(s + len(_LIST_ITEM_LEAD.match(text, s, e).group(0)), e) for s, e in names]  # "Kyrgyzstan's Chui region"
        found = [(s, e, gazetteer.region(text[s:e])) for s, e in names]
        for s, e, place in found:
            if place is not None:
                end = m.end() if len(found) == 1 else e
                out.append((s, end, "gazetteer:region-list", place))
    return out


def list_items(text: str, start: int, end: int):
    """(start, end) of each item of a list "A, B and C" in text[start:end]."""
    position = start
    for sep in _LIST_SEPARATOR.finditer(text, start, end):
        yield position, sep.start()
        position = sep.end()
    yield position, end


def _trusted(place, text: str, source: str) -> bool:
    """A city matched through one of its many alternate names ("Mission", "Media", "March") is only
    trusted in a non-Latin script or as a name of several words ("Nizhniy Panj", "Nur-Sultan"); a town of fewer than
    15,000 found by the text's shape alone needs another place of its country in the text
    (``_small_towns_in_context``). Countries, regions and curated names are always trusted."""
    if place.kind != "city" or place.source.startswith("gazetteer:"):
        return True
    from ..geo import normalize

    # normalize reads a hyphen as a space: "Nur-Sultan" is a name of several words, as distinctive as "Nizhniy Panj".
    name = normalize(text.removeprefix("the ").removeprefix("The "))
    return normalize(place.name) == name or (not text.isascii() and len(text) >= 4) or " " in name


def _after_preposition(text: str, patterns, start: int = 0, end: int | None = None, source: str = "gazetteer:after-preposition",
                       other_names: list[tuple[int, int]] = ()) -> list[tuple[int, int, str, None]]:
    """Capitalised names after a place preposition, each of a list ("in Mostar, Zenica and Bijeljina",
    "Mission to Moldova", "ОБСЕ в Украине"), and the first word of the first one unless the model
    reads the name as something else ("the Federal Palace")."""
    out = []
    for m in patterns["preposition_list"].finditer(text, start, len(text) if end is None else end):
        for i, (s, e) in enumerate(list_items(text, m.start(1), m.end(1))):
            out.append((s, e, source, None))
            first = re.match(r"[\w'’/-]+", text[s:e])
            if i == 0 and first and s + first.end() < e and not any(a <= s and s + first.end() < b for a, b in other_names):
                out.append((s, s + first.end(), source, None))
    return out


def lookup_place(gazetteer, text: str):
    place = gazetteer.lookup(text)
    if place is None and text.lower().startswith("the "):
        place = gazetteer.lookup(text[4:])
    return place


def _capitalised_runs(text: str, start: int, end: int, source: str) -> list[tuple[int, int, str, None]]:
    """Capitalised word runs in text[start:end], and each of their words, as candidate place names."""
    out = []
    for m in _CAPITALISED_RUN.finditer(text, start, end):
        out.append((m.start(), m.end(), source, None))
        for word in re.finditer(r"[\w'’-]+", m.group(0)):
            # Short capitalised words are mostly sentence-initial function words ("По", "In").
            if word.group(0)[:1].isupper() and len(word.group(0)) >= 4:
                out.append((m.start() + word.start(), m.start() + word.end(), source, None))
    return out

def only_places(text: str, gazetteer) -> bool:
    """A list of two or more names the gazetteer knows ("Chisinau and Tiraspol", "Osh, Jalal-Abad")."""
    parts = [p for p in re.split(r",\s*|\s+and\s+", re.sub(r"^(?:the|The)\s+", "", text)) if p]
    return len(parts) > 1 and all(gazetteer.lookup(p) for p in parts)
