"""Scoring a year's assessment: automatic items from platform data (services.metrics, one
grouped query per metric for all units), manual items with evidence, deductions, the
one-vote veto for a major accident, totals, ranks and grades (kernels.assessment)."""
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.accounts.models import Organisation
from citysafe.assessment.models import Accident, IndicatorSystem, ItemScore, UnitKind, UnitResult
from citysafe.assessment.services import metrics
from citysafe.assessment.services.home import in_county
from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.records import load_for_write
from kernels.assessment import grade_of, rank, ratio_score, unit_total

DRAFT = UnitResult.Status.DRAFT


def unit_key(system: IndicatorSystem, organisation: Organisation) -> int | None:
    """What the metrics group by for this unit: a township's area, a department itself."""
    return organisation.area_id if system.unit_kind == UnitKind.TOWNSHIP else organisation.pk


def _units(system):
    """The system's county's townships or departments (a prefecture's system: services/counties.py)."""
    return (Organisation.objects.filter(kind=system.unit_kind, archived_at__isnull=True)
            .filter(in_county(system.county_id)).order_by("code"))


def _vetoes(system, period, units) -> dict[int, str]:
    """Units with an accident of `veto_deaths` or more deaths in the year: {organisation id: reason}."""
    accidents = Accident.objects.filter(archived_at__isnull=True, occurred_on__gte=date(system.year, 1, 1),
                                        occurred_on__lte=date(system.year, 12, 31), deaths__gte=system.veto_deaths)
    if system.county_id is not None:
        accidents = accidents.filter(in_county(system.county_id, "township"))
    if system.unit_kind == UnitKind.TOWNSHIP:
        by_area = dict(accidents.order_by().values("township_id").annotate(n=Count("pk")).values_list("township_id", "n"))
        found = {u.pk: by_area[u.area_id] for u in units if u.area_id in by_area}
    else:
        rows = (Organisation.objects.filter(pk__in=[u.pk for u in units], industries__in=accidents.values("industry_id"))
                .values("pk").annotate(n=Count("industries", distinct=True)))
        found = {row["pk"]: row["n"] for row in rows}
    return {pk: _("考核年度内发生死亡%(d)d人以上事故%(n)d起（一票否决）") % {"d": system.veto_deaths, "n": n}
            for pk, n in found.items()}


@transaction.atomic
def score_system(actor, system_id: int, *, today: date | None = None) -> int:
    """(Re)compute every unit's automatic items, veto, totals, ranks and grades for a system.
    Results under review or approved keep their item scores; they are still ranked. Returns
    the number of units scored."""
    scope.require(actor, UnitResult, scope.Action.CREATE)
    system = scope.get_in_scope(actor, scope.narrow(actor, IndicatorSystem.objects.exclude(unit_kind=UnitKind.COUNTY),
                                                    for_write=True), system_id)
    system = IndicatorSystem.objects.select_for_update().get(pk=system.pk)
    period = metrics.Period.of_year(system.year, today)
    units = list(_units(system))
    indicators = list(system.indicators.filter(archived_at__isnull=True))
    existing = {r.organisation_id: r for r in UnitResult.objects.filter(system=system)}
    UnitResult.objects.bulk_create([UnitResult(system=system, organisation=u) for u in units if u.pk not in existing])
    results = {r.organisation_id: r for r in UnitResult.objects.filter(system=system, archived_at__isnull=True)}
    ItemScore.objects.bulk_create(
        [ItemScore(result=r, indicator=i) for r in results.values() for i in indicators], ignore_conflicts=True)
    items = {(s.result_id, s.indicator_id): s for s in ItemScore.objects.filter(result__system=system)}

    changed = []
    for indicator in indicators:
        if not indicator.metric:
            continue
        found = metrics.counts(indicator.metric, system.unit_kind, period)
        for unit in units:
            result = results.get(unit.pk)
            if result is None or result.status != DRAFT:
                continue
            met, due = found.get(unit_key(system, unit), (0, 0))
            item = items[(result.pk, indicator.pk)]
            item.numerator, item.denominator = met, due
            item.score = Decimal(str(ratio_score(met, due, float(indicator.weight), float(indicator.full_at),
                                                 float(indicator.zero_at))))
            item.evidence_note = indicator.get_metric_display() + _("：%(met)d / %(due)d") % {"met": met, "due": due}
            changed.append(item)
    ItemScore.objects.bulk_update(changed, ["numerator", "denominator", "score", "evidence_note"], batch_size=2000)

    vetoes = _vetoes(system, period, units)
    now = timezone.now()
    for result in results.values():
        if result.status == DRAFT:
            reason = vetoes.get(result.organisation_id)
            result.vetoed, result.veto_reason = (True, reason) if reason else (
                (result.vetoed, result.veto_reason) if result.veto_reason.startswith(_("人工：")) else (False, ""))
            result.scored_at = now
    _total_and_rank(system, list(results.values()))
    record_change(actor=actor, action="score", instance=system, before=None,
                  after={"units": len(results), "items": len(changed), "vetoed": sorted(vetoes)})
    return len(results)


