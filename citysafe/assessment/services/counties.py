"""The prefecture office's annual assessment of its counties (issue 19). The office issues an
indicator system of unit kind "county" (systems.create_indicator_system opens a result per
county at once, so the system lies in every county it assesses); automatic items are the
townships' metric counts summed per county (one grouped query per metric, plus one query mapping
townships to counties), manual items are scored with a note; totals, ranks and grades as for
townships (kernels.assessment); submission and publication on the workflow engine
(workflows.COUNTY_REVIEW)."""
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.assessment.models import CountyItemScore, CountyResult, IndicatorSystem, UnitKind
from citysafe.assessment.services import metrics
from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.records import load_for_write
from citysafe.registry.models import Area
from kernels.assessment import grade_of, rank, ratio_score, unit_total

DRAFT = CountyResult.Status.DRAFT


def counties_of(actor):
    """The counties under the acting office, by code."""
    return Area.objects.filter(pk__in=scope.counties_of(actor).ids, level=Area.Level.COUNTY,
                               archived_at__isnull=True).order_by("code")


def open_results(actor, system: IndicatorSystem) -> int:
    """A draft result (with its item rows) for every county under the office that has none yet."""
    indicators = list(system.indicators.filter(archived_at__isnull=True))
    have = set(CountyResult.objects.filter(system=system).values_list("county_id", flat=True))
    CountyResult.objects.bulk_create([CountyResult(system=system, county=c, assessor=system.issuer)
                                      for c in counties_of(actor) if c.pk not in have])
    results = list(CountyResult.objects.filter(system=system, archived_at__isnull=True))
    CountyItemScore.objects.bulk_create([CountyItemScore(result=r, indicator=i) for r in results for i in indicators],
                                        ignore_conflicts=True)
    return len(results)


def _system_for_write(actor, system_id) -> IndicatorSystem:
    systems = scope.narrow(actor, IndicatorSystem.objects.filter(unit_kind=UnitKind.COUNTY), for_write=True)
    system = scope.get_in_scope(actor, systems, system_id)
    return IndicatorSystem.objects.select_for_update().get(pk=system.pk)


@transaction.atomic
def score_counties(actor, system_id: int, *, today: date | None = None) -> int:
    """(Re)compute every draft county's automatic items, then totals, ranks and grades."""
    scope.require(actor, CountyResult, scope.Action.CREATE)
    system = _system_for_write(actor, system_id)
    open_results(actor, system)
    period = metrics.Period.of_year(system.year, today)
    results = {r.county_id: r for r in CountyResult.objects.filter(system=system, archived_at__isnull=True)}
    indicators = list(system.indicators.filter(archived_at__isnull=True))
    items = {(s.result_id, s.indicator_id): s for s in CountyItemScore.objects.filter(result__system=system)}
    county_of_township = dict(Area.objects.filter(level=Area.Level.TOWNSHIP, county__in=list(results))
                              .values_list("pk", "county_id"))
    changed = []
    for indicator in indicators:
        if not indicator.metric:
            continue
        per_county: dict[int, list[int]] = {}
        for township, (met, due) in metrics.counts(indicator.metric, UnitKind.TOWNSHIP, period).items():
            county = county_of_township.get(township)
            if county is not None:
                pair = per_county.setdefault(county, [0, 0])
                pair[0], pair[1] = pair[0] + met, pair[1] + due
        for county, result in results.items():
            if result.status != DRAFT:
                continue
            met, due = per_county.get(county, (0, 0))
            item = items[(result.pk, indicator.pk)]
            item.numerator, item.denominator = met, due
            item.score = Decimal(str(ratio_score(met, due, float(indicator.weight), float(indicator.full_at),
                                                 float(indicator.zero_at))))
            item.evidence_note = indicator.get_metric_display() + _("：%(met)d / %(due)d") % {"met": met, "due": due}
            changed.append(item)
    CountyItemScore.objects.bulk_update(changed, ["numerator", "denominator", "score", "evidence_note"])
    now = timezone.now()
    for result in results.values():
        if result.status == DRAFT:
            result.scored_at = now
    _total_and_rank(list(results.values()))
    record_change(actor=actor, action="score", instance=system, before=None,
                  after={"counties": len(results), "items": len(changed)})
    return len(results)


def _total_and_rank(results):
    totals = dict(CountyItemScore.objects.filter(result__in=results).order_by().values("result_id")
                  .annotate(s=Sum("score")).values_list("result_id", "s"))
    for result in results:
        result.score = Decimal(str(unit_total([float(totals.get(result.pk) or 0)], float(result.deduction))))
    places = rank([float(r.score) for r in results], [False] * len(results))
    for result, place in zip(results, places, strict=True):
        result.rank, result.grade = place, grade_of(float(result.score), False)
    CountyResult.objects.bulk_update(results, ["score", "rank", "grade", "scored_at"])


@transaction.atomic
def set_county_item(actor, item_id: int, *, score, note: str = "") -> CountyItemScore:
    """A manual item's score for one county, with the reason."""
    scope.require(actor, CountyItemScore, scope.Action.CHANGE)
    writable = scope.narrow(actor, CountyItemScore.objects.select_related("indicator", "result"), for_write=True)
    item = scope.get_in_scope(actor, writable, item_id)
    result = load_for_write(actor, CountyResult, item.result_id, scope.Action.CHANGE)
    if result.status != DRAFT:
        raise ValidationError({"status": [ValidationError(_("考核结果已提交或发布，不能修改评分"), code="not_draft")]})
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
    before = snapshot(item)
    item.score, item.evidence_note, item.scored_by = value, note.strip(), actor
    item.version += 1
    item.save()
    record_change(actor=actor, action="update", instance=item, before=before, after=snapshot(item))
    _total_and_rank(list(CountyResult.objects.filter(system_id=result.system_id, archived_at__isnull=True)))
    return item


def results(user, system_id: int):
    """The county results of a system the user may read (a county: its own, once published)."""
    rows = scope.narrow(user, CountyResult.objects.filter(system_id=system_id).select_related("county", "system"))
    if not scope.may(user, CountyResult, scope.Action.CHANGE):
        rows = rows.filter(status=CountyResult.Status.PUBLISHED)
    return rows.order_by("rank", "county__code")
