"""The report's charts as inline SVG strings, drawn from the DataFrames of ``pipeline.explore``.

Every chart carries a text alternative (an SVG title and description, and the figures as text or a
data table beside it), and series differ by fill pattern as well as by colour.
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd

from . import world

# Okabe-Ito colours: told apart with the usual colour-vision deficiencies, >= 3:1 against white.
SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C6D00", "#4D4D4D"]
PATTERNS = ["solid", "diagonal", "dots", "cross", "horizontal", "vertical"]


def series_style(i: int) -> tuple[str, str]:
    """(colour, pattern name) of the i-th series; after six they repeat with another pattern."""
    return SERIES_COLOURS[i % len(SERIES_COLOURS)], PATTERNS[(i + i // len(SERIES_COLOURS)) % len(PATTERNS)]


def _pattern_defs(prefix: str, n: int) -> str:
    defs = []
    for i in range(n):
        colour, pattern = series_style(i)
        marks = {
            "solid": "",
            "diagonal": '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="white" stroke-width="1.6"/>',
            "dots": '<circle cx="3" cy="3" r="1.3" fill="white"/>',
            "cross": '<path d="M0,0 L6,6 M6,0 L0,6" stroke="white" stroke-width="1.2"/>',
            "horizontal": '<path d="M0,3 H6" stroke="white" stroke-width="1.6"/>',
            "vertical": '<path d="M3,0 V6" stroke="white" stroke-width="1.6"/>',
        }[pattern]
        defs.append(
            f'<pattern id="{prefix}{i}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{colour}"/>{marks}</pattern>'
        )
    return "<defs>" + "".join(defs) + "</defs>"


def legend_html(prefix: str, names: list[str]) -> str:
    """A legend as HTML list items whose swatches are small SVGs with the series' pattern."""
    items = []
    for i, name in enumerate(names):
        items.append(
            f'<li><svg width="14" height="14" aria-hidden="true">{_pattern_defs(f"{prefix}l{i}-", i + 1)}'
            f'<rect width="14" height="14" fill="url(#{prefix}l{i}-{i})" stroke="#333" stroke-width="0.5"/></svg> {escape(name)}</li>'
        )
    return '<ul class="legend">' + "".join(items) + "</ul>"


