"""The typed loader of rules/vocabulary.toml: the shipped file fits its schema, and a missing, misspelt or
mistyped entry is refused with the file, the section and the key named."""

from __future__ import annotations

import copy
import tomllib
import typing
from pathlib import Path

import pytest

from pipeline.nlp.vocabulary import VocabularyError, VocabularyFile, Vocabulary, load_vocabulary, parse_vocabulary

VOCABULARY = Path(__file__).parents[1] / "pipeline" / "rules" / "vocabulary.toml"
SHIPPED = tomllib.loads(VOCABULARY.read_text("utf-8"))


def _error(edit) -> str:
    data = copy.deepcopy(SHIPPED)
    edit(data)
    with pytest.raises(VocabularyError) as caught:
        Vocabulary(data, "my-vocabulary.toml")
    return str(caught.value)


def test_the_shipped_file_fits_the_schema_and_declares_every_section():
    vocabulary = load_vocabulary(VOCABULARY)
    assert set(SHIPPED) == set(typing.get_type_hints(VocabularyFile))
    assert "Ambassador" in vocabulary.honorifics and "said" in vocabulary.speech_verbs
    assert len(vocabulary.calendar["months"]["en"]) == 12 and len(vocabulary.calendar["weekdays"]["ru"]) == 7


def test_a_misspelt_key_is_named_with_the_key_it_resembles():
    def misspell(data):
        data["people"]["honorific"] = data["people"].pop("honorifics")

    message = _error(misspell)
    assert message.startswith("my-vocabulary.toml [people] honorific: unknown key; did you mean 'honorifics'?")


def test_a_misspelt_key_in_a_language_table_and_a_misspelt_section():
    message = _error(lambda data: data["relative_dates"]["en"].__setitem__("futur", ["will"]))
    assert "[relative_dates] en.futur: unknown key; did you mean 'future'?" in message
    message = _error(lambda data: data.__setitem__("palces", data.pop("places")))
    assert "my-vocabulary.toml [palces]: unknown section; did you mean 'places'?" in message


def test_a_missing_key_or_section_is_named():
    assert _error(lambda data: data["counts"].pop("percent_words")) == (
        "my-vocabulary.toml [counts] percent_words: missing (declared in pipeline.nlp.vocabulary.CountsWords)"
    )
    assert _error(lambda data: data.pop("calendar")).startswith("my-vocabulary.toml [calendar]: missing")


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda d: d["counts"].__setitem__("qualifiers", ["about", "some"]), "[counts] qualifiers: expected a table of strings, found a list"),
        (lambda d: d["quotes"].__setitem__("speech_verbs", "said"), "[quotes] speech_verbs: expected a list of strings, found a string 'said'"),
        (lambda d: d["counts"]["number_words"]["2"].insert(0, 2), "[counts] number_words.2[0]: expected a string, found an integer 2"),
        (lambda d: d["relative_dates"]["en"]["phrases"]["day"].__setitem__("today", "0"),
         "[relative_dates] en.phrases.day.today: expected an integer, found a string '0'"),
        (lambda d: d["calendar"]["months"].__setitem__("en", ["January", "February"]),
         "[calendar] months.en[0]: expected a list of strings, found a string 'January'"),
        (lambda d: d["counts"].__setitem__("compound_age_suffix", True), "[counts] compound_age_suffix: expected a string, found a boolean"),
    ],
)
def test_a_value_of_the_wrong_type_is_named(edit, expected):
    assert expected in _error(edit)


def test_optional_tables_may_be_left_out_and_a_language_may_have_only_some_keys():
    data = copy.deepcopy(SHIPPED)
    data["relative_dates"] = {"pt": {"phrases": {"day": {"hoje": 0}}}}
    assert Vocabulary(data).relative_dates == {"pt": {"phrases": {"day": {"hoje": 0}}}}
    del data["relative_dates"]
    assert Vocabulary(data).relative_dates == {}


def test_a_file_that_is_not_toml_is_named(tmp_path):
    path = tmp_path / "vocabulary.toml"
    path.write_text('[people]\nhonorifics = ["Mr", "Ms"\n', encoding="utf-8")
    with pytest.raises(VocabularyError, match=rf"^{tmp_path}.*vocabulary\.toml: not TOML"):
        load_vocabulary(path)
    with pytest.raises(VocabularyError, match=r"^vocabulary\.toml: not TOML"):
        parse_vocabulary("counts = [")


def test_an_edited_list_is_what_the_extractors_use():
    """The loader returns the file's lists, not copies kept in code: an honorific added to the file lets a
    role reach the name across it."""
    data = copy.deepcopy(SHIPPED)
    assert not Vocabulary(data).honorific_gap.match(", Chancellor ")
    data["people"]["honorifics"].append("Chancellor")
    assert Vocabulary(data).honorific_gap.match(", Chancellor ")
