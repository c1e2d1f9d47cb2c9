"""The figures of one report: the state at generation (the dashboard's numbers) and the
period's activity, all through the dashboard selectors with the subject's viewer. Stored with
the report as JSON, so the .docx, the PDF and the page show the same numbers."""
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from citysafe.core import scope
from citysafe.dashboard.selectors import kpis, rankings, trends
from citysafe.early_warning.models import Warning
from citysafe.emergency.models import Incident
from citysafe.hazards.models import Hazard, Status
from citysafe.monitoring.models import Alarm


def _aware(day: date):
    return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))


def _period_counts(viewer, first: date, last: date) -> dict:
    since, until = _aware(first), _aware(last + timedelta(days=1))
    hazards = scope.narrow(viewer, Hazard.objects.all()).order_by().aggregate(
        found=Count("pk", filter=Q(found_at__gte=since, found_at__lt=until)),
        found_major=Count("pk", filter=Q(found_at__gte=since, found_at__lt=until, grade="major")),
        closed=Count("pk", filter=Q(status=Status.CLOSED, closed_at__gte=since, closed_at__lt=until)),
        closed_on_time=Count("pk", filter=Q(status=Status.CLOSED, closed_at__gte=since, closed_at__lt=until)
                             & trends.CLOSED_ON_TIME))
    alarms = scope.narrow(viewer, Alarm.objects.filter(started_at__gte=since, started_at__lt=until)).order_by() \
        .aggregate(total=Count("pk"), level1=Count("pk", filter=Q(level=1)))
    # a warning's every version is a row: count first publications (no `previous`)
    warnings = scope.narrow(viewer, Warning.objects.filter(sent_at__gte=since, sent_at__lt=until,
                                                           previous__isnull=True)).order_by().count()
    incidents = scope.narrow(viewer, Incident.objects.filter(occurred_at__gte=since, occurred_at__lt=until)) \
        .order_by().count()
    return {"hazards_found": hazards["found"], "hazards_found_major": hazards["found_major"],
            "hazards_closed": hazards["closed"], "hazards_closed_on_time": hazards["closed_on_time"],
            "on_time_rate": round(100 * hazards["closed_on_time"] / hazards["closed"], 1) if hazards["closed"] else None,
            "alarms": alarms["total"], "alarms_level1": alarms["level1"], "warnings_published": warnings,
            "incidents": incidents, "inspections": kpis.inspections_between(viewer, since, until)}


def _plain(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    return [{k: (str(row[k]) if k == "name" else row[k]) for k in keys} for row in rows]


def compute(subject, first: date, last: date) -> dict:
    viewer = subject.viewer()
    head = kpis.headline(viewer)
    state = {m["key"]: {"label": str(m["label"]), "value": m["value"]}
             for group in ("risk", "hazards", "alarms", "other") for m in head[group]}
    chart_first = first if (last - first).days > 62 else trends.last_months(12, last)[0]
    months = trends.hazards_by_month(viewer, chart_first, last)
    since, until = _aware(first), _aware(last + timedelta(days=1))
    keys = ("name", "open", "overdue", "closed", "closed_on_time", "rate")
    return {
        "subject": subject.name, "first": first.isoformat(), "last": last.isoformat(),
        "state": state, "period": _period_counts(viewer, first, last),
        "months": [{**row, "month": row["month"].strftime("%Y-%m")} for row in months],
        "townships": _plain(rankings.townships(viewer, since=since, until=until), keys),
        "departments": _plain(rankings.departments(viewer, since=since, until=until), keys),
        "generated": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
