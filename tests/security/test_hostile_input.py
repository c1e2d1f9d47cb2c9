"""Hostile or loose input (issue 6, finding 5): refused once, in the shared write path, whatever
the way in (API, page form, import), with a 422 / form error naming the field and the rule."""
import gzip
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from shapely.geometry import shape

from citysafe.registry import services
from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.models import Enterprise, Industry, Person, Place
from kernels.codes import uscc_check_character
from tests.api.conftest import Api, field_errors
from tests.data_io.conftest import workbook_with_rows


def _uscc(n: int) -> str:
    body = f"91622926MB{n:07d}"
    return body + uscc_check_character(body)


def _inside(area):
    point = shape(area.geometry).representative_point()
    return point.x, point.y


def _enterprise(world, **changes):
    lon, lat = _inside(world.grid)
    data = {"name": "东乡县测试建材有限公司", "uscc": _uscc(1), "industry_id": world.enterprise.industry_id,
            "lon": lon, "lat": lat}
    return {**data, **changes}


def _road(world, vertices: int):
    """A line of `vertices` positions inside the grid (a few millimetres apart)."""
    lon, lat = _inside(world.grid)
    return {"type": "LineString", "coordinates": [[lon + i * 1e-8, lat + (i % 2) * 1e-8] for i in range(vertices)]}


def _square(world, d=0.0005):
    lon, lat = _inside(world.grid)
    return [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]


def _service_errors(call, *args) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return {field: [e.code for e in errors] for field, errors in caught.value.error_dict.items()}


# ---- numbers are numbers, booleans are not ids ------------------------------------------

def test_string_coordinates_in_a_linestring_are_refused(world):
    lon, lat = _inside(world.grid)
    line = {"type": "LineString", "coordinates": [[str(lon), str(lat)], [str(lon + 1e-4), str(lat)]]}
    before = Place.objects.count()
    response = Api(world.admin).post("places", {"name": "村道", "place_type": "road", "geometry": line})
    assert field_errors(response) == {"geometry": "geometry_coordinate_type"}
    assert "坐标必须是数字" in response.json()["detail"][0]["msg"]
    assert "coordinates[0][0]" in response.json()["detail"][0]["msg"]
    # The same rule in the service, for pages and imports.
    road = {"name": "村道", "place_type": "road", "geometry": line}
    errors = _service_errors(services.create_place, world.admin, road)
    assert errors == {"geometry": ["geometry_coordinate_type"]}
    assert Place.objects.count() == before


@pytest.mark.parametrize("coordinate,rule", [
    (True, "geometry_coordinate_type"), (None, "geometry_coordinate_type"), (float("nan"), "geometry_coordinate_type"),
    (float("inf"), "geometry_coordinate_type"), ([103.5], "geometry_nesting"),
])
def test_a_coordinate_that_is_not_a_finite_number_is_refused(world, coordinate, rule):
    lon, lat = _inside(world.grid)
    point = {"type": "Point", "coordinates": [coordinate, lat]}
    place = {"name": "点", "place_type": "other", "geometry": point}
    errors = _service_errors(services.create_place, world.admin, place)
    assert errors == {"geometry": [rule]}


def test_boolean_is_not_accepted_as_an_industry_id(world):
    before = Enterprise.objects.count()
    api = Api(world.admin)
    assert field_errors(api.post("enterprises", _enterprise(world, industry_id=True))) == {"industry_id": "int_type"}
    assert field_errors(api.post("enterprises", _enterprise(world, industry_id="1"))) == {"industry_id": "int_type"}
    assert field_errors(api.post("enterprises", _enterprise(world, industry_id=1.0))) == {"industry_id": "int_type"}
    assert field_errors(api.post("enterprises", _enterprise(world, lon=True))) == {"lon": "float_type"}
    place = Place.objects.order_by("id").first()
    assert field_errors(api.patch(f"places/{place.pk}", {"capacity": True, "version": place.version})) == {
        "capacity": "int_type"}
    # Services refuse them as well (pages, imports, admin and any future caller).
    assert Industry.objects.filter(pk=1).exists()
    errors = _service_errors(services.create_enterprise, world.admin, _enterprise(world, industry_id=True))
    assert errors == {"industry_id": ["integer"]}
    errors = _service_errors(services.create_enterprise, world.admin, _enterprise(world, industry_id=1.5))
    assert errors == {"industry_id": ["integer"]}
    assert Enterprise.objects.count() == before


