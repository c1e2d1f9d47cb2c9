"""Bounding-box and zoom aware point layers (issue 19, "maps that scale").

A layer asked with `?bbox=west,south,east,north&zoom=z` answers for that view only:
- below DETAIL_ZOOM, the database counts the caller's rows per grid cell inside the box
  (GROUP BY on the indexed lon/lat columns; kernels/map_grid.py holds the cell arithmetic).
  If the view holds at most FEATURE_LIMIT rows the rows themselves are sent instead;
- from DETAIL_ZOOM on, the rows in the box (at most MAX_FEATURES, flagged when cut).
The queryset handed in is always the one the layer's scoped selector built (list_records /
scope.narrow), so a cluster counts exactly the rows the caller may list, at any zoom.

Why grid aggregation in SQL rather than a clustering library in Python (supercluster ports)
or vector tiles: both of those need every row of the scope read into the web process first —
a million places for a province view — while GROUP BY reads them inside PostgreSQL (or SQLite)
and sends back a few hundred cells. See docs/architecture.md, "Maps that scale".
"""
from django.conf import settings
from django.db.models import Avg, Case, Count, F, FloatField, Func, Max, Min, When
from django.http import JsonResponse
from django.utils.translation import gettext as _

from kernels.map_grid import Viewport, ViewportError, fold_cells, parse_viewport, pixel_degrees

# From this zoom on (a few streets across) the rows themselves are sent.
DETAIL_ZOOM = 15
# A view holding this many rows or fewer gets the rows (the client clusters them itself);
# settings.MAP_FEATURE_LIMIT overrides it.
FEATURE_LIMIT = 1500
# Rows at most in one detailed view: a dense district at DETAIL_ZOOM stays bounded.
MAX_FEATURES = 5000

__all__ = ["Viewport", "BadViewport", "viewport_from", "within", "intersecting", "cell_counts", "clusters_for",
           "clusters_collection", "capped", "extent", "unprocessable", "simplify_tolerance", "is_detailed",
           "DETAIL_ZOOM"]


class BadViewport(ValueError):
    """A bbox or zoom the layer refuses, with a Chinese message naming the field and the rule."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _messages() -> dict:
    return {
        "missing": _("bbox 与 zoom 须同时给出：bbox=西,南,东,北（经纬度），zoom=0至22的整数"),
        "four_numbers": _("bbox 须为四个以逗号分隔的数字：西经度,南纬度,东经度,北纬度"),
        "longitude_range": _("bbox 的经度须在 -180 至 180 之间"),
        "latitude_range": _("bbox 的纬度须在 -90 至 90 之间"),
        "order": _("bbox 须西小于东、南小于北（不支持跨越180°经线）"),
        "zoom_range": _("zoom 须为 0 至 22 的整数"),
    }


def viewport_from(params) -> Viewport | None:
    """The view a request asks for, None for the whole layer; BadViewport for a bad one."""
    try:
        return parse_viewport(params.get("bbox"), params.get("zoom"))
    except ViewportError as error:
        raise BadViewport(error.field, _messages()[error.rule]) from None


def within(queryset, viewport: Viewport | None, lon: str = "lon", lat: str = "lat"):
    if viewport is None:
        return queryset
    return queryset.filter(**{f"{lon}__gte": viewport.west, f"{lon}__lte": viewport.east,
                              f"{lat}__gte": viewport.south, f"{lat}__lte": viewport.north})


def intersecting(queryset, viewport: Viewport | None, envelope=("min_lon", "min_lat", "max_lon", "max_lat")):
    """Rows whose envelope (bounding box columns) meets the view: the index-backed prefilter a
    spatial database applies first for lines and polygons (PostGIS `&&`, a WFS BBOX filter)."""
    if viewport is None:
        return queryset
    west, south, east, north = envelope
    return queryset.filter(**{f"{west}__lte": viewport.east, f"{east}__gte": viewport.west,
                              f"{south}__lte": viewport.north, f"{north}__gte": viewport.south})


def is_detailed(viewport: Viewport | None) -> bool:
    return viewport is None or viewport.zoom >= DETAIL_ZOOM


class _CellIndex(Func):
    """floor((value + offset) / size). The shifted value is never negative, so on SQLite a cast
    to integer (truncation) is the floor without Django's per-row Python FLOOR callback."""

    output_field = FloatField()

    def __init__(self, column: str, offset: float, size: float):
        super().__init__((F(column) + offset) / size)

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="FLOOR", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS INTEGER)", **extra)


