"""Automatic assessment items, computed from the platform's own records.

Each metric is one grouped query over its app's model (COUNT … FILTER … GROUP BY unit key):
the cost does not grow with the number of units scored, and no record is loaded. `counts`
answers {unit key: (met, due)}; `records` gives the same rows for one unit, so every automatic
score can show the records it came from. The unit key is a township's Area id (townships) or
an Organisation id (departments). A rule's edge cases are written beside it."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from citysafe.assessment.models import Metric, UnitKind


@cache
def _fixed_offset_seconds(zone_name: str) -> int | None:
    """The zone's UTC offset when it is the same in winter and summer of the years we score
    (China has had no daylight saving since 1991), else None."""
    zone = ZoneInfo(zone_name)
    offsets = {datetime(y, m, 1, 12, tzinfo=zone).utcoffset() for y in (2000, 2020, 2040) for m in (1, 7)}
    return int(offsets.pop().total_seconds()) if len(offsets) == 1 else None


class LocalDate(TruncDate):
    """The local calendar day of a datetime column. On SQLite, Django's TruncDate calls a Python
    function for every row (django_datetime_cast_date), which made scoring a county's hazards
    take seconds; for a fixed-offset zone SQLite's own date(column, '+N seconds') gives the same
    day in C. Other engines (and zones with daylight saving) use TruncDate as it is."""

    def as_sqlite(self, compiler, connection, **extra_context):
        offset = _fixed_offset_seconds(timezone.get_current_timezone_name())
        if offset is None:
            return super().as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, %s)", (*params, f"{offset:+d} seconds")


@dataclass(frozen=True)
class Period:
    start: date
    end: date      # the last day counted: the year's end, or today while the year runs

    @classmethod
    def of_year(cls, year: int, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(date(year, 1, 1), min(date(year, 12, 31), today))

    def moments(self) -> tuple[datetime, datetime]:
        """[first instant, instant after the last day) in the local zone: a range on a datetime
        column that an index can serve, where `__date` would convert every row."""
        zone = timezone.get_current_timezone()
        return (timezone.make_aware(datetime.combine(self.start, time.min), zone),
                timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min), zone))


@dataclass(frozen=True)
class Definition:
    rows: callable          # (period) -> QuerySet of the records counted
    met: callable           # (period) -> Q: which of them meet the rule
    keys: dict              # UnitKind -> ORM path of the unit key (None: not measured for that kind)
    link: str               # URL name of the records' list page ("" when the kind has none)
    explain: str            # the rule, shown beside the score
    joins_many: bool = False  # the rule joins a to-many relation: count distinct records


def _hazards(period):
    from citysafe.hazards.models import Hazard, Status

    # Hazards whose rectification deadline fell in the period; on time = closed (销号) no later
    # than the deadline's day. Rejected reports (不予认定) were never hazards to fix.
    return (Hazard.objects.filter(archived_at__isnull=True, rectification_deadline__gte=period.start,
                                  rectification_deadline__lte=period.end)
            .exclude(status=Status.REJECTED).annotate(closed_on=LocalDate("closed_at")))


def _risk_points(period):
    from citysafe.risks.models import RiskPoint

    # Reassessing moves `reassess_due` forward, so a point is either assessed during the period
    # (met) or still carries a due date inside it that has passed (due, not met).
    return RiskPoint.objects.filter(archived_at__isnull=True).filter(
        Q(assessed_on__gte=period.start, assessed_on__lte=period.end)
        | Q(reassess_due__gte=period.start, reassess_due__lte=period.end))


def _inspection_tasks(period):
    from citysafe.hazards.inspection_models import InspectionTask

    return InspectionTask.objects.filter(archived_at__isnull=True, due_on__gte=period.start, due_on__lte=period.end)


def _alarms(period):
    from citysafe.monitoring.models import Alarm

    # In time = acknowledged before the monitoring app escalated it (its sweep escalates an
    # alarm left unacknowledged past the rule's limit for its level).
    start, end = period.moments()
    return Alarm.objects.filter(archived_at__isnull=True, started_at__gte=start, started_at__lt=end)


def _warning_messages(period):
    from citysafe.early_warning.delivery import KIND
    from citysafe.notifications.models import Notification

    # Messages to responsible persons that ask for 已收到 (payload ack), one per person and channel.
    start, end = period.moments()
    return Notification.objects.filter(kind=KIND, payload__ack=True, created_at__gte=start, created_at__lt=end)


def _drills(period):
    from citysafe.emergency.models import Drill

    return Drill.objects.filter(archived_at__isnull=True, planned_on__gte=period.start, planned_on__lte=period.end)


DEFINITIONS: dict[str, Definition] = {
    Metric.HAZARDS_CLOSED_ON_TIME: Definition(
        _hazards, lambda p: Q(closed_on__isnull=False, closed_on__lte=F("rectification_deadline")),
        {UnitKind.TOWNSHIP: "township_id", UnitKind.DEPARTMENT: "supervising_department_id"},
        "hazards:list", "整改期限在考核期内的隐患中，期限内销号的比例"),
    Metric.RISK_POINTS_REASSESSED: Definition(
        _risk_points, lambda p: Q(assessed_on__gte=p.start, assessed_on__lte=p.end),
        {UnitKind.TOWNSHIP: "township_id", UnitKind.DEPARTMENT: "supervising_department_id"},
        "risks:list", "考核期内已评估的风险点，占其与到期未复评风险点之和的比例"),
    Metric.INSPECTIONS_DONE: Definition(
        _inspection_tasks, lambda p: Q(status="done"),
        {UnitKind.TOWNSHIP: "township_id", UnitKind.DEPARTMENT: "assignee__organisation_id"},
        "", "完成期限在考核期内的检查任务中，已完成检查的比例"),
    Metric.ALARMS_ACK_IN_TIME: Definition(
        _alarms, lambda p: Q(acknowledged_at__isnull=False, escalations=0),
        {UnitKind.TOWNSHIP: "sensor__township_id", UnitKind.DEPARTMENT: None},
        "monitoring:list", "考核期内产生的报警中，在规则时限内（未升级前）确认的比例"),
    Metric.WARNINGS_ACKNOWLEDGED: Definition(
        _warning_messages, lambda p: Q(receipts__status="acknowledged"),
        {UnitKind.TOWNSHIP: "payload__township", UnitKind.DEPARTMENT: "recipient__organisation_id"},
        "", "考核期内发给责任人的预警消息中，责任人确认收到的比例", joins_many=True),
    Metric.DRILLS_HELD: Definition(
        _drills, lambda p: Q(held_on__isnull=False),
        {UnitKind.TOWNSHIP: "township_id", UnitKind.DEPARTMENT: None},
        "emergency:list", "计划日期在考核期内的应急演练中，按计划组织实施的比例"),
}


def counts(metric: str, unit_kind: str, period: Period) -> dict[int, tuple[int, int]]:
    """{unit key: (met, due)} for every unit with records, in one grouped query."""
    definition = DEFINITIONS[metric]
    key = definition.keys.get(unit_kind)
    if key is None:
        return {}
    distinct = definition.joins_many
    rows = (definition.rows(period).order_by().values(key)
            .annotate(due=Count("pk", distinct=distinct), met=Count("pk", filter=definition.met(period), distinct=distinct)))
    return {row[key]: (row["met"], row["due"]) for row in rows if row[key] is not None}


def records(metric: str, unit_kind: str, unit_key: int, period: Period) -> QuerySet:
    """The records one unit's automatic score was computed from, each marked `is_met`."""
    from django.db.models import Case, Value, When

    definition = DEFINITIONS[metric]
    key = definition.keys.get(unit_kind)
    if key is None:
        return definition.rows(period).none()
    met_ids = definition.rows(period).filter(**{key: unit_key}).filter(definition.met(period)).values("pk")
    return (definition.rows(period).filter(**{key: unit_key}).distinct()
            .annotate(is_met=Case(When(pk__in=met_ids, then=Value(True)), default=Value(False))).order_by("pk"))
