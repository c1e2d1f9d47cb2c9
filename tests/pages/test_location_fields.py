"""Location fields of the record forms as a user meets them: an empty GeoJSON box, a clear
"where is it?" message under the numbers, GCJ-02 coordinates pasted from a Chinese web map
stored as WGS-84, and service errors that name fields by their Chinese labels."""
import html
import json
import math
import re

from django.urls import reverse

from citysafe.registry.models import Area, Enterprise, Place
from kernels.codes import uscc_check_character

# ---- GCJ-02, written here from the published formula (Krasovsky 1940 ellipsoid), independently
# of the `prcoords` library the platform uses, so the test checks the platform's conversion.
_A, _EE = 6378245.0, 0.00669342162296594323


def _d_lat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _d_lon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lon, lat):
    d_lat, d_lon = _d_lat(lon - 105.0, lat - 35.0), _d_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * math.sqrt(magic)) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / math.sqrt(magic) * math.cos(rad) * math.pi)
    return lon + d_lon, lat + d_lat


def _place_payload(world, **extra):
    return {"name": "坐标测试场所", "place_type": "gas_station", "geometry": "", "lon": "", "lat": "", "address": "",
            "capacity": "", "people_present": "", "owner_enterprise_id": "", "industry_id": "", "township_id": "",
            "grid_id": "", "supervising_department_id": "", **extra}


def _textarea(text, name):
    found = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', text, re.S)
    assert found, f"no textarea {name}"
    return html.unescape(found.group(1)).strip()


def test_new_place_and_area_forms_leave_the_geojson_box_empty(client, world):
    client.force_login(world.admin)
    for resource in ("places", "areas"):
        page = client.get(reverse("registry:create", args=[resource]))
        assert page.status_code == 200
        assert _textarea(page.text, "geometry") == "", resource


def test_point_place_is_edited_as_its_numbers_and_a_polygon_as_geojson(client, world):
    client.force_login(world.admin)
    point = Place.objects.filter(geometry__type="Point", archived_at__isnull=True).order_by("id").first()
    page = client.get(reverse("registry:edit", args=["places", point.pk]))
    lon, lat = point.geometry["coordinates"][:2]
    assert _textarea(page.text, "geometry") == ""
    assert f'name="lon" value="{lon}"' in page.text and f'name="lat" value="{lat}"' in page.text


def test_place_without_a_location_is_asked_for_one_under_the_longitude_not_the_geojson_box(client, world):
    client.force_login(world.township_officer)
    response = client.post(reverse("registry:create", args=["places"]), _place_payload(world))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "geometry" not in errors
    assert errors["lon"] == ["请填写位置：在地图上点选，或填写经度和纬度；线或面填写GeoJSON"]
    assert "此字段为必填项" not in response.text
    assert not Place.objects.filter(name="坐标测试场所").exists()


def test_longitude_without_latitude_is_refused_on_the_latitude(client, world):
    client.force_login(world.township_officer)
    ent = world.enterprise_in_a
    response = client.post(reverse("registry:create", args=["places"]), _place_payload(world, lon=ent.lon))
    assert response.context["form"].errors["lat"] == ["经度和纬度须同时填写"]


def test_gcj02_coordinates_pasted_from_a_chinese_web_map_are_stored_as_wgs84(client, world):
    client.force_login(world.township_officer)
    wgs_lon, wgs_lat = world.enterprise_in_a.lon, world.enterprise_in_a.lat
    gcj_lon, gcj_lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    assert math.hypot(gcj_lon - wgs_lon, gcj_lat - wgs_lat) > 1e-3  # hundreds of metres apart here
    response = client.post(reverse("registry:create", args=["places"]), _place_payload(
        world, lon=repr(gcj_lon), lat=repr(gcj_lat), coordinate_system="gcj02"), follow=True)
    place = Place.objects.get(name="坐标测试场所")
    lon, lat = place.geometry["coordinates"]
    assert abs(lon - wgs_lon) < 1e-7 and abs(lat - wgs_lat) < 1e-7  # about 1 cm
    assert "坐标已由GCJ-02换算为WGS-84（CGCS2000）保存" in response.text


