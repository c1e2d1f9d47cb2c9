"""Geometry checks over GeoJSON, pure shapely. Errors are rule codes; callers word them."""
from dataclasses import dataclass

from shapely import make_valid
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

POINT_TYPES = {"Point"}
LINE_TYPES = {"LineString", "MultiLineString"}
POLYGON_TYPES = {"Polygon", "MultiPolygon"}
ANY_TYPES = POINT_TYPES | LINE_TYPES | POLYGON_TYPES


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


def parse_geometry(geojson: dict, allowed_types: set[str] = ANY_TYPES) -> BaseGeometry:
    """Parse a GeoJSON geometry object and check shape, coordinate range and validity."""
    if not isinstance(geojson, dict) or "type" not in geojson:
        raise GeometryProblem("not_geojson")
    if geojson["type"] not in allowed_types:
        raise GeometryProblem("type", geojson.get("type", ""))
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
    return geom


def envelope(geom: BaseGeometry) -> Envelope:
    return Envelope(*geom.bounds)


def is_within_boundary(geom: BaseGeometry, boundary: BaseGeometry, tolerance_deg: float = 1e-6) -> bool:
    """True when geom lies inside boundary (with a hair of tolerance for shared edges)."""
    return boundary.buffer(tolerance_deg).covers(geom)


def repair(geom: BaseGeometry) -> BaseGeometry:
    return make_valid(geom)
