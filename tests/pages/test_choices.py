"""Choices that follow each other, scoped pickers and saves outside the user's area (issue 8).

Expected sets come from the data (tests/scope_oracle.py's way: areas by their township and
parent), never from core.scope."""
import json

import pytest
from django.test import Client
from django.urls import reverse

from citysafe.registry.models import Area, Enterprise, Industry, Place
from tests.api.conftest import Api

GRID, VILLAGE = Area.Level.GRID, Area.Level.VILLAGE


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def option_ids(html: str) -> set[int]:
    """The ids offered by an <option> list (the empty choice left out)."""
    import re

    return {int(v) for v in re.findall(r'<option value="(\d+)"', html)}


def field_options(user, resource, field, **params) -> set[int]:
    response = signed_in(user).get(reverse("registry:options", args=[resource, field]), params)
    assert response.status_code == 200
    return option_ids(response.content.decode())


def form_choices(user, resource, field) -> set[int]:
    form = signed_in(user).get(reverse("registry:create", args=[resource])).context["form"]
    return {int(getattr(v, "value", v)) for v, _label in form.fields[field].widget.choices if v != ""}


def areas(level, **where) -> set[int]:
    return set(Area.objects.filter(level=level, archived_at__isnull=True, **where).values_list("pk", flat=True))


def a_village_with_grids(township) -> Area:
    return Area.objects.filter(level=VILLAGE, township=township, children__level=GRID).order_by("code").first()


# ---- cascading options, per role ------------------------------------------------------------

def test_admin_choosing_a_township_gets_only_its_villages_and_grids(world):
    township = world.township_a
    assert field_options(world.admin, "places", "village_id", township_id=township.pk) == areas(VILLAGE, township=township)
    assert field_options(world.admin, "places", "grid_id", township_id=township.pk) == areas(GRID, township=township)
    village = a_village_with_grids(township)
    assert field_options(world.admin, "places", "grid_id", township_id=township.pk, village_id=village.pk) == areas(
        GRID, parent=village)


def test_a_village_of_another_township_does_not_narrow_the_grids(world):
    other_village = a_village_with_grids(world.township_b)
    assert field_options(world.admin, "enterprises", "grid_id", township_id=world.township_a.pk,
                         village_id=other_village.pk) == areas(GRID, township=world.township_a)


def test_township_officer_is_offered_only_its_own_townships_grids_whatever_it_asks(world):
    officer, own, other = world.township_officer, world.township_a, world.township_b
    assert form_choices(officer, "places", "grid_id") == areas(GRID, township=own)
    assert field_options(officer, "places", "grid_id", township_id=other.pk) == areas(GRID, township=own)
    village = a_village_with_grids(own)
    assert field_options(officer, "places", "grid_id", township_id=own.pk, village_id=village.pk) == areas(
        GRID, parent=village)
    other_village = a_village_with_grids(other)
    assert field_options(officer, "persons", "grid_id", village_id=other_village.pk) == areas(GRID, township=own)


def test_grid_worker_is_offered_only_its_grids(world):
    grids = set(world.grid_worker.grids.values_list("pk", flat=True))
    assert field_options(world.grid_worker, "places", "grid_id", township_id=world.township_b.pk) == grids
    assert form_choices(world.grid_worker, "places", "grid_id") == grids


def test_enterprise_officer_is_offered_only_its_enterprises_grid(world):
    enterprise = world.enterprise
    assert field_options(world.enterprise_officer, "persons", "grid_id") == {enterprise.grid_id}


def test_department_field_and_filter_offer_only_its_own_industries(world):
    own = set(world.department.organisation.industries.values_list("pk", flat=True))
    assert own and own != set(Industry.objects.values_list("pk", flat=True))
    assert form_choices(world.department, "enterprises", "industry_id") == own
    page = signed_in(world.department).get(reverse("registry:list", args=["places"]))
    industry = next(f for f in page.context["filters"] if f["name"] == "industry_id")
    assert {int(v) for v, _label in industry["choices"]} == own


