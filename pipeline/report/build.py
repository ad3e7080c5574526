"""Build the run report: a static site in RUN_DIR/report/ that opens from the file system.

Pages: ``index.html`` (the overview), ``documents.html`` (the table, searchable and sortable in the
browser from ``data/docs-NNNN.js`` chunks), ``docs/<doc_id>.html`` (one per document),
``people/``, ``places/``, ``organizations/`` (an index, paged, and one page per entity listing every
document that mentions it). Nothing is fetched: styles, script and map outline are local files.
Every text from the run is HTML-escaped; nothing from the data reaches the page as markup.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import unicodedata
from collections import defaultdict
from datetime import datetime, timezone
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import explore
from . import charts

ASSETS = Path(__file__).parent / "assets"
DOCS_PER_CHUNK = 1000  # rows per data/docs-NNNN.js: ~150 kB each, loaded by the documents table
ROWS_PER_PAGE = 500  # entity index and entity pages: static pages of at most this many rows
TOP = 20  # rows in each overview table
ENTITY_KINDS = {"people": "person", "places": "place", "organizations": "organization"}


def build_report(run_dir: str | Path, out: str | Path | None = None) -> Path:
    """Write the report of the run in ``run_dir`` to ``out`` (default ``run_dir/report``); return its index.html.

    The site is built in a sibling temporary folder and moved into place at the end, so a failed build
    leaves the previous report as it was and a rebuild leaves no stale page behind.
    """
    run_dir = Path(run_dir)
    out = Path(out) if out is not None else run_dir / "report"
    manifest_path = run_dir / "run.json"
    manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    tables = explore.load_run(run_dir)
    if "documents" not in tables:
        raise FileNotFoundError(f"{run_dir} holds no documents table: run the pipeline first")
    work = out.with_name(out.name + ".building")
    shutil.rmtree(work, ignore_errors=True)
    (work / "assets").mkdir(parents=True)
    for asset in ("report.css", "report.js"):
        shutil.copyfile(ASSETS / asset, work / "assets" / asset)
    Report(tables, manifest, work).write()
    if out.exists():
        shutil.rmtree(out)
    work.rename(out)
    return out / "index.html"


def _is_list(value: Any) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))


def _present(value: Any) -> bool:
    if value is None or value is pd.NA:
        return False
    if _is_list(value):
        return len(value) > 0
    if isinstance(value, str):
        return value != ""
    return not (isinstance(value, (float, np.floating)) and math.isnan(value))


def _text(value: Any) -> str:
    """A cell as display text ("" when missing; lists joined)."""
    if isinstance(value, str):
        return value
    if not _present(value):
        return ""
    if _is_list(value):
        return ", ".join(str(v) for v in list(value))
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


@lru_cache(maxsize=None)
def slug(key: str) -> str:
    """A file name for an entity: readable ASCII part plus a hash, so distinct names never collide."""
    ascii_part = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii").lower()
    ascii_part = re.sub(r"[^a-z0-9]+", "-", ascii_part).strip("-")[:40]
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return f"{ascii_part}-{digest}" if ascii_part else digest


def _place_key(name: Any, country: Any) -> str:
    return f"{_text(name)} ({_text(country)})" if _present(country) else _text(name)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values (None when missing), through Arrow: DataFrame.to_dict on
    Arrow-backed columns took most of the build time at 10,000 documents."""
    return pa.Table.from_pandas(frame, preserve_index=False).to_pylist()


def _records_by_doc(frame: pd.DataFrame | None) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    if frame is not None and not frame.empty:
        for row in _records(frame):
            grouped[row["doc_id"]].append(row)
    return grouped


