"""The entity sub-steps: one ordered list whose declared needs are checked, steps that run alone, and
results no later step can change."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.config import load_settings
from pipeline.document import Document
from pipeline.nlp.steps import ENTITY_STEPS, EntityContext, Step, StepOrderError, check_order, run_step, run_steps, steps_for
from pipeline.resources import Resources
from pipeline.stages import entities

# Written for these tests in the style of a press release: roles before names, an honorific, a rule
# match with a place slot ("Embassy of" + "Norway"), a quote attributed by surname, a date whose year is no count.
TEXT = (
    "The OSCE Chairperson-in-Office, Serbia's Foreign Minister Ivica Dačić, met the Head of the OSCE Centre in "
    "Bishkek, Ambassador Sergey Kapinos, in Bishkek on Tuesday.\n\n"
    "“We will go on supporting the police reform, which has reached every region of the country,” Dačić said. "
    "Some 300 police officers took part in the two-day training course that ended on 3 March 2015, and "
    "about 40 experts from Osh and Jalal-Abad joined them. The Embassy of Norway funded the course."
)


@pytest.fixture(scope="module")
def resources():
    return Resources(load_settings())


@pytest.fixture(scope="module")
def parsed(resources):
    """The document as the ``ner`` stage leaves it."""
    doc = Document("steps", "test", "text", body_text=TEXT, language="en", published="2015-03-05")
    return entities.run_model([doc], resources, resources.settings)[0]


def _copy(doc: Document) -> Document:
    return dataclasses.replace(doc, spans=[dataclasses.replace(s, attrs=dict(s.attrs)) for s in doc.spans])


def test_the_shipped_order_satisfies_every_declared_need():
    check_order(ENTITY_STEPS)
    names = [s.name for s in ENTITY_STEPS]
    for i, step in enumerate(ENTITY_STEPS):
        assert all(names.index(need) < i for need in step.needs), step.name
    # every table of the entity stage comes from exactly one step
    tables = [s.table for s in ENTITY_STEPS if s.table]
    assert sorted(tables) == sorted({"mentions", "people", "places", "organizations", "counts", "dates", "quotes"})


def test_a_misordered_list_is_refused_with_the_step_and_what_it_needs():
    by_name = {s.name: s for s in ENTITY_STEPS}
    misordered = [s for s in ENTITY_STEPS if s.name != "people"]
    misordered.insert(misordered.index(by_name["quotes"]) + 1, by_name["people"])  # people after quotes
    with pytest.raises(StepOrderError, match=r"'places' needs 'people', which comes after it"):
        check_order(misordered)
    with pytest.raises(StepOrderError, match=r"'counts' needs 'dates', which no step provides"):
        check_order([s for s in ENTITY_STEPS if s.name != "dates"])
    with pytest.raises(StepOrderError, match="listed twice"):
        check_order([*ENTITY_STEPS, by_name["places"]])


def test_a_misordered_list_does_not_run(resources, parsed):
    ctx = EntityContext.of(parsed, resources.vocabulary, resources.gazetteer)
    swapped = list(ENTITY_STEPS)
    i, j = [s.name for s in swapped].index("dates"), [s.name for s in swapped].index("counts")
    swapped[i], swapped[j] = swapped[j], swapped[i]
    with pytest.raises(StepOrderError):
        run_steps(ctx, swapped)


def test_one_step_runs_with_only_what_it_depends_on(resources, parsed):
    assert [s.name for s in steps_for("counts")] == ["mentions", "dates", "counts"]
    assert [s.name for s in steps_for("quotes")] == ["mentions", "people", "quotes"]
    with pytest.raises(KeyError, match="no entity step 'persons'"):
        steps_for("persons")
    whole = entities.run_rules(_copy(parsed), resources)
    for name in ("people", "places", "organizations", "counts", "dates", "quotes"):
        assert list(run_step(name, parsed, resources).rows) == whole.records[name], name
    counts = {(r["value"], r["qualifier"]) for r in run_step("counts", parsed, resources).rows}
    assert {(300, "about"), (40, "about")} <= counts
    assert 2015 not in {value for value, _ in counts}  # the year of a resolved date is no count


def test_no_step_changes_the_document_or_an_earlier_result(resources, parsed):
    before = repr(parsed.spans)
    produced: dict[str, str] = {}

    def recording(step: Step) -> Step:
        def run(ctx, earlier):
            result = step.run(ctx, earlier)
            produced[step.name] = repr(result)
            return result
        return dataclasses.replace(step, run=run)

    ctx = EntityContext.of(parsed, resources.vocabulary, resources.gazetteer)
    results = run_steps(ctx, [recording(s) for s in ENTITY_STEPS])
    assert {name: repr(result) for name, result in results.items()} == produced
    assert repr(parsed.spans) == before
    # the people step did change mentions, in its own copy: the model's name was trimmed of the role it took in,
    # and the mentions of a person carry the person's name for the quotes step
    people = results["people"]
    assert any(s.label == "PERSON" and s.attrs.get("person") == "Ivica Dačić" for s in people.mentions)
    assert not any("person" in s.attrs for s in results["mentions"].spans)
    quote = next(r for r in results["quotes"].rows if r["quote"].startswith("We will go on"))
    assert quote["speaker"] == "Ivica Dačić"


def test_another_order_the_needs_allow_gives_the_same_tables(resources, parsed):
    by_name = {s.name: s for s in ENTITY_STEPS}
    reordered = [by_name[n] for n in ("mentions", "people", "quotes", "places", "dates", "organizations", "mention_table", "counts")]
    check_order(reordered)
    ctx = EntityContext.of(parsed, resources.vocabulary, resources.gazetteer)
    shipped, other = run_steps(ctx, ENTITY_STEPS), run_steps(ctx, reordered)
    assert {n: repr(r) for n, r in shipped.items()} == {n: repr(r) for n, r in other.items()}


def test_the_mentions_table_takes_place_slots_and_date_norms_from_the_steps(resources, parsed):
    # the ner stage writes the parse: the rule match ends before its place slot
    assert ("Embassy of", "Embassy of {place}") in {(s.text, s.norm) for s in parsed.spans if s.label == "ORG"}
    doc = entities.run_rules(_copy(parsed), resources)
    assert ("Embassy of Norway", "Embassy of Norway") in {(s.text, s.norm) for s in doc.spans if s.label == "ORG"}
    assert "Embassy of Norway" in {r["name"] for r in doc.records["organizations"]}
    assert {s.text: s.norm for s in doc.spans if s.label == "DATE"}.get("3 March 2015") == "2015-03-03"


def test_the_mentions_table_names_organizations_as_the_organizations_table_does(resources):
    from pipeline.analyze import analyze_text

    text = (
        "The policy was criticised by the American Medical Association and the American Civil Liberties Union's "
        "lawyers, who said the rules were drawn up without the New Jersey Department of Public Safety."
    )
    tables = analyze_text(text, resources=resources)
    organizations = set(tables["organizations"]["name"])
    mentions = set(tables["mentions"].query("label == 'ORG'")["text"])
    assert {"American Medical Association", "New Jersey Department of Public Safety"} <= organizations
    assert mentions <= organizations | set(tables["organizations"]["text"])  # no leading "the", no possessive
