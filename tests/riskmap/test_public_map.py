"""The public risk map: 404 until the admin publishes it, no login then, and never the items
the admin marks sensitive, nor installations or enterprise names while those are hidden."""
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from citysafe.core.audit_models import AuditRecord
from citysafe.risks.map.publication import mark_sensitive, publish_risk_map
from citysafe.risks.models import MajorHazardInstallation, RiskPoint

pytestmark = pytest.mark.django_db


def public(path, **params):
    return Client().get(f"/risk-map/public/{path}", params)


def features(layer, **params):
    response = public(f"layers/{layer}.geojson", **params)
    assert response.status_code == 200
    return json.loads(response.content)["features"]


def test_unpublished_public_map_is_404_everywhere(world):
    assert public("").status_code == 404
    assert public("layers/points.geojson").status_code == 404
    assert public("layers/base.geojson").status_code == 404


def test_published_map_needs_no_login_and_withdrawn_is_404_again(world):
    publish_risk_map(world.admin, published=True)
    assert public("").status_code == 200
    assert len(features("points")) > 0 and len(features("grids")) > 0
    publish_risk_map(world.admin, published=False, note="更新中")
    assert public("").status_code == 404
    actions = list(AuditRecord.objects.filter(action__in=["publish_risk_map", "withdraw_risk_map"])
                   .order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["publish_risk_map", "withdraw_risk_map"]


def test_public_map_hides_sensitive_points_installations_and_enterprise_names(world):
    point = RiskPoint.objects.filter(archived_at__isnull=True, owner_enterprise__isnull=False, lon__isnull=False,
                                     installation__isnull=True).order_by("id").first()
    other = RiskPoint.objects.filter(archived_at__isnull=True, owner_enterprise__isnull=False, lon__isnull=False,
                                     installation__isnull=True).exclude(pk=point.pk).order_by("id").first()
    mark_sensitive(world.admin, "risk-points", point.pk, True)
    publish_risk_map(world.admin, published=True, hide_installations=True, hide_enterprise_names=True)
    shown = {f["id"]: f for f in features("points")}
    assert point.pk not in shown and other.pk in shown
    assert shown[other.pk]["properties"]["name"] != other.name  # the category label instead
    installation_points = set(MajorHazardInstallation.objects.filter(is_major=True).values_list(
        "risk_point_id", flat=True))
    assert not installation_points & set(shown)
    assert features("installations") == []
    assert AuditRecord.objects.filter(action="mark_sensitive", object_id=str(point.pk)).exists()


def test_public_map_may_show_installations_but_never_a_sensitive_one(world):
    majors = list(MajorHazardInstallation.objects.filter(is_major=True, archived_at__isnull=True).order_by("id"))
    assert len(majors) >= 2, "the demo county has major hazard installations"
    mark_sensitive(world.admin, "hazard-installations", majors[0].pk, True)
    publish_risk_map(world.admin, published=True, hide_installations=False, hide_enterprise_names=False)
    shown = {f["id"] for f in features("installations")}
    assert majors[0].pk not in shown and majors[1].pk in shown
    assert majors[0].risk_point_id not in {f["id"] for f in features("points")}


def test_only_the_admin_publishes(world):
    client = Client()
    client.force_login(world.township_officer)
    assert client.post("/risk-map/publication/", {"action": "publish"}).status_code == 403
    assert public("").status_code == 404
    with pytest.raises(PermissionDenied):
        publish_risk_map(world.leader, published=True)


def test_public_layer_bad_filter_is_named(world):
    publish_risk_map(world.admin, published=True)
    response = public("layers/points.geojson", type="nope")
    assert response.status_code == 422 and json.loads(response.content)["detail"][0]["loc"] == ["query", "type"]