@pytest.mark.parametrize("field,value,rule", [
    ("lon", True, "number"), ("lon", "nan", "number"), ("lon", "inf", "number"), ("lon", "1e999", "number"),
    ("lon", "103.5abc", "number"),
])
def test_service_refuses_a_boolean_or_non_numeric_value_for_a_number(world, field, value, rule):
    errors = _service_errors(services.create_enterprise, world.admin, _enterprise(world, **{field: value}))
    assert errors[field] == [rule]


@pytest.mark.parametrize("value", [True, 1.5, "1_000", "5.0"])
def test_service_refuses_a_boolean_or_fraction_for_a_count(world, value):
    place = Place.objects.filter(archived_at__isnull=True).order_by("id").first()
    errors = _service_errors(services.update_place, world.admin, place.pk, {"capacity": value})
    assert errors == {"capacity": ["integer"]}


def test_service_accepts_plain_numbers_and_numeric_text(world):
    place = Place.objects.filter(archived_at__isnull=True).order_by("id").first()
    assert services.update_place(world.admin, place.pk, {"capacity": "120", "people_present": 7.0}).capacity == 120


# ---- geometry ----------------------------------------------------------------------------

def test_unclosed_polygon_ring_is_refused(world):
    ring = _square(world)[:-1] + [_square(world)[1]]  # last position differs from the first
    polygon = {"type": "Polygon", "coordinates": [ring]}
    response = Api(world.admin).post("places", {"name": "厂区", "place_type": "other", "geometry": polygon})
    assert field_errors(response) == {"geometry": "geometry_ring_not_closed"}
    assert "闭合" in response.json()["detail"][0]["msg"]
    assert not Place.objects.filter(name="厂区").exists()


def test_extra_members_in_geometry_are_refused(world):
    polygon = {"type": "Polygon", "coordinates": [_square(world)], "properties": {"x": 1}, "crs": "EPSG:3857"}
    response = Api(world.admin).post("places", {"name": "厂区", "place_type": "other", "geometry": polygon})
    assert field_errors(response) == {"geometry": "geometry_members"}
    assert "crs" in response.json()["detail"][0]["msg"]
    assert not Place.objects.filter(name="厂区").exists()


def test_a_bounding_box_that_holds_the_geometry_is_accepted_and_a_wrong_one_refused(world):
    ring = _square(world)
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    good = {"type": "Polygon", "coordinates": [ring], "bbox": [min(lons), min(lats), max(lons), max(lats)]}
    api = Api(world.admin)
    assert api.post("places", {"name": "厂区", "place_type": "other", "geometry": good}).status_code == 201
    wrong = {**good, "bbox": [0, 0, 1, 1]}
    assert field_errors(api.post("places", {"name": "厂区2", "place_type": "other", "geometry": wrong})) == {
        "geometry": "geometry_bbox"}


def test_geometry_over_the_vertex_limit_is_refused(world, settings):
    assert settings.GEOMETRY_MAX_VERTICES == 20_000
    before = Place.objects.count()
    response = Api(world.admin).post("places", {"name": "长路", "place_type": "road", "geometry": _road(world, 20_001)})
    assert field_errors(response) == {"geometry": "geometry_too_many_vertices"}
    assert "20000" in response.json()["detail"][0]["msg"]
    # The reported 250,000-vertex road, through the service.
    errors = _service_errors(services.create_place, world.admin,
                             {"name": "长路", "place_type": "road", "geometry": _road(world, 250_000)})
    assert errors == {"geometry": ["geometry_too_many_vertices"]}
    assert Place.objects.count() == before


def test_vertex_limit_is_a_setting(world, settings):
    settings.GEOMETRY_MAX_VERTICES = 10
    errors = _service_errors(services.create_place, world.admin,
                             {"name": "路", "place_type": "road", "geometry": _road(world, 11)})
    assert errors == {"geometry": ["geometry_too_many_vertices"]}
    assert services.create_place(world.admin, {"name": "路", "place_type": "road", "geometry": _road(world, 10)}).pk


