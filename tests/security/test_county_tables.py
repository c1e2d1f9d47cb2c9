"""Tables that were "county-wide" (configuration, publications, residents' subscriptions, the
audit log) in a deployment of two counties (issue 19): each county's admin reads and writes
its own county's rows only (another county's row does not exist for it), the prefecture office
reads both counties' and writes none, and what a county creates lands in that county. Also the
location check against the county outline and the department rules keyed on what an
organisation is (gh_yjj is an emergency management bureau like yjj).

A one-county deployment behaves as before: the existing tests of these apps run unchanged."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from shapely.geometry import shape

from citysafe.accounts.models import User
from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot, visible_records
from citysafe.core.audit_models import AuditRecord
from citysafe.early_warning import config_services, public_services, selectors
from citysafe.early_warning.models import ApprovalRule, CapSource
from citysafe.early_warning.models import Subscription as ResidentSubscription
from citysafe.early_warning.services import create_warning
from citysafe.early_warning.workflows import approver_roles
from citysafe.hazards.demo_counties import seed_second_county_hazards
from citysafe.registry.counties import county_for_write, home_county_of
from citysafe.registry.demo.second_county import build_second_county, ensure_prefecture
from citysafe.registry.models import Area, Enterprise, Industry
from citysafe.risks.map import layers
from citysafe.risks.map.publication import publish_risk_map
from citysafe.risks.models import RiskMapPublication
from conftest import DEMO_PASSWORD

HOME, SECOND = "622926", "622924"  # 东乡族自治县, 广河县 (synthetic outline)


@pytest.fixture
def two(db):
    ensure_prefecture(DEMO_PASSWORD)
    build_second_county(DEMO_PASSWORD)
    seed_second_county_hazards()
    users = {name: User.objects.select_related("organisation__area").get(username=name)
             for name in ("admin", "leader", "gh_admin", "gh_leader", "gh_dept_yjj", "dept_yjj", "pref_admin")}
    users["a"], users["b"] = Area.objects.get(code=HOME), Area.objects.get(code=SECOND)
    return users


def _township(code):
    return Area.objects.filter(level="township", county__code=code).order_by("code")[0]


def _grid(code):
    return Area.objects.filter(level="grid", county__code=code, geometry__isnull=False).order_by("code")[0]


def _point_in(area):
    point = shape(area.geometry).representative_point()
    return point.x, point.y


def _may_use_admin_pages(user, *models):
    """The admin site's model permissions (the demo's home admin is a superuser)."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    for model in models:
        content_type = ContentType.objects.get_for_model(model)
        user.user_permissions.add(*Permission.objects.filter(content_type=content_type))
    return _fresh(user)


def _fresh(user):
    """The same account without core.scope's per-request caches (as on the next request)."""
    return User.objects.select_related("organisation__area").get(pk=user.pk)


# ---- approval rules ----------------------------------------------------------------------

def test_each_county_keeps_its_own_approval_rules(two):
    home_before = approver_roles(1)
    rule = config_services.set_approvers(two["gh_admin"], 1, ["admin"])
    assert rule.county == two["b"]
    assert approver_roles(1) == home_before, "the home county's rule is unchanged"
    assert [r.pk for r in scope.narrow(two["gh_admin"], ApprovalRule.objects.all())] == [rule.pk]
    assert rule.pk not in scope.narrow(two["admin"], ApprovalRule.objects.values_list("pk", flat=True))
    assert not scope.narrow(two["gh_leader"], ApprovalRule.objects.exclude(pk=rule.pk)).exists()
    seen = set(scope.narrow(two["pref_admin"], ApprovalRule.objects.values_list("pk", flat=True)))
    assert rule.pk in seen and len(seen) > 1, "the prefecture office reads both counties' rules"
    # Setting it again changes the county's one rule (one rule per county and level).
    again = config_services.set_approvers(_fresh(two["gh_admin"]), 1, ["leader", "admin"])
    assert again.pk == rule.pk and ApprovalRule.objects.filter(county=two["b"], level=1).count() == 1


