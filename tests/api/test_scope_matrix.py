"""Every registry resource × every role, through the API: outside a user's data scope a
record cannot be listed, read (404), changed or archived (404, or 403 where the role may
never do that); inside it, what the role may do works."""
import pytest
from django.db.models import Q

from citysafe.accounts.models import Organisation
from citysafe.registry import services
from citysafe.registry.models import Area, Enterprise, Industry, Person, Place
from kernels.codes import uscc_check_character
from tests.api.test_kind_matrix import listed_ids

MODELS = {"enterprises": Enterprise, "places": Place, "persons": Person, "areas": Area, "industries": Industry,
          "organisations": Organisation}
# A harmless change each role is allowed to make where it may change the resource at all.
PATCHES = {"enterprises": {"address": "测试路1号"}, "places": {"address": "测试路2号"}, "persons": {"title": "测试职务"},
           "areas": {"population": 1234}, "industries": {"description": "测试说明"},
           "organisations": {"phone": "0930-7123456"}}
FIELD_OFFICERS = {"admin", "department", "township", "grid", "enterprise"}
# Who may change / archive (REQUIREMENTS.md "Users"); the rest get 403.
MAY_CHANGE = {"enterprises": FIELD_OFFICERS, "places": FIELD_OFFICERS, "persons": FIELD_OFFICERS,
              "areas": {"admin"}, "industries": {"admin"}, "organisations": {"admin"}}
MAY_ARCHIVE = {"enterprises": {"admin", "department", "township"}, "places": {"admin", "department", "township"},
               "persons": {"admin", "department", "township"}, "areas": {"admin"}, "industries": {"admin"},
               "organisations": {"admin"}}
ROLES = ["admin", "leader", "department", "township", "grid", "enterprise"]


def _industries(w):
    return list(w.department.organisation.industries.values_list("pk", flat=True))


def inside(w, role: str, resource: str) -> Q:
    """Records the role is responsible for, in domain terms (not via core.scope)."""
    if role in ("admin", "leader") or resource in ("industries", "organisations"):
        return Q()
    ent = w.enterprise
    return {
        ("department", "enterprises"): Q(industry__in=_industries(w)),
        ("department", "places"): Q(industry__in=_industries(w)),
        ("department", "persons"): Q(enterprise__industry__in=_industries(w)),
        ("department", "areas"): Q(),
        ("township", "enterprises"): Q(township=w.township_a),
        ("township", "places"): Q(township=w.township_a),
        ("township", "persons"): Q(township=w.township_a),
        ("township", "areas"): Q(township=w.township_a),
        ("grid", "enterprises"): Q(grid=w.grid),
        ("grid", "places"): Q(grid=w.grid),
        ("grid", "persons"): Q(grid=w.grid),
        ("grid", "areas"): Q(pk=w.grid.pk),
        ("enterprise", "enterprises"): Q(pk=ent.pk),
        ("enterprise", "places"): Q(owner_enterprise=ent),
        ("enterprise", "persons"): Q(enterprise=ent),
        ("enterprise", "areas"): Q(pk=ent.grid_id),
    }[role, resource]


def outside(w, role: str, resource: str) -> Q:
    ent = w.enterprise
    return {
        ("department", "enterprises"): ~Q(industry__in=_industries(w)),
        ("department", "places"): ~Q(industry__in=_industries(w)),
        ("department", "persons"): ~Q(enterprise__industry__in=_industries(w))
        & ~Q(organisation=w.department.organisation_id),
        ("township", "enterprises"): ~Q(township=w.township_a),
        ("township", "places"): ~Q(township=w.township_a),
        ("township", "persons"): ~Q(township=w.township_a) & ~Q(organisation=w.township_officer.organisation_id),
        ("township", "areas"): Q(township=w.township_b),
        ("grid", "enterprises"): ~Q(grid=w.grid),
        ("grid", "places"): ~Q(grid=w.grid),
        ("grid", "persons"): ~Q(grid=w.grid),
        ("grid", "areas"): ~Q(pk=w.grid.pk),
        ("enterprise", "enterprises"): ~Q(pk=ent.pk),
        ("enterprise", "places"): ~Q(owner_enterprise=ent),
        ("enterprise", "persons"): ~Q(enterprise=ent),
        ("enterprise", "areas"): ~Q(pk__in=[ent.township_id, ent.village_id, ent.grid_id]),
    }[role, resource]


# Leaders, and admins, see the whole county; departments every area; everyone the directories.
OUTSIDE_CASES = [(res, role) for res in ("enterprises", "places", "persons") for role in
                 ("department", "township", "grid", "enterprise")] + [
    ("areas", role) for role in ("township", "grid", "enterprise")]


def uscc(first17: str) -> str:
    return first17 + uscc_check_character(first17)


