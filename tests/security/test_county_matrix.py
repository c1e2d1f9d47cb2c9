"""Two counties in one deployment (issue 19): every role of either county sees nothing of the
other — through the scope queries of every scoped model, the in-memory check, every record
kind's API list/detail/change, the pages' search, the map layers, the exports, the change feed
and the reference targets — and the prefecture office reads both and writes neither.

The oracle is independent of core.scope: the second county (广河县) is loaded inside the test,
after the ids of every table were noted, so a row is the second county's exactly when its id
is above the noted one (the loader writes only that county's rows)."""
import json
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from citysafe.accounts.models import User
from citysafe.core import scope
from citysafe.core.kinds import all_kinds, get_kind
from citysafe.core.scope_fields import ScopeFields
from citysafe.hazards.demo_counties import seed_second_county_hazards
from citysafe.registry.demo.second_county import build_second_county, ensure_prefecture
from citysafe.registry.models import Area, Enterprise, Person
from conftest import DEMO_PASSWORD
from tests.api.test_kind_matrix import listed_ids

ROLES = ["admin", "leader", "department", "township", "grid", "enterprise"]


def scoped_models():
    """Every concrete model of our apps that scope limits (not a directory), with integer ids."""
    found = []
    for model in apps.get_models():
        fields = getattr(model, "scope", None)
        if not model.__module__.startswith(("citysafe.", "tests.")) or not isinstance(fields, ScopeFields):
            continue
        if fields.public or model._meta.pk.get_internal_type() not in ("AutoField", "BigAutoField"):
            continue
        found.append(model)
    return found


@dataclass
class TwoCounties:
    before: dict  # model label -> the highest id before the second county was loaded
    a: dict       # role -> user of the first county (东乡)
    b: dict       # role -> user of the second county (广河)
    prefecture: User

    def is_b(self, obj) -> bool:
        return obj.pk > self.before[obj._meta.label]


def _users(**lookups):
    return User.objects.select_related("organisation__area", "enterprise").get(**lookups)


@pytest.fixture
def two(db):
    ensure_prefecture(DEMO_PASSWORD)
    before = {}
    for model in scoped_models():
        last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
        before[model._meta.label] = last or 0
    build_second_county(DEMO_PASSWORD)
    seed_second_county_hazards()
    township_a = Area.objects.filter(level="township", county__code="622926").order_by("code")[0]
    a = {"admin": _users(username="admin"), "leader": _users(username="leader"),
         "department": _users(username="dept_yjj"),
         "township": User.objects.filter(role="township", organisation__area=township_a).get(),
         "grid": User.objects.filter(role="grid", grids__township=township_a).order_by("username")[0],
         "enterprise": User.objects.filter(role="enterprise").exclude(username__startswith="gh_").order_by("username")[0]}
    b = {"admin": _users(username="gh_admin"), "leader": _users(username="gh_leader"),
         "department": _users(username="gh_dept_yjj"), "township": _users(username="gh_township_01"),
         "grid": _users(username="gh_grid_01"), "enterprise": _users(username="gh_ent_01")}
    return TwoCounties(before, a, b, _users(username="pref_admin"))


def _leaks(user, two: TwoCounties, own_is_b: bool) -> list[str]:
    """Models in which `user` sees a row of the other county."""
    leaks = []
    for model in scoped_models():
        label = model._meta.label
        visible = scope.narrow(user, model._default_manager.all(), include_archived=True)
        other = visible.filter(pk__lte=two.before[label]) if own_is_b else visible.filter(pk__gt=two.before[label])
        if other.exists():
            leaks.append(f"{label}: {list(other.values_list('pk', flat=True)[:5])}")
    return leaks


@pytest.mark.parametrize("role", ROLES)
def test_no_scoped_row_of_the_first_county_is_visible_to_the_second_countys_users(two, role):
    assert _leaks(two.b[role], two, own_is_b=True) == []


@pytest.mark.parametrize("role", ROLES)
def test_no_scoped_row_of_the_second_county_is_visible_to_the_first_countys_users(two, role):
    assert _leaks(two.a[role], two, own_is_b=False) == []


@pytest.mark.parametrize("role", ROLES)
def test_each_county_still_sees_its_own_records(two, role):
    for model in (Enterprise, Person):
        mine_b = scope.narrow(two.b[role], model.objects.all())
        mine_a = scope.narrow(two.a[role], model.objects.all())
        assert mine_b.exists() and all(two.is_b(o) for o in mine_b)
        assert mine_a.exists() and not any(two.is_b(o) for o in mine_a)


