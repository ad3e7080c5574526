"""Entity tables on the seed (its "must" list) and on the hard cases the tables exist for."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline import analyze_text, load_table

FIXTURES = Path(__file__).parent / "fixtures"
SEED_GOLD = json.loads((FIXTURES / "seed" / "seed_000.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def seed_tables(dev_run):
    out, _ = dev_run
    docs = load_table("documents", out)
    doc_id = docs.loc[docs["source"].str.endswith("000_975be6301a0f2c82.txt"), "doc_id"].iloc[0]
    tables = {}
    for name in ("people", "places", "organizations", "counts", "dates", "quotes", "documents"):
        frame = load_table(name, out)
        tables[name] = frame[frame["doc_id"] == doc_id].reset_index(drop=True)
    return tables


def test_seed_people_with_roles(seed_tables):
    for person in SEED_GOLD["people"]["must"]:
        row = seed_tables["people"].set_index("name").loc[person["name"]]
        assert row["role"] == person["role"]
        assert row["organization"] == person["organization"]


def test_seed_places_with_countries_dateline_and_org_names(seed_tables):
    places = seed_tables["places"]
    for place in SEED_GOLD["places"]["must"]:
        rows = places[(places["name"] == place["text"]) & (places["country"] == place["country"])]
        assert len(rows) >= place.get("min_mentions", 1), place
        assert (rows["kind"] == place["kind"]).all()
        if place.get("in") == "dateline":
            assert rows["in_dateline"].any()
    bishkek = places[places["name"] == "Bishkek"].iloc[0]
    assert bishkek["in_org"] and bishkek["country"] == "KG" and bishkek["geonames_id"] == 1528675
    assert places["lat"].notna().all()


def test_seed_organizations(seed_tables):
    orgs = seed_tables["organizations"]
    names = set(orgs["name"]) | set(orgs["text"])
    for name in SEED_GOLD["organizations"]["must"] + SEED_GOLD["organizations"]["should"]:
        assert name in names, name
    # "OSCE Secretariat" and "OSCE Chairpersonship" are named only by the Source field: no span in the body
    from_field = orgs[orgs["source"] == "field:sources"]
    assert set(from_field["name"]) == {"OSCE Secretariat", "OSCE Chairpersonship"}
    assert from_field["start"].isna().all() and from_field["end"].isna().all()


def test_seed_counts_and_not_counts(seed_tables):
    counts = seed_tables["counts"]
    for count in SEED_GOLD["counts"]["must"]:
        row = counts[counts["value"] == count["value"]].iloc[0]
        assert row["object"] == count["object"]
        assert (None if pd.isna(row["qualifier"]) else row["qualifier"]) == count["qualifier"]
    assert not counts["value"].isin([18, 2010, 22]).any()  # the must_not list: dates are not counts
    duration = counts[counts["kind"] == "duration"].iloc[0]
    assert (duration["value"], duration["unit"]) == (1, "year")


def test_seed_dates_resolved_against_publication(seed_tables):
    dates = seed_tables["dates"].set_index("text")
    for date in SEED_GOLD["dates_mentioned"]["must"] + SEED_GOLD["dates_mentioned"]["should"]:
        assert dates.loc[date["text"], "resolved"] == date["resolved"]
    assert pd.isna(dates.loc["the coming weeks", "resolved"])  # vague: kept, not resolved


def test_seed_quotes_with_speaker(seed_tables):
    quotes = seed_tables["quotes"]
    for quote in SEED_GOLD["quotes"]["must"]:
        row = quotes[quotes["quote"].str.startswith(quote["starts_with"])].iloc[0]
        assert row["speaker"] == quote["speaker"] and row["direct"]
    assert not quotes["quote"].str.startswith("Kyrgyzstan Community Security Initiative").any()  # a name, not speech


def test_every_row_points_into_the_body(seed_tables):
    body = seed_tables["documents"]["body_text"].iloc[0]
    for name in ("people", "places", "organizations", "counts", "dates", "quotes"):
        for row in seed_tables[name].itertuples():
            assert row.source
            if row.source == "field:sources":
                continue  # named by the page's Source field only (test_seed_organizations)
            assert 0 <= row.start < row.end <= len(body)
    for row in seed_tables["places"].itertuples():
        assert body[row.start : row.end] == row.text


@pytest.fixture(scope="module")
def hard_case():
    text = (
        "BELGRADE, 5 January 2016 - The OSCE Chairperson-in-Office, Serbia's Foreign Minister Ivica Dačić, "
        "met Didier Burkhalter, Swiss Foreign Minister, on 28 December.\n\n"
        "“We will keep working with all sides,” said Dačić. “The next round starts soon.”\n\n"
        "Some 300 observers, between 20 and 30 experts, nearly forty-two police officers and EUR 3.7 million "
        "were mentioned in Decision No. 961, PC.DEC/947 and Daily Report 14/2020 at 10:00.\n\n"
        "Dačić said that the talks would continue in the coming weeks."
    )
    return analyze_text(text, published="2016-01-05", language="en")


def test_roles_before_and_after_names_and_surname_linking(hard_case):
    people = hard_case["people"].set_index("name")
    assert people.loc["Ivica Dačić", "role"] == "Serbia's Foreign Minister"
    assert people.loc["Ivica Dačić", "n_mentions"] >= 3  # "Dačić" twice links to the full name
    assert people.loc["Didier Burkhalter", "role"] == "Swiss Foreign Minister"


def test_year_less_date_resolves_to_the_nearest_past_occurrence(hard_case):
    dates = hard_case["dates"].set_index("text")
    resolved = dates[dates.index.str.contains("28 December")]["resolved"].iloc[0]
    assert resolved == "2015-12-28"


def test_counts_with_qualifiers_ranges_words_and_money(hard_case):
    counts = hard_case["counts"]
    by_value = {row.value: row for row in counts.itertuples()}
    assert by_value[300].qualifier == "about" and by_value[300].object == "observers"
    assert (by_value[20].low, by_value[20].high, by_value[20].object) == (20, 30, "experts")
    assert by_value[42].qualifier == "almost" and by_value[42].object == "police officers"
    assert by_value[3_700_000].kind == "money" and by_value[3_700_000].unit == "EUR"
    assert not set(counts["value"]) & {961, 947, 14, 2020, 10}  # document numbers and clock times


def test_quotes_split_around_said_keep_their_speaker_and_reported_speech_is_marked(hard_case):
    quotes = hard_case["quotes"]
    direct = quotes[quotes["direct"]]
    assert direct["speaker"].tolist() == ["Ivica Dačić", "Ivica Dačić"]
    reported = quotes[~quotes["direct"]].iloc[0]
    assert reported["speaker"] == "Ivica Dačić" and reported["quote"].startswith("the talks would continue")


def test_analyze_text_returns_every_table_with_its_columns():
    from pipeline.schema import TABLES

    tables = analyze_text("Nothing to see here.")
    for name in ("people", "places", "organizations", "counts", "dates", "quotes", "mentions"):
        assert list(tables[name].columns) == TABLES[name].names


def test_counts_next_to_dates_ranges_of_days_and_clock_times():
    text = ("SARAJEVO, 14 March 2012 - Twenty-eight judges and prosecutors met on 4 and 5 December "
            "and from 10 to 12 April at eight o’clock.")
    counts = analyze_text(text, published="2012-03-14", language="en")["counts"]
    assert counts["text"].tolist() == ["Twenty-eight judges and prosecutors"]
    assert counts["object"].tolist() == ["judges and prosecutors"]


def test_counts_in_digits_on_a_russian_page():
    counts = analyze_text("Более 30 сотрудников полиции завершили семинар; возбуждено 87 уголовных дел.", language="ru")["counts"]
    by_value = counts.set_index("value")
    assert by_value.loc[30, "qualifier"] == "more than" and by_value.loc[30, "object"].startswith("сотрудники полиции")
    assert by_value.loc[87, "object"] == "уголовных дел"
