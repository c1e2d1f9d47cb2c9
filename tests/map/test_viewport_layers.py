"""Map layers that scale (issue 19): asked with bbox + zoom, a point layer answers for that view
only — clusters (counts per cell, through the same scope path) when zoomed out over many rows,
the rows themselves when zoomed in — and refuses a bad bbox or zoom with a named 422."""
import gzip
import json

import pytest
from django.test import Client

from citysafe.registry.models import Enterprise, Place

COUNTY = "102.9,35.3,103.9,35.95"  # the demo county and its margin
ZOOMS = range(6, 19)


def fetch(user, layer, **params):
    client = Client()
    client.force_login(user)
    response = client.get(f"/map/layers/{layer}.geojson", params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response, json.loads(body)


def live(model, **lookup):
    return model.objects.filter(archived_at__isnull=True, **lookup)


def in_box(queryset, bbox):
    west, south, east, north = (float(v) for v in bbox.split(","))
    return queryset.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)


@pytest.fixture
def always_cluster(settings):
    # The small demo county has a few hundred rows: cluster whenever a view is zoomed out.
    settings.MAP_FEATURE_LIMIT = 0


def test_county_view_of_places_is_clusters_that_count_every_place(world, always_cluster):
    response, data = fetch(world.admin, "places", bbox=COUNTY, zoom=10)
    assert response.status_code == 200
    assert data["mode"] == "clusters"
    assert all(f["properties"]["cluster"] for f in data["features"])
    assert sum(f["properties"]["count"] for f in data["features"]) == in_box(live(Place), COUNTY).count()
    assert data["total"] == in_box(live(Place), COUNTY).count()
    # One cluster per cell and map family: the family colours the bubble on the page.
    assert {f["properties"]["group"] for f in data["features"]} <= {
        "crowded", "hazard", "transport", "water", "urban", "business", "other"}
    assert len(data["features"]) < in_box(live(Place), COUNTY).count()


def test_township_officers_clusters_count_only_its_own_rows(world, always_cluster):
    officer, township = world.township_officer, world.township_a
    for layer, model in (("places", Place), ("enterprises", Enterprise)):
        _, data = fetch(officer, layer, bbox=COUNTY, zoom=9)
        assert data["mode"] == "clusters"
        counted = sum(f["properties"]["count"] for f in data["features"])
        assert counted == in_box(live(model, township=township), COUNTY).count()
        assert counted < in_box(live(model), COUNTY).count()


def test_no_out_of_scope_feature_appears_at_any_zoom(world, always_cluster):
    officer, township = world.township_officer, world.township_a
    own = {"places": set(live(Place, township=township).values_list("id", flat=True)),
           "enterprises": set(live(Enterprise, township=township).values_list("id", flat=True))}
    for layer, model in (("places", Place), ("enterprises", Enterprise)):
        others = live(model).exclude(township=township)
        assert others.exists()
        for zoom in ZOOMS:
            _, data = fetch(officer, layer, bbox=COUNTY, zoom=zoom)
            if data["mode"] == "features":
                assert {f["id"] for f in data["features"]} <= own[layer]
            else:
                assert sum(f["properties"]["count"] for f in data["features"]) == len(
                    in_box(live(model, township=township), COUNTY))
        # Around a row of another township, closely: nothing of it, at any zoom.
        other = others.order_by("id").first()
        tight = f"{other.lon - 0.0005},{other.lat - 0.0005},{other.lon + 0.0005},{other.lat + 0.0005}"
        for zoom in ZOOMS:
            _, data = fetch(officer, layer, bbox=tight, zoom=zoom)
            shown = {f["id"] for f in data["features"] if "id" in f}
            assert other.id not in shown
            counted = sum(f["properties"].get("count", 0) for f in data["features"])
            assert counted == in_box(live(model, township=township), tight).count()


def test_zoomed_in_the_rows_in_the_box_are_sent_and_nothing_outside(world, always_cluster):
    place = live(Place, geometry__type="Point").order_by("id").first()
    box = f"{place.lon - 0.01},{place.lat - 0.01},{place.lon + 0.01},{place.lat + 0.01}"
    _, data = fetch(world.admin, "places", bbox=box, zoom=16)
    assert data["mode"] == "features"
    assert data["zoom"] == 16
    assert {f["id"] for f in data["features"]} == set(in_box(live(Place), box).values_list("id", flat=True))
    assert place.id in {f["id"] for f in data["features"]}
    assert data["types"] and data["townships"]  # popups still get their names


def test_a_sparse_view_gets_rows_even_zoomed_out(world):
    enterprise = world.enterprise_in_a
    box = f"{enterprise.lon - 0.001},{enterprise.lat - 0.001},{enterprise.lon + 0.001},{enterprise.lat + 0.001}"
    _, data = fetch(world.admin, "enterprises", bbox=box, zoom=8)
    assert data["mode"] == "features"
    assert enterprise.id in {f["id"] for f in data["features"]}


def test_clusters_follow_the_filters(world, always_cluster):
    _, data = fetch(world.admin, "places", bbox=COUNTY, zoom=10, type="school")
    assert {f["properties"]["group"] for f in data["features"]} == {"crowded"}
    assert sum(f["properties"]["count"] for f in data["features"]) == in_box(
        live(Place, place_type="school"), COUNTY).count()


@pytest.mark.parametrize("params, field", [
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "a,b,c,d", "zoom": "10"}, "bbox"),
    ({"bbox": "103,35,nan,36", "zoom": "10"}, "bbox"),
    ({"bbox": "104,35,103,36", "zoom": "10"}, "bbox"),
    ({"bbox": "103,36,104,35", "zoom": "10"}, "bbox"),
    ({"bbox": "-200,35,104,36", "zoom": "10"}, "bbox"),
    ({"bbox": "103,-95,104,36", "zoom": "10"}, "bbox"),
    ({"bbox": COUNTY}, "zoom"),
    ({"zoom": "10"}, "bbox"),
    ({"bbox": COUNTY, "zoom": "23"}, "zoom"),
    ({"bbox": COUNTY, "zoom": "-1"}, "zoom"),
    ({"bbox": COUNTY, "zoom": "1.5"}, "zoom"),
    ({"bbox": COUNTY, "zoom": "１０"}, "zoom"),
])
def test_bad_bbox_or_zoom_is_a_422_naming_the_field_in_chinese(world, params, field):
    for layer in ("places", "enterprises"):
        response, data = fetch(world.admin, layer, **params)
        assert response.status_code == 422
        detail = data["detail"][0]
        assert detail["loc"] == ["query", field]
        assert detail["field"] == field
        assert field in detail["msg"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in detail["msg"])


@pytest.mark.parametrize("layer, queries", [
    # session, user, the deployment's counties (core.scope), the per-cell counts (places: one
    # GROUP BY over points and shapes alike)
    ("places", 4),
    ("enterprises", 4),
])
def test_a_clustered_view_costs_one_query(world, always_cluster, django_assert_num_queries, layer, queries):
    client = Client()
    client.force_login(world.admin)
    with django_assert_num_queries(queries):
        response = client.get(f"/map/layers/{layer}.geojson", {"bbox": COUNTY, "zoom": 10})
        json.loads(b"".join(response.streaming_content))