def test_list_filter_grids_follow_the_chosen_township_and_village(world):
    admin = signed_in(world.admin)
    page = admin.get(reverse("registry:list", args=["enterprises"]), {"township_id": world.township_a.pk})
    grids = next(f for f in page.context["filters"] if f["name"] == "grid_id")
    assert {int(v) for v, _label in grids["choices"]} == areas(GRID, township=world.township_a)
    village = a_village_with_grids(world.township_a)
    response = admin.get(reverse("registry:filter_options", args=["enterprises", "grid_id"]),
                         {"township_id": world.township_a.pk, "village_id": village.pk})
    assert option_ids(response.content.decode()) == areas(GRID, parent=village)


def test_a_grid_filter_of_another_township_is_dropped_with_the_township(world):
    admin = signed_in(world.admin)
    other_grid = Area.objects.filter(level=GRID, township=world.township_b).first()
    page = admin.get(reverse("registry:list", args=["enterprises"]),
                     {"township_id": world.township_a.pk, "grid_id": other_grid.pk})
    assert page.context["page"].paginator.count == Enterprise.objects.filter(
        township=world.township_a, archived_at__isnull=True).count()


def test_test_kind_hydrants_get_cascading_grids_by_declaration(world):
    response = signed_in(world.admin).get(reverse("kindapp:options", args=["hydrants", "grid_id"]),
                                          {"township_id": world.township_b.pk})
    assert option_ids(response.content.decode()) == areas(GRID, township=world.township_b)


def test_form_selects_reload_through_htmx_when_a_parent_changes(world):
    html = signed_in(world.township_officer).get(reverse("registry:create", args=["places"])).content.decode()
    assert 'hx-get="/registry/places/options/grid_id/"' in html
    assert 'hx-trigger="change from:#id_township_id, change from:#id_village_id"' in html


# ---- pickers ------------------------------------------------------------------------------

def lookup(user, resource, field, q=""):
    response = signed_in(user).get(reverse("registry:lookup", args=[resource, field]), {"q": q})
    assert response.status_code == 200
    return json.loads(response.content)


def test_owner_is_a_typed_ahead_picker_not_a_five_thousand_item_select(world):
    html = signed_in(world.admin).get(reverse("registry:create", args=["places"])).content.decode()
    assert '<select name="owner_enterprise_id"' not in html
    assert 'data-picker-url="/registry/places/lookup/owner_enterprise_id/"' in html
    assert "citysafe/picker.js" in html


def test_picker_finds_own_townships_enterprise_by_name_and_never_another_townships(world):
    own, other = world.enterprise_in_a, world.enterprise_in_b
    found = lookup(world.township_officer, "places", "owner_enterprise_id", own.name)
    assert own.pk in {r["id"] for r in found["results"]}
    assert {r["label"] for r in found["results"]} >= {own.name}
    assert lookup(world.township_officer, "places", "owner_enterprise_id", other.name)["results"] == [] or all(
        Enterprise.objects.get(pk=r["id"]).township_id == world.township_a.pk
        for r in lookup(world.township_officer, "places", "owner_enterprise_id", other.name)["results"])
    by_code = lookup(world.township_officer, "places", "owner_enterprise_id", own.uscc)
    assert [r["id"] for r in by_code["results"]] == [own.pk]


def test_picker_answers_at_most_twenty_and_only_in_scope(world):
    everything = lookup(world.township_officer, "places", "owner_enterprise_id")
    assert len(everything["results"]) == 20 and everything["more"] is True
    ids = {r["id"] for r in everything["results"]}
    assert set(Enterprise.objects.filter(pk__in=ids).values_list("township_id", flat=True)) == {world.township_a.pk}
    mine = lookup(world.enterprise_officer, "places", "owner_enterprise_id")
    assert [r["id"] for r in mine["results"]] == [world.enterprise.pk] and mine["more"] is False


