"""Near-duplicate detection across a crawl: mirrors and reprints point to the first copy."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.duplicates import find_duplicates

RECORDS = Path(__file__).parent / "fixtures" / "crawl" / "records"
ARTICLES = sorted(p.name for p in RECORDS.glob("*.json") if json.loads(p.read_text("utf-8"))["kind"] == "article")


def body(record: str) -> str:
    return "\n\n".join(json.loads((RECORDS / record).read_text("utf-8"))["paragraphs"])


def doc(doc_id: str, text: str, site: str, fetched_at: str, published: str | None = None) -> dict:
    return {
        "doc_id": doc_id, "body_text": text, "site": site, "fetched_at": fetched_at,
        "published": published, "n_words": len(text.split()), "page_kind": "article",
    }


def test_a_reprint_on_another_host_is_a_duplicate_of_the_sites_copy():
    original = body("a03.json")
    reprint = original + "\n\nCopied from osce.org on 19 September 2020."
    docs = [
        doc("mirror", reprint, "election-watch-archive.example.net", "2026-11-03T09:09:00Z"),  # fetched first
        doc("osce-1", original, "osce.org", "2026-11-03T09:14:18Z"),
        doc("osce-2", body("a01.json"), "osce.org", "2026-11-03T09:12:52Z"),
    ]
    found = find_duplicates(docs)
    assert [(f["doc_id"], f["duplicate_of"]) for f in found] == [("mirror", "osce-1")]
    assert found[0]["similarity"] >= 0.8


def test_different_articles_on_the_same_topic_are_not_duplicates():
    docs = [doc(name, body(name), "osce.org", f"2026-11-03T09:{i:02d}:00Z") for i, name in enumerate(ARTICLES)]
    assert len(docs) == 10 and find_duplicates(docs) == []


def test_the_earlier_publication_is_the_first_copy_on_the_same_host():
    text = body("a01.json")
    docs = [doc("later", text, "osce.org", "2026-01-01", "2019-03-13"), doc("earlier", text, "osce.org", "2026-01-02", "2019-03-12")]
    assert [(f["doc_id"], f["duplicate_of"]) for f in find_duplicates(docs)] == [("later", "earlier")]


def test_three_copies_all_point_to_the_same_first_copy():
    text = body("a04.json")
    docs = [doc(name, text, "osce.org", f"2025-06-0{i}") for i, name in enumerate(["a", "b", "c"], start=1)]
    assert {f["doc_id"]: f["duplicate_of"] for f in find_duplicates(docs)} == {"b": "a", "c": "a"}


def test_short_or_listing_pages_are_never_matched():
    docs = [doc("x", "Press release", "osce.org", "1"), doc("y", "Press release", "osce.org", "2")]
    listing = [dict(d, page_kind="listing", n_words=500) for d in docs]
    assert find_duplicates(docs) == [] and find_duplicates(listing) == []
