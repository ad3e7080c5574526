"""The eval commands score the real stages against the development gold and name every miss."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluation.entities import evaluate_entities
from pipeline.evaluation.fields import evaluate_fields

FIXTURES = Path(__file__).parent / "fixtures"


def test_every_crawl_field_is_right():
    result = evaluate_fields([FIXTURES / "crawl", FIXTURES / "seed" / "seed_000.json"])
    fields = result["summary"]["fields"]
    assert fields["published"]["total"] == 15 and fields["title"]["total"] == 15 and fields["site"]["total"] == 1
    assert all(f["right"] == f["total"] for f in fields.values()), result["errors"]
    assert result["errors"] == []


def test_entity_scores_per_label_with_rules_and_errors():
    result = evaluate_entities([FIXTURES / "seed" / "seed_000.json"])
    summary = result["summary"]
    assert set(summary) == {"people", "places", "organizations", "counts", "dates", "quotes"}
    assert summary["people"]["recall"] == 1.0 and summary["quotes"]["recall"] == 1.0
    assert all(row["right"] + row["wrong"] > 0 for row in result["rules"])
    assert all({"page", "label", "kind"} <= set(error) for error in result["errors"])


def test_eval_command_lists_the_worst_pages():
    output = CliRunner().invoke(app, ["eval", "extraction", str(FIXTURES / "crawl"), "--worst", "3"]).output
    assert '"passed": 16' in output and "pages (first 3 of 16)" in output


def test_matching_compares_inflected_objects_by_stem_and_roles_without_a_country_possessive():
    from pipeline.evaluation.entities import _matches

    gold_count = {"value": 60, "qualifier": "about", "object": "юристы"}
    assert _matches("counts", gold_count, {"value": 60.0, "qualifier": "about", "object": "юристов"})
    assert not _matches("counts", gold_count, {"value": 60.0, "qualifier": "about", "object": "юбилеев"})
    gold_person = {"name": "Farrukh Saidov", "role": "Deputy Minister of Culture"}
    assert _matches("people", gold_person, {"name": "Farrukh Saidov", "role": "Tajikistan’s Deputy Minister of Culture"})
    assert not _matches("people", gold_person, {"name": "Farrukh Saidov", "role": "Minister of Culture"})


def test_a_date_range_matches_only_with_its_end():
    from pipeline.evaluation.entities import _matches

    gold = {"text": "4 and 5 December", "resolved": "2014-12-04", "end": "2014-12-05"}
    assert _matches("dates", gold, {"text": "4 and 5 December", "resolved": "2014-12-04", "resolved_end": "2014-12-05"})
    assert not _matches("dates", gold, {"text": "4 and 5 December", "resolved": "2014-12-04", "resolved_end": None})
