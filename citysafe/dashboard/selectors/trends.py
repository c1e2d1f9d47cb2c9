"""Trends: hazards found and closed per month with the on-time closure rate, alarms per day.
One aggregate query per series: a conditional COUNT per month (or day) between local-time
boundaries computed here, over the rows of the window only (found_at / closed_at / started_at
are indexed). Why not TruncMonth/TruncDate: on SQLite they run a Python function per row
(time-zone conversion), 20× slower on a million hazards (bench/bench_dashboard.py)."""
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, DateField, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from citysafe.core import scope
from citysafe.hazards.models import Hazard, Status
from citysafe.monitoring.models import Alarm


class LocalDate(Func):
    """A datetime column's date in settings.TIME_ZONE. Django's own (`__date`) is native SQL on
    PostgreSQL but a Python function per row on SQLite (a million rows: seconds); SQLite gets the
    built-in date() shifted by the zone's offset — exact for zones without daylight saving,
    such as Asia/Shanghai (China has none since 1991)."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        return TruncDate(*self.source_expressions).as_sql(compiler, connection, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        offset = int(timezone.localtime().utcoffset().total_seconds())
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{offset:+d} seconds')", params


CLOSED_ON_TIME = Q(rectification_deadline__isnull=True) | Q(
    LessThanOrEqual(LocalDate("closed_at"), F("rectification_deadline")))


def _months(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _buckets(starts: list[date], end: date) -> list[tuple[datetime, datetime]]:
    bounds = [_aware(d) for d in starts] + [_aware(end)]
    return list(zip(bounds, bounds[1:], strict=False))


def hazards_by_month(user, first: date, last: date) -> list[dict]:
    """[{month, found, closed, closed_on_time, rate}] for every month from `first` to `last`
    (inclusive), months without records included as zeros. Two aggregate queries."""
    months = _months(first, last)
    buckets = _buckets(months, last + timedelta(days=1))
    since, until = buckets[0][0], buckets[-1][1]
    visible = scope.narrow(user, Hazard.objects.all()).order_by()
    found = visible.filter(found_at__gte=since, found_at__lt=until).aggregate(**{
        f"m{i}": Count("pk", filter=Q(found_at__gte=a, found_at__lt=b)) for i, (a, b) in enumerate(buckets)})
    # grouped by the month's index (plain comparisons), so the on-time test — a per-row date
    # conversion — runs once per row, not once per month
    bucket = Case(*[When(closed_at__lt=b, then=Value(i)) for i, (_a, b) in enumerate(buckets)],
                  output_field=IntegerField())
    closed = {i: (n, t) for i, n, t in visible.filter(status=Status.CLOSED, closed_at__gte=since, closed_at__lt=until)
              .annotate(bucket=bucket).values_list("bucket").annotate(
                  n=Count("pk"), t=Count("pk", filter=CLOSED_ON_TIME))}
    rows = []
    for i, month in enumerate(months):
        n_closed, on_time = closed.get(i, (0, 0))
        rows.append({"month": month, "found": found[f"m{i}"], "closed": n_closed, "closed_on_time": on_time,
                     "rate": round(100 * on_time / n_closed, 1) if n_closed else None})
    return rows


def alarms_by_day(user, first: date, last: date) -> list[dict]:
    """[{day, alarms}] per day from `first` to `last` inclusive (one aggregate query)."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    buckets = _buckets(days, last + timedelta(days=1))
    counts = scope.narrow(user, Alarm.objects.filter(started_at__gte=buckets[0][0], started_at__lt=buckets[-1][1])) \
        .order_by().aggregate(**{f"d{i}": Count("pk", filter=Q(started_at__gte=a, started_at__lt=b))
                                 for i, (a, b) in enumerate(buckets)})
    return [{"day": d, "alarms": counts[f"d{i}"]} for i, d in enumerate(days)]


def last_months(count: int = 12, today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _i in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, today
