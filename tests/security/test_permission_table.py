"""Role checks live in the permission table (core.scope.register_permissions), not in views or
services: changing the table changes who may act, everywhere. Each test edits the table for one
kind (restored afterwards) and checks the service and the page follow it."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from citysafe.core import scope
from citysafe.core.roles import Role
from citysafe.emergency.models import RoadSegment
from citysafe.emergency.services import roads
from citysafe.risks.gatherings.services import update_gathering
from citysafe.risks.map.publication import publish_risk_map
from citysafe.risks.models import MethodThreshold, RiskMapPublication
from citysafe.risks.services.rules_admin import change_threshold
from tests.riskmap.test_gatherings import application, venue_in

pytestmark = pytest.mark.django_db
A = scope.Action


def _grant(monkeypatch, label: str, **actions):
    table = dict(scope.WRITE_PERMISSIONS.get(label, {}))
    table.update({getattr(A, name.upper()): frozenset(roles) for name, roles in actions.items()})
    monkeypatch.setitem(scope.WRITE_PERMISSIONS, label, table)
    limits = dict(scope.FIELD_LIMITS.get(label, {}))
    limits.update(dict.fromkeys(set().union(*table.values()), scope.EVERY_FIELD))
    monkeypatch.setitem(scope.FIELD_LIMITS, label, limits)


def test_who_edits_a_gathering_application_is_who_may_draft_one_in_the_permission_table(world, monkeypatch):
    body = application(world, venue_in(world.township_a), 1000).json()
    _grant(monkeypatch, "risks.Gathering", create={Role.ADMIN, Role.ENTERPRISE})  # townships no longer apply
    with pytest.raises(ValidationError) as refused:
        update_gathering(world.township_officer, body["id"], {"name": "改名"}, expected_version=body["version"])
    assert "not_editable" in str(refused.value.error_dict["status"][0].code)
    update_gathering(world.admin, body["id"], {"name": "改名"}, expected_version=body["version"])


def test_the_public_risk_map_is_published_by_whom_the_permission_table_says(client, world, monkeypatch):
    client.force_login(world.leader)
    assert client.get(reverse("risk_map:publication")).status_code == 403
    assert "公开发布设置" not in client.get(reverse("risk_map:page")).content.decode()
    with pytest.raises(PermissionDenied):
        publish_risk_map(world.leader, published=True)
    _grant(monkeypatch, "risks.RiskMapPublication", create={Role.ADMIN, Role.LEADER})
    assert client.get(reverse("risk_map:publication")).status_code == 200
    assert "公开发布设置" in client.get(reverse("risk_map:page")).content.decode()
    assert publish_risk_map(world.leader, published=True).is_published
    assert RiskMapPublication.objects.latest("id").published_by == world.leader


def test_grading_thresholds_are_changed_by_whom_the_permission_table_says(client, world, monkeypatch):
    row = MethodThreshold.objects.order_by("method", "lower_bound").last()
    with pytest.raises(PermissionDenied):
        change_threshold(world.leader, row.pk, row.lower_bound, expected_version=row.version)
    _grant(monkeypatch, "risks.MethodThreshold", change={Role.ADMIN, Role.LEADER})
    client.force_login(world.leader)
    assert client.get(reverse("risks:thresholds")).context["may_edit"] is True
    change_threshold(world.leader, row.pk, row.lower_bound, expected_version=row.version)
    row.refresh_from_db()
    assert row.version > 0


def test_only_the_emergency_bureau_among_departments_closes_a_road(client, world):
    segment = RoadSegment.objects.filter(closed=False).order_by("id").first()
    with pytest.raises(PermissionDenied):
        roads.close_road(world.other_department, segment.pk, "塌方")  # 教育局
    with pytest.raises(PermissionDenied):
        roads.import_roads(world.other_department, b"{}", "geojson")
    client.force_login(world.other_department)
    assert client.get(reverse("emergency:roads")).context["may_write"] is False
    roads.close_road(world.department, segment.pk, "塌方")  # 应急管理局
    assert RoadSegment.objects.get(pk=segment.pk).closed
    client.force_login(world.department)
    assert client.get(reverse("emergency:roads")).context["may_write"] is True