def test_gcj02_polygon_and_enterprise_point_are_converted_too(client, world):
    client.force_login(world.township_officer)
    lon0, lat0 = world.enterprise_in_a.lon, world.enterprise_in_a.lat
    ring = [(lon0, lat0), (lon0 + 0.001, lat0), (lon0 + 0.001, lat0 + 0.001), (lon0, lat0)]
    gcj_ring = [list(wgs84_to_gcj02(*p)) for p in ring]
    client.post(reverse("registry:create", args=["places"]), _place_payload(
        world, geometry=json.dumps({"type": "Polygon", "coordinates": [gcj_ring]}), coordinate_system="gcj02"))
    stored = Place.objects.get(name="坐标测试场所").geometry["coordinates"][0]
    assert all(abs(a - b) < 1e-7 for p, q in zip(stored, ring, strict=True) for a, b in zip(p, q, strict=True))

    body = "91622926MA0000077"
    uscc = body + uscc_check_character(body)
    gcj_lon, gcj_lat = wgs84_to_gcj02(lon0, lat0)
    client.post(reverse("registry:create", args=["enterprises"]), {
        "name": "坐标测试企业", "uscc": uscc, "industry_id": world.enterprise_in_a.industry_id, "scale": "small",
        "address": "", "lon": repr(gcj_lon), "lat": repr(gcj_lat), "coordinate_system": "gcj02", "township_id": "",
        "grid_id": "", "supervising_department_id": "", "legal_representative": "", "standardisation_grade": "none"})
    ent = Enterprise.objects.get(uscc=uscc)
    assert abs(ent.lon - lon0) < 1e-7 and abs(ent.lat - lat0) < 1e-7


def test_location_error_sits_under_the_longitude_and_never_shows_the_services_key(client, world):
    client.force_login(world.admin)
    body = "91622926MA0000078"
    response = client.post(reverse("registry:create", args=["enterprises"]), {
        "name": "北京企业", "uscc": body + uscc_check_character(body), "industry_id": world.enterprise_in_a.industry_id,
        "scale": "small", "address": "", "lon": "116.4", "lat": "39.9", "township_id": "", "grid_id": "",
        "supervising_department_id": "", "legal_representative": "", "standardisation_grade": "none"})
    assert response.status_code == 200
    assert response.context["form"].errors["lon"] == ["位置超出本县行政区域范围"]
    assert "location：" not in response.text and "location:" not in response.text


def test_admin_messages_name_the_field_by_its_label(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("admin:registry_area_add"), {
        "code": "X-2", "name": "错误网格", "level": "grid", "parent": "", "population": "", "geometry": "null"},
        follow=True)
    assert "上级区域：上级区域层级不正确" in response.text
    assert "parent_id" not in response.text
    assert not Area.objects.filter(code="X-2").exists()


def test_a_kind_declaring_map_picker_gets_the_picker_and_its_point_is_stored(client, world):
    """tests/kindapp: the hydrant form only names its lon/lat fields in `map_picker`."""
    from tests.kindapp.models import Hydrant

    client.force_login(world.township_officer)
    page = client.get(reverse("kindapp:create", args=["hydrants"]))
    assert 'id="map-picker"' in page.text and 'data-draw="point"' in page.text
    assert "citysafe/map-picker.js" in page.text and "vendor/leaflet.draw/leaflet.draw.js" in page.text
    lon, lat = world.enterprise_in_a.lon, world.enterprise_in_a.lat
    gcj_lon, gcj_lat = wgs84_to_gcj02(lon, lat)
    response = client.post(reverse("kindapp:create", args=["hydrants"]), {
        "code": "XHS-MAP-1", "name": "地图消防栓", "status": "working", "township_id": world.township_a.pk,
        "grid_id": "", "enterprise_id": "", "lon": repr(gcj_lon), "lat": repr(gcj_lat), "coordinate_system": "gcj02"})
    assert response.status_code == 302, response.context["form"].errors
    hydrant = Hydrant.objects.get(code="XHS-MAP-1")
    assert abs(hydrant.lon - lon) < 1e-7 and abs(hydrant.lat - lat) < 1e-7
