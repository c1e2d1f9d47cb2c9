"""Coordinate systems a user may paste from: GCJ-02 ("Mars coordinates", the obfuscated datum of
Chinese web maps such as 高德 and 腾讯) to WGS-84, which the platform stores. Through `prcoords`
(public-domain rectification) — the same library the registry import uses (registry/io/gcj02.py);
this copy sits in kernels so core's page forms can use it without importing an app."""
import prcoords

WGS84 = "wgs84"
GCJ02 = "gcj02"


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    # The iterative ("bored") inverse is accurate to ~1e-9° instead of ~1 m. check_china=False:
    # a point outside China is left to the geometry check to refuse in words.
    wgs = prcoords.gcj_wgs_bored(prcoords.Coords(lat=float(lat), lon=float(lon)), False)
    return wgs.lon, wgs.lat


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _positions_to_wgs84(coords, depth: int = 0):
    # Only lists are walked, at most as deep as GeoJSON nests (MultiPolygon: 4): a string
    # would otherwise recurse character by character for ever.
    if not isinstance(coords, list) or depth > 4:
        raise TypeError("not a GeoJSON coordinate array")
    if coords and _is_number(coords[0]):
        if len(coords) < 2 or not _is_number(coords[1]):
            raise TypeError("not a position")
        lon, lat = gcj02_to_wgs84(coords[0], coords[1])
        return [lon, lat, *coords[2:]]
    return [_positions_to_wgs84(part, depth + 1) for part in coords]


def geometry_gcj02_to_wgs84(geometry):
    """Every position of a GeoJSON geometry converted; anything malformed is returned unchanged so
    that the geometry check (kernels.geometry) names the real problem."""
    if not isinstance(geometry, dict) or not isinstance(geometry.get("coordinates"), list):
        return geometry
    try:
        return {**geometry, "coordinates": _positions_to_wgs84(geometry["coordinates"])}
    except (TypeError, ValueError, IndexError):
        return geometry