class Report:
    def __init__(self, tables: dict[str, pd.DataFrame], manifest: dict, out: Path):
        self.tables, self.manifest, self.out = tables, manifest, out
        self.documents = tables["documents"]
        self.by_doc = {name: _records_by_doc(tables.get(name)) for name in ("people", "places", "organizations", "counts", "dates", "quotes", "mentions", "blocks", "entries")}
        for name in ENTITY_KINDS:  # an entity without a name has no page to link to
            for doc_id, rows in self.by_doc[name].items():
                self.by_doc[name][doc_id] = [r for r in rows if _present(r.get("name"))]
        self.people_names = {r["name"] for rows in self.by_doc["people"].values() for r in rows}
        self.built_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        self.titles = {row.doc_id: _text(row.title) or "(untitled)" for row in self.documents[["doc_id", "title"]].itertuples()}
        self.published = dict(zip(self.documents["doc_id"], self.documents["published"].map(_text)))

    # -- pages -----------------------------------------------------------------------------------
    def write(self) -> None:
        self.write_overview()
        self.write_documents_table()
        for row in _records(self.documents):
            self.write_document(row)
        for kind in ENTITY_KINDS:
            self.write_entities(kind)

    def _page(self, path: str, title: str, body: str, current: str = "") -> None:
        depth = path.count("/")
        root = "../" * depth
        nav = [("index.html", "Overview"), ("documents.html", "Documents"), ("people/index.html", "People"), ("places/index.html", "Places"), ("organizations/index.html", "Organizations")]
        here = ' aria-current="page"'
        links = "".join(f'<li><a href="{root}{href}"{here if label == current else ""}>{label}</a></li>' for href, label in nav)
        html = (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)} · run report</title>"
            f'<link rel="stylesheet" href="{root}assets/report.css"></head><body>'
            '<a class="skip" href="#main">Skip to content</a>'
            f'<header class="site"><nav aria-label="Report"><ul>{links}</ul></nav></header>'
            f'<main id="main" tabindex="-1">{body}</main>'
            f'<footer class="site">Run report built {escape(self.built_at)} from {escape(str(self.manifest.get("out", "")))}</footer>'
            "</body></html>\n"
        )
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")

    def doc_link(self, doc_id: str, root: str) -> str:
        return f'<a href="{root}docs/{escape(doc_id)}.html">{escape(self.titles.get(doc_id, doc_id))}</a>'

    def entity_href(self, kind: str, key: str, root: str) -> str:
        return f"{root}{kind}/{slug(key)}.html"

    # -- overview ----------------------------------------------------------------------------------
    def write_overview(self) -> None:
        m, docs = self.manifest, self.documents
        counts = m.get("counts", {})
        unique = explore.without_duplicates(self.tables)
        errors = self.tables.get("errors", pd.DataFrame(columns=["source", "stage", "error_type", "message"]))
        n_dupes = int(docs["duplicate_of"].notna().sum())
        cards = [
            ("pages read", counts.get("pages_read", len(docs) + len(errors))),
            ("documents", len(docs)),
            ("copies of another page", n_dupes),
            ("pages with errors", len(errors)),
            ("wall time", f'{m["wall_seconds"]:.0f} s' if "wall_seconds" in m else "–"),
        ]
        body = ['<h1>Run report</h1>', '<ul class="cards">']
        body += [f'<li><span class="num">{escape(str(v))}</span> <span class="what">{escape(k)}</span></li>' for k, v in cards]
        body.append("</ul>")

        per_month = explore.documents_per_month(docs)
        outside = explore.articles_without_month(docs)
        note = []
        if outside["year_only"]:
            note.append(f'{outside["year_only"]} articles dated only to the year')
        if outside["undated"]:
            note.append(f'{outside["undated"]} undated articles')
        body.append('<section aria-labelledby="h-months"><h2 id="h-months">Articles per month</h2>')
        body.append(
            '<p class="hint">One slot per calendar month, empty months included; a page that copies another is counted once.'
            + (f' Not shown: {escape(", ".join(note))}.' if note else "")
            + "</p>"
        )
        body.append(f'<figure class="wide">{charts.monthly_bars(per_month)}{charts.legend_html("mc", [str(c) for c in per_month.columns])}</figure>')
        if not per_month.empty:
            nonzero = per_month[per_month.sum(axis=1) > 0]
            body.append("<details><summary>The chart's numbers (months with articles)</summary>")
            body.append(_table(["month", *map(str, nonzero.columns)], [[idx, *map(int, r)] for idx, r in zip(nonzero.index, nonzero.to_numpy())], numeric=range(1, len(nonzero.columns) + 1)))
            body.append("</details>")
        body.append("</section>")

        kinds = explore.documents_by_kind_and_type(docs)
        body.append('<div class="grid2"><section aria-labelledby="h-kinds"><h2 id="h-kinds">Documents by page kind and content type</h2>')
        body.append(_table(["page kind", "content type", "documents", "of them copies"], kinds.to_numpy().tolist(), numeric=(2, 3)))
        by_type = kinds.groupby("content_type")["documents"].sum().sort_values(ascending=False)
        body.append(charts.hbars([(str(k), int(v)) for k, v in by_type.items()], "Documents by content type"))
        body.append("</section>")
        body.append('<section aria-labelledby="h-errors"><h2 id="h-errors">Errors by stage and reason</h2>')
        summary = explore.errors_summary(errors)
        if summary.empty:
            body.append('<p class="empty">No page failed.</p>')
        else:
            body.append(_table(["stage", "reason", "pages", "example"], summary.to_numpy().tolist(), numeric=(2,)))
        skipped = {k: v for k, v in counts.items() if k.startswith("skipped/")}
        if skipped:
            body.append("<p>Skipped inputs (not pages): " + escape(", ".join(f"{k.split('/', 1)[1]} {v}" for k, v in skipped.items())) + "</p>")
        body.append("</section></div>")

        places = unique.get("places", pd.DataFrame(columns=["doc_id", "name", "country", "kind", "lat", "lon", "in_org"]))
        top_places = explore.top_places(places, 30)
        extent = explore.map_extent(top_places)
        body.append('<section aria-labelledby="h-places"><h2 id="h-places">Most-mentioned places</h2>')
        body.append('<p class="hint">Mentions inside organization names ("OSCE Centre in Bishkek") are not counted. Map zoomed to the places found.</p>')
        body.append('<div class="grid-map"><figure>' + charts.places_map(top_places, extent, lambda r: self.entity_href("places", _place_key(r.name, r.country), "")) + "</figure>")
        rows = [
            [self._entity_cell("places", _place_key(r.name, r.country), _text(r.name), ""), _text(r.kind), _text(r.country), int(r.mentions), int(r.documents)]
            for r in top_places.head(TOP).itertuples(index=False)
        ]
        body.append(_table(["place", "kind", "country", "mentions", "documents"], rows, numeric=(3, 4), raw=(0,)) + "</div></section>")

        people = explore.people_with_roles(unique.get("people", pd.DataFrame(columns=["doc_id", "name", "role", "organization", "n_mentions"])), TOP)
        body.append('<div class="grid2"><section aria-labelledby="h-people"><h2 id="h-people">People and their roles</h2>')
        rows = [[self._entity_cell("people", r.name, r.name, ""), "; ".join(r.roles), int(r.documents), int(r.mentions)] for r in people.itertuples(index=False)]
        body.append(_table(["person", "roles", "documents", "mentions"], rows, numeric=(2, 3), raw=(0,)) + '<p><a href="people/index.html">All people</a></p></section>')
        orgs = explore.top_organizations(unique.get("organizations", pd.DataFrame(columns=["doc_id", "name", "acronym"])), TOP)
        body.append('<section aria-labelledby="h-orgs"><h2 id="h-orgs">Organizations</h2>')
        rows = [[self._entity_cell("organizations", r.name, r.name, ""), ", ".join(r.acronyms), int(r.documents), int(r.mentions)] for r in orgs.itertuples(index=False)]
        body.append(_table(["organization", "acronyms", "documents", "mentions"], rows, numeric=(2, 3), raw=(0,)) + '<p><a href="organizations/index.html">All organizations</a></p></section></div>')

        counted = unique.get("counts", pd.DataFrame(columns=["doc_id", "kind", "object", "value"]))
        body.append('<section aria-labelledby="h-counts"><h2 id="h-counts">Counts: what is counted, and how much</h2><div class="grid2">')
        by_kind = counted.groupby("kind").size().sort_values(ascending=False) if not counted.empty else pd.Series(dtype=int)
        body.append("<div><h3>By kind</h3>" + charts.hbars([(str(k), int(v)) for k, v in by_kind.items()], "Counts by kind") + "</div>")
        objects = explore.counts_by_kind_and_object(counted, TOP)
        rows = [[r.kind, r.object, int(r.mentions), _number(r.total), _number(r.largest)] for r in objects.itertuples(index=False)]
        body.append("<div><h3>By counted object</h3>" + _table(["kind", "object", "mentions", "total", "largest"], rows, numeric=(2, 3, 4)) + "</div></div></section>")

        body.append(self._settings_section())
        self._page("index.html", "Overview", "".join(body), "Overview")

    def _settings_section(self) -> str:
        m = self.manifest
        parts = ['<section aria-labelledby="h-settings"><h2 id="h-settings">Run settings and versions</h2><div class="grid2">']
        # Whatever else run.json records about the run (inputs, executor, work done and reused, ...),
        # shown as it is, so a new key appears here without a change to the report.
        shown_elsewhere = {"settings", "rule_files", "files", "versions", "tables", "stage_seconds", "counts", "errors_by_reason", "wall_seconds"}
        facts = [(k.replace("_", " "), _manifest_value(v)) for k, v in m.items() if k not in shown_elsewhere]
        facts += [(f"version of {k}", v) for k, v in m.get("versions", {}).items()]
        parts.append("<div><h3>Run</h3>" + _table(["", "value"], [[k, _text(v)] for k, v in facts]) + "</div>")
        stages = m.get("stage_seconds", {})
        tables = m.get("tables", {})
        parts.append("<div><h3>Seconds per stage</h3>" + _table(["stage", "seconds"], [[k, v] for k, v in stages.items()], numeric=(1,)))
        parts.append("<h3>Rows per table</h3>" + _table(["table", "rows"], [[k, v] for k, v in tables.items()], numeric=(1,)) + "</div></div>")
        settings = m.get("settings", {})
        parts.append("<details><summary>All settings</summary>" + _table(["setting", "value"], [[k, json.dumps(v, ensure_ascii=False)] for k, v in settings.items()]) + "</details>")
        counts = m.get("counts", {})
        parts.append("<details><summary>Counts per stage</summary>" + _table(["count", "value"], [[k, v] for k, v in counts.items()], numeric=(1,)) + "</details>")
        rules = m.get("rule_files", {})
        parts.append("<details><summary>Rule files and their hashes</summary>" + _table(["file", "hash"], [[k, v] for k, v in rules.items()]) + "</details></section>")
        return "".join(parts)

    def _entity_cell(self, kind: str, key: str, label: str, root: str) -> str:
        return f'<a href="{escape(self.entity_href(kind, key, root))}">{escape(label)}</a>'

    # -- documents table ---------------------------------------------------------------------------
    def write_documents_table(self) -> None:
        docs = self.documents.sort_values(["published", "title"], ascending=[False, True], na_position="last")
        n_people = self.tables.get("people", pd.DataFrame(columns=["doc_id"])).groupby("doc_id").size()
        n_places = self.tables.get("places", pd.DataFrame(columns=["doc_id"])).groupby("doc_id").size()
        rows = [
            [r["doc_id"], _text(r["title"]) or "(untitled)", _text(r["published"]), _text(r["content_type"]), _text(r["page_kind"]), _text(r["language"]),
             _text(r["site"]), int(r["n_words"]) if _present(r["n_words"]) else 0, int(n_people.get(r["doc_id"], 0)), int(n_places.get(r["doc_id"], 0)),
             1 if _present(r["duplicate_of"]) else 0]
            for r in _records(docs)
        ]
        (self.out / "data").mkdir(exist_ok=True)
        chunks = []
        for i in range(0, max(len(rows), 1), DOCS_PER_CHUNK):
            name = f"data/docs-{i // DOCS_PER_CHUNK + 1:04d}.js"
            payload = json.dumps(rows[i : i + DOCS_PER_CHUNK], ensure_ascii=False, separators=(",", ":"))
            # The chunk is a script, not a fetch: Chromium blocks fetch() of file:// pages.
            (self.out / name).write_text(f"(window.REPORT_DOCS=window.REPORT_DOCS||[]).push(...{payload});\n", encoding="utf-8")
            chunks.append(name)
        columns = [("title", "Title", "text"), ("published", "Published", "text"), ("content_type", "Content type", "text"), ("page_kind", "Kind", "text"),
                   ("language", "Lang.", "text"), ("site", "Site", "text"), ("n_words", "Words", "num"), ("n_people", "People", "num"), ("n_places", "Places", "num")]
        head = "".join(
            f'<th scope="col" data-key="{key}" data-type="{kind}" aria-sort="{"descending" if key == "published" else "none"}">'
            f'<button type="button" class="sort">{label}<span class="arrow" aria-hidden="true"></span></button></th>'
            for key, label, kind in columns
        )
        first = "".join(self._doc_row(r) for r in rows[:50])
        body = (
            "<h1>Documents</h1>"
            f'<p class="hint">{len(rows)} documents. Search titles, sites, content types, languages and dates; choose a column heading to sort. '
            "Copies of another page are marked “copy”.</p>"
            '<div class="toolbar"><label for="doc-search">Search documents</label> '
            '<input id="doc-search" type="search" autocomplete="off" placeholder="e.g. Kyrgyzstan, 2010, Press release">'
            '<span id="doc-status" role="status" aria-live="polite"></span></div>'
            f'<table id="doc-table" class="docs" data-total="{len(rows)}"><caption class="visually-hidden">Documents of the run; sortable by each column</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{first}</tbody></table>"
            '<nav class="pager" aria-label="Pages of documents"><button type="button" id="doc-prev">Previous page</button> '
            '<span id="doc-page"></span> <button type="button" id="doc-next">Next page</button></nav>'
            + "".join(f'<script src="{c}"></script>' for c in chunks)
            + '<script src="assets/report.js"></script>'
        )
        self._page("documents.html", "Documents", body, "Documents")

    def _doc_row(self, r: list) -> str:
        doc_id, title, published, ctype, kind, lang, site, words, people, places, copy = r
        badge = ' <span class="badge">copy</span>' if copy else ""
        cells = [f'<td><a href="docs/{escape(doc_id)}.html">{escape(title)}</a>{badge}</td>']
        cells += [f"<td>{escape(v)}</td>" for v in (published, ctype, kind, lang, site)]
        cells += [f'<td class="num">{v}</td>' for v in (words, people, places)]
        return "<tr>" + "".join(cells) + "</tr>"

    # -- one document ------------------------------------------------------------------------------
    def write_document(self, doc: dict) -> None:
        doc_id, root = doc["doc_id"], "../"
        people, places, orgs = self.by_doc["people"][doc_id], self.by_doc["places"][doc_id], self.by_doc["organizations"][doc_id]
        counts, dates, quotes = self.by_doc["counts"][doc_id], self.by_doc["dates"][doc_id], self.by_doc["quotes"][doc_id]
        body = [f'<p class="crumbs"><a href="../documents.html">Documents</a> › document {escape(doc_id)}</p>', f"<h1>{escape(self.titles[doc_id])}</h1>"]
        body.append(self._metadata(doc, root))
        text = _text(doc.get("body_text"))
        spans = self._spans(doc_id, text, root)
        body.append('<section aria-labelledby="h-body"><h2 id="h-body">Text with its entities</h2>')
        body.append(
            '<p class="legend-ents">Marked in the text: '
            + " ".join(f'<span class="ent ent-{k}"><span class="ent-tag">{k}</span></span>' for k in ("person", "place", "organization", "date", "count"))
            + ". Hover or focus a mark for its normalized value and the rule or model that found it.</p>"
        )
        body.append(f'<div class="body-text" lang="{escape(_text(doc.get("language")) or "und")}">{_highlight(text, spans)}</div>' if text else '<p class="empty">No body text (a listing or an empty page).</p>')
        body.append("</section>")
        if quotes:
            items = []
            for q in sorted(quotes, key=_start_of):
                if q.get("speaker") in self.people_names:
                    speaker = self._entity_cell("people", q["speaker"], q["speaker"], root)
                else:
                    speaker = escape(_text(q.get("speaker"))) or "<em>speaker not found</em>"
                how = "direct quote" if q.get("direct") else "reported speech"
                items.append(
                    f'<li><blockquote lang="{escape(_text(doc.get("language")) or "und")}">{escape(_text(q["quote"]))}</blockquote>'
                    f'<p class="who">— {speaker}, {escape(_text(q.get("verb")))} <span class="meta">({how}; {escape(_text(q.get("source")))})</span></p></li>'
                )
            body.append(f'<section aria-labelledby="h-quotes"><h2 id="h-quotes">Quotes ({len(quotes)})</h2><ol class="quotes">{"".join(items)}</ol></section>')
        if people:
            rows = [[self._entity_cell("people", p["name"], p["name"], root), _text(p.get("role")), _text(p.get("organization")), _text(p.get("honorific")), _text(p.get("n_mentions"))] for p in people]
            body.append(f'<section aria-labelledby="h-people"><h2 id="h-people">People ({len(people)})</h2>{_table(["person", "role", "organization", "honorific", "mentions"], rows, numeric=(4,), raw=(0,))}</section>')
        entity_lists = []
        if places:
            seen = sorted({(_text(p["name"]), _text(p.get("country"))) for p in places})
            entity_lists.append("<div><h3>Places</h3><ul>" + "".join(f"<li>{self._entity_cell('places', _place_key(n, c), n, root)} {escape(c)}</li>" for n, c in seen) + "</ul></div>")
        if orgs:
            seen = sorted({_text(o["name"]) for o in orgs})
            entity_lists.append("<div><h3>Organizations</h3><ul>" + "".join(f"<li>{self._entity_cell('organizations', n, n, root)}</li>" for n in seen) + "</ul></div>")
        if entity_lists:
            body.append(f'<section aria-labelledby="h-ents"><h2 id="h-ents">Places and organizations</h2><div class="grid2">{"".join(entity_lists)}</div></section>')
        if counts:
            rows = [[_text(c["text"]), _number(c.get("value")), _text(c.get("qualifier")), _text(c.get("object")), _text(c.get("kind")), _text(c.get("unit"))] for c in sorted(counts, key=_start_of)]
            body.append(f'<section aria-labelledby="h-counts"><h2 id="h-counts">Counts ({len(counts)})</h2>{_table(["as written", "value", "qualifier", "object", "kind", "unit"], rows, numeric=(1,))}</section>')
        if dates:
            rows = [[_text(d["text"]), _text(d.get("resolved")), _text(d.get("resolved_end")), _text(d.get("granularity")), _text(d.get("source"))] for d in sorted(dates, key=_start_of)]
            body.append(f'<section aria-labelledby="h-dates"><h2 id="h-dates">Dates ({len(dates)})</h2><details><summary>Show the {len(dates)} dates</summary>{_table(["as written", "resolved", "to", "granularity", "source"], rows)}</details></section>')
        entries = self.by_doc["entries"][doc_id]
        if entries:
            rows = [[_text(e.get("published")), _text(e.get("title")), _text(e.get("content_type")), _text(e.get("url"))] for e in sorted(entries, key=lambda e: e["position"])]
            body.append(f'<section aria-labelledby="h-entries"><h2 id="h-entries">Listed items ({len(entries)})</h2>{_table(["date", "title", "content type", "url"], rows)}</section>')
        blocks = [b for b in self.by_doc["blocks"][doc_id] if b.get("kind") != "body"]
        body.append('<section aria-labelledby="h-blocks"><h2 id="h-blocks">Dropped boilerplate</h2>')
        if blocks:
            body.append(_blocks_html(blocks))
        else:
            body.append('<p class="empty">The run did not keep its blocks (run with <code>--table blocks</code> to see what was dropped).</p>' if "blocks" not in self.tables else '<p class="empty">Nothing was dropped.</p>')
        body.append("</section>")
        self._page(f"docs/{doc_id}.html", self.titles[doc_id], "".join(body))

    def _metadata(self, doc: dict, root: str) -> str:
        url = _text(doc.get("url"))
        url_html = f'<a href="{escape(url)}" rel="noopener noreferrer">{escape(url)}</a>' if url.startswith(("http://", "https://")) else escape(url)
        published = _text(doc.get("published"))
        if published:
            published += f' <span class="meta">({escape(_text(doc.get("published_granularity")))}, from {escape(_text(doc.get("published_source")))})</span>'
        dup = _text(doc.get("duplicate_of"))
        fields = [
            ("URL", url_html), ("site", escape(_text(doc.get("site")))), ("published", published), ("updated", escape(_text(doc.get("updated")))),
            ("content type", escape(_text(doc.get("content_type"))) + (f' <span class="meta">(“{escape(_text(doc.get("content_type_label")))}”)</span>' if _present(doc.get("content_type_label")) else "")),
            ("page kind", escape(_text(doc.get("page_kind")))), ("language", escape(_text(doc.get("language")))),
            ("dateline", escape(" / ".join(map(str, doc["dateline_place"])) if _present(doc.get("dateline_place")) else "") + (f" ({escape(_text(doc.get('dateline_date')))})" if _present(doc.get("dateline_date")) else "")),
            ("sources", escape(_text(doc.get("sources")))), ("fields of work", escape(_text(doc.get("fields_of_work")))), ("author", escape(_text(doc.get("author")))),
            ("words", escape(_text(doc.get("n_words")))), ("body from", escape(_text(doc.get("body_source")))),
            ("copy of", self.doc_link(dup, root) if dup else ""), ("notes", escape(_text(doc.get("notes")))),
            ("input", escape(_text(doc.get("source")))), ("charset", escape(_text(doc.get("charset"))) + (f' <span class="meta">({escape(_text(doc.get("charset_source")))})</span>' if _present(doc.get("charset_source")) else "")),
            ("doc_id", escape(doc["doc_id"])),
        ]
        return '<dl class="meta-list">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in fields if v) + "</dl>"

    def _spans(self, doc_id: str, text: str, root: str) -> list[tuple[int, int, str, str, str | None]]:
        """(start, end, kind, tooltip, link) of the entities to mark; overlaps are resolved by ``_highlight``."""
        spans = []
        people = self.by_doc["people"][doc_id]
        for p in people:
            spans.append((_offset(p["start"]), _offset(p["end"]), "person", _person_tip(p), self.entity_href("people", p["name"], root)))
        # Later mentions of a person (surname only, repeats) are PERSON mentions linked by the surname.
        by_surname = {p["name"].split()[-1].lower(): p for p in people if _present(p["name"])}
        for m in self.by_doc["mentions"][doc_id]:
            if m["label"] == "PERSON":
                person = by_surname.get(_text(m["text"]).split()[-1].lower()) if _text(m["text"]).split() else None
                if person is not None:
                    spans.append((_offset(m["start"]), _offset(m["end"]), "person", _person_tip(person, m.get("source")), self.entity_href("people", person["name"], root)))
        for p in self.by_doc["places"][doc_id]:
            where = ", ".join(x for x in (_text(p.get("kind")), _text(p.get("country"))) if x)
            tip = f"Place: {_text(p['name'])} ({where}) · source: {_text(p.get('source'))}"
            spans.append((_offset(p["start"]), _offset(p["end"]), "place", tip, self.entity_href("places", _place_key(p["name"], p.get("country")), root)))
        for o in self.by_doc["organizations"][doc_id]:
            tip = f"Organization: {_text(o['name'])} · source: {_text(o.get('source'))}"
            spans.append((_offset(o["start"]), _offset(o["end"]), "organization", tip, self.entity_href("organizations", o["name"], root)))
        for d in self.by_doc["dates"][doc_id]:
            value = _text(d.get("resolved")) + (f" to {_text(d.get('resolved_end'))}" if _present(d.get("resolved_end")) else "")
            tip = f"Date: {value or 'vague, not resolved'} ({_text(d.get('granularity'))}) · source: {_text(d.get('source'))}"
            spans.append((_offset(d["start"]), _offset(d["end"]), "date", tip, None))
        for c in self.by_doc["counts"][doc_id]:
            detail = " ".join(x for x in (_text(c.get("qualifier")), _number(c.get("value")), _text(c.get("unit"))) if x)
            tip = f"Count ({_text(c.get('kind'))}): {detail} · object: {_text(c.get('object')) or '–'} · source: {_text(c.get('source'))}"
            spans.append((_offset(c["start"]), _offset(c["end"]), "count", tip, None))
        return [s for s in spans if s[0] is not None and s[1] is not None and 0 <= s[0] < s[1] <= len(text)]

    # -- entity indexes and pages ------------------------------------------------------------------
    def write_entities(self, kind: str) -> None:
        frame = self.tables.get(kind)
        label, title = ENTITY_KINDS[kind], kind.capitalize()
        if frame is None or frame.empty:
            self._page(f"{kind}/index.html", title, f'<h1>{title}</h1><p class="empty">None found in this run.</p>', title)
            return
        mentions: dict[str, list[dict]] = defaultdict(list)
        for row in _records(frame):
            key = _place_key(row["name"], row.get("country")) if kind == "places" else _text(row["name"])
            if key:
                mentions[key].append(row)
        copies = set(self.documents.loc[self.documents["duplicate_of"].notna(), "doc_id"])
        entities = []
        for key, rows in mentions.items():
            docs = list(dict.fromkeys(r["doc_id"] for r in rows))
            entities.append((key, rows, docs, sum(d not in copies for d in docs)))
        entities.sort(key=lambda e: (-e[3], -len(e[2]), e[0]))
        detail = {"people": "role", "places": "kind", "organizations": "acronym"}[kind]
        index_rows = []
        for key, rows, docs, originals in entities:
            self._entity_page(kind, label, key, rows, docs, copies)
            values = sorted({_text(r.get(detail)) for r in rows} - {""})
            extra = f" (+{len(docs) - originals} copies)" if len(docs) > originals else ""
            index_rows.append([self._entity_cell(kind, key, key, "../"), "; ".join(values), f"{originals}{extra}"])
        header = {"people": ["person", "roles", "documents"], "places": ["place", "kind", "documents"], "organizations": ["organization", "acronyms", "documents"]}[kind]
        pages = math.ceil(len(index_rows) / ROWS_PER_PAGE)
        for page in range(1, pages + 1):
            pager = _pager(page, pages, "index.html", "page-{}.html")
            table = _table(header, index_rows[(page - 1) * ROWS_PER_PAGE : page * ROWS_PER_PAGE], raw=(0,))
            body = f'<h1>{title}</h1><p class="hint">{len(index_rows)} {kind}, most documents first. Each links to the documents that mention it.</p>{pager}{table}{pager}'
            self._page(f"{kind}/index.html" if page == 1 else f"{kind}/page-{page}.html", title if page == 1 else f"{title}, page {page}", body, title)

    def _entity_page(self, kind: str, label: str, key: str, rows: list[dict], docs: list[str], copies: set[str]) -> None:
        root = "../"

        def distinct(column: str, limit: int = 20) -> str:
            return "; ".join(sorted({_text(r.get(column)) for r in rows} - {""})[:limit])

        if kind == "people":
            facts = [("roles", distinct("role")), ("organizations", distinct("organization")), ("honorifics", distinct("honorific"))]
        elif kind == "places":
            first = rows[0]
            coordinates = f"{_text(first.get('lat'))}, {_text(first.get('lon'))}" if _present(first.get("lat")) else ""
            facts = [("kind", _text(first.get("kind"))), ("country", _text(first.get("country"))), ("coordinates", coordinates),
                     ("GeoNames id", _text(first.get("geonames_id"))), ("written as", distinct("text"))]
        else:
            facts = [("acronyms", distinct("acronym")), ("written as", distinct("text"))]
        facts.append(("mentions", str(len(rows))))
        intro = '<dl class="meta-list">' + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts if v) + "</dl>"
        per_doc: dict[str, int] = defaultdict(int)
        for r in rows:
            per_doc[r["doc_id"]] += 1
        copy_badge = ' <span class="badge">copy</span>'
        items = [
            f'<li>{self.doc_link(d, root)} <span class="meta">{escape(self.published.get(d, ""))} · {per_doc[d]}×</span>{copy_badge if d in copies else ""}</li>'
            for d in docs
        ]
        file = slug(key)
        pages = max(1, math.ceil(len(items) / ROWS_PER_PAGE))
        for page in range(1, pages + 1):
            pager = _pager(page, pages, f"{file}.html", file + "-{}.html")
            listed = "".join(items[(page - 1) * ROWS_PER_PAGE : page * ROWS_PER_PAGE])
            body = (
                f'<p class="crumbs"><a href="index.html">{kind.capitalize()}</a> › {escape(label)}</p><h1>{escape(key)}</h1>{intro}'
                f'<h2>Documents that mention this {label} ({len(docs)})</h2>{pager}<ul class="doc-list">{listed}</ul>{pager}'
            )
            self._page(f"{kind}/{file}.html" if page == 1 else f"{kind}/{file}-{page}.html", key, body, kind.capitalize())

