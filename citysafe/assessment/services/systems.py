"""Indicator systems (考核指标体系): a year's weighted items for townships or departments.
Weights must add up to the system's total; a bad item is refused with nothing saved."""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.assessment.models import Indicator, IndicatorSystem, Metric, UnitKind
from citysafe.assessment.services.home import county_of
from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from kernels.assessment import weights_match


def _decimal(value, field: str, errors: dict, *, positive: bool = False) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors.setdefault(field, []).append(ValidationError(_("必须是数字"), code="number"))
        return None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        errors.setdefault(field, []).append(ValidationError(_("必须是大于0的数字") if positive else _("不能为负数"),
                                                            code="range"))
        return None
    return number


def check_indicators(items: list[dict], total: Decimal) -> list[dict]:
    """The items, cleaned; a ValidationError naming the item and the rule otherwise."""
    errors: dict = {}
    cleaned, codes = [], set()
    if not items:
        errors["indicators"] = [ValidationError(_("至少需要一个考核指标"), code="required")]
    for n, item in enumerate(items, start=1):
        where = f"indicators.{n}"
        code, name = str(item.get("code") or "").strip(), str(item.get("name") or "").strip()
        if not code or not name:
            errors.setdefault(where, []).append(ValidationError(_("第%(n)d项：编号和名称必填") % {"n": n}, code="required"))
        if code in codes:
            errors.setdefault(where, []).append(ValidationError(_("第%(n)d项：编号“%(code)s”重复") % {"n": n, "code": code},
                                                                code="unique"))
        codes.add(code)
        weight = _decimal(item.get("weight"), where, errors, positive=True)
        metric = item.get("metric") or ""
        if metric and metric not in Metric.values:
            errors.setdefault(where, []).append(ValidationError(_("第%(n)d项：自动计算指标无效，可选：%(m)s") % {
                "n": n, "m": "、".join(Metric.values)}, code="choice"))
        full_at = _decimal(item.get("full_at", 1), where, errors)
        zero_at = _decimal(item.get("zero_at", 0), where, errors)
        if full_at is not None and zero_at is not None and not (0 <= zero_at < full_at <= 1):
            errors.setdefault(where, []).append(ValidationError(
                _("第%(n)d项：评分比率须满足 0 ≤ 零分比率 < 满分比率 ≤ 1") % {"n": n}, code="range"))
        category = item.get("category") or Indicator.Category.PROCESS
        if category not in Indicator.Category.values:
            errors.setdefault(where, []).append(ValidationError(_("第%(n)d项：类别无效") % {"n": n}, code="choice"))
        cleaned.append({"code": code, "name": name, "weight": weight, "metric": metric, "full_at": full_at,
                        "zero_at": zero_at, "category": category, "rule": str(item.get("rule") or "")})
    if not errors and not weights_match([float(i["weight"]) for i in cleaned], float(total)):
        weights = sum(i["weight"] for i in cleaned)
        errors["indicators"] = [ValidationError(
            _("各项分值之和（%(sum)s）必须等于总分（%(total)s）") % {"sum": weights, "total": total}, code="weights_total")]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def create_indicator_system(actor, *, year: int, unit_kind: str, title: str, indicators: list[dict],
                            total=100, veto_deaths: int = 3) -> IndicatorSystem:
    """A county office's system (its townships or departments) belongs to its county; an office
    over several counties (the prefecture) issues a system of unit kind "county" for them."""
    scope.require(actor, IndicatorSystem, scope.Action.CREATE)
    errors = {}
    county = county_of(actor)
    if unit_kind not in UnitKind.values:
        errors["unit_kind"] = [ValidationError(_("考核对象无效，可选：township、department、county"), code="choice")]
    elif (unit_kind == UnitKind.COUNTY) != (county is None):
        errors["unit_kind"] = [ValidationError(
            _("考核对象无效：县（市）由州（市）安委办考核，乡镇和县直部门由县安委办考核"), code="choice")]
    if not 2000 <= int(year) <= 2100:
        errors["year"] = [ValidationError(_("考核年度应在2000至2100之间"), code="range")]
    total = _decimal(total, "total", errors, positive=True)
    issuer = actor.organisation if county is None else None
    same = IndicatorSystem.objects.filter(year=year, unit_kind=unit_kind, archived_at__isnull=True)
    same = same.filter(county=county) if county is not None else same.filter(county__isnull=True, issuer=issuer)
    if same.exists():
        errors["year"] = [ValidationError(_("该年度该类考核对象已有指标体系"), code="unique")]
    if errors:
        raise ValidationError(errors)
    items = check_indicators(indicators, total)
    system = IndicatorSystem.objects.create(year=year, unit_kind=unit_kind, title=title.strip() or str(year),
                                            total=total, veto_deaths=veto_deaths, county_id=county, issuer=issuer)
    Indicator.objects.bulk_create([Indicator(system=system, **item) for item in items])
    if unit_kind == UnitKind.COUNTY:
        from citysafe.assessment.services.counties import open_results

        open_results(actor, system)
    record_change(actor=actor, action="create", instance=system, before=None,
                  after={**snapshot(system), "indicators": [f"{i['code']} {i['name']} {i['weight']}" for i in items]})
    return system
