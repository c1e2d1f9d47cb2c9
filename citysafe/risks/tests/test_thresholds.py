"""Changing a level threshold (admin) re-grades every risk point graded by that method and
writes one audited batch; bad tables and other roles are refused, nothing changed."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from citysafe.core.audit_models import AuditRecord
from citysafe.risks.models import MethodThreshold, RiskPoint
from citysafe.risks.services.rules_admin import change_threshold
from citysafe.risks.tests.conftest import step


def test_raising_the_lec_major_threshold_regrades_the_point_and_audits_one_batch(rw, world):
    point = rw.point()
    a = step(world.department, step(rw.officer, rw.assessment(rw.officer, point, {"l": 3, "e": 6, "c": 40}),
                                    "submit"), "accept")  # D = 720 → 重大
    point.refresh_from_db()
    assert point.level == 1
    major = MethodThreshold.objects.get(method="lec", level=1)
    result = change_threshold(world.admin, major.pk, 800, expected_version=major.version)
    point.refresh_from_db()
    a.refresh_from_db()
    assert (a.level, point.level) == (2, 2)  # 720 < 800: 较大
    assert result.regraded >= 1 and str(point.pk) in result.changes
    batch = AuditRecord.objects.filter(action="regrade").latest("id")
    assert str(point.pk) in batch.after["points"]
    assert AuditRecord.objects.filter(action="update", object_type="risks.MethodThreshold",
                                      object_id=str(major.pk)).exists()


def test_a_threshold_table_out_of_order_is_refused_and_nothing_changes(rw, world):
    significant = MethodThreshold.objects.get(method="lec", level=2)
    with pytest.raises(ValidationError) as bad:
        change_threshold(world.admin, significant.pk, 400, expected_version=significant.version)  # above 重大's 320
    assert set(bad.value.message_dict) == {"lower_bound"}
    significant.refresh_from_db()
    assert significant.lower_bound == 160


def test_only_the_admin_changes_thresholds(world):
    row = MethodThreshold.objects.get(method="ls", level=1)
    with pytest.raises(PermissionDenied):
        change_threshold(world.department, row.pk, 16, expected_version=row.version)


def test_the_seeded_tables_name_their_source_and_match_the_standards(db):
    from kernels import risk_scoring

    for method, constant in (("lec", risk_scoring.LEC_THRESHOLDS), ("ls", risk_scoring.LS_THRESHOLDS),
                             ("mes", risk_scoring.MES_THRESHOLDS)):
        rows = MethodThreshold.objects.filter(method=method)
        assert sorted((r.lower_bound, r.level) for r in rows) == sorted((float(b), lv) for b, lv in constant)
        assert all(r.source for r in rows)
    assert RiskPoint.objects.exists()


def test_the_admin_site_saves_the_standards_tables_through_the_audited_service(client, world):
    from django.urls import reverse

    from citysafe.risks.models import LevelRule

    world.admin.is_staff = True
    world.admin.save(update_fields=["is_staff"])
    client.force_login(world.admin)
    rule = LevelRule.objects.get(level=3)
    url = reverse("admin:risks_levelrule_change", args=[rule.pk])
    assert client.get(url).status_code == 200
    saved = client.post(url, {"level": 3, "control_level": "enterprise", "reassess_months": 24, "source": "县定",
                              "version": rule.version})
    assert saved.status_code == 302
    rule.refresh_from_db()
    assert (rule.control_level, rule.reassess_months, rule.version) == ("enterprise", 24, 2)
    assert AuditRecord.objects.filter(object_type="risks.LevelRule", object_id=str(rule.pk), action="update").exists()
    threshold = MethodThreshold.objects.get(method="lec", level=1)
    client.post(reverse("admin:risks_methodthreshold_change", args=[threshold.pk]),
                {"lower_bound": 330, "source": threshold.source, "version": threshold.version})
    threshold.refresh_from_db()
    assert threshold.lower_bound == 330


def test_a_changed_major_hazard_minimum_regrades_the_units_risk_points(rw, world):
    from citysafe.risks import services
    from citysafe.risks.models import MajorHazardLevelRule, Substance
    from citysafe.risks.services.rules_admin import save_rule

    unit = services.create_installation(world.admin, {"unit_name": "规则测试单元", "enterprise_id": rw.enterprise.pk,
                                                      "alpha_source": "entered", "alpha_entered": 1.0,
                                                      "alpha_reason": "测试"})
    services.create_inventory(world.admin, {"installation_id": unit.pk,
                                            "substance_id": Substance.objects.get(cas="7782-50-5").pk,
                                            "max_quantity": 30})
    unit.refresh_from_db()
    assert unit.grade == 3 and unit.risk_point.level == 2
    rule = MajorHazardLevelRule.objects.get(grade=3)
    save_rule(world.admin, MajorHazardLevelRule, rule.pk, {"minimum_level": 1}, expected_version=rule.version)
    unit.risk_point.refresh_from_db()
    assert unit.risk_point.level == 1
