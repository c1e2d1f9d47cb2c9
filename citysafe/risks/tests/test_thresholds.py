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
