"""Geometry checks over GeoJSON, pure shapely. Errors are rule codes; callers word them.

`check_structure` reads the GeoJSON object itself before shapely sees it, because shapely (through
numpy) is lenient where a stored record must not be: it turns the strings "103.5" and True into
numbers, closes an open ring on its own, ignores unknown members and has no size limit. Written by
hand because no maintained library checks GeoJSON (RFC 7946) to this letter without its own
parser; it walks exactly the depth each type has, so a deeply nested body costs nothing.
"""
import math
from dataclasses import dataclass

from shapely import make_valid
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

POINT_TYPES = {"Point"}
LINE_TYPES = {"LineString", "MultiLineString"}
POLYGON_TYPES = {"Polygon", "MultiPolygon"}
ANY_TYPES = POINT_TYPES | LINE_TYPES | POLYGON_TYPES

# How many array levels lie above a position, per type (a Point's coordinates are a position).
POSITION_DEPTH = {"Point": 0, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
# Members a geometry object may carry. RFC 7946 allows `bbox` (section 5); it is accepted when
# well formed and holding the geometry. Every other member (foreign members such as `crs`,
# `properties`, `id`) is refused: a stored geometry is exactly what the map and exports draw.
GEOMETRY_MEMBERS = frozenset({"type", "coordinates", "bbox"})
DEFAULT_MAX_VERTICES = 20_000


class GeometryProblem(ValueError):
    def __init__(self, rule: str, detail: str = ""):
        super().__init__(f"{rule}: {detail}" if detail else rule)
        self.rule = rule
        self.detail = detail


@dataclass(frozen=True)
class Envelope:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def is_lon_lat(lon: float, lat: float) -> bool:
    return -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0


def is_json_number(value) -> bool:
    """A finite JSON number: int or float, never a bool (a JSON `true` is not 1), never NaN/inf."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_array(value) -> bool:
    # Python callers (Shapefile readers, shapely's mapping) hand over tuples; JSON gives lists.
    return isinstance(value, (list, tuple))


class _Walk:
    """One pass over the coordinates: shape per type, numbers, ranges, rings, vertex count."""

    def __init__(self, max_vertices: int):
        self.max_vertices = max_vertices
        self.vertices = 0

    def position(self, value, path: str) -> None:
        if not _is_array(value):
            raise GeometryProblem("nesting", path)
        if value and _is_array(value[0]):
            raise GeometryProblem("nesting", path)
        if len(value) not in (2, 3):
            raise GeometryProblem("position", path)
        for index, number in enumerate(value):
            if not is_json_number(number):
                raise GeometryProblem("coordinate_type", f"{path}[{index}]")
        if not is_lon_lat(value[0], value[1]):
            raise GeometryProblem("range", path)
        self.vertices += 1
        if self.vertices > self.max_vertices:
            raise GeometryProblem("too_many_vertices", str(self.max_vertices))

    def positions(self, value, path: str, minimum: int, ring: bool) -> None:
        if not _is_array(value) or (value and not _is_array(value[0])):
            raise GeometryProblem("nesting", path)
        if len(value) > self.max_vertices:
            raise GeometryProblem("too_many_vertices", str(self.max_vertices))
        for index, item in enumerate(value):
            self.position(item, f"{path}[{index}]")
        if len(value) < minimum:
            raise GeometryProblem("too_few_positions", path)
        if ring and list(value[0]) != list(value[-1]):
            raise GeometryProblem("ring_not_closed", path)

    def parts(self, value, path: str, each) -> None:
        if not _is_array(value):
            raise GeometryProblem("nesting", path)
        if not value:
            raise GeometryProblem("empty", path)
        for index, item in enumerate(value):
            each(item, f"{path}[{index}]")

    def polygon(self, value, path: str) -> None:
        self.parts(value, path, lambda ring, where: self.positions(ring, where, 4, ring=True))

    def line(self, value, path: str) -> None:
        self.positions(value, path, 2, ring=False)


def check_structure(geojson, allowed_types: set[str] = ANY_TYPES,
                    max_vertices: int = DEFAULT_MAX_VERTICES) -> None:
    """RFC 7946 geometry object, to the letter: members, nesting per type, positions of 2 or 3
    finite numbers in lon/lat range, lines of 2+ positions, closed rings of 4+, a vertex limit."""
    if not isinstance(geojson, dict) or "type" not in geojson:
        raise GeometryProblem("not_geojson")
    kind = geojson["type"]
    if not isinstance(kind, str) or kind not in allowed_types or kind not in POSITION_DEPTH:
        raise GeometryProblem("type", kind if isinstance(kind, str) else "")
    extra = sorted(str(name) for name in geojson if name not in GEOMETRY_MEMBERS)
    if extra:
        raise GeometryProblem("members", ", ".join(extra)[:200])
    if "coordinates" not in geojson:
        raise GeometryProblem("not_geojson")
    coordinates = geojson["coordinates"]
    walk = _Walk(max_vertices)
    path = "coordinates"
    if kind == "Point":
        walk.position(coordinates, path)
    elif kind == "LineString":
        walk.line(coordinates, path)
    elif kind == "MultiLineString":
        walk.parts(coordinates, path, walk.line)
    elif kind == "Polygon":
        walk.polygon(coordinates, path)
    else:
        walk.parts(coordinates, path, walk.polygon)
    if "bbox" in geojson:
        _check_bbox(geojson["bbox"])


def _check_bbox(bbox) -> None:
    if not _is_array(bbox) or len(bbox) not in (4, 6) or not all(is_json_number(v) for v in bbox):
        raise GeometryProblem("bbox")
    half = len(bbox) // 2
    if any(bbox[i] > bbox[i + half] for i in range(half)):
        raise GeometryProblem("bbox")


def _bbox_holds(bbox, geom: BaseGeometry, tolerance: float = 1e-9) -> bool:
    half = len(bbox) // 2
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    return (bbox[0] - tolerance <= min_lon and bbox[1] - tolerance <= min_lat
            and max_lon <= bbox[half] + tolerance and max_lat <= bbox[half + 1] + tolerance)


def parse_geometry(geojson: dict, allowed_types: set[str] = ANY_TYPES,
                   max_vertices: int = DEFAULT_MAX_VERTICES) -> BaseGeometry:
    """Parse a GeoJSON geometry object and check structure, coordinate range and validity."""
    check_structure(geojson, allowed_types, max_vertices)
    try:
        geom = shape(geojson)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise GeometryProblem("coordinates", str(exc)) from exc
    if geom.is_empty:
        raise GeometryProblem("empty")
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not (is_lon_lat(min_lon, min_lat) and is_lon_lat(max_lon, max_lat)):
        raise GeometryProblem("range")
    if not geom.is_valid:
        raise GeometryProblem("invalid", explain_validity(geom))
    if "bbox" in geojson and not _bbox_holds(geojson["bbox"], geom):
        raise GeometryProblem("bbox")
    return geom


def envelope(geom: BaseGeometry) -> Envelope:
    return Envelope(*geom.bounds)


def is_within_boundary(geom: BaseGeometry, boundary: BaseGeometry, tolerance_deg: float = 1e-6) -> bool:
    """True when geom lies inside boundary (with a hair of tolerance for shared edges)."""
    return boundary.buffer(tolerance_deg).covers(geom)


def repair(geom: BaseGeometry) -> BaseGeometry:
    return make_valid(geom)
