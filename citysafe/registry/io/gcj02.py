"""GCJ-02 ("Mars coordinates", used by Chinese web maps) to WGS84, through `prcoords`
(public-domain rectification). The platform stores WGS84/CGCS2000 only; this is applied
on import when a file declares its coordinates GCJ-02."""
import prcoords


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    # The iterative ("bored") inverse is accurate to ~1e-9 degrees instead of ~1 m.
    # check_china=False: points outside China are left to the geometry check to reject.
    wgs = prcoords.gcj_wgs_bored(prcoords.Coords(lat=float(lat), lon=float(lon)), False)
    return wgs.lon, wgs.lat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    gcj = prcoords.wgs_gcj(prcoords.Coords(lat=float(lat), lon=float(lon)), False)
    return gcj.lon, gcj.lat


def _convert(coords):
    if coords and isinstance(coords[0], (int, float)):
        lon, lat = gcj02_to_wgs84(coords[0], coords[1])
        return [lon, lat, *coords[2:]]
    return [_convert(part) for part in coords]


def geometry_gcj02_to_wgs84(geometry: dict) -> dict:
    """Every position of a GeoJSON geometry converted; anything malformed is returned as is
    so that the geometry check names the real problem."""
    if not isinstance(geometry, dict) or "coordinates" not in geometry:
        return geometry
    try:
        return {**geometry, "coordinates": _convert(geometry["coordinates"])}
    except (TypeError, ValueError, IndexError):
        return geometry