def _person_tip(person: dict, source: Any = None) -> str:
    parts = [f"Person: {_text(person['name'])}"]
    for column, name in (("role", "role"), ("organization", "organization"), ("honorific", "honorific")):
        if _present(person.get(column)):
            parts.append(f"{name}: {_text(person[column])}")
    parts.append(f"source: {_text(source if _present(source) else person.get('source'))}")
    return " · ".join(parts)


def _highlight(text: str, spans: Iterable[tuple[int, int, str, str, str | None]]) -> str:
    """The body as paragraphs with the spans marked. Of overlapping spans the one starting first is kept,
    the longest of those starting together (so "OSCE Centre in Bishkek" is marked as the organization,
    not its place); a span across paragraphs is not marked."""
    chosen: list[tuple[int, int, str, str, str | None]] = []
    taken_until = -1
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        start, end = span[0], span[1]
        if start < taken_until or "\n\n" in text[start:end]:
            continue
        chosen.append(span)
        taken_until = end
    out, pos = [], 0
    for start, end, kind, tip, link in chosen:
        out.append(escape(text[pos:start]))
        inner = f'{escape(text[start:end])}<span class="ent-tag" aria-hidden="true">{kind}</span>'
        attrs = f'class="ent ent-{kind}" title="{escape(tip)}"'
        out.append(f'<a {attrs} href="{escape(link)}">{inner}</a>' if link else f'<span {attrs} tabindex="0">{inner}</span>')
        pos = end
    out.append(escape(text[pos:]))
    return "".join(f"<p>{p}</p>" for p in "".join(out).split("\n\n"))


