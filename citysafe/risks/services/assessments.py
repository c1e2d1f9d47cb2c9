"""Assessments: drafting (create/update a draft: inputs checked and scored on every save),
and the self-assessment workflow (risks/workflows.py) applied through `transition_assessment`."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import parse_number
from citysafe.registry.services.fields import apply_fields, require_fields
from citysafe.risks.models import Assessment, Method, RiskPoint
from citysafe.risks.services.scoring import score_inputs

EDITABLE = {Assessment.Status.DRAFT, Assessment.Status.RETURNED}
PLAIN = {"risk_point_id", "method", "reason", "assessed_on", "is_synthetic"}


def _grade(assessment: Assessment, data: dict, errors: ErrorCollector) -> None:
    """Score the inputs (LEC/LS/MES) or take the direct level (with a reason)."""
    if errors.errors or not assessment.method:
        return
    if assessment.method == Method.DIRECT:
        level = parse_number(data.get("level", assessment.level or None), integer=True)
        if level not in (1, 2, 3, 4):
            errors.add("level", _("直接判定须给出风险等级：1重大、2较大、3一般、4低"), "level")
        if not (assessment.reason or "").strip():
            errors.add("reason", _("直接判定必须填写判定理由"), "required")
        if not errors.errors:
            assessment.inputs, assessment.score, assessment.level = {}, None, level
        return
    if "level" in data:
        errors.add("level", _("按评估方法计算等级，不能直接填写"), "field_not_allowed")
        return
    scored = score_inputs(assessment.method, data.get("inputs", assessment.inputs), errors)
    if scored is not None:
        assessment.inputs, assessment.score, assessment.level = scored.inputs, scored.score, scored.level


def _apply(actor, assessment: Assessment, data: dict, errors: ErrorCollector) -> None:
    plain = {k: v for k, v in data.items() if k not in {"inputs", "level"}}
    apply_fields(assessment, plain, PLAIN, errors, actor=actor)
    _grade(assessment, data, errors)


@transaction.atomic
def create_assessment(actor, data: dict) -> Assessment:
    """A draft assessment of a visible risk point (422 on risk_point_id otherwise)."""
    assessment = open_for_create(actor, Assessment, data, assessor=actor, assessor_role=actor.role)
    errors = ErrorCollector()
    require_fields(data, ["risk_point_id", "method"], errors)
    _apply(actor, assessment, data, errors)
    errors.raise_if_any()
    return save_record(actor, assessment, action="create", before=None)


def assess_risk_point(actor, risk_point_id, data: dict) -> Assessment:
    """The risk point's own path (/risk-points/{id}/assessments): outside the actor's scope it
    does not exist (404), as for every record."""
    scope.get_in_scope(actor, RiskPoint.objects.all(), risk_point_id)
    return create_assessment(actor, {**data, "risk_point_id": risk_point_id})


@transaction.atomic
def update_assessment(actor, pk, data: dict, *, expected_version: int | None = None) -> Assessment:
    assessment = open_for_change(actor, Assessment, pk, data, expected_version=expected_version)
    if assessment.status not in EDITABLE:
        raise ValidationError({"status": [ValidationError(
            _("只有草稿或已退回的评估可以修改；已提交或已生效的评估请新建评估"), code="not_editable")]})
    before, errors = snapshot(assessment), ErrorCollector()
    if "risk_point_id" in data and data["risk_point_id"] != assessment.risk_point_id:
        errors.add("risk_point_id", _("评估所属风险点不能更改"), "field_not_allowed")
    _apply(actor, assessment, {k: v for k, v in data.items() if k != "risk_point_id"}, errors)
    errors.raise_if_any()
    return save_record(actor, assessment, action="update", before=before)


def transition_assessment(actor, pk, name: str, *, expected_version: int, note: str = "") -> Assessment:
    from citysafe.risks.workflows import ASSESSMENT_REVIEW

    return ASSESSMENT_REVIEW.apply(actor, Assessment, pk, name, expected_version=expected_version, note=note)