def _total_and_rank(system, results):
    totals = dict(ItemScore.objects.filter(result__in=results).order_by().values("result_id")
                  .annotate(s=Sum("score")).values_list("result_id", "s"))
    for result in results:
        result.score = Decimal(str(unit_total([float(totals.get(result.pk) or 0)], float(result.deduction))))
    ranks = rank([float(r.score) for r in results], [r.vetoed for r in results])
    for result, place in zip(results, ranks, strict=True):
        result.rank, result.grade = place, grade_of(float(result.score), result.vetoed)
    UnitResult.objects.bulk_update(results, ["score", "rank", "grade", "vetoed", "veto_reason", "scored_at"])


def _rerank(system):
    _total_and_rank(system, list(UnitResult.objects.filter(system=system, archived_at__isnull=True)))


def _open_draft(actor, pk) -> UnitResult:
    result = load_for_write(actor, UnitResult, pk, scope.Action.CHANGE)
    if result.status != DRAFT:
        raise ValidationError({"status": [ValidationError(_("考核结果已提交或审定，不能修改评分"), code="not_draft")]})
    return result


@transaction.atomic
def set_item_score(actor, item_id: int, *, score, note: str = "") -> ItemScore:
    """A manual item's score with its reasons (evidence files are attached to the item)."""
    item = scope.get_in_scope(actor, ItemScore.objects.select_related("indicator", "result"), item_id)
    scope.require(actor, ItemScore, scope.Action.CHANGE)
    result = _open_draft(actor, item.result_id)
    before = snapshot(item)
    try:
        value = Decimal(str(score))
    except Exception:  # noqa: BLE001 (any unparseable input is the same error)
        value = None
    if value is None or not value.is_finite():
        raise ValidationError({"score": [ValidationError(_("得分必须是数字"), code="number")]})
    if value < 0 or value > item.indicator.weight:
        raise ValidationError({"score": [ValidationError(
            _("得分必须在0到该项分值%(max)s之间") % {"max": item.indicator.weight}, code="score_range")]})
    if item.indicator.metric:
        raise ValidationError({"score": [ValidationError(_("自动计算的指标不能手工评分"), code="automatic")]})
    item.score, item.evidence_note, item.scored_by = value, note.strip(), actor
    item.version += 1
    item.save()
    record_change(actor=actor, action="update", instance=item, before=before, after=snapshot(item))
    _rerank(result.system)
    return item


@transaction.atomic
def set_deduction(actor, result_id: int, *, deduction, note: str, vetoed: bool | None = None,
                  veto_reason: str = "") -> UnitResult:
    """Deductions (扣分) with their reason, and a veto the office decides by hand (人工)."""
    result = _open_draft(actor, result_id)
    before = snapshot(result)
    try:
        value = Decimal(str(deduction))
    except Exception:  # noqa: BLE001
        value = None
    if value is None or not value.is_finite() or value < 0 or value > result.system.total:
        raise ValidationError({"deduction": [ValidationError(
            _("扣分必须在0到总分%(total)s之间") % {"total": result.system.total}, code="range")]})
    if value and not note.strip():
        raise ValidationError({"deduction_note": [ValidationError(_("扣分必须说明理由"), code="required")]})
    result.deduction, result.deduction_note = value, note.strip()
    if vetoed is not None:
        if vetoed and not veto_reason.strip():
            raise ValidationError({"veto_reason": [ValidationError(_("一票否决必须说明理由"), code="required")]})
        result.vetoed, result.veto_reason = vetoed, (_("人工：") + veto_reason.strip()) if vetoed else ""
    result.version += 1
    result.save()
    record_change(actor=actor, action="update", instance=result, before=before, after=snapshot(result))
    _rerank(result.system)
    return result