def test_a_warning_is_approved_by_the_roles_of_its_own_countys_rule(two):
    config_services.set_approvers(two["gh_admin"], 1, ["admin"])
    now = timezone.now().replace(microsecond=0)
    data = {"warning_type": "rainstorm", "level": 1, "headline": "广河暴雨", "description": "强降雨",
            "onset": now, "effective": now, "expires": now + timedelta(hours=6), "area_kind": "areas",
            "areas": [_township(SECOND).pk]}
    warning_b = create_warning(two["gh_dept_yjj"], data)
    assert approver_roles(1, warning_b, two["gh_dept_yjj"]) == ["admin"]
    warning_a = create_warning(two["dept_yjj"], {**data, "headline": "东乡暴雨", "areas": [_township(HOME).pk]})
    assert "admin" not in approver_roles(1, warning_a, two["dept_yjj"]), "红色预警 in the home county: its leader"


def test_the_prefecture_office_sets_no_countys_approval_rule(two):
    with pytest.raises(PermissionDenied):
        config_services.set_approvers(two["pref_admin"], 1, ["admin"])


def test_a_county_admin_may_not_name_another_county_for_its_rows(two):
    with pytest.raises(ValidationError) as caught:
        county_for_write(two["gh_admin"], two["a"].pk)
    assert caught.value.error_dict["county"][0].code == "out_of_scope"
    with pytest.raises(ValidationError) as caught:
        county_for_write(two["pref_admin"])  # a user of several counties must name one
    assert caught.value.error_dict["county"][0].code == "required"
    assert county_for_write(two["pref_admin"], two["b"].pk) == two["b"]
    assert home_county_of(two["gh_admin"]) == two["b"] and home_county_of(two["pref_admin"]) is None


def test_the_admin_site_lists_a_countys_own_approval_rules_only(two):
    mine = config_services.set_approvers(two["gh_admin"], 2, ["admin"])
    client = Client()
    client.force_login(_may_use_admin_pages(two["gh_admin"], ApprovalRule))
    listing = client.get("/admin/early_warning/approvalrule/")
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    other = ApprovalRule.objects.exclude(pk=mine.pk).first()
    assert client.get(f"/admin/early_warning/approvalrule/{other.pk}/change/").status_code == 302  # "does not exist"


# ---- CAP sources -------------------------------------------------------------------------

def test_cap_sources_belong_to_the_county_that_adds_them(two):
    home = config_services.save_cap_source(two["admin"], CapSource(name="东乡气象", url="https://example.org/a.xml"))
    mine = config_services.save_cap_source(two["gh_admin"], CapSource(name="广河气象", url="https://example.org/b.xml"))
    assert mine.county == two["b"] and home.county == two["a"]
    assert list(scope.narrow(two["gh_admin"], CapSource.objects.all())) == [mine]
    assert list(scope.narrow(two["admin"], CapSource.objects.all())) == [home]
    assert set(scope.narrow(two["pref_admin"], CapSource.objects.all())) == {home, mine}
    mine.name = "东乡改的"
    with pytest.raises(CapSource.DoesNotExist):  # another county's source does not exist for it
        config_services.save_cap_source(_fresh(two["admin"]), mine)
    assert CapSource.objects.get(pk=mine.pk).name == "广河气象"


# ---- residents' subscriptions (personal data) ---------------------------------------------

