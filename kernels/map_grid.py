"""Map viewport arithmetic: which bounding boxes and zooms a layer accepts, the size of the
clustering cell at a zoom, and how per-cell counts of several kinds fold into one cluster per
(cell, group).

The counting itself is the database's GROUP BY (see citysafe/registry/map/viewport.py); this
module holds only the pure parts, so they can be tested and reasoned about without Django.

Cells are squares in degrees on a grid anchored at (-180°, -90°), so a cell's index depends
only on the zoom: panning never reshuffles the clusters. At 30–43° N a degree of longitude is
0.73–0.87 of a degree of latitude, so a cell looks somewhat taller than wide in Web Mercator;
that is harmless for a count bubble and keeps the SQL free of trigonometry (SQLite has none
without an extension).
"""
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

TILE_PIXELS = 256
# A cluster bubble is 30–52 px wide: a cell of 80 px keeps neighbouring bubbles apart.
CELL_PIXELS = 80
MIN_ZOOM = 0
MAX_ZOOM = 22


class ViewportError(ValueError):
    """A bounding box or zoom a layer does not accept; `field` names the query parameter and
    `rule` the broken rule (a key of RULES, so the caller can word it in the user's language)."""

    def __init__(self, field: str, rule: str):
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


@dataclass(frozen=True)
class Viewport:
    west: float
    south: float
    east: float
    north: float
    zoom: int

    @property
    def cell(self) -> float:
        return cell_degrees(self.zoom)


def cell_degrees(zoom: int) -> float:
    """Width of one clustering cell, in degrees of longitude, at a Web Mercator zoom."""
    return 360.0 / (2 ** zoom) * CELL_PIXELS / TILE_PIXELS


def pixel_degrees(zoom: int) -> float:
    """Degrees of longitude one screen pixel spans at a Web Mercator zoom."""
    return 360.0 / (2 ** zoom) / TILE_PIXELS


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """'west,south,east,north' in degrees → four floats; ViewportError(bbox, rule) otherwise."""
    parts = (text or "").split(",")
    if len(parts) != 4:
        raise ViewportError("bbox", "four_numbers")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise ViewportError("bbox", "four_numbers") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ViewportError("bbox", "four_numbers")
    if not (-180.0 <= west <= 180.0 and -180.0 <= east <= 180.0):
        raise ViewportError("bbox", "longitude_range")
    if not (-90.0 <= south <= 90.0 and -90.0 <= north <= 90.0):
        raise ViewportError("bbox", "latitude_range")
    if west >= east or south >= north:
        raise ViewportError("bbox", "order")
    return west, south, east, north


def parse_zoom(text: str) -> int:
    value = (text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 2:
        raise ViewportError("zoom", "zoom_range")
    zoom = int(value)
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise ViewportError("zoom", "zoom_range")
    return zoom


def parse_viewport(bbox: str | None, zoom: str | None) -> Viewport | None:
    """None when neither is given (the whole layer); both or neither, never one alone."""
    if bbox is None and zoom is None:
        return None
    if bbox is None:
        raise ViewportError("bbox", "missing")
    west, south, east, north = parse_bbox(bbox)
    if zoom is None:
        raise ViewportError("zoom", "missing")
    return Viewport(west, south, east, north, parse_zoom(zoom))


@dataclass
class Cluster:
    cx: int
    cy: int
    group: str
    count: int
    lon: float
    lat: float
    worst: int | None


def worse(a: int | None, b: int | None) -> int | None:
    """Risk levels: 1 is the worst (重大), 4 the least; None or 0 means not graded."""
    graded = [v for v in (a, b) if v]
    return min(graded) if graded else None


def fold_cells(rows: Iterable[tuple], group_of: Callable[[object], str] = lambda key: "") -> list[Cluster]:
    """Rows of (cx, cy, key, count, mean lon, mean lat, worst level) — one per cell and key,
    as the database's GROUP BY returns them — folded into one cluster per cell and group
    (e.g. place types into their map family): counts add up, the position is the
    count-weighted mean, the level the worst."""
    folded: dict[tuple[int, int, str], Cluster] = {}
    for cx, cy, key, count, lon, lat, worst in rows:
        if not count or lon is None or lat is None:
            continue
        group = group_of(key)
        cluster = folded.get((cx, cy, group))
        if cluster is None:
            folded[(cx, cy, group)] = Cluster(int(cx), int(cy), group, int(count), float(lon), float(lat),
                                              worse(worst, None))
            continue
        total = cluster.count + count
        cluster.lon = (cluster.lon * cluster.count + lon * count) / total
        cluster.lat = (cluster.lat * cluster.count + lat * count) / total
        cluster.count = total
        cluster.worst = worse(cluster.worst, worst)
    return sorted(folded.values(), key=lambda c: (c.cy, c.cx, c.group))