def _blocks_html(blocks: list[dict]) -> str:
    """The blocks kept out of the body, folded: runs of neighbouring blocks with the same kind and
    reason (a menu of 150 links) are one item, their texts joined."""
    runs: list[tuple[str, str, list[str]]] = []
    for b in sorted(blocks, key=lambda b: b["position"]):
        kind, reason, text = _text(b.get("kind")), _text(b.get("reason")), _text(b.get("text"))
        if runs and runs[-1][0] == kind and runs[-1][1] == reason:
            runs[-1][2].append(text)
        else:
            runs.append((kind, reason, [text]))
    by_kind: dict[str, int] = defaultdict(int)
    for b in blocks:
        by_kind[_text(b.get("kind"))] += 1
    summary = ", ".join(f"{k} {n}" for k, n in sorted(by_kind.items(), key=lambda kv: -kv[1]))
    items = []
    for kind, reason, texts in runs:
        joined = " · ".join(texts)
        shown = joined if len(joined) <= 1200 else joined[:1200] + " …"
        count = f" · {len(texts)} blocks" if len(texts) > 1 else ""
        items.append(f'<li><span class="badge">{escape(kind)}</span> <span class="meta">{escape(reason)}{count}</span><div class="block-text">{escape(shown)}</div></li>')
    return f'<details><summary>{len(blocks)} blocks kept out of the body: {escape(summary)}</summary><ol class="blocks">{"".join(items)}</ol></details>'


