"""Map layer reads: GeoJSON for the registry map, always through the registry list selectors,
so a layer holds exactly what the caller may list (township officers their township,
grid workers their grids, enterprise officers their own enterprise).

Point layers can hold tens of thousands of rows: they are read with `values_list` (one query;
places two, points apart from lines and polygons), iterated in chunks and serialised a chunk at
a time, so the view can stream them. Area outlines are simplified for display and cached per
set of areas at their versions (id + updated_at): an unchanged layer is simplified once and its
stored geometry is not even read again.

Popups show names, types, industries and townships only: no personal data. A personal field
added to a feature goes through core.masking like every other way out.
One bad stored row never breaks a layer for everyone (defence in depth: the services refuse
such geometry, but rows written before those rules, or past them, exist): a geometry that
cannot be drawn is replaced by the record's stored point, or the row is left out, and logged.
"""
import hashlib
import json
import logging
from collections.abc import Iterator
from itertools import islice

import numpy as np
import shapely
from django.core.cache import cache
from django.db.models import Q
from shapely.geometry import mapping, shape

from citysafe.core.db import read_alias
from citysafe.registry.map import viewport as views_of
from citysafe.registry.map.families import family_of
from citysafe.registry.models import Area, PlaceType
from citysafe.registry.selectors import list_records
from kernels.geometry import POSITION_DEPTH, is_json_number, is_lon_lat

log = logging.getLogger(__name__)

# Degrees; about 1e-4 ° ≈ 10 m at this latitude. Coarser areas tolerate coarser outlines.
SIMPLIFY_TOLERANCE = {Area.Level.TOWNSHIP: 2e-4, Area.Level.VILLAGE: 1e-4, Area.Level.GRID: 5e-5}
# Six decimals of a degree is about 0.1 m: more would only inflate the payload.
COORDINATE_DECIMALS = 6
AREA_LAYERS = {"townships": Area.Level.TOWNSHIP, "villages": Area.Level.VILLAGE, "grids": Area.Level.GRID}
POINT_LAYERS = ("enterprises", "places")
LAYERS = (*AREA_LAYERS, *POINT_LAYERS)
CHUNK = 2000
OUTLINE_CACHE_SECONDS = 7 * 24 * 3600

# Which query parameter of the map page filters which field of which layer.
LAYER_FILTERS = {
    "townships": {},
    "villages": {"township": "township_id"},
    "grids": {"township": "township_id"},
    "enterprises": {"township": "township_id", "industry": "industry_id"},
    "places": {"township": "township_id", "industry": "industry_id", "type": "place_type"},
}


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _round(geometry):
    return shapely.transform(geometry, lambda coords: np.round(coords, COORDINATE_DECIMALS))


def simplified_outline(geometry: dict | None, level: str) -> dict | None:
    """The display outline of one area: fewer vertices, shorter coordinates, same topology."""
    if not geometry:
        return None
    try:
        geom = shape(geometry).simplify(SIMPLIFY_TOLERANCE[level], preserve_topology=True)
        return mapping(_round(geom))
    except Exception:  # noqa: BLE001 - any stored value shapely cannot read: leave this outline out
        log.warning("map: area outline cannot be drawn; left out of the layer", exc_info=True)
        return None


def _outlines_key(level: str, versions: dict[int, str]) -> str:
    # One entry per set of areas at their versions: any save of one of them makes a new key
    # (old ones expire unused), and a township officer's set is a different entry from the admin's.
    digest = hashlib.sha256(_dumps(sorted(versions.items())).encode()).hexdigest()
    return f"registry-map:outlines:{level}:{digest}"


def area_features(user, layer: str, filters: dict) -> list[dict]:
    """Outlines of the areas of one level inside the caller's scope."""
    level = AREA_LAYERS[layer]
    rows = list(
        list_records(user, "areas", filters={"level": level, **filters}, ordering="code")
        .values_list("id", "name", "code", "township_id", "updated_at")
    )
    versions = {pk: f"{updated.timestamp():.6f}" for pk, _, _, _, updated in rows}
    key = _outlines_key(level, versions)
    outlines = cache.get(key)
    if outlines is None:
        # Keys must be strings to survive every cache backend's serialisation alike.
        outlines = {str(pk): simplified_outline(geometry, level)
                    for pk, geometry in Area.objects.filter(pk__in=versions).values_list("id", "geometry")}
        cache.set(key, outlines, timeout=OUTLINE_CACHE_SECONDS)
    features = []
    for pk, name, code, township_id, _ in rows:
        outline = outlines.get(str(pk))
        if outline is None:
            continue
        features.append({"type": "Feature", "id": pk, "geometry": outline,
                         "properties": {"name": name, "code": code, "township": township_id}})
    return features


def area_layer_json(user, layer: str, filters: dict) -> str:
    return _dumps({"type": "FeatureCollection", "layer": layer, "features": area_features(user, layer, filters)})


def _rounded(coordinates, depth: int = 0):
    """Coordinates cut to display precision; ValueError for anything that is not an array of
    finite numbers nested at most as deep as GeoJSON goes (a string would recurse forever)."""
    if depth > 0 and is_json_number(coordinates):
        return round(coordinates, COORDINATE_DECIMALS)
    if isinstance(coordinates, (list, tuple)) and depth <= max(POSITION_DEPTH.values()):
        return [_rounded(item, depth + 1) for item in coordinates]
    raise ValueError("not a GeoJSON coordinate array")


def _shape(geometry) -> dict:
    """Lines and polygons as stored, with coordinates cut to display precision."""
    if not isinstance(geometry, dict) or geometry.get("type") not in POSITION_DEPTH:
        raise ValueError("not a GeoJSON geometry")
    return {"type": geometry["type"], "coordinates": _rounded(geometry.get("coordinates", []))}