def test_a_residents_subscription_is_kept_by_the_county_subscribed_to(two):
    a = public_services.subscribe("c1", channel="sms", address="13900005551", area_ids=[_township(HOME).pk])
    b = public_services.subscribe("c2", channel="sms", address="13900005552", area_ids=[_township(SECOND).pk])
    by_place = public_services.subscribe("c3", channel="sms", address="13900005553", lon=_point_in(_grid(SECOND))[0],
                                         lat=_point_in(_grid(SECOND))[1])
    assert (a.county, b.county, by_place.county) == (two["a"], two["b"], two["b"])
    assert set(selectors.subscriptions(two["gh_admin"])) == {b, by_place}
    assert a in selectors.subscriptions(two["admin"]) and b not in selectors.subscriptions(two["admin"])
    assert not selectors.subscriptions(two["gh_dept_yjj"]).exists(), "county-wide roles only"
    assert {a, b, by_place} <= set(selectors.subscriptions(two["pref_admin"]))


def test_one_subscription_cannot_span_two_counties(two):
    with pytest.raises(ValidationError) as caught:
        public_services.subscribe("c4", channel="sms", address="13900005554",
                                  area_ids=[_township(HOME).pk, _township(SECOND).pk])
    assert caught.value.error_dict["areas"][0].code == "one_county"
    assert not ResidentSubscription.objects.filter(address="13900005554").exists()


# ---- the public risk map ------------------------------------------------------------------

def test_each_county_publishes_its_own_risk_map(two):
    home_before = layers.current_publication()
    row = publish_risk_map(two["gh_admin"], published=True, note="广河县公开")
    assert row.county == two["b"]
    assert layers.current_publication(two["b"].pk) == row
    assert layers.current_publication() == home_before, "the home county's map is unchanged"
    assert list(scope.narrow(two["gh_admin"], RiskMapPublication.objects.all())) == [row]
    assert row not in scope.narrow(two["admin"], RiskMapPublication.objects.all())
    assert row in scope.narrow(two["pref_admin"], RiskMapPublication.objects.all())
    with pytest.raises(PermissionDenied):
        publish_risk_map(two["pref_admin"], published=True, county_id=two["b"].pk)
    client = Client()
    client.force_login(two["admin"])
    page = client.get("/risk-map/publication/")
    assert page.status_code == 200 and row not in page.context["history"]


# ---- the audit log ------------------------------------------------------------------------

def test_the_audit_log_shows_a_county_its_own_chain(two):
    enterprise_b = Enterprise.objects.filter(township__county=two["b"]).order_by("pk").first()
    enterprise_a = Enterprise.objects.filter(township__county=two["a"]).order_by("pk").first()
    mine = record_change(actor=two["gh_admin"], action="update", instance=enterprise_b,
                         before=snapshot(enterprise_b), after=snapshot(enterprise_b), note="gh")
    theirs = record_change(actor=two["admin"], action="update", instance=enterprise_a,
                           before=snapshot(enterprise_a), after=snapshot(enterprise_a), note="dx")
    prefecture = record_change(actor=two["pref_admin"], action="test", object_type="t.T", object_id="1")
    assert mine.chain == SECOND and prefecture.chain not in (SECOND, HOME, "root")
    gh = visible_records(two["gh_admin"])
    assert gh.filter(pk=mine.pk).exists() and not gh.filter(pk=theirs.pk).exists()
    assert not gh.filter(pk=prefecture.pk).exists()
    home = visible_records(two["admin"])
    assert home.filter(pk=theirs.pk).exists() and not home.filter(pk=mine.pk).exists()
    assert set(visible_records(two["pref_admin"]).filter(pk__in=[mine.pk, theirs.pk, prefecture.pk])) == {
        mine, theirs, prefecture}
    client = Client()
    client.force_login(_may_use_admin_pages(two["gh_admin"], AuditRecord))
    listing = client.get("/admin/core/auditrecord/")
    assert listing.status_code == 200
    shown = {r.pk for r in listing.context["cl"].result_list}
    assert mine.pk in shown and theirs.pk not in shown
    assert client.get(f"/admin/core/auditrecord/{theirs.pk}/change/").status_code == 302


