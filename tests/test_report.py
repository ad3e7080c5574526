"""The run report as files: every page there, entities linked to their documents, hostile text inert,
no network reference, and bounded page sizes at 10,000 documents (the browser checks are in
test_report_browser.py)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline import explore, load_table
from pipeline.io import write_parquet
from pipeline.report import build_report
from pipeline.report.build import slug
from pipeline.schema import TABLES, to_arrow


@pytest.fixture(scope="module")
def dev_report(dev_run, tmp_path_factory):
    out, _ = dev_run
    return out, build_report(out, tmp_path_factory.mktemp("dev_report") / "report").parent


def write_run(run_dir: Path, rows: dict[str, list[dict]], manifest: dict | None = None) -> Path:
    """A run folder as the pipeline writes it: every table (empty when not given) and run.json."""
    run_dir.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        if name != "blocks" or name in rows:
            write_parquet(to_arrow(name, rows.get(name, [])), run_dir / f"{name}.parquet")
    (run_dir / "run.json").write_text(json.dumps(manifest or {"counts": {"pages_read": len(rows.get("documents", []))}}), "utf-8")
    return run_dir


def html_files(report: Path) -> list[Path]:
    return sorted(report.rglob("*.html"))


def test_every_page_of_a_real_run_is_written(dev_run, dev_report):
    run_dir, report = dev_report
    documents = load_table("documents", run_dir)
    for page in ("index.html", "documents.html", "people/index.html", "places/index.html", "organizations/index.html", "assets/report.css", "assets/report.js", "data/docs-0001.js"):
        assert (report / page).is_file(), page
    assert {p.stem for p in (report / "docs").glob("*.html")} == set(documents["doc_id"])
    index = (report / "index.html").read_text("utf-8")
    assert index.count('<svg class="chart') >= 4  # months, content types, map, counts by kind
    assert "Articles per month" in index and "Errors by stage and reason" in index and "en_core_web_sm" in index


def test_the_report_references_nothing_outside_itself(dev_report):
    _, report = dev_report
    for asset in ("report.css", "report.js"):
        assert "http" not in (report / "assets" / asset).read_text("utf-8") and "@import" not in (report / "assets" / asset).read_text("utf-8")
    for page in html_files(report):
        html = page.read_text("utf-8")
        loaded = re.findall(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="([^"]+)"', html)
        assert loaded and all(not re.match(r"[a-z]+:", ref) for ref in loaded), page  # styles and scripts are local files
        for ref in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', html):
            if ref.startswith(("http://", "https://")):
                continue  # the document's own URL: a link a person may follow, never loaded by the page
            assert (page.parent / ref.split("#")[0]).resolve().exists(), f"{page.relative_to(report)} links to missing {ref}"


def test_each_person_place_and_organization_links_to_every_document_mentioning_it(dev_run, dev_report):
    run_dir, report = dev_report
    for kind, key in (("people", lambda r: r["name"]), ("organizations", lambda r: r["name"])):
        frame = load_table(kind, run_dir)
        for name, group in frame.groupby(frame.apply(key, axis=1)):
            html = (report / kind / f"{slug(name)}.html").read_text("utf-8")
            for doc_id in set(group["doc_id"]):
                assert f'href="../docs/{doc_id}.html"' in html, (kind, name, doc_id)
    places = load_table("places", run_dir)
    kyrgyzstan = places[places["name"] == "Kyrgyzstan"]
    html = (report / "places" / f"{slug('Kyrgyzstan (KG)')}.html").read_text("utf-8")
    assert all(f'href="../docs/{d}.html"' in html for d in set(kyrgyzstan["doc_id"])) and len(set(kyrgyzstan["doc_id"])) >= 2


def test_a_document_page_marks_its_people_with_role_and_provenance(dev_run, dev_report):
    run_dir, report = dev_report
    people = load_table("people", run_dir)
    knut = people[people["name"] == "Knut Dreyer"].iloc[0]
    html = (report / "docs" / f"{knut['doc_id']}.html").read_text("utf-8")
    mark = re.search(r'<a class="ent ent-person" title="([^"]+)"[^>]*href="([^"]+)">Knut Dreyer<', html)
    assert mark, "Knut Dreyer is not marked as a person"
    assert "role: OSCE Senior Police Adviser" in mark.group(1) and "source: model:" in mark.group(1)
    assert mark.group(2) == f"../people/{slug('Knut Dreyer')}.html"
    assert "Knut Dreyer</a>, " in html.split('id="h-quotes"')[1]  # his quote names him as the speaker


HOSTILE = '<script>alert(1)</script>'


def test_hostile_text_from_pages_is_inert(tmp_path):
    body = f'Ambassador {HOSTILE} said "<img src=x onerror=alert(2)>" in Vienna.'
    start = body.index("Vienna")
    run_dir = write_run(tmp_path / "run", {
        "documents": [{"doc_id": "d1", "title": HOSTILE, "url": "javascript:alert(3)", "page_kind": "article", "content_type": '"><b>type', "published": "2020-01-05",
                       "body_text": body, "n_words": 9, "site": "<i>site</i>", "language": "en"}],
        "people": [{"doc_id": "d1", "name": HOSTILE, "role": '" onmouseover="alert(4)', "start": 11, "end": 11 + len(HOSTILE), "n_mentions": 1, "source": "rule:x"}],
        "places": [{"doc_id": "d1", "text": "Vienna", "name": "Vienna", "kind": "city", "country": "AT", "lat": 48.2, "lon": 16.37, "in_org": False, "start": start, "end": start + 6, "source": "gazetteer"}],
        "quotes": [{"doc_id": "d1", "speaker": HOSTILE, "quote": "<img src=x onerror=alert(2)>", "direct": True, "start": 0, "end": 5}],
    })
    report = build_report(run_dir).parent
    for page in html_files(report):
        html = page.read_text("utf-8")
        assert HOSTILE not in html and "<img src=x" not in html and 'onmouseover="alert' not in html, page
        assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (report / "docs" / "d1.html").read_text("utf-8")
    chunk = (report / "data" / "docs-0001.js").read_text("utf-8")
    assert json.loads(chunk[chunk.index("...") + 3 : chunk.rindex(");")])[0][1] == HOSTILE  # data, rendered with textContent


def test_errors_and_month_gaps_are_shown(tmp_path):
    docs = [{"doc_id": f"d{i}", "title": f"Item {i}", "page_kind": "article", "content_type": "News", "published": p, "body_text": "Text.", "n_words": 1}
            for i, p in enumerate(["2019-01-10", "2019-04-02", "2019-04", "2019"])]
    docs.append({"doc_id": "copy", "title": "Item 0 again", "page_kind": "article", "content_type": "News", "published": "2019-01-10", "duplicate_of": "d0", "body_text": "Text.", "n_words": 1})
    errors = [{"source": "a.html", "stage": "ingest", "error_type": "empty_page", "message": "no bytes"},
              {"source": "b.html", "stage": "ingest", "error_type": "empty_page", "message": "no bytes"},
              {"source": "c.bin", "stage": "ingest", "error_type": "binary_content", "message": "looks like a PNG"}]
    report = build_report(write_run(tmp_path / "run", {"documents": docs, "errors": errors})).parent
    index = (report / "index.html").read_text("utf-8")
    errors_section = index.split('id="h-errors"')[1].split("</section>")[0]
    assert re.search(r"<td>ingest</td><td>empty_page</td><td class=\"num\">2</td>", errors_section)
    assert "binary_content" in errors_section
    months = re.findall(r"<title>(2019-\d\d) · News: (\d+)</title>", index)
    assert months == [("2019-01", "1"), ("2019-04", "2")]  # the copy counted once; Feb and Mar are empty slots
    assert "4 months from 2019-01 to 2019-04" in index and "1 articles dated only to the year" in index


def test_ten_thousand_documents_give_no_large_page(tmp_path):
    rng = random.Random(7)
    names = [f"{first} {last}" for first in ("Anna", "Boris", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana") for last in (f"Name{i}" for i in range(250))]
    sentence = "The OSCE Mission in {place} held a seminar with {n} participants, said {person}, Head of Office. "
    cities = [("Vienna", "AT", 48.2, 16.37), ("Bishkek", "KG", 42.87, 74.59), ("Skopje", "MK", 42.0, 21.43), ("Tirana", "AL", 41.33, 19.82), ("Astana", "KZ", 51.17, 71.43)]
    rows: dict[str, list[dict]] = {k: [] for k in ("documents", "people", "places", "organizations", "counts", "mentions")}
    for i in range(10_000):
        doc_id = f"{i:016x}"
        body, offset = "", 0
        for _ in range(6):
            person, (city, cc, lat, lon), n = rng.choice(names), rng.choice(cities), rng.randint(5, 400)
            piece = sentence.format(place=city, n=n, person=person)
            at = offset + piece.index(person)
            rows["people"].append({"doc_id": doc_id, "name": person, "role": "Head of Office", "start": at, "end": at + len(person), "n_mentions": 1, "source": "model:test"})
            at = offset + piece.index(city)
            rows["places"].append({"doc_id": doc_id, "text": city, "name": city, "kind": "city", "country": cc, "lat": lat, "lon": lon, "in_org": True, "start": at, "end": at + len(city), "source": "gazetteer"})
            at = offset + piece.index("OSCE")
            rows["organizations"].append({"doc_id": doc_id, "text": "OSCE", "name": "OSCE", "start": at, "end": at + 4, "source": "rule:org"})
            at = offset + piece.index(str(n))
            rows["counts"].append({"doc_id": doc_id, "text": f"{n} participants", "value": float(n), "object": "participants", "kind": "count", "start": at, "end": at + len(str(n)) + 13, "source": "rule:counts"})
            body += piece
            offset += len(piece)
        rows["documents"].append({"doc_id": doc_id, "title": f"Seminar number {i} on regional co-operation", "page_kind": "article", "content_type": rng.choice(["Press release", "News", "Statement"]),
                                  "published": f"{rng.randint(2001, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "body_text": body, "n_words": len(body.split()), "site": "osce.org", "language": "en"})
    report = build_report(write_run(tmp_path / "run", rows)).parent
    assert len(list((report / "docs").glob("*.html"))) == 10_000
    sizes = {str(p.relative_to(report)): p.stat().st_size for p in report.rglob("*") if p.is_file()}
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] < 600_000, (largest, sizes[largest])
    assert sizes["documents.html"] < 100_000 and sizes["index.html"] < 400_000
    assert len([p for p in sizes if p.startswith("data/docs-")]) == 10
    osce_pages = [p for p in sizes if p.startswith(f"organizations/{slug('OSCE')}")]
    assert len(osce_pages) == 20  # 10,000 documents, 500 links a page
    assert pd.Series(sizes).sum() < 400_000_000


def test_the_map_is_zoomed_to_the_places_with_room_around_them():
    one = pd.DataFrame({"lat": [42.87], "lon": [74.59]})
    west, east, south, north = explore.map_extent(one)
    assert west < 74.59 < east and south < 42.87 < north and east - west >= 8 and north - south >= 8
    spread = pd.DataFrame({"lat": [48.2, 42.87, None], "lon": [16.37, 74.59, None]})
    west, east, south, north = explore.map_extent(spread)
    assert 5 < west < 16.37 and 74.59 < east < 85 and south < 42.87 and north > 48.2
    assert explore.map_extent(pd.DataFrame({"lat": [], "lon": []})) == (-180.0, 180.0, -60.0, 85.0)
