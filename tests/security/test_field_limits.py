"""Field limits per role (security review, issue 6 finding 3): position and classification
change only through the roles meant for them, whatever the path (API, pages, imports);
a role may still re-send an unchanged value."""
import pytest
from django.urls import reverse
from shapely.geometry import shape

from citysafe.accounts.models import Organisation
from citysafe.core import scope
from citysafe.core.roles import Role
from citysafe.registry import services
from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.models import Area, Enterprise, Industry, Person, Place
from tests.api.conftest import Api
from tests.data_io.conftest import ledger_bytes, ledger_rows, workbook_with_rows

NOT_ALLOWED = "您的角色不能修改该字段"


def refused_fields(response) -> dict[str, str]:
    """{field: message} of a 422 whose items are all field-limit refusals."""
    assert response.status_code == 422, response.content
    items = response.json()["detail"]
    assert {item["type"] for item in items} == {"field_not_allowed"}, items
    return {item["loc"][-1]: item["msg"] for item in items}


def point_in(area: Area) -> tuple[float, float]:
    p = shape(area.geometry).representative_point()
    return p.x, p.y


def other_industry(current_id: int) -> Industry:
    return Industry.objects.exclude(pk=current_id).filter(archived_at__isnull=True).order_by("id").first()


def other_department(current_id) -> Organisation:
    return Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).exclude(pk=current_id).order_by("id").first()


def owned_place(world) -> Place:
    ent = world.enterprise
    return services.create_place(world.admin, {
        "name": "企业自有仓库", "place_type": "other", "owner_enterprise_id": ent.pk,
        "geometry": {"type": "Point", "coordinates": [ent.lon, ent.lat]}})


def grid_enterprise(world) -> Enterprise:
    return Enterprise.objects.filter(grid=world.grid, archived_at__isnull=True).order_by("id").first()


# ---- the review's findings -----------------------------------------------------------

def test_enterprise_officer_cannot_move_its_enterprise_by_patching_coordinates(world):
    ent = world.enterprise
    elsewhere = Area.objects.filter(level=Area.Level.TOWNSHIP).exclude(pk=ent.township_id).order_by("code").first()
    lon, lat = point_in(elsewhere)
    response = Api(world.enterprise_officer).patch(f"enterprises/{ent.pk}",
                                                   {"lon": lon, "lat": lat, "version": ent.version})
    assert refused_fields(response) == {"lon": NOT_ALLOWED, "lat": NOT_ALLOWED}
    moved = Enterprise.objects.get(pk=ent.pk)
    assert (moved.lon, moved.lat, moved.township_id) == (ent.lon, ent.lat, ent.township_id)


def test_enterprise_officer_cannot_change_a_places_type_or_geometry(world):
    place = owned_place(world)
    lon, lat = world.enterprise.lon + 0.001, world.enterprise.lat
    response = Api(world.enterprise_officer).patch(f"places/{place.pk}", {
        "place_type": "hazchem_site", "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "industry_id": other_industry(place.industry_id).pk,
        "supervising_department_id": other_department(place.supervising_department_id).pk,
        "version": place.version})
    assert set(refused_fields(response)) == {"place_type", "geometry", "industry_id", "supervising_department_id"}
    after = Place.objects.get(pk=place.pk)
    assert (after.place_type, after.geometry, after.industry_id, after.supervising_department_id) == (
        place.place_type, place.geometry, place.industry_id, place.supervising_department_id)


def test_grid_worker_cannot_reclassify_an_enterprise(world):
    ent = grid_enterprise(world)
    response = Api(world.grid_worker).patch(f"enterprises/{ent.pk}", {
        "industry_id": other_industry(ent.industry_id).pk, "scale": "large" if ent.scale != "large" else "micro",
        "standardisation_grade": "level1" if ent.standardisation_grade != "level1" else "none",
        "supervising_department_id": other_department(ent.supervising_department_id).pk,
        "version": ent.version})
    assert refused_fields(response) == dict.fromkeys(
        ["industry_id", "scale", "standardisation_grade", "supervising_department_id"], NOT_ALLOWED)
    after = Enterprise.objects.get(pk=ent.pk)
    assert (after.industry_id, after.scale, after.standardisation_grade, after.supervising_department_id) == (
        ent.industry_id, ent.scale, ent.standardisation_grade, ent.supervising_department_id)


# ---- what each role still does -------------------------------------------------------

def test_enterprise_officer_keeps_its_contact_data_and_may_resend_unchanged_position(world):
    ent = world.enterprise
    response = Api(world.enterprise_officer).patch(f"enterprises/{ent.pk}", {
        "address": "新址18号", "legal_representative": "马明", "lon": ent.lon, "lat": ent.lat,
        "industry_id": ent.industry_id, "version": ent.version})
    assert response.status_code == 200, response.content
    assert response.json()["address"] == "新址18号"


def test_grid_worker_updates_what_it_sees_on_patrol(world):
    place = Place.objects.filter(grid=world.grid, archived_at__isnull=True).order_by("id").first()
    response = Api(world.grid_worker).patch(f"places/{place.pk}", {
        "name": f"{place.name}（新招牌）", "address": "巡查路1号", "people_present": 37, "version": place.version})
    assert response.status_code == 200, response.content
    assert response.json()["people_present"] == 37
    refused = Api(world.grid_worker).patch(f"places/{place.pk}", {"place_type": "market", "capacity": 999,
                                                                  "version": place.version + 1})
    assert set(refused_fields(refused)) >= {"capacity"} | ({"place_type"} if place.place_type != "market" else set())