def _owned_place(w):
    geometry = {"type": "Point", "coordinates": [w.enterprise.lon, w.enterprise.lat]}
    return services.create_place(w.admin, {"name": "企业自有仓库", "place_type": "other", "geometry": geometry,
                                           "owner_enterprise_id": w.enterprise.pk, "grid_id": w.enterprise.grid_id})


@pytest.mark.parametrize("resource,role", OUTSIDE_CASES)
def test_record_outside_scope_cannot_be_listed_read_changed_or_archived(world, api_as, resource, role):
    user = world.role_users()[role]
    record = MODELS[resource].objects.filter(outside(world, role, resource), archived_at__isnull=True).order_by("id").last()
    assert record is not None, "the demo county should have a record outside this scope"
    api = api_as(user)

    # Every page, following `next`: a record on a later page is still "listed".
    listed = listed_ids(api, resource)
    assert record.pk not in listed
    assert api.get(f"{resource}/{record.pk}").status_code == 404
    assert api.patch(f"{resource}/{record.pk}", {**PATCHES[resource], "version": record.version}).status_code == (
        404 if role in MAY_CHANGE[resource] else 403)
    assert api.delete(f"{resource}/{record.pk}").status_code == (404 if role in MAY_ARCHIVE[resource] else 403)
    record.refresh_from_db()
    assert record.archived_at is None


@pytest.mark.parametrize("resource", list(MODELS))
@pytest.mark.parametrize("role", ROLES)
def test_record_inside_scope_allows_what_the_role_may_do(world, api_as, resource, role):
    user = world.role_users()[role]
    if (role, resource) == ("enterprise", "places") and not Place.objects.filter(owner_enterprise=world.enterprise):
        _owned_place(world)
    record = MODELS[resource].objects.filter(inside(world, role, resource), archived_at__isnull=True).order_by("id").last()
    assert record is not None
    api = api_as(user)

    assert record.pk in listed_ids(api, resource)
    assert api.get(f"{resource}/{record.pk}").json()["id"] == record.pk

    changed = api.patch(f"{resource}/{record.pk}", {**PATCHES[resource], "version": record.version})
    if role in MAY_CHANGE[resource]:
        assert changed.status_code == 200, changed.content
        field, value = next(iter(PATCHES[resource].items()))
        assert changed.json()[field] == value
    else:
        assert changed.status_code == 403

    archived = api.delete(f"{resource}/{record.pk}")
    record.refresh_from_db()
    if role in MAY_ARCHIVE[resource]:
        assert archived.status_code == 204
        assert record.archived_at is not None
        assert api.get(f"{resource}/{record.pk}").status_code == 404
    else:
        assert archived.status_code == 403
        assert record.archived_at is None


@pytest.mark.parametrize("resource", list(MODELS))
def test_admin_sees_archived_only_when_asking_and_may_restore_and_purge(world, api_as, resource):
    admin = api_as(world.admin)
    model = MODELS[resource]
    if resource == "industries":
        record = services.create_industry(world.admin, {"code": "T-99", "name": "测试行业"})
    elif resource == "organisations":
        record = services.create_organisation(world.admin, {"kind": "department", "code": "t99", "name": "测试局"})
    elif resource == "areas":
        record = services.create_area(world.admin, {"code": "622926999", "name": "测试网格", "level": "grid",
                                                    "parent_id": world.grid.parent_id})
    elif resource == "persons":
        record = services.create_person(world.admin, {"name": "测试人", "phone": "13800000000"})
    elif resource == "places":
        record = services.create_place(world.admin, {"name": "测试场所", "place_type": "other",
                                                     "geometry": {"type": "Point", "coordinates":
                                                                  [world.enterprise.lon, world.enterprise.lat]}})
    else:
        record = services.create_enterprise(world.admin, {
            "name": "测试企业", "uscc": uscc("91622926MA0000001"), "industry_id": world.enterprise.industry_id,
            "lon": world.enterprise.lon, "lat": world.enterprise.lat})
    assert admin.delete(f"{resource}/{record.pk}").status_code == 204

    assert admin.get(f"{resource}/{record.pk}").status_code == 404
    assert record.pk not in {i["id"] for i in admin.get(resource, limit=500, ordering="-id").json()["items"]}
    assert admin.get(f"{resource}/{record.pk}", include_archived="true").json()["archived_at"] is not None
    assert record.pk in {i["id"] for i in admin.get(resource, limit=500, ordering="-id",
                                                     include_archived="true").json()["items"]}
    # Others cannot ask for archived records, nor restore or purge.
    township = api_as(world.township_officer)
    assert township.get(f"{resource}/{record.pk}", include_archived="true").status_code == 404
    assert township.post(f"{resource}/{record.pk}/purge").status_code == 403

    restored = admin.post(f"{resource}/{record.pk}/restore")
    assert restored.status_code == 200 and restored.json()["archived_at"] is None
    assert admin.post(f"{resource}/{record.pk}/purge").status_code == 204
    assert not model.objects.filter(pk=record.pk).exists()
