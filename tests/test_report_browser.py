"""The report of a real small run, opened from the file system in a real headless Chromium.

Skipped when no Chromium is installed, except in CI (the environment variable CI set), where a
missing browser fails: `.ci/run` installs Debian's chromium. Screenshots of the pages go to the
test's temporary folder (printed with -s), for a person to look at.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline import load_table
from pipeline.report import build_report

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
FIXTURES = Path(__file__).parent / "fixtures"
SEED_GOLD = json.loads((FIXTURES / "seed" / "seed_000.json").read_text("utf-8"))


def _chromium() -> str | None:
    for candidate in ("chromium", "chromium-browser", "/usr/bin/chromium"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if executable is None or sync_playwright is None:
        reason = "no chromium executable found" if executable is None else "the playwright package is not installed"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must run the browser tests (.ci/run installs chromium)")
        pytest.skip(f"{reason}; install Debian's chromium to run the report's browser tests")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """(run folder, report folder) of a small real run: the seed, six pages of the development crawl
    (one a listing) and two broken pages, with the blocks table so the report can show what was dropped."""
    from pipeline import load_settings, run

    crawl = tmp_path_factory.mktemp("browser_crawl")
    shutil.copytree(FIXTURES / "seed", crawl / "seed")
    pages = sorted((FIXTURES / "crawl" / "html").glob("*.html"))[:6]
    (crawl / "osce" / "html").mkdir(parents=True)
    for page in pages:
        shutil.copyfile(page, crawl / "osce" / "html" / page.name)
    sidecar = [line for line in (FIXTURES / "crawl" / "crawl.jsonl").read_text("utf-8").splitlines() if any(p.name in line for p in pages)]
    (crawl / "osce" / "crawl.jsonl").write_text("\n".join(sidecar) + "\n", "utf-8")
    (crawl / "broken").mkdir()
    (crawl / "broken" / "empty.html").write_bytes(b"")
    (crawl / "broken" / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    out = crawl / "run"
    run([crawl / "seed", crawl / "osce", crawl / "broken"], out, load_settings(overrides={"extra_tables": ("blocks",)}))
    return out, build_report(out).parent


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report_screenshots")
    print(f"\nreport screenshots in {folder}")
    return folder


@pytest.fixture
def page(browser):
    """A page that records console errors and uncaught exceptions, and refuses every network request."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    context.route("http*://**/*", lambda route: (page.problems.append(f"network request: {route.request.url}"), route.abort()))
    yield page
    context.close()


def test_overview_renders_its_charts_and_the_map(report, page, shots):
    run_dir, site = report
    documents = load_table("documents", run_dir)
    originals = documents[(documents["page_kind"] == "article") & documents["duplicate_of"].isna()]
    page.goto((site / "index.html").as_uri())
    page.screenshot(path=str(shots / "overview.png"), full_page=True)
    assert page.problems == []
    month_bars = page.locator("svg[aria-labelledby='mc-t mc-d'] > rect")
    months = set(originals["published"].str.slice(0, 7))
    assert len(months) >= 3 and month_bars.count() == len(months)  # one content type in this crawl: one bar a month
    assert month_bars.first.bounding_box()["height"] > 5
    assert page.locator("svg.map path.land").count() >= 10  # country outlines drawn offline
    circles = page.locator("svg.map circle.place")
    assert circles.count() >= 5
    box = page.locator("svg.map").bounding_box()
    assert box["width"] > 500 and box["height"] > 200
    # the map is zoomed to the data: the most-mentioned place lies inside the drawn area
    assert page.locator("svg.map circle.place title", has_text="Kyrgyzstan").count() == 1
    first = circles.first.bounding_box()
    assert box["x"] <= first["x"] and first["x"] + first["width"] <= box["x"] + box["width"] + 1
    # keyboard: the skip link comes first, then the navigation
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"


