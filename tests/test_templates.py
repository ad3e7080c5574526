"""Template learning: what repeats across a host's pages is learned from the crawl itself."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pipeline.config import load_settings
from pipeline.stages.ingest import make_document
from pipeline.template_pass import count_unit, counted_items, sum_counts, write_templates
from pipeline.workstore import item_keys, plan, ref_index, units
from pipeline.extract.html import parse_html
from pipeline.templates import HostTemplate, Templates, block_fingerprint as fingerprint_of, html_fingerprints, line_fingerprint, page_fingerprints

CRAWL = Path(__file__).parent / "fixtures" / "crawl"
PAGES = sorted((CRAWL / "html").glob("*.html"))
OLDER_THEME = [p for p in PAGES if json.loads((CRAWL / "gold" / f"{p.name}.json").read_text("utf-8"))["template"] == "older"]


def host_template(pages) -> HostTemplate:
    settings = load_settings()
    template = HostTemplate()
    for page in pages:
        template.add_page(page_fingerprints(make_document(page.read_bytes(), str(page), settings, url="https://www.osce.org/x")))
    return template


def block_fingerprint(page: Path, text: str) -> str:
    """The fingerprint of the block of ``page`` whose own text is ``text``."""
    from pipeline.templates import normalize_text, own_text

    tree = parse_html(page.read_text("utf-8"))
    for element in tree.iter():
        if isinstance(element.tag, str) and normalize_text(own_text(element)) == normalize_text(text):
            return fingerprint_of(element)
    raise AssertionError(f"no block {text!r} in {page.name}")


def test_navigation_and_footer_repeat_but_article_paragraphs_do_not():
    template = host_template(OLDER_THEME)
    page = PAGES[0]
    assert template.is_template(block_fingerprint(page, "Printer-friendly version"))
    assert template.is_template(block_fingerprint(page, "OSCE Secretariat, Wallnerstrasse 6, 1010 Vienna, Austria"))
    first_paragraph = parse_html(page.read_text("utf-8")).xpath("//div[contains(@class,'field-name-body')]//p")[0].text_content()
    assert not template.is_template(block_fingerprint(page, first_paragraph))


def test_a_sentence_repeated_on_a_few_pages_is_not_template():
    template = HostTemplate()
    closing = {"closing-sentence"}
    for i in range(20):
        template.add_page({f"unique-{i}", "menu"} | (closing if i < 4 else set()))
    assert template.is_template("menu")
    assert not template.is_template("closing-sentence")  # 4 of 20 pages: below the share


def test_small_hosts_learn_nothing():
    template = HostTemplate()
    for _ in range(2):
        template.add_page({"menu"})
    assert not template.is_template("menu")


def test_text_renderings_count_lines():
    assert line_fingerprint("- Arms control") == line_fingerprint("Arms control")
    assert line_fingerprint("  ") is None


def learn(crawl: Path, out: Path, settings) -> dict:
    """The counting pass as a run does it: count the units of items, sum the live items, write."""
    the_plan = plan([crawl], settings)
    refs = ref_index(the_plan.items)
    counted = counted_items(out)
    for unit in units([i for i in the_plan.items if i.key not in counted], 1, settings, "templates"):
        count_unit(unit, item_keys(unit, refs), settings, str(out))
    return sum_counts(out, {item.key for item in the_plan.items}, settings)


def test_counting_pass_writes_per_host_files_that_load_back(tmp_path):
    crawl = tmp_path / "crawl"
    shutil.copytree(CRAWL, crawl)
    settings = load_settings(overrides={"files_per_shard": "5"})
    directory, digests = write_templates(tmp_path / "out", learn(crawl, tmp_path / "out", settings))
    files = sorted(p.name for p in directory.glob("*.json"))
    assert files == ["election-watch-archive.example.net.json", "osce.org.json"]
    osce = json.loads((directory / "osce.org.json").read_text("utf-8"))
    assert osce["n_pages"] == 15  # 12 HTML pages + 3 text renderings on osce.org
    templates = Templates.load(directory)
    assert templates.for_site("osce.org").n_pages == 15
    assert templates.for_site("unknown.example") is None
    assert set(digests) == {"osce.org", "election-watch-archive.example.net"}
    # Summing per-unit counts equals counting in one go: units can be counted anywhere.
    one_unit, same_digests = write_templates(tmp_path / "out1", learn(crawl, tmp_path / "out1", load_settings()))
    assert Templates.load(one_unit).digest() == templates.digest() and same_digests == digests


def test_removed_pages_stop_counting_and_added_pages_are_counted_once(tmp_path):
    crawl = tmp_path / "crawl"
    shutil.copytree(CRAWL, crawl)
    settings = load_settings(overrides={"files_per_shard": "5"})
    before = learn(crawl, tmp_path / "out", settings)["osce.org"].n_pages
    (crawl / "html" / "001_142343c9e64c5976.html").unlink()
    assert learn(crawl, tmp_path / "out", settings)["osce.org"].n_pages == before - 1
    shutil.copy(CRAWL / "html" / "001_142343c9e64c5976.html", crawl / "html" / "001_142343c9e64c5976.html")
    assert learn(crawl, tmp_path / "out", settings)["osce.org"].n_pages == before


def test_fingerprints_survive_hostile_markup():
    assert html_fingerprints(parse_html("")) == set()
    assert html_fingerprints(parse_html("<div><p>unclosed <b>bold")) != set()
    assert parse_html('<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>') is not None


def test_a_page_with_control_characters_does_not_shift_the_counts_of_its_unit(tmp_path):
    # A cleaned page yields an extra error note while it is read; counts must still go to the right pages.
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    menu = "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News and press releases</a></li></ul></nav>"
    for i in range(6):
        stray = "\x07" if i == 0 else ""
        (crawl / f"{i:02d}.html").write_text(
            f"<html><body>{menu}<article><h1>Report {i}</h1><p>Monitors visited district {i}{stray} and met local officials "
            f"to discuss the situation at checkpoint number {i}.</p></article></body></html>", encoding="utf-8")
    (crawl / "crawl.jsonl").write_text("".join(json.dumps({"file": f"{i:02d}.html", "url": f"https://news.example.org/r/{i}"}) + "\n"
                                               for i in range(6)), encoding="utf-8")
    counts = learn(crawl, tmp_path / "out", load_settings())
    assert counts["news.example.org"].n_pages == 6


def test_page_fingerprints_are_those_of_each_block_on_its_own():
    # html_fingerprints builds DOM paths top-down once; every block's fingerprint must be the one
    # block_fingerprint gives that element alone (the boilerplate stage looks blocks up that way).
    from lxml import etree

    from pipeline.templates import _SKIP_TAGS, _is_block

    pages = PAGES + sorted((CRAWL.parent / "pages").glob("*.html"))
    for page in pages:
        tree = parse_html(page.read_text("utf-8"))
        alone = {fingerprint_of(e) for e in tree.iter(etree.Element) if e.tag not in _SKIP_TAGS and _is_block(e)} - {None}
        assert html_fingerprints(tree) == alone, page.name


def test_a_hosts_file_holds_its_template_blocks_only_and_answers_as_the_sum_does(tmp_path):
    crawl = tmp_path / "crawl"
    shutil.copytree(CRAWL, crawl)
    settings = load_settings()
    summed = learn(crawl, tmp_path / "out", settings)
    directory, _ = write_templates(tmp_path / "out", summed)
    osce = json.loads((directory / "osce.org.json").read_text("utf-8"))
    full = summed["osce.org"]
    template_blocks = {fp for fp in full.counts if full.is_template(fp)}
    # The sum also holds blocks seen on two pages; a worker loads only what can be template.
    assert template_blocks and set(osce["counts"]) == template_blocks < {fp for fp, n in full.counts.items() if n > 1}
    loaded = Templates.load(directory, settings.template_min_pages, settings.template_min_share).for_site("osce.org")
    assert all(loaded.is_template(fp) == full.is_template(fp) for fp in full.counts)
