"""Trends: hazards found and closed per month with the on-time closure rate, alarms per day.
One grouped query per series, whatever the number of rows (no per-row Python)."""
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from citysafe.core import scope
from citysafe.hazards.models import Hazard, Status
from citysafe.monitoring.models import Alarm

CLOSED_ON_TIME = Q(rectification_deadline__isnull=True) | Q(closed_at__date__lte=F("rectification_deadline"))


def _months(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _key(value) -> date:
    """A TruncMonth/TruncDate value as a date (a datetime on some backends, a date on others)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def hazards_by_month(user, first: date, last: date) -> list[dict]:
    """[{month, found, closed, closed_on_time, rate}] for every month from `first` to `last`
    (inclusive), months without records included as zeros. Two grouped queries."""
    since, until = _aware(first.replace(day=1)), _aware(last + timedelta(days=1))
    visible = scope.narrow(user, Hazard.objects.all()).order_by()
    found = {_key(m): n for m, n in visible.filter(found_at__gte=since, found_at__lt=until)
             .annotate(month=TruncMonth("found_at")).values_list("month").annotate(n=Count("pk"))}
    closed = {_key(m): (n, on_time) for m, n, on_time in visible.filter(
        status=Status.CLOSED, closed_at__gte=since, closed_at__lt=until).annotate(
        month=TruncMonth("closed_at")).values_list("month").annotate(
        n=Count("pk"), on_time=Count("pk", filter=CLOSED_ON_TIME))}
    rows = []
    for month in _months(first, last):
        n_closed, on_time = closed.get(month, (0, 0))
        rows.append({"month": month, "found": found.get(month, 0), "closed": n_closed,
                     "closed_on_time": on_time, "rate": round(100 * on_time / n_closed, 1) if n_closed else None})
    return rows


def alarms_by_day(user, first: date, last: date) -> list[dict]:
    """[{day, alarms, level1}] per day from `first` to `last` inclusive (one grouped query)."""
    since, until = _aware(first), _aware(last + timedelta(days=1))
    counts = {_key(d): (n, top) for d, n, top in scope.narrow(user, Alarm.objects.filter(
        started_at__gte=since, started_at__lt=until)).order_by().annotate(day=TruncDate("started_at")).values_list(
        "day").annotate(n=Count("pk"), top=Count("pk", filter=Q(level=1)))}
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [{"day": d, "alarms": counts.get(d, (0, 0))[0], "level1": counts.get(d, (0, 0))[1]} for d in days]


def last_months(count: int = 12, today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _i in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, today
