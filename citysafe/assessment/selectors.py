"""Reads of the assessment app, always through core.scope: accident statistics by year,
township and industry with the STANDARDS.md indicators, targets with their status, results."""
from datetime import date

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractYear

from citysafe.assessment.models import Accident, AccidentKind, BaseFigure, IndicatorSystem, PolicyTarget, UnitResult
from citysafe.core import scope
from kernels.assessment import safety_indicators


def accidents(user):
    return scope.narrow(user, Accident.objects.all())


def yearly(user, years: range | None = None) -> list[dict]:
    """Per year: accidents, deaths, injuries and loss by kind, and the three indicators from
    that year's base figures (county-wide roles only: the rates are the county's)."""
    rows = (accidents(user).annotate(year=ExtractYear("occurred_on")).order_by().values("year", "kind")
            .annotate(n=Count("pk"), deaths=Sum("deaths"), injuries=Sum("injuries"), loss=Sum("direct_loss")))
    by_year: dict[int, dict] = {}
    for row in rows:
        if years is not None and row["year"] not in years:
            continue
        entry = by_year.setdefault(row["year"], {"year": row["year"], "accidents": 0, "deaths": 0, "injuries": 0,
                                                 "loss": 0.0, "deaths_by_kind": dict.fromkeys(AccidentKind.values, 0)})
        entry["accidents"] += row["n"]
        entry["deaths"] += row["deaths"] or 0
        entry["injuries"] += row["injuries"] or 0
        entry["loss"] += row["loss"] or 0.0
        entry["deaths_by_kind"][row["kind"]] = row["deaths"] or 0
    county_wide = scope.narrow(user, BaseFigure.objects.all())
    figures = {f.year: f for f in county_wide.filter(year__in=list(by_year))}
    for year, entry in by_year.items():
        f, d = figures.get(year), entry["deaths_by_kind"]
        entry["indicators"] = safety_indicators(
            d[AccidentKind.PRODUCTION], d[AccidentKind.ROAD], d[AccidentKind.FIRE],
            float(f.gdp_yi) if f else None, float(f.vehicles_wan) if f else None, f.population if f else None)
        entry["loss"] = round(entry["loss"], 2)
    return [by_year[y] for y in sorted(by_year)]


def breakdown(user, year: int, by: str) -> list[dict]:
    """Accidents, deaths and injuries of a year by township or industry."""
    field = {"township": "township__name", "industry": "industry__name"}[by]
    return list(accidents(user).filter(occurred_on__gte=date(year, 1, 1), occurred_on__lte=date(year, 12, 31))
                .order_by().values(name=F(field))
                .annotate(n=Count("pk"), deaths=Sum("deaths"), injuries=Sum("injuries")).order_by("-deaths", "-n"))


def targets(user):
    return scope.narrow(user, PolicyTarget.objects.select_related("responsible_org")).order_by("deadline", "code")


def systems(user):
    """Systems the user reads: its county's (the office, leaders; the prefecture: its own and every
    county's), or those it is assessed under (a unit, through its own results)."""
    own = scope.narrow(user, IndicatorSystem.objects.all()).values("pk")
    assessed = scope.narrow(user, UnitResult.objects.all()).values("system_id")
    return IndicatorSystem.objects.filter(archived_at__isnull=True).filter(Q(pk__in=own) | Q(pk__in=assessed))


def results(user, system_id: int):
    return (scope.narrow(user, UnitResult.objects.filter(system_id=system_id).select_related("organisation", "system"))
            .order_by("rank", "organisation__code"))