def test_grid_worker_registers_a_new_place_with_its_location_and_type(world):
    lon, lat = point_in(world.grid)
    response = Api(world.grid_worker).post("places", {
        "name": "巡查发现的小作坊", "place_type": "nine_small", "grid_id": world.grid.pk,
        "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    assert response.status_code == 201, response.content
    assert response.json()["grid_id"] == world.grid.pk
    department = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).order_by("id").first()
    refused = Api(world.grid_worker).post("places", {
        "name": "另一处", "place_type": "nine_small", "supervising_department_id": department.pk,
        "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    assert refused_fields(refused) == {"supervising_department_id": NOT_ALLOWED}


def test_grid_worker_cannot_move_a_person_to_another_unit_or_grid(world):
    person = Person.objects.filter(grid=world.grid, archived_at__isnull=True).order_by("id").first()
    org = Organisation.objects.exclude(pk=person.organisation_id).order_by("id").first()
    response = Api(world.grid_worker).patch(f"persons/{person.pk}", {"organisation_id": org.pk, "phone": person.phone,
                                                                     "version": person.version})
    assert refused_fields(response) == {"organisation_id": NOT_ALLOWED}


def test_township_officer_classifies_within_its_township(world):
    ent = world.enterprise_in_a
    industry = other_industry(ent.industry_id)
    response = Api(world.township_officer).patch(f"enterprises/{ent.pk}", {
        "industry_id": industry.pk, "scale": "medium", "version": ent.version})
    assert response.status_code == 200, response.content
    assert response.json()["industry_id"] == industry.pk


def test_every_role_that_may_write_a_record_kind_has_declared_field_limits():
    for label, actions in scope.WRITE_PERMISSIONS.items():
        if not label.startswith("registry.") and label != "accounts.Organisation":
            continue
        writers = actions.get(scope.Action.CREATE, set()) | actions.get(scope.Action.CHANGE, set())
        assert writers <= set(scope.FIELD_LIMITS[label]), label
    # An undeclared role may change nothing (fail closed).
    assert scope.FIELD_LIMITS["registry.Area"].get(Role.TOWNSHIP) is None

    class Township:
        role = Role.TOWNSHIP

    assert scope.changeable_fields(Township(), "registry.Area") == frozenset()


# ---- pages and imports -----------------------------------------------------------------

def test_grid_worker_edit_page_offers_no_classification_and_ignores_a_crafted_one(client, world):
    ent = grid_enterprise(world)
    client.force_login(world.grid_worker)
    url = reverse("registry:edit", args=["enterprises", ent.pk])
    form = client.get(url).context["form"]
    assert {"industry_id", "scale", "lon", "lat", "township_id", "grid_id"}.isdisjoint(form.fields)
    response = client.post(url, {"name": ent.name, "address": "巡查路2号", "legal_representative": "",
                                 "version": ent.version, "industry_id": other_industry(ent.industry_id).pk})
    assert response.status_code == 302
    after = Enterprise.objects.get(pk=ent.pk)
    assert (after.address, after.industry_id) == ("巡查路2号", ent.industry_id)


def test_enterprise_officer_page_form_saves_when_resending_unchanged_values(client, world):
    ent = world.enterprise
    client.force_login(world.enterprise_officer)
    url = reverse("registry:edit", args=["enterprises", ent.pk])
    response = client.post(url, {"address": "页面新址", "legal_representative": ent.legal_representative,
                                 "version": ent.version})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Enterprise.objects.get(pk=ent.pk).address == "页面新址"


def _ledger_row(user, kind: str, first_cell) -> tuple[tuple, tuple]:
    rows = ledger_rows(ledger_bytes(user, kind))
    return rows[0], next(r for r in rows[1:] if r[0] == first_cell)


def test_grid_worker_cannot_reclassify_an_enterprise_through_an_import(world):
    ent = grid_enterprise(world)
    header, row = _ledger_row(world.admin, "enterprises", ent.uscc)
    record = {h: v for h, v in zip(header, row, strict=False) if h != "安全管理负责人"}
    unchanged = import_workbook(world.grid_worker, "enterprises", workbook_with_rows("enterprises", [record]))
    assert unchanged.ok, unchanged.errors
    record["行业代码"] = other_industry(ent.industry_id).code
    result = import_workbook(world.grid_worker, "enterprises", workbook_with_rows("enterprises", [record]))
    assert not result.ok
    assert {(e.header, e.message) for e in result.errors} == {("行业代码", NOT_ALLOWED)}
    assert Enterprise.objects.get(pk=ent.pk).industry_id == ent.industry_id


@pytest.mark.parametrize("role", ["grid", "enterprise"])
def test_field_limits_hold_for_direct_service_calls_too(world, role):
    user = world.role_users()[role]
    ent = world.enterprise if role == "enterprise" else grid_enterprise(world)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.update_enterprise(user, ent.pk, {"township_id": world.township_b.pk})
    assert caught.value.message_dict == {"township_id": [NOT_ALLOWED]}


def test_grid_worker_registers_a_place_on_the_page_by_its_coordinates(client, world):
    lon, lat = point_in(world.grid)
    client.force_login(world.grid_worker)
    url = reverse("registry:create", args=["places"])
    form = client.get(url).context["form"]
    assert {"lon", "lat", "place_type", "grid_id"} <= set(form.fields)
    assert "supervising_department_id" not in form.fields
    response = client.post(url, {"name": "巡查登记的加油点", "place_type": "gas_station", "lon": lon, "lat": lat})
    assert response.status_code == 302, response.context["form"].errors
    place = Place.objects.get(name="巡查登记的加油点")
    assert place.grid_id == world.grid.pk