@pytest.mark.parametrize("role", ROLES)
def test_the_in_memory_check_agrees_for_the_other_countys_rows(two, role):
    """`scope.contains` (used before every save) refuses the other county's rows."""
    for model in scoped_models():
        label = model._meta.label
        rows = model._default_manager.order_by("pk")
        for obj in (rows.filter(pk__lte=two.before[label]).first(), rows.filter(pk__lte=two.before[label]).last()):
            if obj is not None:
                assert not scope.contains(two.b[role], obj), (label, obj.pk)
        for obj in (rows.filter(pk__gt=two.before[label]).first(), rows.filter(pk__gt=two.before[label]).last()):
            if obj is not None:
                assert not scope.contains(two.a[role], obj), (label, obj.pk)


def test_the_prefecture_office_reads_both_counties_and_cannot_change_them(two):
    pref = two.prefecture
    for model in (Area, Enterprise, Person, apps.get_model("hazards", "Hazard")):
        seen = list(scope.narrow(pref, model._default_manager.all()))
        assert any(two.is_b(o) for o in seen) and any(not two.is_b(o) for o in seen), model._meta.label
        assert not scope.may(pref, model, scope.Action.CHANGE)
        assert not scope.may(pref, model, scope.Action.CREATE)
    client = Client()
    client.force_login(pref)
    enterprise_a = Enterprise.objects.filter(pk__lte=two.before["registry.Enterprise"]).order_by("pk").first()
    enterprise_b = Enterprise.objects.filter(pk__gt=two.before["registry.Enterprise"]).order_by("pk").first()
    for enterprise in (enterprise_a, enterprise_b):
        assert client.get(f"/api/v1/enterprises/{enterprise.pk}").status_code == 200
        changed = client.patch(f"/api/v1/enterprises/{enterprise.pk}",
                               json.dumps({"address": "州里改的", "version": enterprise.version}),
                               content_type="application/json")
        assert changed.status_code == 403
        assert client.delete(f"/api/v1/enterprises/{enterprise.pk}").status_code == 403


def test_a_prefecture_office_of_another_prefecture_sees_neither_county(two):
    from citysafe.accounts.models import Organisation

    other = Area.objects.create(code="622800", name="另一个州（测试）", level="prefecture",
                                parent=Area.objects.get(code="620000"))
    office = Organisation.objects.create(kind="office", code="t_other_aw", name="另一个州安委办", area=other)
    user = User.objects.create(username="other_pref", role="prefecture", organisation=office)
    assert not scope.narrow(user, Enterprise.objects.all()).exists()
    assert not scope.narrow(user, Area.objects.filter(level="township")).exists()


KINDS = sorted(kind.key for kind in all_kinds())


class _Api:
    def __init__(self, user):
        self.client = Client()
        self.client.force_login(user)
        self.headers = {}

    def get(self, path, **params):
        return self.client.get(f"/api/v1/{path}", params)


@pytest.mark.parametrize("key", KINDS)
def test_each_kinds_api_keeps_the_counties_apart(two, key):
    """List (every page), detail, change and archive of every record kind, both ways."""
    model = get_kind(key).model
    if model.scope.public:
        return
    label = model._meta.label
    for own_is_b, user in ((True, two.b["admin"]), (False, two.a["admin"])):
        api = _Api(user)
        listed = listed_ids(api, key)
        assert all((pk > two.before[label]) == own_is_b for pk in listed), (label, own_is_b)
        others = model._default_manager.filter(**({"pk__lte": two.before[label]} if own_is_b
                                                  else {"pk__gt": two.before[label]})).order_by("pk")
        for obj in {others.first(), others.last()} - {None}:
            assert api.client.get(f"/api/v1/{key}/{obj.pk}").status_code == 404
            version = getattr(obj, "version", 1)
            patched = api.client.patch(f"/api/v1/{key}/{obj.pk}", json.dumps({"version": version}),
                                       content_type="application/json")
            assert patched.status_code in (403, 404)
            assert api.client.delete(f"/api/v1/{key}/{obj.pk}").status_code in (403, 404)


def _first(model, two, of_b: bool):
    label = model._meta.label
    rows = model.objects.order_by("pk")
    return (rows.filter(pk__gt=two.before[label]) if of_b else rows.filter(pk__lte=two.before[label])).first()


@pytest.mark.parametrize("role", ["admin", "department", "township"])
def test_a_second_county_user_cannot_point_a_record_at_the_first_countys(two, role):
    user = two.b[role]
    enterprise_a, township_a = _first(Enterprise, two, False), Area.objects.get(code="622926100") \
        if Area.objects.filter(code="622926100").exists() else Area.objects.filter(level="township").order_by("pk")[0]
    assert not scope.reference_targets(user, Person, "enterprise").filter(pk=enterprise_a.pk).exists()
    assert not scope.reference_targets(user, Person, "township").filter(pk=township_a.pk).exists()
    assert not scope.choice_targets(user, Person, "township").filter(county__code="622926").exists()
    organisation_a = user.__class__.objects.get(username="admin").organisation
    assert not scope.reference_targets(user, Person, "organisation").filter(pk=organisation_a.pk).exists()
    client = Client()
    client.force_login(user)
    created = client.post("/api/v1/persons", json.dumps({"name": "越界人", "phone": "13800000001",
                                                         "enterprise_id": enterprise_a.pk}),
                          content_type="application/json")
    assert created.status_code == 422, created.content
    assert not Person.objects.filter(name="越界人").exists()


