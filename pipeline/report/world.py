"""The offline world outline the report's map draws: country polygons, lon/lat in tenths of a degree.

``assets/world.json`` was made once by ``python -m pipeline.report.world SHAPEFILE`` from Natural Earth's
1:110m Admin 0 countries (public domain; the copy shipped as ``naturalearth_lowres`` in geopandas 0.14),
so the report needs no map server, no download and no GIS package.
"""

from __future__ import annotations

import json
import struct
import sys
from functools import lru_cache
from pathlib import Path

WORLD_JSON = Path(__file__).parent / "assets" / "world.json"


@lru_cache(maxsize=1)
def countries() -> list[dict]:
    """[{"iso": "FRA", "name": "France", "rings": [[lon10, lat10, lon10, lat10, ...], ...]}, ...]"""
    return json.loads(WORLD_JSON.read_text("utf-8"))["countries"]


def from_shapefile(shp: Path) -> dict:
    """Polygons of an ESRI shapefile (+ its .dbf for names) rounded to 0.1 degree."""
    names = _dbf_records(shp.with_suffix(".dbf"))
    data = shp.read_bytes()
    pos, out = 100, []
    for record in names:
        _, length = struct.unpack(">ii", data[pos : pos + 8])
        content = data[pos + 8 : pos + 8 + 2 * length]
        pos += 8 + 2 * length
        if struct.unpack("<i", content[:4])[0] != 5:  # 5 = polygon
            continue
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", content[44 : 44 + 4 * n_parts])) + [n_points]
        points = struct.unpack(f"<{2 * n_points}d", content[44 + 4 * n_parts : 44 + 4 * n_parts + 16 * n_points])
        rings = []
        for a, b in zip(parts, parts[1:]):
            ring: list[int] = []
            for i in range(a, b):
                x, y = round(points[2 * i] * 10), round(points[2 * i + 1] * 10)
                if ring[-2:] != [x, y]:
                    ring += [x, y]
            if len(ring) >= 6:
                rings.append(ring)
        out.append({"iso": record.get("iso_a3", ""), "name": record.get("name", ""), "rings": rings})
    return {"source": "Natural Earth 1:110m Admin 0 countries (public domain)", "countries": out}


def _dbf_records(path: Path) -> list[dict]:
    data = path.read_bytes()
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields, pos = [], 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for r in range(n_records):
        raw, offset, row = data[header_len + r * record_len : header_len + (r + 1) * record_len], 1, {}
        for name, size in fields:
            row[name] = raw[offset : offset + size].decode("utf-8", "replace").strip()
            offset += size
        rows.append(row)
    return rows


if __name__ == "__main__":  # pragma: no cover - regeneration of the shipped asset
    WORLD_JSON.write_text(json.dumps(from_shapefile(Path(sys.argv[1])), separators=(",", ":")), encoding="utf-8")
