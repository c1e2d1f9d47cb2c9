"""The annual enforcement plan (执法计划) of a department: frequencies per class, the planned
inspections spread over the months (kernels.enterprise_class.spread_over_months). Audited."""
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.supervision.models import (
    DEFAULT_FREQUENCIES,
    EnforcementPlan,
    EnterpriseClass,
    PlannedInspection,
    SupervisionClass,
)
from citysafe.supervision.services.common import department_for, enterprises_of, field_error
from kernels.enterprise_class import spread_over_months


def _frequencies(given: dict | None) -> dict:
    merged = {**DEFAULT_FREQUENCIES, **(given or {})}
    if set(merged) != set(SupervisionClass.values):
        raise field_error("frequencies", _("检查频次只能按A、B、C、D四类填写"), "invalid")
    for name, value in merged.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 12:
            raise field_error(f"frequencies.{name}", _("%(cls)s类企业年检查次数须为0至12的整数")
                              % {"cls": name}, "out_of_range")
    return merged


def _lay_out(plan: EnforcementPlan) -> int:
    """(Re)write the plan's lines from the classes of its department's enterprises."""
    classes = dict(EnterpriseClass.objects.filter(year=plan.year, archived_at__isnull=True,
                                                  enterprise__in=enterprises_of(plan.department))
                   .values_list("enterprise_id", "computed_class"))
    manual = dict(EnterpriseClass.objects.filter(year=plan.year, enterprise_id__in=classes).exclude(manual_class="")
                  .values_list("enterprise_id", "manual_class"))
    final = {pk: manual.get(pk, cls) for pk, cls in classes.items()}
    if not final:
        raise field_error("year", _("%(year)s年度本部门监管的企业尚未分级分类：请先完成企业分级分类")
                          % {"year": plan.year}, "not_classified")
    placed = spread_over_months([(pk, plan.frequencies[cls]) for pk, cls in final.items()])
    PlannedInspection.objects.filter(plan=plan).delete()
    PlannedInspection.objects.bulk_create(
        [PlannedInspection(plan=plan, enterprise_id=pk, month=month, enterprise_class=final[pk]) for pk, month in placed],
        batch_size=1000)
    return len(placed)


@transaction.atomic
def create_plan(actor, *, year: int, department_id=None, frequencies: dict | None = None) -> EnforcementPlan:
    scope.require(actor, EnforcementPlan, scope.Action.CREATE)
    department = department_for(actor, EnforcementPlan, department_id)
    if not 2000 <= year <= 2100:
        raise field_error("year", _("年度须在2000至2100之间"), "out_of_range")
    plan = EnforcementPlan(department=department, year=year, frequencies=_frequencies(frequencies), created_by=actor)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise field_error("year", _("本部门%(year)s年度的执法计划已存在") % {"year": year}, "duplicate") from None
    lines = _lay_out(plan)
    record_change(actor=actor, action="create", instance=plan, before=None, after={**snapshot(plan), "lines": lines})
    return plan


@transaction.atomic
def change_frequencies(actor, pk: int, frequencies: dict, *, expected_version: int) -> EnforcementPlan:
    """New frequencies re-lay the plan from the current classes (inspections done stay counted:
    progress is read from the inspection records)."""
    scope.require(actor, EnforcementPlan, scope.Action.CHANGE)
    plan = scope.narrow(actor, EnforcementPlan.objects.select_for_update()).get(pk=pk)
    if plan.version != expected_version:
        from citysafe.core.concurrency import StaleRecord
        raise StaleRecord(plan, expected_version, ["frequencies"])
    before = snapshot(plan)
    plan.frequencies = _frequencies(frequencies)
    plan.version += 1
    plan.save()
    lines = _lay_out(plan)
    record_change(actor=actor, action="update", instance=plan, before=before, after={**snapshot(plan), "lines": lines})
    return plan