def _start_of(row: dict) -> int:
    return _offset(row.get("start")) or 0


def _offset(value: Any) -> int | None:
    return int(value) if _present(value) else None


def _manifest_value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_manifest_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(map(_manifest_value, value))
    return str(value)


def _number(value: Any) -> str:
    if not _present(value):
        return ""
    value = float(value)
    return f"{int(value):,}" if value.is_integer() else f"{value:,.2f}"


def _table(header: list[str], rows: list[list], numeric: Iterable[int] = (), raw: Iterable[int] = ()) -> str:
    """A plain HTML table; cells are escaped text except the columns in ``raw`` (already-built links)."""
    if not rows:
        return '<p class="empty">None.</p>'
    numeric, raw = set(numeric), set(raw)
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if i in numeric else ""}>{escape(h)}</th>' for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f'<td{num if i in numeric else ""}>{v if i in raw else escape(_text(v))}</td>' for i, v in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _pager(page: int, pages: int, first: str, later: str) -> str:
    """Previous/next links between the static pages ``first``, ``later.format(2)``, ..."""
    if pages <= 1:
        return ""

    def name(p: int) -> str:
        return first if p == 1 else later.format(p)

    links = []
    if page > 1:
        links.append(f'<a href="{name(page - 1)}" rel="prev">Previous</a>')
    links.append(f"<span>page {page} of {pages}</span>")
    if page < pages:
        links.append(f'<a href="{name(page + 1)}" rel="next">Next</a>')
    return f'<nav class="pager" aria-label="Pages">{" ".join(links)}</nav>'
