"""Rule files: the shipped ones load and match, bad ones fail loudly, saving is sorted and round-trips."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import spacy

from pipeline.config import load_settings
from pipeline.nlp.build import NLP, RULE_PIPE, RULES_KEY, first_token_words
from pipeline.nlp.rules import RuleError, RuleSet

PATTERNS = Path(__file__).parents[1] / "pipeline" / "rules" / "patterns"


def test_shipped_rules_load_and_every_label_matches_an_example():
    rules = RuleSet.load(PATTERNS)
    nlp = spacy.blank("en")
    nlp.add_pipe(RULE_PIPE).add_patterns(rules.patterns())
    doc = nlp("Ambassador Cornelius Haverkamp, Head of the OSCE Mission to Moldova, said ODIHR and the OSCE Centre in Bishkek agreed.")
    found = {(s.text, s.label_) for s in doc.spans[RULES_KEY]}
    assert ("Ambassador", "HONORIFIC") in found
    assert ("Head of the OSCE Mission to Moldova", "ROLE") in found
    assert ("ODIHR", "ORG") in found and ("OSCE Centre in Bishkek", "ORG") in found
    assert rules.by_id()["org/osce-office-for-democratic-institutions-and-human-rights/odihr"]["norm"] == "Office for Democratic Institutions and Human Rights"  # as osce.org's Source field names it


@pytest.mark.parametrize(
    "line, message",
    [
        ({"id": "x", "label": "ORG", "pattern": "X", "regex": "y"}, "unknown keys"),
        ({"id": "x", "label": "ORG", "pattern": ""}, "missing or empty 'pattern'"),
        ({"id": "x", "label": "WIDGET", "pattern": "X"}, "label 'WIDGET'"),
        ({"id": "x", "label": "ORG", "pattern": [{"LOWER": {"REGEXP": "x"}}]}, "invalid token pattern"),
        ({"label": "ORG", "pattern": "X"}, "missing or empty 'id'"),
    ],
)
def test_bad_patterns_fail_loudly(tmp_path, line, message):
    (tmp_path / "bad.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(RuleError, match=message):
        RuleSet.load(tmp_path)


def test_duplicate_ids_across_files_fail(tmp_path):
    for name in ("a.jsonl", "b.jsonl"):
        (tmp_path / name).write_text(json.dumps({"id": "org/same", "label": "ORG", "pattern": name}) + "\n", encoding="utf-8")
    with pytest.raises(RuleError, match="duplicate id 'org/same'"):
        RuleSet.load(tmp_path)


def test_add_remove_and_save_give_small_sorted_diffs(tmp_path):
    shutil.copytree(PATTERNS, tmp_path / "patterns")
    rules = RuleSet.load(tmp_path / "patterns")
    before = (tmp_path / "patterns" / "organizations.jsonl").read_text("utf-8").splitlines()
    rules.add("organizations.jsonl", {"id": "org/central-election-commission", "label": "ORG", "pattern": "Central Election Commission"})
    with pytest.raises(RuleError):
        rules.add("organizations.jsonl", {"id": "org/central-election-commission", "label": "ORG", "pattern": "CEC"})
    rules.save(tmp_path / "patterns")
    after = (tmp_path / "patterns" / "organizations.jsonl").read_text("utf-8").splitlines()
    assert len(after) == len(before) + 1 and set(before) <= set(after)
    ids = [json.loads(line)["id"] for line in after]
    assert ids == sorted(ids)
    removed = rules.remove("org/central-election-commission")
    assert removed["pattern"] == "Central Election Commission"
    rules.save(tmp_path / "patterns")
    assert (tmp_path / "patterns" / "organizations.jsonl").read_text("utf-8").splitlines() == before
    assert RuleSet.load(PATTERNS).files == RuleSet.load(tmp_path / "patterns").files


def test_rules_check_command_reports_counts_and_fails_on_bad_rules(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    good = CliRunner().invoke(app, ["rules", "check"])
    assert good.exit_code == 0 and "ok:" in good.output
    (tmp_path / "patterns").mkdir()
    (tmp_path / "patterns" / "bad.jsonl").write_text('{"id": "x", "label": "ORG"}\n', encoding="utf-8")
    bad = CliRunner().invoke(app, ["rules", "check", "--rules-dir", str(tmp_path)])
    assert bad.exit_code == 1


def test_extractor_vocabularies_are_data(tmp_path):
    import tomllib

    from pipeline.document import Document
    from pipeline.nlp.counts import count_rows
    from pipeline.nlp.vocabulary import Vocabulary

    path = PATTERNS.parent / "vocabulary.toml"
    data = tomllib.loads(path.read_text("utf-8"))
    doc = Document("d", "s", "text", body_text="Some 300 observers and about 40 experts arrived.")
    shipped = {r["value"]: r["qualifier"] for r in count_rows(doc, [], Vocabulary(data))}
    assert shipped == {300: "about", 40: "about"}
    del data["counts"]["qualifiers"]["some"]
    edited = {r["value"]: r["qualifier"] for r in count_rows(doc, [], Vocabulary(data))}
    assert edited == {300: None, 40: "about"}


def test_honorifics_agree_between_the_rule_patterns_and_the_vocabulary():
    """The ruler marks HONORIFIC mentions, the people and quotes rules read honorifics from vocabulary.toml: one set
    of words, so that a name after "Sir" or "профессор" is found by both."""
    import tomllib

    vocabulary = tomllib.loads((PATTERNS.parent / "vocabulary.toml").read_text("utf-8"))
    honorifics = set(vocabulary["people"]["honorifics"])
    matched: set[str] = set()
    for pattern in RuleSet.load(PATTERNS).patterns():
        if pattern["label"] != "HONORIFIC":
            continue
        if isinstance(pattern["pattern"], str):
            matched.add(pattern["pattern"])
        else:
            for token in pattern["pattern"]:
                lower = token["LOWER"]
                matched.update(lower["IN"] if isinstance(lower, dict) else [lower])
    assert matched <= honorifics
    assert {h for h in honorifics if h not in matched and h.lower() not in matched} == set()
    gendered = {h for words in vocabulary["quotes"]["honorific_genders"].values() for h in words}
    assert gendered <= honorifics


@pytest.mark.parametrize("language", ["en", "ru"])
def test_rule_spans_match_what_spacy_s_span_ruler_matches(language):
    """``rule_spans`` skips pattern groups whose first words a text lacks; it must never skip a match."""
    rules = RuleSet.load(PATTERNS)
    texts = [path.read_text(encoding="utf-8") for path in sorted((Path(__file__).parent / "fixtures" / "crawl" / "text").glob("*.txt"))]
    texts += [
        "The mayor of Springfield said the county board and the state police would meet on Tuesday.",
        "Глава Миссии ОБСЕ в Молдове посол Клаудио Шредер встретился с министром юстиции.",
    ]
    ours, theirs = spacy.blank(language), spacy.blank(language)
    ours.add_pipe(RULE_PIPE).add_patterns(rules.patterns())
    theirs.add_pipe("span_ruler", config={"spans_key": RULES_KEY, "validate": True}).add_patterns(
        [{k: p[k] for k in ("id", "label", "pattern")} for p in rules.patterns()])
    matched = 0
    for text in texts:
        expected_doc, doc = theirs(text), ours(text)
        expected = {(s.start, s.end, s.label_, s.id_) for s in expected_doc.spans[RULES_KEY]}
        assert {(s.start, s.end, s.label_, s.id_) for s in doc.spans[RULES_KEY]} == expected
        matched += len(expected)
    assert matched > len(texts)  # the texts exercise the rules


def test_word_list_patterns_read_as_phrases_match_as_token_patterns_do():
    """One-token word lists go to phrase matchers; where a word is several tokens, or a LOWER value is
    not lowercase (it can never match), it stays a token pattern: the matches must be spaCy's own."""
    patterns = [
        {"id": "lower", "label": "ROLE", "pattern": [{"LOWER": {"IN": ["mayor", "Sheriff", "co-ordinator", "vice-chair"]}}]},
        {"id": "as-written", "label": "ROLE", "pattern": [{"LOWER": {"IN": ["director", "chief", "CEO"]}, "IS_LOWER": True}]},
        {"id": "orth", "label": "ORG", "pattern": [{"ORTH": {"IN": ["Senate", "NATO"]}}]},
        {"id": "one", "label": "HONORIFIC", "pattern": [{"LOWER": "dr"}]},
        {"id": "two-tokens", "label": "ROLE", "pattern": [{"LOWER": "deputy"}, {"LOWER": "mayor"}]},
    ]
    text = ("The Mayor and the mayor met the sheriff, the Sheriff, a co-ordinator and the vice-chair; the Director "
            "and the director, a CEO and a ceo, Chief and chief, the senate and the Senate, NATO and Nato, Dr and "
            "DR Smith, and the deputy mayor.")
    ours, theirs = spacy.blank("en"), spacy.blank("en")
    ours.add_pipe(RULE_PIPE).add_patterns(patterns)
    theirs.add_pipe("span_ruler", config={"spans_key": RULES_KEY, "validate": True}).add_patterns(patterns)
    expected_doc, doc = theirs(text), ours(text)
    expected = {(s.start, s.end, s.label_, s.id_) for s in expected_doc.spans[RULES_KEY]}
    assert {(s.start, s.end, s.label_, s.id_) for s in doc.spans[RULES_KEY]} == expected
    assert {s[3] for s in expected} == {"lower", "as-written", "orth", "one", "two-tokens"}


