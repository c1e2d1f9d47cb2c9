"""Bad input through the API: 422 naming the field and the rule, nothing stored."""
import pytest

from citysafe.registry.models import Enterprise, Person, Place
from kernels.codes import uscc_check_character
from tests.api.conftest import field_errors


def _enterprise(world, **changes):
    first17 = "91622926MA0000077"
    data = {"name": "新企业", "uscc": first17 + uscc_check_character(first17), "industry_id": world.enterprise.industry_id,
            "lon": world.enterprise.lon, "lat": world.enterprise.lat}
    return {**data, **changes}


def _square(lon, lat, d=0.001):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]}


def test_valid_enterprise_is_created_and_placed_in_its_grid(world, api_as):
    response = api_as(world.admin).post("enterprises", _enterprise(world))
    assert response.status_code == 201, response.content
    assert response.json()["township_id"] == world.enterprise.township_id


@pytest.mark.parametrize("uscc,rule", [("123", "uscc_length"), ("91622926MA000007IO", "uscc_alphabet"),
                                       ("91622926MA00000770", "uscc_check")])
def test_malformed_uscc_is_rejected_and_nothing_is_stored(world, api_as, uscc, rule):
    before = Enterprise.objects.count()
    response = api_as(world.admin).post("enterprises", _enterprise(world, uscc=uscc))
    assert field_errors(response)["uscc"] == rule
    assert "统一社会信用代码" in response.json()["detail"][0]["msg"]
    assert Enterprise.objects.count() == before


@pytest.mark.parametrize("payload,field,rule", [
    ({"id_number": "62292619900101001"}, "id_number", "id_number_length"),
    ({"id_number": "622926199013010012"}, "id_number", "id_number_birthdate"),
    ({"id_number": "622926199001010010"}, "id_number", "id_number_check"),
    ({"phone": "12345"}, "phone", "phone_format"),
    ({"phone": None}, "phone", "null_not_allowed"),
])
def test_malformed_person_data_is_rejected_and_nothing_is_stored(world, api_as, payload, field, rule):
    before = Person.objects.count()
    response = api_as(world.township_officer).post("persons", {"name": "张三", "phone": "13800138000", **payload})
    assert field_errors(response)[field] == rule
    assert Person.objects.count() == before


@pytest.mark.parametrize("lon,lat,field,rule", [
    (200, 35.6, "location", "geometry_range"),
    (116.4, 39.9, "location", "geometry_outside"),
    ("东经", 35.6, "lon", "float_type"),  # strict: text is not a number, whatever it spells
])
def test_bad_coordinates_are_rejected(world, api_as, lon, lat, field, rule):
    before = Enterprise.objects.count()
    response = api_as(world.admin).post("enterprises", _enterprise(world, lon=lon, lat=lat))
    assert field_errors(response)[field] == rule
    assert Enterprise.objects.count() == before


def test_self_intersecting_polygon_is_rejected(world, api_as):
    lon, lat = world.enterprise.lon, world.enterprise.lat
    bowtie = {"type": "Polygon", "coordinates": [[[lon, lat], [lon + .001, lat + .001], [lon + .001, lat],
                                                  [lon, lat + .001], [lon, lat]]]}
    before = Place.objects.count()
    response = api_as(world.admin).post("places", {"name": "仓库", "place_type": "other", "geometry": bowtie})
    assert field_errors(response)["geometry"] == "geometry_invalid"
    assert "自相交" in response.json()["detail"][0]["msg"]
    assert Place.objects.count() == before


@pytest.mark.parametrize("geometry,rule", [
    ({"type": "Polygon", "coordinates": [[[116.4, 39.9], [116.5, 39.9], [116.5, 40.0], [116.4, 39.9]]]},
     "geometry_outside"),
    ({"type": "Polygon", "coordinates": [[[103.4, 35.6], [103.5, 35.6]]]}, "geometry_coordinates"),
    ({"type": "Circle", "coordinates": [103.4, 35.6]}, "geometry_type"),
])
def test_geometry_outside_the_county_or_malformed_is_rejected(world, api_as, geometry, rule):
    before = Place.objects.count()
    response = api_as(world.admin).post("places", {"name": "仓库", "place_type": "other", "geometry": geometry})
    assert field_errors(response)["geometry"].startswith("geometry_")
    assert Place.objects.count() == before


def test_place_geometry_is_returned_as_geojson(world, api_as):
    square = _square(world.enterprise.lon, world.enterprise.lat)
    response = api_as(world.admin).post("places", {"name": "仓库", "place_type": "other", "geometry": square})
    assert response.status_code == 201, response.content
    assert response.json()["geometry"] == square
    assert response.json()["township_id"] == world.enterprise.township_id


