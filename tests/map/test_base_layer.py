"""The map's base layer: county outline, water clipped to the county, township names and seats,
scoped like the townships layer; and every place type in exactly one family."""
import json

from django.conf import settings
from django.test import Client
from shapely.geometry import box, shape

from citysafe.registry.map.base import MARGIN
from citysafe.registry.map.families import FAMILIES, family_of
from citysafe.registry.models import Area, PlaceType


def fetch_base(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get("/map/layers/base.geojson")


def features(response, kind):
    return [f for f in json.loads(response.content)["features"] if f["properties"]["kind"] == kind]


def county_frame():
    with open(settings.COUNTY_OUTLINE_PATH, encoding="utf-8") as handle:
        data = json.load(handle)
    minx, miny, maxx, maxy = shape(data["features"][0]["geometry"]).bounds
    return box(minx - MARGIN, miny - MARGIN, maxx + MARGIN, maxy + MARGIN)


def test_base_layer_holds_the_yellow_river_clipped_to_the_county_area(world):
    response = fetch_base(world.admin)
    assert response.status_code == 200
    rivers = features(response, "river")
    assert any("Huang" in f["properties"]["name"] or "Yellow" in f["properties"]["name"] for f in rivers)
    frame = county_frame().buffer(1e-6)
    for river in rivers:
        assert frame.contains(shape(river["geometry"]))
    assert len(features(response, "county")) == 1


def test_base_layer_names_every_township_with_a_seat_inside_its_outline(world):
    response = fetch_base(world.admin)
    outlines = {f["properties"]["id"]: f for f in features(response, "township")}
    seats = {f["properties"]["id"]: f for f in features(response, "seat")}
    townships = dict(Area.objects.filter(level=Area.Level.TOWNSHIP).values_list("id", "name"))
    assert {pk: f["properties"]["name"] for pk, f in outlines.items()} == townships
    assert set(seats) == set(townships)
    for pk, seat in seats.items():
        assert shape(outlines[pk]["geometry"]).buffer(1e-5).contains(shape(seat["geometry"]))


def test_township_officer_base_layer_holds_only_its_own_township(world):
    response = fetch_base(world.township_officer)
    assert {f["properties"]["id"] for f in features(response, "township")} == {world.township_a.id}
    assert features(response, "river")


def test_base_layer_asks_a_stranger_to_log_in(db):
    assert fetch_base(None).status_code == 401


def test_every_place_type_belongs_to_exactly_one_family():
    for value in PlaceType.values:
        owners = [key for key, _label, _colour, _shape, types in FAMILIES if value in types]
        assert owners == [family_of(value)], value


def test_families_have_distinct_colours():
    colours = [colour for _key, _label, colour, _shape, _types in FAMILIES]
    assert len(set(colours)) == len(colours)
