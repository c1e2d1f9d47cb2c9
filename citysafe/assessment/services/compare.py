"""The prefecture's (or province's) comparison of its counties side by side (issue 19): key
figures per county from the platform's data. Each figure is ONE grouped query over its table
(GROUP BY the county the row lies in), so the cost does not grow with the number of counties;
a row is counted in a county through its township's `county` (the registry's area tree).

Only the counties the user reads (core.scope.counties_of) are shown, and each figure counts only
rows of those counties."""
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysafe.assessment.models import Accident, CitySelfAssessment, CountyResult, UnitKind
from citysafe.core import scope
from citysafe.registry.models import Area


@dataclass
class CountyRow:
    county_id: int
    name: str
    code: str
    figures: dict = field(default_factory=dict)


# (key, column heading): the page's and the workbook's columns, in order
COLUMNS = [
    ("enterprises", _("企业数")),
    ("major_hazards", _("重大危险源")),
    ("hazards_open", _("未销号隐患")),
    ("hazards_overdue", _("逾期隐患")),
    ("hazard_closure_rate", _("隐患销号率（%）")),
    ("risk_major", _("重大风险点")),
    ("risk_significant", _("较大风险点")),
    ("risk_general", _("一般风险点")),
    ("risk_low", _("低风险点")),
    ("alarms_active", _("当前报警")),
    ("warnings_published", _("本年发布预警")),
    ("accidents", _("本年事故起数")),
    ("accident_deaths", _("本年事故死亡人数")),
    ("self_assessment", _("示范城市自评得分")),
    ("prefecture_score", _("州（市）考核得分")),
    ("prefecture_grade", _("州（市）考核等次")),
]


def _grouped(queryset, county_path: str, ids, **aggregates) -> dict[int, dict]:
    rows = (queryset.filter(**{f"{county_path}__in": ids}).order_by().values(county_path)
            .annotate(**aggregates))
    return {row[county_path]: row for row in rows}


def comparison(user, year: int | None = None) -> tuple[list[CountyRow], int]:
    """One row per county the user reads, with every figure of COLUMNS; and the year used."""
    from citysafe.early_warning.models import Warning
    from citysafe.hazards.models import OPEN_STATES, Hazard
    from citysafe.hazards.models import Status as HazardStatus
    from citysafe.monitoring.models.alarms import ACTIVE, Alarm
    from citysafe.registry.models import Enterprise
    from citysafe.risks.models import MajorHazardInstallation, RiskPoint

    today = timezone.localdate()
    year = year or today.year
    ids = sorted(scope.counties_of(user).ids)
    counties = list(Area.objects.filter(pk__in=ids, level=Area.Level.COUNTY).order_by("code"))
    ids = [c.pk for c in counties]
    start, end = date(year, 1, 1), date(year, 12, 31)
    active = Q(archived_at__isnull=True)

    enterprises = _grouped(Enterprise.objects.filter(active), "township__county", ids, n=Count("pk"))
    installations = _grouped(MajorHazardInstallation.objects.filter(active), "township__county", ids, n=Count("pk"))
    hazards = _grouped(
        Hazard.objects.filter(active).exclude(status=HazardStatus.REJECTED), "township__county", ids,
        total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATES, rectification_deadline__lt=today)),
        closed=Count("pk", filter=Q(status=HazardStatus.CLOSED)))
    risk = _grouped(RiskPoint.objects.filter(active), "township__county", ids,
                    **{f"l{level}": Count("pk", filter=Q(level=level)) for level in (1, 2, 3, 4)})
    alarms = _grouped(Alarm.objects.filter(status__in=list(ACTIVE)), "sensor__township__county", ids, n=Count("pk"))
    # A warning covering several townships counts once per county (distinct over the join).
    warnings = _grouped(Warning.objects.filter(status=Warning.Status.PUBLISHED, onset__year=year),
                        "townships__county", ids, n=Count("pk", distinct=True))
    accidents = _grouped(Accident.objects.filter(active, occurred_on__gte=start, occurred_on__lte=end),
                         "township__county", ids, n=Count("pk"), deaths=Sum("deaths"))
    self_scores = _self_assessments(ids, year)
    results = _prefecture_results(user, ids, year)

    rows = []
    for county in counties:
        h = hazards.get(county.pk, {})
        r = risk.get(county.pk, {})
        result = results.get(county.pk)
        rows.append(CountyRow(county.pk, county.name, county.code, {
            "enterprises": enterprises.get(county.pk, {}).get("n", 0),
            "major_hazards": installations.get(county.pk, {}).get("n", 0),
            "hazards_open": h.get("open", 0),
            "hazards_overdue": h.get("overdue", 0),
            "hazard_closure_rate": round(100 * h["closed"] / h["total"], 1) if h.get("total") else None,
            "risk_major": r.get("l1", 0), "risk_significant": r.get("l2", 0),
            "risk_general": r.get("l3", 0), "risk_low": r.get("l4", 0),
            "alarms_active": alarms.get(county.pk, {}).get("n", 0),
            "warnings_published": warnings.get(county.pk, {}).get("n", 0),
            "accidents": accidents.get(county.pk, {}).get("n", 0),
            "accident_deaths": accidents.get(county.pk, {}).get("deaths") or 0,
            "self_assessment": self_scores.get(county.pk),
            "prefecture_score": float(result.score) if result else None,
            "prefecture_grade": result.grade if result else "",
        }))
    return rows, year


def _self_assessments(ids: list[int], year: int) -> dict[int, float]:
    """Each county's self-assessment score of the year (rows without a county: the home county's)."""
    home = Area.objects.filter(level=Area.Level.COUNTY).order_by("pk").values_list("pk", flat=True).first()
    found = {}
    for county_id, score in (CitySelfAssessment.objects.filter(archived_at__isnull=True, year=year)
                             .filter(Q(county__in=ids) | Q(county__isnull=True)).values_list("county_id", "score")):
        key = county_id if county_id is not None else home
        if key in ids:
            found[key] = float(score)
    return found


def _prefecture_results(user, ids: list[int], year: int) -> dict[int, CountyResult]:
    """The latest result of the year's county assessment per county, as the user may read it."""
    rows = scope.narrow(user, CountyResult.objects.filter(system__year=year, system__unit_kind=UnitKind.COUNTY,
                                                           system__archived_at__isnull=True, county__in=ids))
    if not scope.may(user, CountyResult, scope.Action.CHANGE):
        rows = rows.filter(status=CountyResult.Status.PUBLISHED)
    latest = {}
    for result in rows.order_by("system_id"):
        latest[result.county_id] = result
    return latest


def sort_rows(rows: list[CountyRow], key: str, descending: bool) -> list[CountyRow]:
    """Rows sorted by one figure (or the county's name); counties without the figure last."""
    if key == "name" or key not in dict(COLUMNS):
        return sorted(rows, key=lambda r: r.code, reverse=descending)
    present = [r for r in rows if r.figures.get(key) not in (None, "")]
    missing = [r for r in rows if r.figures.get(key) in (None, "")]
    return sorted(present, key=lambda r: r.figures[key], reverse=descending) + missing