def test_picker_without_script_still_takes_an_id_and_refuses_one_outside_scope(world):
    client = signed_in(world.township_officer)
    lon, lat = world.enterprise_in_a.lon, world.enterprise_in_a.lat
    payload = {"name": "锁南镇测试仓库", "place_type": "other", "lon": lon, "lat": lat}
    refused = client.post(reverse("registry:create", args=["places"]),
                          {**payload, "owner_enterprise_id": world.enterprise_in_b.pk})
    assert refused.status_code == 200 and "owner_enterprise_id" in refused.context["form"].errors
    assert not Place.objects.filter(name="锁南镇测试仓库").exists()
    saved = client.post(reverse("registry:create", args=["places"]),
                        {**payload, "owner_enterprise_id": world.enterprise_in_a.pk})
    assert saved.status_code == 302
    assert Place.objects.get(name="锁南镇测试仓库").owner_enterprise_id == world.enterprise_in_a.pk


def test_role_without_a_form_gets_no_options(world):
    assert signed_in(world.leader).get(reverse("registry:lookup", args=["places", "owner_enterprise_id"])).status_code == 403
    assert signed_in(world.admin).get(reverse("registry:lookup", args=["places", "name"])).status_code == 404


# ---- a save outside the user's area ---------------------------------------------------------

def test_place_saved_outside_the_township_keeps_what_was_typed_and_names_the_area(world):
    officer = world.township_officer
    where = world.enterprise_in_b
    payload = {"name": "河对岸的仓库", "place_type": "other", "lon": where.lon, "lat": where.lat,
               "address": "唐汪镇某路1号", "capacity": "12"}
    response = signed_in(officer).post(reverse("registry:create", args=["places"]), payload)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["township_id"] == [
        f"保存后该记录将位于您的管辖范围（{world.township_a.name}）之外：请检查位置和所属区域"]
    html = response.content.decode()
    assert 'value="河对岸的仓库"' in html and 'value="唐汪镇某路1号"' in html and "无权操作" not in html
    assert not Place.objects.filter(name="河对岸的仓库").exists()


def test_api_answers_422_naming_the_field_for_a_save_outside_the_area(world):
    where = world.enterprise_in_b
    response = Api(world.township_officer).post("places", {
        "name": "河对岸的仓库", "place_type": "other",
        "geometry": {"type": "Point", "coordinates": [where.lon, where.lat]}})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail == [{"loc": ["body", "township_id"], "type": "out_of_scope",
                       "msg": f"保存后该记录将位于您的管辖范围（{world.township_a.name}）之外：请检查位置和所属区域"}]


@pytest.mark.parametrize("resource", ["enterprises"])
def test_department_moving_an_enterprise_to_another_industry_is_told_which_are_its_own(world, resource):
    enterprise = Enterprise.objects.filter(industry__in=world.department.organisation.industries.all(),
                                           archived_at__isnull=True).first()
    other = Industry.objects.exclude(pk__in=world.department.organisation.industries.all()).first()
    response = Api(world.department).patch(f"{resource}/{enterprise.pk}", {"industry_id": other.pk,
                                                                            "version": enterprise.version})
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["loc"] == ["body", "industry_id"] and item["type"] == "out_of_scope"
    for industry in world.department.organisation.industries.all():
        assert industry.name in item["msg"]


def test_list_filters_are_wired_to_follow_and_a_grid_worker_gets_no_empty_village_filter(world):
    html = signed_in(world.admin).get(reverse("registry:list", args=["places"])).content.decode()
    assert 'hx-get="/registry/places/filter-options/grid_id/"' in html
    assert 'hx-trigger="change from:#filter-township_id, change from:#filter-village_id"' in html
    worker = signed_in(world.grid_worker).get(reverse("registry:list", args=["places"])).content.decode()
    assert 'name="village_id"' not in worker and 'name="grid_id"' in worker


def test_edit_form_picker_shows_the_current_owners_name_and_keeps_its_id(world):
    place = Place.objects.filter(owner_enterprise__township=world.township_a, township=world.township_a,
                                 archived_at__isnull=True).first()
    html = signed_in(world.township_officer).get(reverse("registry:edit", args=["places", place.pk])).content.decode()
    assert f'name="owner_enterprise_id" value="{place.owner_enterprise_id}"' in html
    assert f'data-label="{place.owner_enterprise.name}"' in html
