"""A warning's area: a polygon drawn on the map, a circle, or chosen townships/villages/grids.
Checked here once (inside the county, sane radius) and turned into the townships it covers
(scope, CAP geocodes, targeting)."""
import shapely
from django.utils.translation import gettext as _
from shapely.geometry import Point, mapping, shape

from citysafe.core.validation import check_geometry, check_location, county_boundary, field_error
from citysafe.registry.models import Area
from kernels import geometry as geometry_rules

MAX_RADIUS_KM = 200.0


def circle_polygon(lon: float, lat: float, radius_km: float, segments: int = 64):
    """The circle as a lon/lat polygon: buffered in an azimuthal equidistant projection
    centred on it, so the radius is true in kilometres."""
    from pyproj import Transformer

    local = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +units=m +ellps=WGS84"
    forward = Transformer.from_crs("EPSG:4326", local, always_xy=True).transform
    back = Transformer.from_crs(local, "EPSG:4326", always_xy=True).transform
    disc = shapely.transform(Point(lon, lat), forward, interleaved=False).buffer(radius_km * 1000, quad_segs=segments // 4)
    return shapely.transform(disc, back, interleaved=False)


def check_circle(lon, lat, radius_km):
    """The circle's centre in the county and a radius in (0, 200] km; returns the polygon."""
    check_location(lon, lat, field="circle_lon")
    if radius_km is None or isinstance(radius_km, bool) or not isinstance(radius_km, (int, float)) \
            or not 0 < radius_km <= MAX_RADIUS_KM:
        raise field_error("circle_radius_km", _("半径必须大于0且不超过%(max)d公里") % {"max": MAX_RADIUS_KM},
                          "radius_range")
    return circle_polygon(float(lon), float(lat), float(radius_km))


def check_polygon(value):
    """A drawn polygon, inside the county (the error names `geometry`)."""
    return check_geometry(value, field="geometry", allowed=geometry_rules.POLYGON_TYPES)


def townships_covering(geom) -> list[int]:
    """Townships whose outline meets the geometry (more than touching an edge)."""
    found = []
    for pk, outline in Area.objects.filter(level=Area.Level.TOWNSHIP, archived_at__isnull=True,
                                           geometry__isnull=False).values_list("pk", "geometry"):
        township = shape(outline)
        if township.intersects(geom) and township.intersection(geom).area > 0:
            found.append(pk)
    return found


def townships_of_areas(areas) -> list[int]:
    return sorted({a.pk if a.level == Area.Level.TOWNSHIP else a.township_id for a in areas} - {None})


def area_shape(warning):
    """The warning's area as one shapely geometry (polygon, circle, or the chosen areas' union)."""
    from shapely.ops import unary_union

    if warning.area_kind == "polygon" and warning.geometry:
        return shape(warning.geometry)
    if warning.area_kind == "circle" and warning.circle_radius_km:
        return circle_polygon(warning.circle_lon, warning.circle_lat, warning.circle_radius_km)
    outlines = [shape(a.geometry) for a in warning.areas.all() if a.geometry]
    return unary_union(outlines) if outlines else None


def clip_to_county(geom, county: int | None = None):
    """An imported alert's area cut to the county (`county`; None: the deployment's counties
    together), None if it does not reach it."""
    boundary = county_boundary(county)
    if boundary is None:
        return geom
    # A hair inside the outline the services check against, so the cut's vertices (rounded by
    # the overlay) are covered by it.
    outline = boundary.context.buffer(-2e-6)
    if not outline.intersects(geom):
        return None
    clipped = outline.intersection(geom)
    return clipped if clipped.area > 0 else None


def as_geojson(geom) -> dict:
    return mapping(geom)
