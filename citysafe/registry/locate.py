"""Which grid / township a point lies in, from the area polygons in the database."""
from shapely.geometry import Point, shape

from citysafe.registry.models import Area


def locate_area(lon: float, lat: float, level: str = Area.Level.GRID) -> Area | None:
    """The active area of `level` whose polygon covers the point (bounding-box prefilter in SQL)."""
    candidates = Area.objects.filter(
        level=level, archived_at__isnull=True,
        min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat,
    ).only("id", "geometry", "township_id", "parent_id", "level").order_by("id")  # shared edges: the lowest id
    point = Point(lon, lat)
    for area in candidates:
        if area.geometry and shape(area.geometry).covers(point):
            return area
    return None
