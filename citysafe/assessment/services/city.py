"""The demonstration-city self-assessment: one per year over the editable checklist; items
with a platform metric are scored from it (points lost in proportion to the shortfall), the
others by the office with evidence; the gap list is every item that loses points."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from citysafe.assessment.models import CityItem, CityItemScore, CitySelfAssessment, UnitKind
from citysafe.assessment.services import metrics
from citysafe.assessment.services.home import county_of, home_county, in_county
from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from kernels.assessment import ratio_score


def _county_ratio(metric: str, period, townships: set[int]) -> tuple[int, int]:
    found = {key: value for key, value in metrics.counts(metric, UnitKind.TOWNSHIP, period).items() if key in townships}
    return sum(m for m, _d in found.values()), sum(d for _m, d in found.values())


def _townships(county: int | None) -> set[int]:
    from citysafe.registry.models import Area

    return set(Area.objects.filter(level=Area.Level.TOWNSHIP).filter(in_county(county, "county"))
               .values_list("pk", flat=True))


def checklist(county: int | None):
    """The county's checklist: its own items, or (the home county) the seeded ones."""
    return CityItem.objects.filter(archived_at__isnull=True).filter(in_county(county, "county"))


def template(county: int | None):
    """The county's checklist, or before its first self-assessment the seeded one it will copy."""
    own = checklist(county)
    return own if own.exists() else CityItem.objects.filter(archived_at__isnull=True, county__isnull=True)


def _own_checklist(county: int | None) -> list[CityItem]:
    """A county's first self-assessment copies the seeded checklist (the office then edits its own)."""
    items = list(checklist(county))
    if not items and county is not None:
        template = CityItem.objects.filter(archived_at__isnull=True, county__isnull=True).order_by("code")
        if not template.exists():
            template = checklist(home_county())
        CityItem.objects.bulk_create([
            CityItem(county_id=county, **{f.attname: getattr(i, f.attname) for f in CityItem._meta.concrete_fields
                                          if f.attname not in ("id", "county_id", "created_at", "updated_at")})
            for i in template])
        items = list(checklist(county))
    return items


@transaction.atomic
def run_self_assessment(actor, year: int) -> CitySelfAssessment:
    scope.require(actor, CitySelfAssessment, scope.Action.CREATE)
    county = county_of(actor)
    if county is None:
        raise ValidationError({"county": [ValidationError(_("示范城市自评由县安委办进行"), code="county")]})
    assessment = CitySelfAssessment.objects.filter(year=year).filter(in_county(county, "county")).first()
    if assessment is None:
        assessment = CitySelfAssessment.objects.create(year=year, county_id=county)
    items = _own_checklist(county)
    townships = _townships(county)
    CityItemScore.objects.bulk_create([CityItemScore(assessment=assessment, item=i) for i in items], ignore_conflicts=True)
    period = metrics.Period.of_year(year)
    scores = {s.item_id: s for s in assessment.items.all()}
    changed = []
    for item in items:
        if item.metric in metrics.DEFINITIONS:
            met, due = _county_ratio(item.metric, period, townships)
            score = scores[item.pk]
            score.lost = item.points - Decimal(str(ratio_score(met, due, float(item.points))))
            score.evidence_note = _("平台数据：%(met)d / %(due)d") % {"met": met, "due": due}
            changed.append(score)
    CityItemScore.objects.bulk_update(changed, ["lost", "evidence_note"])
    _total(assessment)
    record_change(actor=actor, action="score", instance=assessment, before=None, after=snapshot(assessment))
    return assessment


def _total(assessment):
    points = checklist(assessment.county_id).aggregate(s=Sum("points"))["s"] or 0
    lost = assessment.items.filter(item__archived_at__isnull=True).aggregate(s=Sum("lost"))["s"] or 0
    assessment.score = max(Decimal(0), points - lost)
    assessment.save(update_fields=["score", "updated_at"])


@transaction.atomic
def set_city_item(actor, score_id: int, *, lost, note: str) -> CityItemScore:
    scope.require(actor, CityItemScore, scope.Action.CHANGE)
    score = scope.get_in_scope(actor, CityItemScore.objects.select_related("item", "assessment"), score_id)
    before = snapshot(score)
    try:
        value = Decimal(str(lost))
    except Exception:  # noqa: BLE001
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or value > score.item.points:
        raise ValidationError({"lost": [ValidationError(
            _("扣分必须在0到该项分值%(max)s之间") % {"max": score.item.points}, code="score_range")]})
    score.lost, score.evidence_note = value, note.strip()
    score.version += 1
    score.save()
    record_change(actor=actor, action="update", instance=score, before=before, after=snapshot(score))
    _total(score.assessment)
    return score


def gaps(assessment) -> list[CityItemScore]:
    return list(assessment.items.filter(lost__gt=0).select_related("item").order_by("item__code"))