def test_documents_table_searches_and_sorts(report, page, shots):
    run_dir, site = report
    documents = load_table("documents", run_dir)
    page.goto((site / "documents.html").as_uri())
    rows = page.locator("#doc-table tbody tr")
    assert rows.count() == len(documents)
    assert page.locator("#doc-status").inner_text() == f"{len(documents)} documents"

    search = page.get_by_label("Search documents")
    search.fill("kyrgyzstan")
    expected = documents["title"].str.lower().str.contains("kyrgyzstan").sum()
    assert 0 < expected < len(documents)
    assert rows.count() == expected
    assert all("kyrgyzstan" in t.lower() for t in rows.locator("td:first-child").all_inner_texts())
    page.screenshot(path=str(shots / "documents-search.png"), full_page=True)
    search.fill("")

    words = page.locator("th[data-key='n_words']")
    words.locator("button").focus()
    page.keyboard.press("Enter")  # sortable from the keyboard
    assert words.get_attribute("aria-sort") == "descending"
    counts = [int(t) for t in rows.locator("td:nth-child(7)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True) and counts[0] == documents["n_words"].max()
    words.locator("button").click()
    assert words.get_attribute("aria-sort") == "ascending"
    counts = [int(t) for t in rows.locator("td:nth-child(7)").all_inner_texts()]
    assert counts == sorted(counts)
    assert page.locator("th[data-key='published']").get_attribute("aria-sort") == "none"

    page.locator("th[data-key='title'] button").click()
    assert page.locator("th[data-key='title']").get_attribute("aria-sort") == "ascending"
    titles = rows.locator("td:first-child a").all_inner_texts()
    assert len(set(titles)) > 3 and page.evaluate("ts => ts.every((t, i) => i === 0 || ts[i - 1].localeCompare(t) <= 0)", titles)
    page.screenshot(path=str(shots / "documents-sorted.png"), full_page=True)
    assert page.problems == []


def test_document_page_shows_a_highlighted_person_with_the_gold_role(report, page, shots):
    run_dir, site = report
    gold = SEED_GOLD["people"]["must"][0]  # Knut Dreyer, OSCE Senior Police Adviser
    documents = load_table("documents", run_dir)
    seed = documents[documents["title"] == SEED_GOLD["document"]["must"]["title"]].iloc[0]
    page.goto((site / "docs" / f"{seed['doc_id']}.html").as_uri())
    mark = page.locator("a.ent-person", has_text=gold["name"]).first
    assert mark.is_visible()
    tip = mark.get_attribute("title")
    assert f"role: {gold['role']}" in tip and "source: " in tip and ("model:" in tip or "rule:" in tip)
    assert mark.locator(".ent-tag").inner_text().lower() == "person"  # the type is written, not only coloured
    colour = mark.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    mark.hover()
    mark.focus()
    page.screenshot(path=str(shots / "document.png"), full_page=True)
    # the mark leads to the person's page, which links back to this document
    mark.click()
    assert page.locator("h1").inner_text() == gold["name"]
    assert page.locator(f"a[href='../docs/{seed['doc_id']}.html']").count() == 1
    page.screenshot(path=str(shots / "person.png"), full_page=True)
    assert page.problems == []


def test_dropped_boilerplate_is_folded_and_opens(report, page):
    run_dir, site = report
    documents = load_table("documents", run_dir)
    article = documents[(documents["page_kind"] == "article") & (documents["format"] == "html")].iloc[0]
    page.goto((site / "docs" / f"{article['doc_id']}.html").as_uri())
    details = page.locator("section[aria-labelledby='h-blocks'] details")
    blocks = details.locator("ol.blocks")
    assert not blocks.is_visible()
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    assert blocks.is_visible() and details.locator("ol.blocks li").count() >= 3
    assert "navigation" in blocks.inner_text()
    assert page.problems == []


def test_errors_of_the_run_are_listed_by_stage_and_reason(report, page):
    run_dir, site = report
    errors = load_table("errors", run_dir)
    assert len(errors) == 2
    page.goto((site / "index.html").as_uri())
    section = page.locator("section[aria-labelledby='h-errors']")
    for reason in errors["error_type"]:
        assert section.get_by_role("cell", name=reason, exact=True).count() == 1
    assert page.problems == []
