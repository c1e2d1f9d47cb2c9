"""A small county with known records in 2021 for the scoring tests: the demo county of the
session database gives the townships, users, places and sensors; the records counted are made
here with dates in 2021, a year the demo data do not touch."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from citysafe.accounts.models import Organisation, User

YEAR = 2021
TZ = timezone(timedelta(hours=8))


def at(month, day, hour=10):
    return datetime(YEAR, month, day, hour, tzinfo=TZ)


@dataclass
class County:
    township: object
    organisation: object
    other_organisation: object
    officer: object


def build(world) -> County:
    from citysafe.emergency.models import Drill, Plan
    from citysafe.hazards.inspection_models import ChecklistTemplate, InspectionTask
    from citysafe.hazards.models import Hazard, Status
    from citysafe.monitoring.models import Alarm, AlarmRule, Sensor
    from citysafe.notifications.models import Notification, Receipt
    from citysafe.registry.models import Place
    from citysafe.risks.models import RiskPoint

    sensor = Sensor.objects.filter(township__isnull=False).order_by("id").first()
    township = sensor.township
    organisation = Organisation.objects.get(kind="township", area=township)
    other = Organisation.objects.filter(kind="township").exclude(pk=organisation.pk).order_by("code").first()
    officer = User.objects.filter(role="township", organisation=organisation).first()
    enterprise = world.enterprise_in_a.__class__.objects.filter(township=township).order_by("id").first()

    # Hazards due in 2021: closed on the deadline day (on time), closed a day late, still open → 1/3.
    common = {"category": "fire", "description": "测试隐患", "enterprise": enterprise, "township": township,
              "found_at": at(1, 5)}
    Hazard.objects.create(**common, status=Status.CLOSED, rectification_deadline=date(YEAR, 3, 1),
                          closed_at=at(3, 1, 18))
    Hazard.objects.create(**common, status=Status.CLOSED, rectification_deadline=date(YEAR, 4, 1),
                          closed_at=at(4, 2))
    Hazard.objects.create(**common, status=Status.RECTIFYING, rectification_deadline=date(YEAR, 5, 1))
    Hazard.objects.create(**common, status=Status.CLOSED, rectification_deadline=date(YEAR + 1, 5, 1))  # not due in 2021

    # Risk points: one assessed in 2021, one whose reassessment fell due in 2021 and is outstanding → 1/2.
    RiskPoint.objects.create(name="测试风险点甲", area=township, township=township, assessed_on=date(YEAR, 3, 1),
                             reassess_due=date(YEAR + 1, 3, 1))
    RiskPoint.objects.create(name="测试风险点乙", area=township, township=township, assessed_on=date(YEAR - 1, 6, 1),
                             reassess_due=date(YEAR, 6, 1))

    # Inspection tasks due in 2021: 3 done, 1 open → 3/4.
    template, place = ChecklistTemplate.objects.order_by("id").first(), Place.objects.filter(township=township).first()
    for n, status in enumerate(["done", "done", "done", "open"]):
        InspectionTask.objects.create(template=template, place=place, assignee=officer, due_on=date(YEAR, 6, 1 + n),
                                      status=status, township=township)

    # Alarms of 2021: acknowledged before escalation, acknowledged after one, never → 1/3.
    rule = AlarmRule.objects.order_by("id").first()
    base = {"sensor": sensor, "rule": rule, "level": 1, "peak_level": 1, "value": 1.0, "last_at": at(7, 1)}
    Alarm.objects.create(**base, status="cleared_ack", started_at=at(7, 1), acknowledged_at=at(7, 1, 11))
    Alarm.objects.create(**base, status="cleared_ack", started_at=at(7, 2), acknowledged_at=at(7, 3), escalations=1)
    Alarm.objects.create(**base, status="cleared_unack", started_at=at(7, 4), escalations=1)

    # Warning messages asking 已收到: 2 of 4 acknowledged → 1/2.
    for n in range(4):
        message = Notification.objects.create(
            target_kind="user", recipient=officer, channel="inbox", kind="warning", subject="测试预警",
            payload={"warning": 999_000 + n, "township": township.pk, "ack": True}, created_at=at(8, 1 + n))
        Receipt.objects.create(notification=message, status="delivered")
        if n < 2:
            Receipt.objects.create(notification=message, status="acknowledged")

    # Drills planned in 2021: 1 held of 2 → 1/2.
    plan = Plan.objects.order_by("id").first()
    Drill.objects.create(code="TEST-DR-1", name="演练一", plan=plan, township=township, planned_on=date(YEAR, 9, 1),
                         held_on=date(YEAR, 9, 1))
    Drill.objects.create(code="TEST-DR-2", name="演练二", plan=plan, township=township, planned_on=date(YEAR, 10, 1))
    return County(township, organisation, other, officer)


INDICATORS = [
    {"code": "A1", "name": "隐患按期销号", "weight": 30, "metric": "hazards_closed_on_time"},
    {"code": "A2", "name": "风险点按期复评", "weight": 10, "metric": "risk_points_reassessed"},
    {"code": "A3", "name": "检查计划完成", "weight": 20, "metric": "inspections_done"},
    {"code": "A4", "name": "报警按时确认", "weight": 15, "metric": "alarms_ack_in_time", "full_at": "0.9",
     "zero_at": "0.1"},
    {"code": "A5", "name": "预警责任人确认", "weight": 10, "metric": "warnings_acknowledged"},
    {"code": "A6", "name": "应急演练", "weight": 5, "metric": "drills_held"},
    {"code": "M1", "name": "安全培训", "weight": 10, "category": "process"},
]
