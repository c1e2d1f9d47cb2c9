"""Statistics of the hazard pages (scoped through core.scope): found, closed, closed on time,
overdue, major hazards under listed supervision, average days to close — per township and
per month of discovery, in one grouped query each."""
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from citysafe.core import scope
from citysafe.hazards.models import DEADLINE_STATES, Hazard, Status


def _measures(now):
    closed = Q(status=Status.CLOSED)
    return {
        "found": Count("id"),
        "closed": Count("id", filter=closed),
        "closed_on_time": Count("id", filter=closed & (Q(rectification_deadline__isnull=True)
                                                      | Q(closed_at__date__lte=F("rectification_deadline")))),
        "overdue": Count("id", filter=Q(status__in=DEADLINE_STATES, due_at__lt=now)),
        "listed": Count("id", filter=Q(is_listed=True)),
    }


def _days(rows_qs, key):
    """Average days from discovery to closure per group (computed in Python from two columns,
    because SQLite and PostgreSQL differ on averaging intervals)."""
    totals: dict = {}
    for group, found, closed in rows_qs.filter(status=Status.CLOSED, closed_at__isnull=False).values_list(
            key, "found_at", "closed_at").iterator():
        total, n = totals.get(group, (0.0, 0))
        totals[group] = (total + (closed - found).total_seconds() / 86400, n + 1)
    return {group: round(total / n, 1) for group, (total, n) in totals.items() if n}


def _visible(user):
    return scope.narrow(user, Hazard.objects.all())


def summary(user) -> dict:
    now = timezone.now()
    visible = _visible(user)
    row = visible.aggregate(**_measures(now))
    row["by_status"] = dict(visible.values_list("status").annotate(n=Count("id")).order_by())
    return row


def by_township(user) -> list[dict]:
    now = timezone.now()
    visible = _visible(user)
    days = _days(visible, "township__name")
    rows = list(visible.values("township__name").annotate(**_measures(now)).order_by("township__name"))
    for row in rows:
        row["avg_days"] = days.get(row["township__name"])
    return rows


def by_month(user, months: int = 12) -> list[dict]:
    now = timezone.now()
    since = (now - timezone.timedelta(days=31 * months)).replace(day=1)
    visible = _visible(user).filter(found_at__gte=since).annotate(month=TruncMonth("found_at"))
    days = _days(visible, "month")
    rows = list(visible.values("month").annotate(**_measures(now)).order_by("month"))
    for row in rows:
        row["avg_days"] = days.get(row["month"])
    return rows


def by_industry(user) -> list[dict]:
    now = timezone.now()
    return list(_visible(user).values("industry__name").annotate(**_measures(now)).order_by("industry__name"))


__all__ = ["by_industry", "by_month", "by_township", "summary"]
