"""The county outline that bounds every location comes from a provider an app registers (the
registry: its county Area), with the outline file of the settings as the fallback."""
from shapely.geometry import Point

from citysafe.core import validation
from citysafe.registry.boundary import county_outline
from citysafe.registry.models import Area

FAR_AWAY = Point(116.4, 39.9)  # Beijing: outside the county


def test_the_registry_provides_the_county_outline_and_the_file_is_the_fallback(world, settings):
    assert county_outline in validation._BOUNDARY_PROVIDERS  # registered in RegistryConfig.ready()
    county = Area.objects.get(level=Area.Level.COUNTY)
    inside = Point(*_a_point_in(world.grid))
    assert validation.county_boundary().covers(inside)

    # An edited outline takes effect at once: a small square far away is now the county.
    square = {"type": "Polygon", "coordinates": [[[116, 39.5], [117, 39.5], [117, 40.5], [116, 40.5], [116, 39.5]]]}
    county.geometry = square
    county.save()
    assert validation.county_boundary().covers(FAR_AWAY)
    assert not validation.county_boundary().covers(inside)

    # Without a county area, the outline file of the settings; without that, nothing bounds.
    Area.objects.filter(pk=county.pk).update(geometry=None)
    assert validation.county_boundary().covers(inside) and not validation.county_boundary().covers(FAR_AWAY)
    settings.COUNTY_OUTLINE_PATH = None
    assert validation.county_boundary() is None


def _a_point_in(area):
    from shapely.geometry import shape

    point = shape(area.geometry).representative_point()
    return point.x, point.y
