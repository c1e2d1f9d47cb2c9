"""GeoJSON exports a GIS desk can use: Chinese labels beside the codes, polygons wound as
RFC 7946 asks, and one file per geometry type, which GDAL (through pyogrio) writes to a Shapefile."""
import json

import pytest
from django.test import Client
from shapely.geometry import shape

from citysafe.registry.io.export import geojson_chunks
from citysafe.registry.models import Area, Enterprise, PlaceType


def features(user, resource, **options) -> list[dict]:
    return json.loads("".join(geojson_chunks(user, resource, **options)))["features"]


def test_geojson_properties_carry_chinese_labels_beside_codes(world):
    enterprise = next(f["properties"] for f in features(world.admin, "enterprises"))
    stored = Enterprise.objects.get(uscc=enterprise["uscc"])
    assert enterprise["scale"] == stored.scale and enterprise["scale_label"] == stored.get_scale_display()
    assert enterprise["operating_status_label"] == stored.get_operating_status_display()
    assert enterprise["industry_code"] == stored.industry.code and enterprise["industry_name"] == stored.industry.name
    place = next(f["properties"] for f in features(world.admin, "places"))
    assert place["place_type_label"] == PlaceType(place["place_type"]).label != place["place_type"]


def test_polygon_exterior_rings_run_counter_clockwise(world):
    area = Area.objects.filter(level="grid").exclude(geometry=None).order_by("id").first()
    ring = shape(area.geometry).exterior
    clockwise = list(reversed(ring.coords)) if ring.is_ccw else list(ring.coords)
    Area.objects.filter(pk=area.pk).update(geometry={"type": "Polygon", "coordinates": [clockwise]})
    exported = next(f for f in features(world.admin, "areas") if f["properties"]["code"] == area.code)
    assert shape(exported["geometry"]).exterior.is_ccw


def test_places_export_per_geometry_type(world):
    by_type = {kind: {f["geometry"]["type"] for f in features(world.admin, "places", geometry_type=kind)}
               for kind in ("point", "line", "polygon")}
    assert by_type["point"] <= {"Point", "MultiPoint"} and by_type["line"] <= {"LineString", "MultiLineString"}
    assert by_type["polygon"] <= {"Polygon", "MultiPolygon"}
    total = len(features(world.admin, "places"))
    assert sum(len(features(world.admin, "places", geometry_type=k)) for k in by_type) == total


def test_list_page_offers_one_geojson_link_per_geometry_type_for_places(world):
    client = Client()
    client.force_login(world.admin)
    html = client.get("/registry/places/").content.decode()
    for kind in ("point", "line", "polygon"):
        assert f"geometry_type={kind}" in html
    response = client.get("/io/export/places/", {"format": "geojson", "geometry_type": "line"})
    body = json.loads(b"".join(response.streaming_content))
    assert {f["geometry"]["type"] for f in body["features"]} <= {"LineString", "MultiLineString"}
    assert client.get("/io/export/places/", {"format": "geojson", "geometry_type": "circle"}).status_code == 422


@pytest.mark.slow
@pytest.mark.parametrize("geometry_type", ["point", "line", "polygon"])
def test_gdal_writes_each_per_type_export_to_a_shapefile(world, tmp_path, geometry_type):
    raw = pytest.importorskip("pyogrio.raw")
    source = tmp_path / f"places-{geometry_type}.geojson"
    source.write_text("".join(geojson_chunks(world.admin, "places", geometry_type=geometry_type)), encoding="utf-8")
    meta, _fids, geometry, fields = raw.read(source)
    if len(geometry) == 0:
        pytest.skip(f"the demo county has no {geometry_type} places")
    target = tmp_path / f"places-{geometry_type}.shp"
    raw.write(target, geometry, fields, fields=meta["fields"], crs="EPSG:4326", geometry_type=meta["geometry_type"],
              driver="ESRI Shapefile", encoding="UTF-8")
    back_meta, _fids, back_geometry, back_fields = raw.read(target)
    assert len(back_geometry) == len(geometry)
    # dBase names are cut to 10 characters, but the Chinese labels survive as values
    labels = {str(value) for column in back_fields for value in column}
    assert {str(label) for _value, label in PlaceType.choices} & labels
