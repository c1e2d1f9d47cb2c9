"""Targets whose progress the platform computes: waterlogging points fixed from the flood/drainage
hazards closed, the four-colour risk map from its publication."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from citysafe.assessment.models import PolicyTarget
from citysafe.assessment.services import targets
from citysafe.assessment.services.target_metrics import refresh_computed
from citysafe.core.audit_models import AuditRecord
from citysafe.hazards.models import Hazard
from citysafe.risks.models.publication import RiskMapPublication

TODAY = date(2025, 6, 30)


def _at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def _hazard(world, n, category, status, found_on=date(2025, 3, 1)):
    return Hazard.objects.create(code=f"YHTM-{n}", category=category, status=status, description="易涝点",
                                 area=world.township_a, township=world.township_a, found_at=_at(found_on))


def test_waterlogging_points_fixed_are_computed_from_the_flood_hazards_closed(world):
    Hazard.objects.filter(category="flood").update(archived_at=timezone.now())  # a county of our own making
    _hazard(world, 1, "flood", "closed")
    _hazard(world, 2, "flood", "closed")
    _hazard(world, 3, "flood", "rectifying")
    _hazard(world, 4, "flood", "rejected")                        # not a hazard: not counted
    _hazard(world, 5, "fire", "rectifying")                       # another category: not counted
    _hazard(world, 6, "flood", "registered", found_on=date(2025, 7, 2))  # found after the day: not counted
    assert refresh_computed(TODAY) >= 1
    target = PolicyTarget.objects.get(code="ZC-2-8-6")
    # by hand: 2 closed of the 3 flood hazards that count → 66.666… % → 66.67
    assert (target.measure, target.current_value, target.current_on) == ("computed", Decimal("66.67"), TODAY)
    assert AuditRecord.objects.filter(object_type="assessment.PolicyTarget", object_id=str(target.pk),
                                      action="update").exists()
    assert targets.status_of(target, TODAY)[0] in ("yellow", "green")  # before its 2025-12-31 deadline
    before = target.version
    refresh_computed(TODAY)
    target.refresh_from_db()
    assert target.version == before  # nothing changed, nothing written


def test_the_risk_map_target_follows_the_map_being_published_and_withdrawn(world):
    RiskMapPublication.objects.all().delete()
    RiskMapPublication.objects.create(is_published=True, published_at=_at(date(2021, 10, 1)))
    RiskMapPublication.objects.create(is_published=False, published_at=_at(date(2022, 3, 1)))
    refresh_computed(date(2021, 12, 31))
    target = PolicyTarget.objects.get(code="ZC-2-7-1")
    assert target.current_value == 100 and targets.status_of(target, date(2021, 12, 31))[0] == "green"
    refresh_computed(date(2022, 3, 2))
    target.refresh_from_db()
    assert target.current_value == 0


def test_a_computed_target_must_name_a_metric_the_platform_computes(world):
    with pytest.raises(ValidationError) as error:
        targets.create_target(world.admin, {"code": "XJ-CM", "title": "测试", "indicator": "x", "target_value": 100,
                                            "start_on": date(2025, 1, 1), "deadline": date(2025, 12, 31),
                                            "measure": "computed", "metric": "no_such_metric"})
    assert "metric" in error.value.message_dict
    assert not PolicyTarget.objects.filter(code="XJ-CM").exists()


def test_the_target_page_names_the_metric_a_computed_target_uses(world, client):
    client.force_login(world.admin)
    target = PolicyTarget.objects.get(code="ZC-2-8-6")
    assert "易涝点（防汛排涝隐患）整改销号率" in client.get(f"/assessment/targets/{target.pk}/").content.decode()


def test_a_computed_target_refuses_a_hand_report_that_the_next_refresh_would_overwrite(world, client):
    target = PolicyTarget.objects.get(code="ZC-2-8-6")
    assert target.measure == "computed"
    before = (target.current_value, target.version, target.reports.count())
    with pytest.raises(ValidationError) as caught:
        targets.report_progress(world.admin, target.pk, value="99", note="手工")
    assert caught.value.message_dict["value"] == ["该目标的进展由平台数据自动计算，不接受人工报送"]
    target.refresh_from_db()
    assert (target.current_value, target.version, target.reports.count()) == before
    client.force_login(world.admin)
    page = client.get(f"/assessment/targets/{target.pk}/").content.decode()
    assert f'action="/assessment/targets/{target.pk}/progress/"' not in page and "平台数据计算" in page