def test_failed_update_changes_nothing(world, api_as):
    enterprise = world.enterprise_in_a
    response = api_as(world.admin).patch(f"enterprises/{enterprise.pk}", {"name": "改名", "uscc": "bad",
                                                                              "version": enterprise.version})
    assert field_errors(response) == {"uscc": "uscc_length"}
    enterprise.refresh_from_db()
    assert enterprise.name != "改名"


def test_text_the_database_cannot_store_is_a_422(world, api_as):
    response = api_as(world.admin).patch(f"enterprises/{world.enterprise_in_a.pk}",
                                         {"name": "a\x00b", "version": world.enterprise_in_a.version})
    assert field_errors(response) == {"name": "value_error"}


@pytest.mark.parametrize("params,parameter", [({"ordering": "password"}, "ordering"), ({"township_id": "x"}, "township_id"),
                                              ({"limit": 100000}, "limit")])
def test_bad_list_parameters_are_a_422_naming_the_parameter(world, api_as, params, parameter):
    response = api_as(world.admin).get("enterprises", **params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", parameter]


def test_organisation_industry_map_is_edited_through_industry_ids(world, api_as):
    department = world.other_department.organisation
    response = api_as(world.admin).patch(f"organisations/{department.pk}", {
        "industry_ids": [world.enterprise.industry_id], "version": department.version})
    assert response.status_code == 200
    assert response.json()["industry_ids"] == [world.enterprise.industry_id]
    # The department now sees that industry's enterprises (管行业必须管安全).
    listed = api_as(world.other_department).get("enterprises", industry_id=world.enterprise.industry_id, limit=1)
    assert listed.json()["count"] > 0
    bad = api_as(world.admin).patch(f"organisations/{department.pk}", {"industry_ids": [99999999],
                                                                       "version": response.json()["version"]})
    assert field_errors(bad) == {"industry_ids": "not_found"}


def test_id_number_is_masked_in_lists_and_shown_in_detail_only_to_those_who_may_change_persons(world, api_as):
    person = Person.objects.filter(township=world.township_a).exclude(id_number="").order_by("id").first()
    township = api_as(world.township_officer)
    listed = {p["id"]: p for p in township.get("persons", limit=500).json()["items"]}
    assert listed[person.pk]["id_number"] != person.id_number
    assert "*" in listed[person.pk]["id_number"]
    assert township.get(f"persons/{person.pk}").json()["id_number"] == person.id_number
    assert api_as(world.leader).get(f"persons/{person.pk}").json()["id_number"] != person.id_number


class TestEnterpriseTransitions:
    def test_suspension_needs_a_note_and_then_changes_status(self, world, api_as):
        api = api_as(world.township_officer)
        enterprise = world.enterprise_in_a
        unversioned = api.post(f"enterprises/{enterprise.pk}/transitions", {"transition": "suspend", "note": "重大隐患"})
        assert unversioned.status_code == 422
        assert unversioned.json()["detail"][0]["loc"][-1] == "expected_version"
        refused = api.post(f"enterprises/{enterprise.pk}/transitions",
                           {"transition": "suspend", "expected_version": enterprise.version})
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["body", "transition"]
        done = api.post(f"enterprises/{enterprise.pk}/transitions",
                        {"transition": "suspend", "note": "重大隐患", "expected_version": enterprise.version})
        assert done.status_code == 200
        assert done.json()["operating_status"] == "suspended"
        assert done.json()["version"] == enterprise.version + 1

    def test_stale_version_is_a_conflict(self, world, api_as):
        enterprise = world.enterprise_in_a
        response = api_as(world.admin).post(f"enterprises/{enterprise.pk}/transitions",
                                            {"transition": "start_relocation", "expected_version": enterprise.version + 5})
        assert response.status_code == 409
        enterprise.refresh_from_db()
        assert enterprise.operating_status == "operating"

    def test_wrong_role_is_403_and_outside_scope_is_404(self, world, api_as):
        body = {"transition": "start_relocation", "expected_version": 1}
        assert api_as(world.grid_worker).post(f"enterprises/{world.enterprise_in_a.pk}/transitions", body).status_code in (403, 404)
        grid_enterprise = Enterprise.objects.filter(grid=world.grid).first()
        assert api_as(world.grid_worker).post(f"enterprises/{grid_enterprise.pk}/transitions", body).status_code == 403
        assert api_as(world.township_officer).post(
            f"enterprises/{world.enterprise_in_b.pk}/transitions", body).status_code == 404

    def test_unknown_transition_is_a_422(self, world, api_as):
        response = api_as(world.admin).post(f"enterprises/{world.enterprise_in_a.pk}/transitions",
                                            {"transition": "explode", "expected_version": 1})
        assert response.status_code == 422
        assert "未知" in response.json()["detail"][0]["msg"]
