"""Plain writes of the report, reward-rule and reward kinds (core.records)."""
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.workflow import TransitionError
from citysafe.hazards.models import PublicReport, Reward, RewardRule
from citysafe.registry.services.fields import apply_fields, require_fields


def _amount(data: dict, instance, errors: ErrorCollector) -> None:
    if "amount" not in data:
        return
    value = data["amount"]
    try:
        number = Decimal(str(value)) if not isinstance(value, bool) and value is not None else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number >= Decimal(10) ** 8:
        errors.add("amount", _("须为0至99999999.99之间的金额"), "amount")
        return
    instance.amount = number.quantize(Decimal("0.01"))


@transaction.atomic
def create_reward_rule(actor, data: dict) -> RewardRule:
    rule, errors = open_for_create(actor, RewardRule, data), ErrorCollector()
    require_fields(data, ["grade", "amount"], errors)
    apply_fields(rule, {k: v for k, v in data.items() if k != "amount"}, {"grade", "basis"}, errors, actor=actor)
    _amount(data, rule, errors)
    if rule.grade and RewardRule.objects.filter(grade=rule.grade).exists():
        errors.add("grade", _("该等级已有奖励规则，请修改原规则"), "unique")
    errors.raise_if_any()
    return save_record(actor, rule, action="create", before=None)


@transaction.atomic
def update_reward_rule(actor, pk, data: dict, *, expected_version=None) -> RewardRule:
    rule = open_for_change(actor, RewardRule, pk, data, expected_version=expected_version)
    before, errors = snapshot(rule), ErrorCollector()
    apply_fields(rule, {k: v for k, v in data.items() if k != "amount"}, {"basis"}, errors, actor=actor)
    _amount(data, rule, errors)
    errors.raise_if_any()
    return save_record(actor, rule, action="update", before=before)


def create_office_report(actor, data: dict) -> PublicReport:
    """A report the county office took by phone or letter: the same path as the public form."""
    from citysafe.core import scope
    from citysafe.hazards.services.reports import submit_report

    scope.require(actor, PublicReport, scope.Action.CREATE)
    return submit_report(f"office:{actor.pk}", description=data.get("description"), lon=data.get("lon"),
                         lat=data.get("lat"), category=data.get("category", "other"),
                         place_note=data.get("address", ""), reporter_name=data.get("reporter_name", ""),
                         reporter_phone=data.get("reporter_phone", ""))


@transaction.atomic
def update_report(actor, pk, data: dict, *, expected_version=None) -> PublicReport:
    report = open_for_change(actor, PublicReport, pk, data, expected_version=expected_version)
    if report.status != PublicReport.Status.RECEIVED:
        raise TransitionError(_("该举报已处理，不能修改"))
    before, errors = snapshot(report), ErrorCollector()
    apply_fields(report, data, {"category"}, errors, actor=actor)
    errors.raise_if_any()
    return save_record(actor, report, action="update", before=before)


def create_reward(actor, data: dict) -> Reward:
    from citysafe.hazards.services.reports import propose_reward

    errors = ErrorCollector()
    require_fields(data, ["report_id"], errors)
    errors.raise_if_any()
    return propose_reward(actor, data["report_id"])


@transaction.atomic
def update_reward(actor, pk, data: dict, *, expected_version=None) -> Reward:
    reward = open_for_change(actor, Reward, pk, data, expected_version=expected_version)
    if reward.status != Reward.Status.PROPOSED:
        raise TransitionError(_("奖励已审批，不能修改金额"))
    before, errors = snapshot(reward), ErrorCollector()
    for name in sorted(set(data) - {"amount"}):
        errors.add(name, _("不允许修改该字段"), "field_not_allowed")
    _amount(data, reward, errors)
    errors.raise_if_any()
    return save_record(actor, reward, action="update", before=before)