@pytest.mark.parametrize("geometry,rule", [
    ({"type": "LineString", "coordinates": [[103.4, 35.6]]}, "geometry_too_few_positions"),
    ({"type": "Polygon", "coordinates": [[103.4, 35.6], [103.5, 35.6], [103.4, 35.6], [103.4, 35.6]]},
     "geometry_nesting"),
    ({"type": "Point", "coordinates": [[103.4, 35.6]]}, "geometry_nesting"),
    ({"type": "Point", "coordinates": [103.4, 35.6, 1900, 7]}, "geometry_position"),
    ({"type": "Point", "coordinates": [103.4, 95.6]}, "geometry_range"),
])
def test_geometry_of_the_wrong_shape_is_refused_naming_the_rule(world, geometry, rule):
    response = Api(world.admin).post("places", {"name": "场所", "place_type": "other", "geometry": geometry})
    assert field_errors(response) == {"geometry": rule}


def test_places_layer_survives_a_bad_stored_geometry(world):
    """Defence in depth: a geometry stored before these rules (or written past them) must not
    break the layer for everyone; the place is drawn at its stored position instead."""
    bad, unusable = Place.objects.filter(township=world.township_a, archived_at__isnull=True).order_by("id")[:2]
    Place.objects.filter(pk=bad.pk).update(geometry={
        "type": "LineString", "coordinates": [[str(bad.lon), str(bad.lat)], [str(bad.lon + 1e-4), str(bad.lat)]]})
    Place.objects.filter(pk=unusable.pk).update(geometry={"type": "Polygon", "coordinates": "x" * 5000}, lon=999.0)
    client = Client()
    client.force_login(world.township_officer)
    response = client.get("/map/layers/places.geojson")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    features = {f["id"]: f for f in json.loads(body)["features"]}
    assert features[bad.pk]["geometry"] == {"type": "Point", "coordinates": [round(bad.lon, 6), round(bad.lat, 6)]}
    assert unusable.pk not in features
    expected = set(Place.objects.filter(township=world.township_a, archived_at__isnull=True)
                   .values_list("id", flat=True))
    assert set(features) == expected - {unusable.pk}


# ---- text ----------------------------------------------------------------------------------

HOSTILE = ["\u0001", "\x1b[31m红色\x1b[0m", "\u202e", "\u2066", "\u200f", "\u200b", "\u2060", "\ufeff", "\x85"]


@pytest.mark.parametrize("hidden", HOSTILE)
def test_control_bidi_and_zero_width_characters_are_refused_in_names(world, client, hidden):
    name = f"东乡{hidden}建材厂"
    # API
    response = Api(world.admin).post("enterprises", _enterprise(world, name=name))
    assert field_errors(response) == {"name": "value_error"}
    assert "不能包含控制字符或不可见字符" in response.json()["detail"][0]["msg"]
    # Service (every other path)
    assert _service_errors(services.create_person, world.admin, {"name": name, "phone": "13800138000"}) == {
        "name": ["text_characters"]}
    # Page form
    client.force_login(world.township_officer)
    lon, lat = _inside(world.grid)
    page = client.post(reverse("registry:create", args=["enterprises"]), {
        "name": name, "uscc": _uscc(2), "industry_id": world.enterprise.industry_id, "scale": "small", "address": "",
        "lon": lon, "lat": lat, "township_id": "", "grid_id": "", "supervising_department_id": "",
        "legal_representative": "", "standardisation_grade": "none"})
    assert page.status_code == 200
    assert "不能包含控制字符或不可见字符" in page.context["form"].errors["name"][0]
    assert not Enterprise.objects.filter(uscc__in=[_uscc(1), _uscc(2)]).exists()
    assert not Person.objects.filter(name=name).exists()


