"""Writes of alarm rules (county configuration, admin only; audited)."""
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.monitoring.models import AlarmRule, RuleKind
from citysafe.registry.services.fields import apply_fields, require_fields

FIELDS = {"name", "kind", "sensor_type", "sensor_id", "level1", "level2", "level3", "hold_seconds", "deadband",
          "ack_minutes_1", "ack_minutes_2", "ack_minutes_3", "notify_every_minutes", "notify_cap", "basis",
          "is_enabled"}


def _check(rule: AlarmRule, errors: ErrorCollector) -> None:
    if not rule.sensor_id and not rule.sensor_type and rule.kind != RuleKind.OFFLINE:
        errors.add("sensor_type", _("必须指定传感器类型或传感器"), "required")
    levels = [x for x in rule.thresholds() if x is not None]
    if not levels:
        errors.add("level1", _("至少设置一个级别的阈值"), "required")
    # Level 1 is the most severe: its threshold is the furthest out (lowest for a low limit).
    step = -1 if rule.kind == RuleKind.LOW else 1
    if any(step * (a - b) < 0 for a, b in zip(levels, levels[1:], strict=False)):
        errors.add("level1", _("一级阈值必须比二级、三级更严重（高限更高，低限更低）"), "order")
    if rule.deadband is not None and rule.deadband < 0:
        errors.add("deadband", _("解除回差不能为负数"), "min")


@transaction.atomic
def create_rule(actor, data: dict) -> AlarmRule:
    rule, errors = open_for_create(actor, AlarmRule, data), ErrorCollector()
    require_fields(data, ["name", "kind"], errors)
    apply_fields(rule, data, FIELDS, errors, actor=actor)
    _check(rule, errors)
    errors.raise_if_any()
    return save_record(actor, rule, action="create", before=None)


@transaction.atomic
def update_rule(actor, pk, data: dict, *, expected_version: int | None = None) -> AlarmRule:
    rule = open_for_change(actor, AlarmRule, pk, data, expected_version=expected_version)
    before, errors = snapshot(rule), ErrorCollector()
    apply_fields(rule, data, FIELDS, errors, actor=actor)
    _check(rule, errors)
    errors.raise_if_any()
    return save_record(actor, rule, action="update", before=before)