def test_every_chain_still_verifies(two):
    from citysafe.core.audit import verify_chains

    for key in ("pref_admin", "gh_admin", "admin"):
        record_change(actor=two[key], action="test", object_type="t.T", object_id="1")
    reports = verify_chains()
    assert {SECOND, HOME} <= {report.chain for report in reports}
    assert all(report.is_intact for report in reports)


# ---- webhook subscriptions: a county's subscription is fed that county's records only ---------

def test_a_countys_webhook_subscription_is_fed_its_own_countys_records_only(two):
    from citysafe.hazards.models import Hazard
    from citysafe.sharing.models import Delivery, Subscription
    from citysafe.sharing.webhooks.fanout import fan_out

    fan_out(batch=100000)  # what the fixtures left behind is not this test's
    subs = {key: Subscription.objects.create(owner=two[key], name=key, url="https://example.org/hook",
                                             secret="s" * 64, events=["hazard.registered"],
                                             since_audit_id=AuditRecord.objects.order_by("-pk").values_list(
                                                 "pk", flat=True).first())
            for key in ("admin", "gh_admin", "pref_admin")}
    hazard_a = Hazard.objects.filter(township__county=two["a"]).order_by("pk").first()
    hazard_b = Hazard.objects.filter(township__county=two["b"]).order_by("pk").first()
    assert hazard_a is not None and hazard_b is not None
    for hazard in (hazard_a, hazard_b):
        record_change(actor=None, action="create", instance=hazard, after=snapshot(hazard))
    while fan_out()[0]:
        pass

    def fed(key):
        return {d.payload["record_id"] for d in Delivery.objects.filter(subscription=subs[key])}

    assert fed("gh_admin") == {hazard_b.pk}
    assert fed("admin") == {hazard_a.pk}
    assert fed("pref_admin") == {hazard_a.pk, hazard_b.pk}


# ---- the outline check follows the user's county -------------------------------------------

def _enterprise(lon, lat, n):
    return {"name": f"测试企业{n}", "uscc": f"91622924MA00000{n:02d}X"[:18], "lon": lon, "lat": lat,
            "industry_id": Industry.objects.get(code="gas_station").pk}


def test_a_second_county_admin_places_an_enterprise_in_its_own_county_only(two):
    from citysafe.registry.services import create_enterprise
    from citysafe.registry.tests.test_services import new_uscc

    lon, lat = _point_in(_grid(SECOND))
    created = create_enterprise(two["gh_admin"], {**_enterprise(lon, lat, 1), "uscc": new_uscc(71)})
    assert created.township.county_id == two["b"].pk
    lon_a, lat_a = _point_in(_grid(HOME))
    with pytest.raises(ValidationError) as caught:
        create_enterprise(_fresh(two["gh_admin"]), {**_enterprise(lon_a, lat_a, 2), "uscc": new_uscc(72)})
    assert [e.code for e in caught.value.error_dict["location"]] == ["geometry_outside"]
    with pytest.raises(ValidationError) as caught:
        create_enterprise(_fresh(two["admin"]), {**_enterprise(lon, lat, 3), "uscc": new_uscc(73)})
    assert [e.code for e in caught.value.error_dict["location"]] == ["geometry_outside"]


# ---- rules keyed on what an organisation is --------------------------------------------------

def test_the_second_countys_emergency_bureau_keeps_emergency_records_like_the_first(two):
    for label in ("emergency.Shelter", "emergency.Incident", "emergency.RoadSegment"):
        assert scope.may(two["gh_dept_yjj"], label, scope.Action.CREATE), label
        assert scope.may(two["dept_yjj"], label, scope.Action.CREATE), label
    assert not scope.may(two["gh_dept_yjj"], "construction.ConstructionProject", scope.Action.CREATE)


# ---- the road network: one network to route on, each county keeps its own roads --------------

