"""Writes of the safety-distance rule table (core.records: role, field limits, version, audit).
A saved rule re-runs the conflict analysis after the commit (hooks.py)."""
import math

from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.registry.services.fields import apply_fields, require_fields
from citysafe.siting.models import SafetyDistanceRule

FIELDS = {"hazardous_kind", "sensitive_kind", "distance_m", "standard", "clause", "note"}
MAX_DISTANCE_M = 5000  # beyond a county's planning scale; a typo (50000 for 500) is refused


def _check(rule: SafetyDistanceRule, errors: ErrorCollector) -> None:
    distance = rule.distance_m
    if distance is not None and (not isinstance(distance, (int, float)) or not math.isfinite(distance)
                                 or not 0 < distance <= MAX_DISTANCE_M):
        errors.add("distance_m", _("最小安全距离：须为大于0且不超过%(max)s的米数") % {"max": MAX_DISTANCE_M}, "range")
    if rule.hazardous_kind and rule.sensitive_kind:
        clash = SafetyDistanceRule.objects.filter(archived_at__isnull=True, hazardous_kind=rule.hazardous_kind,
                                                  sensitive_kind=rule.sensitive_kind).exclude(pk=rule.pk)
        if clash.exists():
            errors.add("sensitive_kind", _("该危险源类别与敏感目标类别已有规则，请修改原规则"), "unique")


@transaction.atomic
def create_rule(actor, data: dict) -> SafetyDistanceRule:
    rule, errors = open_for_create(actor, SafetyDistanceRule, data), ErrorCollector()
    require_fields(data, ["hazardous_kind", "sensitive_kind", "distance_m", "standard"], errors)
    apply_fields(rule, data, FIELDS, errors, actor=actor)
    if not errors.errors:
        _check(rule, errors)
    errors.raise_if_any()
    return save_record(actor, rule, action="create", before=None)


@transaction.atomic
def update_rule(actor, pk, data: dict, *, expected_version: int | None = None) -> SafetyDistanceRule:
    rule = open_for_change(actor, SafetyDistanceRule, pk, data, expected_version=expected_version)
    before, errors = snapshot(rule), ErrorCollector()
    apply_fields(rule, data, FIELDS, errors, actor=actor)
    if not errors.errors:
        _check(rule, errors)
    errors.raise_if_any()
    return save_record(actor, rule, action="update", before=before)