@pytest.mark.parametrize("bulk", [False, True])
@pytest.mark.parametrize("hidden", ["\u202e", "\u200b"])
def test_control_bidi_and_zero_width_characters_are_refused_in_imported_names(world, bulk, hidden):
    lon, lat = _inside(world.grid)
    row = {"统一社会信用代码": _uscc(3), "企业名称": f"东乡{hidden}建材厂", "行业代码": "manufacturing", "规模": "小型",
           "经度": lon, "纬度": lat, "所属网格代码": world.grid.code, "安全生产标准化等级": "三级"}
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", [row]), bulk=bulk)
    assert not result.ok
    assert {(e.header, "不可见字符" in e.message) for e in result.errors} == {("企业名称", True)}
    assert not Enterprise.objects.filter(uscc=_uscc(3)).exists()


def test_line_breaks_stay_allowed_in_descriptions_but_not_in_names(world):
    industry = services.create_industry(world.admin, {"code": "t1", "name": "测试行业",
                                                      "description": "第一行\r\n第二行\t注"})
    assert industry.description == "第一行\r\n第二行\t注"
    errors = _service_errors(services.update_industry, world.admin, industry.pk, {"name": "测试\n行业"})
    assert errors == {"name": ["text_characters"]}
    errors = _service_errors(services.update_industry, world.admin, industry.pk, {"description": "说明\u202e"})
    assert errors == {"description": ["text_characters"]}
    industry.refresh_from_db()
    response = Api(world.admin).patch(f"industries/{industry.pk}", {"description": "一\n二", "version": industry.version})
    assert response.status_code == 200, response.content


def test_ordinary_chinese_text_with_spaces_is_kept_and_trimmed(world):
    person = services.create_person(world.admin, {"name": "  欧阳 娜娜\u3000", "phone": "13800138000",
                                                  "title": "安全员（兼）"})
    assert person.name == "欧阳 娜娜"


# ---- township and grid -----------------------------------------------------------------------

def test_township_that_does_not_contain_the_grid_is_refused(world):
    api = Api(world.admin)
    data = _enterprise(world, grid_id=world.grid.pk, township_id=world.township_b.pk)
    response = api.post("enterprises", data)
    assert field_errors(response) == {"township_id": "grid_township_mismatch"}
    assert "不一致" in response.json()["detail"][0]["msg"]
    assert not Enterprise.objects.filter(uscc=data["uscc"]).exists()
    # An update naming another township while the record keeps its grid is refused too.
    enterprise = Enterprise.objects.filter(grid=world.grid, archived_at__isnull=True).order_by("id").first()
    response = api.patch(f"enterprises/{enterprise.pk}", {"township_id": world.township_b.pk,
                                                         "version": enterprise.version})
    assert field_errors(response) == {"township_id": "grid_township_mismatch"}
    enterprise.refresh_from_db()
    assert enterprise.township_id == world.township_a.pk
    # Persons and places follow the same rule.
    errors = _service_errors(services.create_person, world.admin, {
        "name": "张三", "phone": "13800138000", "grid_id": world.grid.pk, "township_id": world.township_b.pk})
    assert errors == {"township_id": ["grid_township_mismatch"]}


def test_matching_township_and_grid_are_accepted(world):
    created = services.create_enterprise(world.admin, _enterprise(world, grid_id=world.grid.pk,
                                                                  township_id=world.township_a.pk))
    assert (created.township_id, created.grid_id) == (world.township_a.pk, world.grid.pk)
    # Moving to another grid without naming a township takes the grid's township, as before.
    other = world.enterprise_in_b
    moved = services.update_enterprise(world.admin, created.pk, {"grid_id": other.grid_id, "lon": other.lon,
                                                                 "lat": other.lat})
    assert moved.township_id == world.township_b.pk


@pytest.mark.parametrize("bulk", [False, True])
def test_imported_township_that_does_not_contain_the_grid_is_refused(world, bulk):
    lon, lat = _inside(world.grid)
    row = {"统一社会信用代码": _uscc(4), "企业名称": "东乡县测试建材厂", "行业代码": "manufacturing", "规模": "小型",
           "经度": lon, "纬度": lat, "所属乡镇代码": world.township_b.code, "所属网格代码": world.grid.code,
           "安全生产标准化等级": "三级"}
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", [row]), bulk=bulk)
    assert {(e.header, e.message) for e in result.errors} == {
        ("所属乡镇代码", "所选乡镇与所选网格不一致：该网格不属于所选乡镇")}
    assert not Enterprise.objects.filter(uscc=_uscc(4)).exists()
