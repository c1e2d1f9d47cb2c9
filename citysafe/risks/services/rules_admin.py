"""Changing the standards tables (admin, audited). Changing a level threshold re-grades every
risk point whose current grading (its accepted assessment) used that method: the assessment's
level is recomputed from its stored score with the new thresholds, and the risk point (and its
areas) follow. Audit: one record for the threshold itself, and ONE batch record ("regrade")
holding every changed risk point's before/after — a threshold change can touch thousands of
points, and one record keeps the audit chain's lock short while saying exactly what changed."""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.concurrency import StaleRecord
from citysafe.core.validation import parse_number
from citysafe.risks.models import Assessment, MethodThreshold, RiskPoint
from citysafe.risks.services.grading import regrade_point
from citysafe.risks.services.scoring import grade, thresholds


@dataclass(frozen=True)
class ThresholdChange:
    threshold: MethodThreshold
    regraded: int
    changes: dict


def may_change_thresholds(actor) -> bool:
    """The permission table (risks.MethodThreshold in risks/permissions.py)."""
    return scope.may(actor, MethodThreshold, scope.Action.CHANGE)


def _require_admin(actor) -> None:
    if not may_change_thresholds(actor):
        raise PermissionDenied(_("只有县安委办管理员可以修改分级阈值"))


@transaction.atomic
def change_threshold(actor, pk: int, lower_bound, *, expected_version: int | None, source: str | None = None
                     ) -> ThresholdChange:
    from kernels.risk_scoring import check_thresholds

    _require_admin(actor)
    row = MethodThreshold.objects.select_for_update().get(pk=pk)
    if expected_version is not None and expected_version != row.version:
        raise StaleRecord(row, expected_version, ["lower_bound"])
    value = parse_number(lower_bound)
    if value is None or value < 0:
        raise ValidationError({"lower_bound": [ValidationError(_("下限须为不小于0的数值"), code="min_value")]})
    before = snapshot(row)
    row.lower_bound = value
    if source is not None:
        row.source = source.strip()[:200]
    table = tuple((r.lower_bound if r.pk != row.pk else value, r.level)
                  for r in MethodThreshold.objects.filter(method=row.method))
    try:
        check_thresholds(table)
    except ValueError:
        raise ValidationError({"lower_bound": [ValidationError(
            _("阈值须自高到低严格递减（重大>较大>一般>低），低风险下限为0"), code="thresholds_order")]}) from None
    row.version += 1
    row.save()
    record_change(actor=actor, action="update", instance=row, before=before, after=snapshot(row))
    changes = regrade_method(actor, row.method)
    return ThresholdChange(row, len(changes), changes)


def regrade_method(actor, method: str) -> dict:
    """Re-grade every risk point whose accepted basis assessment used `method`; one audit batch."""
    table = thresholds(method)
    changes: dict[str, dict] = {}
    current = Assessment.objects.filter(method=method, status=Assessment.Status.ACCEPTED, score__isnull=False,
                                        pk__in=RiskPoint.objects.filter(level_assessment__isnull=False).values(
                                            "level_assessment_id")).select_for_update()
    for assessment in current.order_by("id"):
        new_level = grade(method, assessment.score) if table else assessment.level
        if new_level == assessment.level:
            continue
        old = assessment.level
        Assessment.objects.filter(pk=assessment.pk).update(level=new_level)
        assessment.level = new_level
        for point_id in RiskPoint.objects.filter(level_assessment=assessment).values_list("pk", flat=True):
            _point, change = regrade_point(actor, point_id, assessment=assessment, audit=False)
            entry = {"assessment": assessment.pk, "assessment_level": [old, new_level]}
            if change:
                entry.update(change)
            changes[str(point_id)] = entry
    if changes:
        record_change(actor=actor, action="regrade", object_type="risks.RiskPoint", object_id="batch",
                      object_repr=_("阈值调整重新定级（%(method)s）：%(n)s个风险点") % {"method": method, "n": len(changes)},
                      before=None, after={"method": method, "points": changes})
    return changes


# ---- the other standards tables (admin site) -------------------------------------------------

RULE_FIELDS = {
    "MethodScale": ("method", "factor", "value", "label", "source"),
    "MethodThreshold": ("source",),  # the bound itself through change_threshold (it re-grades)
    "ReviewRule": ("role", "level", "takes_effect_directly", "source"),
    "LevelRule": ("level", "control_level", "reassess_months", "source"),
    "MajorHazardLevelRule": ("grade", "minimum_level", "source"),
    "IdentificationRound": ("started_on", "cycle_years", "note"),
}


@transaction.atomic
def save_rule(actor, model, pk, data: dict, *, expected_version: int | None = None):
    """Create (pk None) or change one row of a standards table: admin only, model validation
    naming the field, version check, audit. A changed major-hazard minimum re-grades the risk
    points of major hazard units (one batch audit record). LevelRule and ReviewRule apply from
    the next grading on (a changed reassessment interval does not re-date existing points)."""
    _require_admin(actor)
    name = model.__name__
    row = model() if pk is None else model.objects.select_for_update().get(pk=pk)
    if pk is not None and expected_version is not None and expected_version != row.version:
        raise StaleRecord(row, expected_version, sorted(data))
    before = snapshot(row) if pk is not None else None
    bound = data.get("lower_bound")
    bound = None if bound is None or row.pk is None or bound == row.lower_bound else bound
    for field in RULE_FIELDS[name]:
        if field in data:
            setattr(row, field, data[field])
    row.full_clean()
    if pk is not None:
        row.version += 1
    row.save()
    record_change(actor=actor, action="create" if pk is None else "update", instance=row, before=before,
                  after=snapshot(row))
    if name == "MethodThreshold" and bound is not None:
        change_threshold(actor, row.pk, bound, expected_version=row.version)
        row.refresh_from_db()
    if name == "MajorHazardLevelRule":
        regrade_major_hazard_points(actor)
    return row


def regrade_major_hazard_points(actor) -> dict:
    from citysafe.risks.models import MajorHazardInstallation

    changes = {}
    for point_id in MajorHazardInstallation.objects.filter(risk_point__isnull=False).values_list(
            "risk_point_id", flat=True).order_by("risk_point_id"):
        _point, change = regrade_point(actor, point_id, audit=False)
        if change:
            changes[str(point_id)] = change
    if changes:
        record_change(actor=actor, action="regrade", object_type="risks.RiskPoint", object_id="batch",
                      object_repr=_("重大危险源最低等级调整重新定级：%(n)s个风险点") % {"n": len(changes)},
                      before=None, after={"rule": "major_hazard_minimum", "points": changes})
    return changes
