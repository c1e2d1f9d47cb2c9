import pyproj
import pytest
from shapely.geometry import shape

from citysafe.registry.models import Place

GEOD = pyproj.Geod(ellps="WGS84")


class SitingWorld:
    """A gas station in township A and helpers to put sites at measured distances from it
    (geodesic metres, pyproj.Geod)."""

    def __init__(self, world):
        self.world = world
        township = world.township_a
        inside = shape(township.geometry).representative_point()
        self.origin = (inside.x, inside.y)
        self.station = self.place("测试加油站", "gas_station", self.origin)

    def at(self, metres: float, azimuth: float = 90.0, origin=None) -> tuple[float, float]:
        lon, lat = origin or self.origin
        lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth, metres)
        return lon2, lat2

    def place(self, name, place_type, lonlat, township=None, **extra):
        lon, lat = lonlat
        return Place.objects.create(name=name, place_type=place_type, lon=lon, lat=lat,
                                    geometry={"type": "Point", "coordinates": [lon, lat]},
                                    township=township or self.world.township_a, **extra)


@pytest.fixture
def sw(world):
    return SitingWorld(world)