def monthly_bars(table: pd.DataFrame, width: int = 900, height: int = 260) -> str:
    """Stacked bars per month on a time axis (one bar slot per calendar month, empty months included)."""
    if table.empty:
        return '<p class="empty">No dated articles.</p>'
    months = list(table.index)
    series = list(table.columns)
    totals = table.sum(axis=1)
    top = max(int(totals.max()), 1)
    left, right, above, below = 44, 10, 12, 36
    plot_w, plot_h = width - left - right, height - above - below
    slot = plot_w / len(months)
    step = _nice_step(top)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="mc-t mc-d" preserveAspectRatio="xMidYMid meet">',
        f'<title id="mc-t">Articles per month by content type</title>'
        f'<desc id="mc-d">{len(months)} months from {months[0]} to {months[-1]}; {int(totals.sum())} articles; '
        f'busiest month {escape(str(totals.idxmax()))} with {int(totals.max())}.</desc>',
        _pattern_defs("mc", len(series)),
    ]
    for value in range(0, top + 1, step):
        y = above + plot_h - plot_h * value / top
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    years = sorted({m[:4] for m in months})
    label_every = max(1, math.ceil(len(years) / 12))
    for i, month in enumerate(months):
        x = left + i * slot
        if month.endswith("-01") or i == 0:
            parts.append(f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{above + plot_h}" y2="{above + plot_h + 5}"/>')
            # a year label needs ~34 px: none for a partial first year that ends too soon, or past the right edge
            room_before_next = slot * (13 - int(month[5:7]))
            fits = x + 34 <= width and (month.endswith("-01") or room_before_next >= 34)
            if fits and years.index(month[:4]) % label_every == 0:
                parts.append(f'<text class="tick" x="{x + 2:.1f}" y="{above + plot_h + 18}">{month[:4]}</text>')
        base = 0
        for j, name in enumerate(series):
            n = int(table.iloc[i, j])
            if not n:
                continue
            y0 = above + plot_h - plot_h * (base + n) / top
            parts.append(
                f'<rect x="{x + slot * 0.08:.2f}" y="{y0:.1f}" width="{max(slot * 0.84, 1):.2f}" height="{plot_h * n / top:.1f}" '
                f'fill="url(#mc{j})"><title>{month} · {escape(str(name))}: {n}</title></rect>'
            )
            base += n
    parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{above + plot_h}" y2="{above + plot_h}"/>')
    parts.append(f'<text class="tick" x="{left}" y="{height - 4}">publication month</text>')
    parts.append("</svg>")
    return "".join(parts)


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 5:
            return step
    return max(1, top // 5)


def hbars(rows: list[tuple[str, int]], label: str, width: int = 420, bar_h: int = 22) -> str:
    """Horizontal bars with the label and the number written beside each bar."""
    if not rows:
        return '<p class="empty">Nothing to show.</p>'
    top = max(n for _, n in rows) or 1
    label_w, num_w = 170, 48
    height = bar_h * len(rows) + 4
    parts = [f'<svg class="chart hbars" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">']
    for i, (name, n) in enumerate(rows):
        y = i * bar_h + 2
        w = (width - label_w - num_w) * n / top
        short = name if len(name) <= 26 else name[:25] + "…"
        parts.append(f'<text class="tick" x="{label_w - 6}" y="{y + bar_h * 0.68:.1f}" text-anchor="end">{escape(short)}<title>{escape(name)}</title></text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1):.1f}" height="{bar_h - 6}" fill="{SERIES_COLOURS[0]}"/>')
        parts.append(f'<text class="tick" x="{label_w + w + 5:.1f}" y="{y + bar_h * 0.68:.1f}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def places_map(top: pd.DataFrame, extent: tuple[float, float, float, float], href, width: int = 900) -> str:
    """Countries from the shipped outline, clipped to ``extent``, and one circle per place sized by
    mentions (area proportional), each a link (``href(row)``) with a title giving name and counts."""
    west, east, south, north = extent
    mid = math.radians((south + north) / 2)
    sx = width / (east - west)
    sy = sx / math.cos(mid)  # equirectangular, scaled at the middle latitude so shapes look right there
    height = int((north - south) * sy)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * sx, (north - lat) * sy

    parts = [
        f'<svg class="chart map" viewBox="0 0 {width} {height}" role="img" aria-labelledby="map-t map-d">',
        "<title id=\"map-t\">Most-mentioned places</title>",
        f'<desc id="map-d">{len(top)} places between longitudes {west:.0f} and {east:.0f}, latitudes {south:.0f} and {north:.0f}; '
        "circle area grows with the number of mentions. The same places are listed in the table beside the map.</desc>",
        f'<clipPath id="map-clip"><rect width="{width}" height="{height}"/></clipPath>',
        f'<rect class="sea" width="{width}" height="{height}"/><g clip-path="url(#map-clip)">',
    ]
    for country in world.countries():
        paths = []
        for ring in country["rings"]:
            lons, lats = ring[0::2], ring[1::2]
            if max(lons) / 10 < west or min(lons) / 10 > east or max(lats) / 10 < south or min(lats) / 10 > north:
                continue
            points = [xy(lon / 10, lat / 10) for lon, lat in zip(lons, lats)]
            paths.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        if paths:
            parts.append(f'<path class="land" d="{"".join(paths)}"><title>{escape(country["name"])}</title></path>')
    located = top.dropna(subset=["lat", "lon"])
    most = float(located["mentions"].max()) if not located.empty else 1.0
    labels: list[str] = []
    placed: list[tuple[float, float, float, float]] = []  # label boxes: a label that would cover another is left out
    for rank, row in enumerate(located.itertuples(index=False)):
        x, y = xy(float(row.lon), float(row.lat))
        r = 4 + 16 * math.sqrt(float(row.mentions) / most)
        tip = f"{row.name}: {row.mentions} mentions in {row.documents} documents"
        parts.append(
            f'<a href="{escape(href(row))}"><circle class="place" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}">'
            f"<title>{escape(tip)}</title></circle></a>"
        )
        box = (x + r + 2, y - 8, x + r + 4 + 7 * len(str(row.name)), y + 6)
        if rank < 15 and not any(_overlap(box, other) for other in placed):
            placed.append(box)
            labels.append(f'<text class="place-label" x="{x + r + 3:.1f}" y="{y + 4:.1f}">{escape(str(row.name))}</text>')
    parts += labels
    parts.append("</g></svg>")
    return "".join(parts)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
