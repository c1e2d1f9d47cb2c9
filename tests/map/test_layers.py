"""The registry map's layer endpoints: each role sees exactly its scope, filters narrow,
bad input is named, and the big point layers cost a fixed number of queries."""
import gzip
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from shapely.geometry import shape

from citysafe.registry.models import Area, Enterprise, Place


def fetch(user, layer, **params):
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(f"/map/layers/{layer}.geojson", params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response, json.loads(body)


def ids(collection):
    return {feature["id"] for feature in collection["features"]}


def live_enterprises(**lookup):
    return set(Enterprise.objects.filter(archived_at__isnull=True, **lookup).values_list("id", flat=True))


def live_places(**lookup):
    return set(Place.objects.filter(archived_at__isnull=True, **lookup).values_list("id", flat=True))


def test_township_officer_sees_only_its_township_on_every_layer(world):
    officer, township = world.township_officer, world.township_a
    assert ids(fetch(officer, "townships")[1]) == {township.id}
    villages = fetch(officer, "villages")[1]
    assert ids(villages) == set(Area.objects.filter(level="village", township=township).values_list("id", flat=True))
    grids = fetch(officer, "grids")[1]
    assert ids(grids) == set(Area.objects.filter(level="grid", township=township).values_list("id", flat=True))
    enterprises = fetch(officer, "enterprises")[1]
    assert ids(enterprises) == live_enterprises(township=township)
    assert world.enterprise_in_b.id not in ids(enterprises)
    places = fetch(officer, "places")[1]
    assert ids(places) == live_places(township=township)
    assert {f["properties"]["township"] for f in places["features"]} == {township.id}


def test_other_township_enterprise_is_absent_even_when_filtered_for(world):
    _, data = fetch(world.township_officer, "enterprises", township=world.township_b.id)
    assert data["features"] == []


def test_grid_worker_sees_its_grids_and_what_lies_in_them(world):
    worker, grid = world.grid_worker, world.grid
    assert ids(fetch(worker, "grids")[1]) == {grid.id}
    assert ids(fetch(worker, "townships")[1]) == set()
    assert ids(fetch(worker, "enterprises")[1]) == live_enterprises(grid=grid)
    assert ids(fetch(worker, "places")[1]) == live_places(grid=grid)


def test_enterprise_officer_sees_only_its_own_enterprise_and_places(world):
    officer, enterprise = world.enterprise_officer, world.enterprise
    assert ids(fetch(officer, "enterprises")[1]) == {enterprise.id}
    assert ids(fetch(officer, "places")[1]) == live_places(owner_enterprise=enterprise)
    assert ids(fetch(officer, "townships")[1]) == {enterprise.township_id}


def test_admin_sees_the_whole_county_with_names_for_the_popups(world):
    response, data = fetch(world.admin, "enterprises")
    assert response["Content-Type"] == "application/geo+json"
    assert response["Cache-Control"] == "private, no-cache"
    assert ids(data) == live_enterprises()
    feature = next(f for f in data["features"] if f["id"] == world.enterprise_in_a.id)
    assert feature["properties"]["name"] == world.enterprise_in_a.name
    assert data["townships"][str(world.township_a.id)] == world.township_a.name
    assert data["industries"][str(world.enterprise_in_a.industry_id)] == world.enterprise_in_a.industry.name
    lon, lat = feature["geometry"]["coordinates"]
    assert (lon, lat) == (round(world.enterprise_in_a.lon, 6), round(world.enterprise_in_a.lat, 6))


def test_places_keep_their_lines_and_polygons(world):
    _, data = fetch(world.admin, "places")
    assert ids(data) == live_places()
    kinds = {f["geometry"]["type"] for f in data["features"]}
    assert {"Point", "LineString", "Polygon"} <= kinds
    stored = dict(Place.objects.values_list("id", "geometry"))
    for feature in data["features"]:
        assert feature["geometry"]["type"] == stored[feature["id"]]["type"]


def test_filters_narrow_points_by_township_industry_and_place_type(world):
    admin, township = world.admin, world.township_a
    assert ids(fetch(admin, "enterprises", township=township.id)[1]) == live_enterprises(township=township)
    industry = world.enterprise_in_a.industry_id
    assert ids(fetch(admin, "enterprises", industry=industry)[1]) == live_enterprises(industry_id=industry)
    assert ids(fetch(admin, "places", type="school")[1]) == live_places(place_type="school")
    assert ids(fetch(admin, "grids", township=township.id)[1]) == set(
        Area.objects.filter(level="grid", township=township).values_list("id", flat=True))


@pytest.mark.parametrize("params, field", [
    ({"township": "abc"}, "township"), ({"township": "²"}, "township"), ({"township": "9" * 30}, "township"),
    ({"industry": "1;drop"}, "industry"), ({"type": "castle"}, "type"),
])
def test_bad_filter_values_are_named_with_422(world, params, field):
    response, data = fetch(world.admin, "places", **params)
    assert response.status_code == 422
    assert data["detail"][0]["field"] == field
    assert data["detail"][0]["message"]


def test_unknown_layer_is_404_and_anonymous_gets_401(world):
    client = Client()
    client.force_login(world.admin)
    assert client.get("/map/layers/persons.geojson").status_code == 404
    response = Client().get("/map/layers/enterprises.geojson")
    assert response.status_code == 401


def test_map_page_needs_login_and_offers_only_scoped_townships(world):
    assert Client().get("/map/").status_code == 302
    client = Client()
    client.force_login(world.township_officer)
    response = client.get("/map/")
    assert response.status_code == 200
    townships = response.context["options"]["townships"]
    assert townships == [(world.township_a.id, world.township_a.name)]
    config = response.context["map_config"]
    assert config["layers"]["enterprises"] == "/map/layers/enterprises.geojson"
    assert config["detail"]["enterprise"] == "/registry/enterprises/{id}/"
    assert "registry-map-config" in response.content.decode()


@pytest.mark.parametrize("layer, role, queries", [
    # session, user, [organisation], township names, [industry names], the rows (places: points + shapes);
    # the admin also reads the deployment's counties (core.scope: one county → no condition)
    ("enterprises", "admin", 6),
    ("places", "admin", 6),
    ("enterprises", "township", 6),
    ("places", "township", 6),
])
def test_point_layers_cost_a_fixed_number_of_queries(world, django_assert_num_queries, layer, role, queries):
    user = world.role_users()[role]
    client = Client()
    client.force_login(user)
    with django_assert_num_queries(queries):
        response = client.get(f"/map/layers/{layer}.geojson")
        body = b"".join(response.streaming_content)
    assert len(json.loads(body)["features"]) > 20


def test_outlines_are_simplified_valid_and_cached_per_area_version(world, django_assert_num_queries):
    cache.clear()
    client = Client()
    client.force_login(world.admin)
    # session, user, the deployment's counties (core.scope), areas, their stored geometry
    with django_assert_num_queries(5):
        first = json.loads(client.get("/map/layers/villages.geojson").content)
    with django_assert_num_queries(4):  # the outlines come from the cache
        again = json.loads(client.get("/map/layers/villages.geojson").content)
    assert again == first
    stored = dict(Area.objects.filter(level="village").values_list("id", "geometry"))
    for feature in first["features"]:
        outline, original = shape(feature["geometry"]), shape(stored[feature["id"]])
        assert outline.is_valid
        assert len(outline.exterior.coords) <= len(original.exterior.coords)
        assert outline.symmetric_difference(original).area < 0.02 * original.area
    # Saving an area gives it a new version: the layer is computed afresh.
    village = Area.objects.filter(level="village").first()
    Area.objects.filter(pk=village.pk).update(updated_at=timezone.now())
    with django_assert_num_queries(5):
        client.get("/map/layers/villages.geojson")
