import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from citysafe.core.records import OutOfScope
from citysafe.registry import services
from citysafe.registry.models import Area, Enterprise, Industry, Person, Place
from kernels.codes import uscc_check_character


def new_uscc(n: int) -> str:
    body = f"91622926MA{n:07d}"
    return body + uscc_check_character(body)


def point_in(area: Area):
    from shapely.geometry import shape

    p = shape(area.geometry).representative_point()
    return p.x, p.y


def enterprise_data(world, **overrides):
    lon, lat = point_in(world.grid)
    data = {"name": "测试加油站", "uscc": new_uscc(1), "industry_id": Industry.objects.get(code="gas_station").pk,
            "lon": lon, "lat": lat}
    data.update(overrides)
    return data


def errors_of(exc: ValidationError) -> dict:
    return {field: [e.code for e in errs] for field, errs in exc.error_dict.items()}


def test_enterprise_is_placed_in_the_grid_that_contains_its_location(world):
    ent = services.create_enterprise(world.township_officer, enterprise_data(world))
    assert ent.grid_id == world.grid.pk
    assert ent.township_id == world.township_a.pk
    assert ent.village_id == world.grid.parent_id
    assert ent.supervising_department.code == "yjj"  # 管行业必须管安全: from the industry map


def test_bad_input_names_every_field_and_stores_nothing(world):
    before = Enterprise.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.create_enterprise(world.admin, enterprise_data(
            world, uscc="91622926MA0000001X", scale="huge", lon=200, industry_id=999999))
    codes = errors_of(caught.value)
    assert codes["uscc"] == ["uscc_check"]
    assert codes["scale"] == ["choice"]
    assert codes["industry_id"] == ["not_found"]
    assert "location" in codes
    assert Enterprise.objects.count() == before


def test_location_outside_the_county_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.create_enterprise(world.admin, enterprise_data(world, lon=116.39, lat=39.9))  # Beijing
    assert errors_of(caught.value)["location"] == ["geometry_outside"]


def test_duplicate_uscc_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.create_enterprise(world.admin, enterprise_data(world, uscc=world.enterprise_in_b.uscc))
    assert errors_of(caught.value)["uscc"] == ["unique"]


def test_township_officer_cannot_create_an_enterprise_in_another_township(world):
    lon, lat = point_in(world.township_b)
    with pytest.raises(OutOfScope):
        services.create_enterprise(world.township_officer, enterprise_data(world, lon=lon, lat=lat))


def test_township_officer_cannot_touch_another_townships_enterprise(world):
    with pytest.raises(Enterprise.DoesNotExist):
        services.update_enterprise(world.township_officer, world.enterprise_in_b.pk, {"address": "x"})


def test_leader_may_not_write(world):
    with pytest.raises(PermissionDenied):
        services.update_enterprise(world.leader, world.enterprise_in_a.pk, {"address": "x"})


def test_enterprise_officer_edits_only_contact_fields_of_its_own_enterprise(world):
    services.update_enterprise(world.enterprise_officer, world.enterprise.pk, {"address": "新址88号"})
    with pytest.raises(ValidationError) as caught:
        services.update_enterprise(world.enterprise_officer, world.enterprise.pk, {"scale": "large"})
    assert errors_of(caught.value)["scale"] == ["field_not_allowed"]


def test_person_phone_and_id_number_are_checked(world):
    with pytest.raises(ValidationError) as caught:
        services.create_person(world.admin, {"name": "张三", "phone": "12345", "id_number": "110105194912310021"})
    codes = errors_of(caught.value)
    assert codes == {"phone": ["phone_format"], "id_number": ["id_number_check"]}
    person = services.create_person(world.admin, {"name": "张三", "phone": "13912345678",
                                                  "id_number": "11010519491231002x"})
    assert person.id_number == "11010519491231002X"


def test_place_rejects_self_intersecting_polygon(world):
    lon, lat = point_in(world.grid)
    d = 0.0005
    bowtie = {"type": "Polygon", "coordinates": [[[lon, lat], [lon + d, lat + d], [lon + d, lat], [lon, lat + d], [lon, lat]]]}
    before = Place.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.create_place(world.admin, {"name": "市场", "place_type": "market", "geometry": bowtie})
    assert errors_of(caught.value)["geometry"] == ["geometry_invalid"]
    assert Place.objects.count() == before


def test_place_line_geometry_gets_a_representative_point_and_grid(world):
    lon, lat = point_in(world.grid)
    line = {"type": "LineString", "coordinates": [[lon, lat], [lon + 0.00001, lat + 0.00001]]}
    place = services.create_place(world.grid_worker, {"name": "村道", "place_type": "road", "geometry": line})
    assert place.grid_id == world.grid.pk


def test_archive_hides_and_purge_deletes_with_audit(world):
    from citysafe.core.audit_models import AuditRecord

    person = services.create_person(world.admin, {"name": "李四", "phone": "13800000000"})
    services.archive_record(world.admin, Person, person.pk)
    assert Person.objects.get(pk=person.pk).archived_at is not None
    with pytest.raises(PermissionDenied):
        services.purge_record(world.township_officer, Person, person.pk)
    services.purge_record(world.admin, Person, person.pk)
    assert not Person.objects.filter(pk=person.pk).exists()
    actions = list(AuditRecord.objects.filter(object_type="registry.Person", object_id=str(person.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["create", "archive", "purge"]


def test_department_industry_map_is_editable_by_admin_and_changes_scope(world):
    from citysafe.core import scope

    dept = world.other_department.organisation
    hazchem = Industry.objects.get(code="hazchem")
    before = scope.narrow(world.other_department, Enterprise.objects.filter(industry=hazchem)).count()
    services.update_organisation(world.admin, dept.pk, {"industry_ids": list(dept.industries.values_list("pk", flat=True)) + [hazchem.pk]})
    reloaded = type(world.other_department).objects.get(pk=world.other_department.pk)  # a new request's user
    after = scope.narrow(reloaded, Enterprise.objects.filter(industry=hazchem)).count()
    assert before == 0 and after == Enterprise.objects.filter(industry=hazchem).count()


def test_area_polygon_outside_the_county_is_refused(world):
    far = {"type": "Polygon", "coordinates": [[[116, 39], [116.1, 39], [116.1, 39.1], [116, 39]]]}
    with pytest.raises(ValidationError) as caught:
        services.create_area(world.admin, {"code": "622926999", "name": "外地", "level": "township",
                                           "parent_id": world.township_a.parent_id, "geometry": far})
    assert errors_of(caught.value)["geometry"] == ["geometry_outside"]
