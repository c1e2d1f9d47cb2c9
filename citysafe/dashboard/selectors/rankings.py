"""Rankings of townships and departments by their hazard work: open, overdue, closed and the
on-time closure rate (one grouped query each). A township officer's ranking has one row."""
from django.db.models import Count, F, Q
from django.utils import timezone

from citysafe.core import scope
from citysafe.core.kinds import get_kind
from citysafe.dashboard.selectors.kpis import list_url
from citysafe.dashboard.selectors.trends import CLOSED_ON_TIME
from citysafe.hazards.models import OPEN_STATES, Hazard, Status


def _measures(since=None, until=None):
    """Open and overdue now (what the drill-down lists show); closed and closed on time within
    [since, until) when given."""
    closed = Q(status=Status.CLOSED)
    if since is not None:
        closed &= Q(closed_at__gte=since)
    if until is not None:
        closed &= Q(closed_at__lt=until)
    return {"open": Count("pk", filter=Q(status__in=OPEN_STATES)),
            "overdue": Count("pk", filter=Q(is_overdue=True)),
            "closed": Count("pk", filter=closed),
            "closed_on_time": Count("pk", filter=closed & CLOSED_ON_TIME)}


def _rank(rows: list[dict]) -> list[dict]:
    for row in rows:
        row["rate"] = round(100 * row["closed_on_time"] / row["closed"], 1) if row["closed"] else None
    # best first: the higher on-time rate, then the fewer overdue hazards
    rows.sort(key=lambda r: (-(r["rate"] if r["rate"] is not None else -1), r["overdue"], r["name"] or ""))
    for position, row in enumerate(rows, start=1):
        row["position"] = position
    return rows


def _relevant(since, until) -> Q:
    """Only the rows some measure counts (open, overdue, closed in the window): on a million
    hazards, mostly closed long ago, this skips most of the table through the indexes."""
    closed = Q(status=Status.CLOSED)
    if since is not None:
        closed &= Q(closed_at__gte=since)
    if until is not None:
        closed &= Q(closed_at__lt=until)
    return Q(status__in=OPEN_STATES) | Q(is_overdue=True) | closed


def townships(user, since=None, until=None) -> list[dict]:
    visible = scope.narrow(user, Hazard.objects.filter(township__isnull=False)).filter(
        _relevant(since, until)).order_by()
    rows = list(visible.values("township_id", name=F("township__name")).annotate(**_measures(since, until)))
    kind = get_kind("hazards")
    for row in rows:
        row["url"] = list_url(kind, {"township_id": row["township_id"], "stage": "open"})
        row["overdue_url"] = list_url(kind, {"township_id": row["township_id"], "is_overdue": "true"})
    return _rank(rows)


def departments(user, since=None, until=None) -> list[dict]:
    visible = scope.narrow(user, Hazard.objects.filter(supervising_department__isnull=False)).filter(
        _relevant(since, until)).order_by()
    rows = list(visible.values("supervising_department_id", name=F("supervising_department__name"))
                .annotate(**_measures(since, until)))
    return _rank(rows)


def year_start():
    return timezone.localtime().replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