def test_a_county_replaces_closes_and_reopens_its_own_roads_only(two):
    import json

    from citysafe.emergency.models import RoadSegment
    from citysafe.emergency.services import roads

    home_road = RoadSegment.objects.create(name="东乡测试路", geometry={"type": "LineString", "coordinates": [
        [103.38, 35.66], [103.39, 35.66]]}, speed_kmh=40)
    cx, cy = _point_in(_grid(SECOND))
    feature = {"type": "Feature", "properties": {"name": "广河测试路", "highway": "secondary"},
               "geometry": {"type": "LineString", "coordinates": [[cx, cy], [cx + 0.01, cy]]}}
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    assert roads.import_roads(two["gh_dept_yjj"], data, "geojson", replace=True) == 1
    mine = RoadSegment.objects.get(name="广河测试路")
    assert mine.county == two["b"] and RoadSegment.objects.filter(pk=home_road.pk).exists(), \
        "replacing the second county's network leaves the first county's roads"
    with pytest.raises(RoadSegment.DoesNotExist):
        roads.close_road(_fresh(two["gh_admin"]), home_road.pk, "塌方")
    assert roads.close_road(_fresh(two["gh_admin"]), mine.pk, "塌方").closed
    with pytest.raises(RoadSegment.DoesNotExist):
        roads.reopen_road(_fresh(two["admin"]), mine.pk)
    assert roads.close_road(_fresh(two["admin"]), home_road.pk, "积水").closed
    assert scope.narrow(two["gh_leader"], RoadSegment.objects.filter(pk=home_road.pk)).exists(), "everyone routes on it"


def test_a_cap_alert_for_one_county_covers_that_countys_townships_only(two):
    from pathlib import Path

    from citysafe.early_warning.cap_import import import_cap

    sample = Path(__file__).resolve().parents[2] / "citysafe/early_warning/tests/cap/cma_rainstorm_12.xml"
    warning = import_cap(two["dept_yjj"], sample.read_bytes(), source="test")  # geocode 622926: 东乡
    counties = set(warning.townships.values_list("county__code", flat=True))
    assert counties == {HOME}


# ---- the public (no-login) risk map, one county at a time ---------------------------------

def _public_points(**params):
    response = Client().get("/risk-map/public/layers/points.geojson", params)
    assert response.status_code == 200, response.content[:200]
    return {feature["id"] for feature in response.json()["features"]}


def _points_of(county):
    from citysafe.risks.models import RiskPoint

    return set(RiskPoint.objects.filter(township__county=county, archived_at__isnull=True, is_sensitive=False)
               .values_list("pk", flat=True))


def test_the_public_map_shows_each_county_only_its_own_points_and_only_once_it_published(two):
    from citysafe.risks.models import RiskPoint

    lon, lat = _point_in(_township(SECOND))
    RiskPoint.objects.create(name="广河县公开测试风险点", area=_township(SECOND), township=_township(SECOND), lon=lon, lat=lat, level=2)
    assert _points_of(two["b"]), "the second county has a risk point"
    publish_risk_map(two["admin"], published=True, note="东乡县公开")
    home = _public_points()
    assert home and not home & _points_of(two["b"]), "the home county's public map shows none of the other's"
    assert Client().get("/risk-map/public/", {"county": SECOND}).status_code == 404, "not published there yet"
    assert Client().get("/risk-map/public/layers/points.geojson", {"county": SECOND}).status_code == 404
    assert Client().get("/risk-map/public/", {"county": "999999"}).status_code == 404
    publish_risk_map(two["gh_admin"], published=True, note="广河县公开")
    assert _public_points(county=SECOND) == _points_of(two["b"])
    page = Client().get("/risk-map/public/", {"county": SECOND})
    assert page.status_code == 200
    townships = {name for _pk, name in page.context["options"]["townships"]}
    assert townships == set(Area.objects.filter(level="township", county=two["b"], archived_at__isnull=True)
                            .values_list("name", flat=True))
    base = Client().get("/risk-map/public/layers/base.geojson", {"county": SECOND}).json()["features"]
    names = {f["properties"]["name"] for f in base if f["properties"].get("kind") == "township"}
    assert names == townships