def test_a_text_ruled_out_for_the_rules_has_no_match_of_spacy_s_span_ruler():
    """A page in a language without the model is parsed only when a rule may match it
    (``NLP.rules_may_match``): the test must never rule out a text with a match."""
    rules = RuleSet.load(PATTERNS)
    nlp = NLP(None, "none", rules, load_settings())
    texts = [path.read_text(encoding="utf-8") for path in sorted((Path(__file__).parent / "fixtures" / "crawl" / "text").glob("*.txt"))]
    texts += [
        "Der Bürgermeister eröffnete am Dienstag die neue Brücke über die Donau; die Bauarbeiten dauerten drei Jahre.",
        "Die stellvertretende Ministerin traf den Botschafter, sagte Dr. Anna Weber, Sprecherin des Amtes.",
        "Le ministre a rencontré l'OSCE et le Coordinateur des projets à Kiev.",
        "Глава Миссии ОБСЕ в Молдове посол Клаудио Шредер встретился с министром юстиции.",
        "Co-ordinator of OSCE Economic and Environmental Activities, and the Deputy Minister of Justice.",
        "欧安组织驻摩尔多瓦特派团团长今天会见了司法部长。",
        # lowercase look-alikes of case-sensitive patterns ("UN", "EU", "Dr")
        "Il a eu un accident, dit un voisin; le dr. Martin n'a rien vu.",
        "Un informe de la ONU y un voto de la UE en Bruselas.",
        "The UN and the EU sent observers.",
    ]
    ruled_out = 0
    for language in ("en", "de", "fr", "ru", "zh"):
        ruler = spacy.blank(language)
        ruler.add_pipe("span_ruler", config={"spans_key": RULES_KEY, "validate": True}).add_patterns(
            [{k: p[k] for k in ("id", "label", "pattern")} for p in rules.patterns()])
        for text in texts:
            if not nlp.rules_may_match(text):
                ruled_out += 1
                assert not ruler(text).spans[RULES_KEY], (language, text)
    assert ruled_out >= 10  # the first German sentence, the French and the Spanish one, in every language
    assert nlp.rules_may_match("The UN and the EU sent observers.")


def test_an_optional_first_token_lets_a_match_begin_with_the_next_one():
    pattern = [{"LOWER": "deputy", "OP": "?"}, {"LOWER": {"IN": ["minister", "ministers"]}}, {"LOWER": "of"}]
    assert first_token_words(pattern) == {"deputy", "minister", "ministers"}
    assert first_token_words([{"IS_TITLE": True}, {"LOWER": "mayor"}]) is None
    assert first_token_words([{"LOWER": "the", "OP": "*"}, {"IS_TITLE": True}]) is None