def cell_counts(queryset, viewport: Viewport, *, key: str | None = None, level: str | None = None,
                group_of=lambda key: "", lon: str = "lon", lat: str = "lat") -> list:
    """Clusters of the queryset's rows inside the view: one per grid cell (and per group of
    `key`, e.g. place types folded into map families), with the count, the mean position and
    the worst graded `level` (1 worst; 0 = not graded is ignored)."""
    size = viewport.cell
    rows = (within(queryset, viewport, lon, lat).order_by()
            .annotate(_cx=_CellIndex(lon, 180.0, size), _cy=_CellIndex(lat, 90.0, size)))
    group = ["_cx", "_cy", key] if key else ["_cx", "_cy"]
    # COUNT(*), not COUNT(id): the id is not in a covering index (PostgreSQL would read the table).
    aggregates = {"_n": Count("*"), "_lon": Avg(lon), "_lat": Avg(lat)}
    if level:
        aggregates["_worst"] = Min(Case(When(**{f"{level}__gt": 0}, then=F(level))))
    rows = rows.values(*group).annotate(**aggregates).values_list(
        "_cx", "_cy", key or "_cx", "_n", "_lon", "_lat", "_worst" if level else "_n")
    worst_index = 6 if level else None
    tuples = ((cx, cy, k if key else "", n, mlon, mlat, row_worst if worst_index else None)
              for cx, cy, k, n, mlon, mlat, row_worst in rows)
    return fold_cells(tuples, group_of)


def cluster_feature(cluster, *, extra: dict | None = None) -> dict:
    props = {"cluster": True, "count": cluster.count, "level": cluster.worst or 0}
    if cluster.group:
        props["group"] = cluster.group
    if extra:
        props.update(extra)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(cluster.lon, 6),
                                                                              round(cluster.lat, 6)]},
            "properties": props}


def view_properties(viewport: Viewport | None, mode: str, truncated: bool = False) -> dict:
    if viewport is None:
        return {"mode": mode}
    head = {"mode": mode, "zoom": viewport.zoom,
            "bbox": [viewport.west, viewport.south, viewport.east, viewport.north]}
    if truncated:
        head["truncated"] = True
    return head


def wants_clusters(clusters: list) -> bool:
    """Rows rather than clusters when the whole view holds few enough of them."""
    return sum(c.count for c in clusters) > getattr(settings, "MAP_FEATURE_LIMIT", FEATURE_LIMIT)


def total(clusters: list) -> int:
    return sum(c.count for c in clusters)


def clusters_for(queryset, viewport: Viewport | None, **count_options) -> list | None:
    """The view's clusters when it is zoomed out over more than FEATURE_LIMIT rows, else None
    (the caller sends the rows in the view). `count_options` as cell_counts."""
    if viewport is None or is_detailed(viewport):
        return None
    clusters = cell_counts(queryset, viewport, **count_options)
    return clusters if wants_clusters(clusters) else None


def clusters_collection(clusters: list, viewport: Viewport, **head) -> dict:
    """A FeatureCollection of cluster bubbles, with `mode`, `zoom`, `bbox` and `total`."""
    return {"type": "FeatureCollection", **head, **view_properties(viewport, "clusters"), "total": total(clusters),
            "features": [cluster_feature(c) for c in clusters]}


def capped(rows, viewport: Viewport | None) -> tuple[list, bool]:
    """At most MAX_FEATURES rows of a view (all of them for the whole layer) and whether any
    were cut; reads one row more than it keeps, never the rest."""
    if viewport is None:
        return list(rows), False
    kept = list(rows[:MAX_FEATURES + 1])
    return kept[:MAX_FEATURES], len(kept) > MAX_FEATURES


def extent(queryset, lon: str = "lon", lat: str = "lat", east: str | None = None, north: str | None = None) -> list | None:
    """[west, south, east, north] of the rows (a page fits its first view to it), None if empty.
    Envelopes: `lon`/`lat` name the minimum columns, `east`/`north` the maximum ones."""
    box = queryset.order_by().aggregate(w=Min(lon), s=Min(lat), e=Max(east or lon), n=Max(north or lat))
    return None if box["w"] is None else [box["w"], box["s"], box["e"], box["n"]]


def simplify_tolerance(viewport: Viewport | None) -> float | None:
    """Degrees a line may be moved when simplified for this view: half a screen pixel, so the
    drawing is unchanged while vertices a pixel cannot show are dropped (None: not simplified)."""
    if viewport is None or viewport.zoom >= DETAIL_ZOOM:
        return None
    return pixel_degrees(viewport.zoom) / 2


def unprocessable(error: BadViewport) -> JsonResponse:
    """The project's 422 for a bad bbox/zoom (`field`/`message` too, as the registry map's)."""
    return JsonResponse({"detail": [{"loc": ["query", error.field], "msg": str(error), "type": "value_error",
                                     "field": error.field, "message": str(error)}]}, status=422)