def test_second_county_admin_gets_404_on_the_first_countys_record_pages_and_search(two):
    client = Client()
    client.force_login(two.b["admin"])
    enterprise_a = _first(Enterprise, two, False)
    kind = get_kind("enterprises")
    detail = reverse(kind.urls["detail"], args=["enterprises", enterprise_a.pk])
    listing = client.get(reverse(kind.urls["list"], args=["enterprises"]), {"q": enterprise_a.uscc})
    assert listing.status_code == 200 and detail not in listing.text
    assert client.get(detail).status_code == 404
    assert client.get(reverse(kind.urls["edit"], args=["enterprises", enterprise_a.pk])).status_code in (403, 404)


@pytest.mark.parametrize("layer", ["townships", "villages", "grids", "enterprises", "places"])
def test_map_layers_keep_the_counties_apart(two, layer):
    for own_is_b, user in ((True, two.b["admin"]), (False, two.a["admin"])):
        client = Client()
        client.force_login(user)
        response = client.get(reverse("registry_map:layer", args=[layer]))
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        features = json.loads(body)["features"]
        model = Area if layer in ("townships", "villages", "grids") else apps.get_model("registry", layer[:-1].title()
                                                                                         if layer != "places" else "Place")
        ids = [f.get("id", f["properties"].get("id")) for f in features]
        assert all((int(pk) > two.before[model._meta.label]) == own_is_b for pk in ids), (layer, own_is_b)


def test_exports_keep_the_counties_apart(two):
    client = Client()
    client.force_login(two.b["admin"])
    response = client.get(reverse("io:export", args=["enterprises"]), {"format": "geojson"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert _first(Enterprise, two, False).uscc not in text
    assert _first(Enterprise, two, True).uscc in text


def test_the_change_feed_keeps_the_counties_apart(two):
    """Each county's admin changes one of its enterprises; each reads the feed from the start
    and gets its own change, not the other county's."""
    from citysafe.registry.services import update_enterprise

    mine = {True: _first(Enterprise, two, True), False: _first(Enterprise, two, False)}
    update_enterprise(two.b["admin"], mine[True].pk, {"address": "广河县城关镇测试路1号"})
    update_enterprise(two.a["admin"], mine[False].pk, {"address": "锁南镇测试路1号"})
    for is_b, user in ((True, two.b["admin"]), (False, two.a["admin"])):
        client = Client()
        client.force_login(user)
        response = client.get("/api/v1/changes/enterprises", {"cursor": 0, "limit": 1000})
        assert response.status_code == 200, response.content
        ids = {item["id"] for item in response.json()["items"]}
        assert mine[is_b].pk in ids and mine[not is_b].pk not in ids


def test_the_prefecture_office_publishes_a_warning_over_both_counties_that_neither_county_may_change(two):
    from citysafe.early_warning.models import Warning
    from citysafe.early_warning.services import create_warning, default_times, transition_warning, update_warning
    from citysafe.early_warning.workflows import WARNING

    pref = two.prefecture
    onset, effective, expires = default_times()
    townships = [Area.objects.filter(level="township", county__code=code).order_by("pk")[0].pk
                 for code in ("622926", "622924")]
    warning = create_warning(pref, {"warning_type": "rainstorm", "level": 2, "headline": "临夏州暴雨橙色预警",
                                    "description": "全州范围内将出现强降雨。", "onset": onset, "effective": effective,
                                    "expires": expires, "areas": townships})
    assert warning.issuing_department_id == pref.organisation_id
    for step in ("submit", "pass_review", "approve", "publish"):
        warning = transition_warning(pref, warning.pk, step, expected_version=warning.version)
    assert warning.status == Warning.Status.PUBLISHED
    for county in (two.a, two.b):
        for role in ("admin", "leader", "township"):
            assert scope.narrow(county[role], Warning.objects.filter(pk=warning.pk)).exists(), role
        assert WARNING.available(county["admin"], warning) == []
        with pytest.raises(Warning.DoesNotExist):
            update_warning(county["admin"], warning.pk, {"headline": "县里改的"})
    # ... and the prefecture office writes no county's own warning.
    county_warning = Warning.objects.exclude(issuing_department=pref.organisation).filter(
        status=Warning.Status.DRAFT).order_by("pk").first()
    assert county_warning is not None and scope.contains(pref, county_warning)
    assert not two.is_b(county_warning)  # a demo warning of the first county, which still writes it
    assert scope.narrow(two.a["admin"], Warning.objects.filter(pk=county_warning.pk), for_write=True).exists()
    with pytest.raises(Warning.DoesNotExist):
        transition_warning(pref, county_warning.pk, "submit", expected_version=county_warning.version)