def _point(lon: float, lat: float) -> dict | None:
    if not (is_json_number(lon) and is_json_number(lat) and is_lon_lat(lon, lat)):
        return None
    return {"type": "Point", "coordinates": [round(lon, COORDINATE_DECIMALS), round(lat, COORDINATE_DECIMALS)]}


def _drawable_shape(pk: int, geometry, lon, lat) -> dict | None:
    """The stored line or polygon; if it cannot be drawn, the stored point; else None (left out)."""
    try:
        return _shape(geometry)
    except (ValueError, TypeError):
        log.warning("map: place %s has a geometry that cannot be drawn; shown at its point", pk)
        return _point(lon, lat)


def _enterprise_features(user, filters: dict, viewport=None) -> Iterator[dict]:
    rows = views_of.within(list_records(user, "enterprises", filters=filters).using(read_alias()), viewport).values_list(
        "id", "name", "lon", "lat", "industry_id", "township_id",
    )
    for pk, name, lon, lat, industry_id, township_id in rows.iterator(chunk_size=CHUNK):
        point = _point(lon, lat)
        if point is None:
            log.warning("map: enterprise %s has no drawable position; left out", pk)
            continue
        yield {"type": "Feature", "id": pk, "geometry": point,
               "properties": {"name": name, "industry": industry_id, "township": township_id}}


def _place_features(user, filters: dict, viewport=None) -> Iterator[dict]:
    # A line or polygon is in the view when its representative point is (lon/lat, indexed).
    places = views_of.within(list_records(user, "places", filters=filters).using(read_alias()), viewport)
    # Most places are points: their position is in lon/lat already, so their stored geometry
    # is not read (and JSON-decoded) at all; lines and polygons come in a second query.
    is_point = Q(geometry__type="Point")
    points = places.filter(is_point).values_list("id", "name", "lon", "lat", "place_type", "township_id")
    for pk, name, lon, lat, place_type, township_id in points.iterator(chunk_size=CHUNK):
        point = _point(lon, lat)
        if point is None:
            log.warning("map: place %s has no drawable position; left out", pk)
            continue
        yield {"type": "Feature", "id": pk, "geometry": point,
               "properties": {"name": name, "type": place_type, "township": township_id}}
    shapes = places.exclude(is_point).values_list("id", "name", "geometry", "lon", "lat", "place_type", "township_id")
    for pk, name, geometry, lon, lat, place_type, township_id in shapes.iterator(chunk_size=CHUNK):
        drawn = _drawable_shape(pk, geometry, lon, lat)
        if drawn is None:
            log.warning("map: place %s has neither a drawable geometry nor a position; left out", pk)
            continue
        yield {"type": "Feature", "id": pk, "geometry": drawn,
               "properties": {"name": name, "type": place_type, "township": township_id}}


def _lookups(user, layer: str) -> dict:
    """Names for the ids the features carry, sent once per layer instead of once per feature."""
    townships = dict(list_records(user, "areas", filters={"level": Area.Level.TOWNSHIP}).values_list("id", "name"))
    if layer == "enterprises":
        return {"townships": townships, "industries": dict(list_records(user, "industries").values_list("id", "name"))}
    return {"townships": townships, "types": {str(value): str(label) for value, label in PlaceType.choices}}


def _clusters(user, layer: str, filters: dict, viewport) -> list:
    """Per-cell counts of the caller's rows in the view; places folded into their map family."""
    if layer == "enterprises":
        return views_of.cell_counts(list_records(user, "enterprises", filters=filters).using(read_alias()), viewport)
    return views_of.cell_counts(list_records(user, "places", filters=filters).using(read_alias()), viewport,
                                key="place_type", group_of=family_of)


def point_layer_chunks(user, layer: str, filters: dict, viewport=None) -> Iterator[str]:
    """A FeatureCollection as text pieces of up to CHUNK features. Townships outside the
    caller's areas (an enterprise officer's place in a neighbouring township, say) still carry
    their id; the name map covers only what the caller may list.

    With a viewport: clusters (one piece) when the view is zoomed out and holds more than
    FEATURE_LIMIT rows, else the rows inside the view (at most MAX_FEATURES, `truncated` set
    when cut)."""
    if viewport is not None and not views_of.is_detailed(viewport):
        clusters = _clusters(user, layer, filters, viewport)
        if views_of.wants_clusters(clusters):
            head = {"type": "FeatureCollection", "layer": layer, **views_of.view_properties(viewport, "clusters"),
                    "total": views_of.total(clusters)}
            yield _dumps({**head, "features": [views_of.cluster_feature(c) for c in clusters]})
            return
    features = (_enterprise_features(user, filters, viewport) if layer == "enterprises"
                else _place_features(user, filters, viewport))
    limit = views_of.MAX_FEATURES if viewport is not None else None
    if limit is not None:
        features = islice(features, limit + 1)
    # Build the first query now, so a bad filter fails before the response starts.
    first = next(features, None)
    head = {"type": "FeatureCollection", "layer": layer, **views_of.view_properties(viewport, "features"),
            **_lookups(user, layer)}
    yield _dumps(head)[:-1] + ',"features":['
    batch = [first] if first is not None else []
    separator = ""
    sent = len(batch)
    truncated = False
    for feature in features:
        if limit is not None and sent >= limit:
            truncated = True
            break
        batch.append(feature)
        sent += 1
        if len(batch) >= CHUNK:
            yield separator + _dumps(batch)[1:-1]
            separator, batch = ",", []
    tail = ']' + (',"truncated":true' if truncated else "") + "}"
    yield (separator + _dumps(batch)[1:-1] if batch else "") + tail
