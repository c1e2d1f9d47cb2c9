"""The alarm lifecycle. One active alarm per (sensor, rule) (a partial unique constraint);
the readings open it, raise and lower its level and clear it (as the system actor); people
acknowledge, assign, clear and close it (core.workflow, workflows.py). Every change is
audited; listeners (hooks.py) run in the same transaction (the risk map's area raise)."""
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.audit import record_change, snapshot
from citysafe.core.records import open_for_change, save_record
from citysafe.core.roles import Role
from citysafe.core.workflow.system import as_system
from citysafe.monitoring import hooks
from citysafe.monitoring.models import ACTIVE, Alarm, AlarmStatus, Sensor
from citysafe.monitoring.workflows import ACKNOWLEDGE, ALARM_WORKFLOW, CLEAR

NOTIFY_KIND = "monitoring_alarm"
# An alarm storm: more than this many alarms opened in one township within STORM_WINDOW are
# told as one summary per window instead of one message each (common practice: a flood of
# messages hides the alarm that matters).
STORM_THRESHOLD = 10
STORM_WINDOW = timedelta(minutes=5)


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def _tell(alarm: Alarm, event: str) -> None:
    for listener in hooks.alarm_listeners():
        listener(alarm, event)


def apply_outcome(sensor_id: int, rule, *, before: int, level: int, peak: int, opened_at: float, cleared_at: float,
                  value: float, last_at: float, now: float) -> int:
    """Bring the (sensor, rule) alarm in line with the evaluated level. Returns 1 when an
    alarm was opened, changed level or cleared."""
    alarm = Alarm.objects.select_for_update().filter(sensor_id=sensor_id, rule=rule, status__in=ACTIVE).first()
    with as_system() as actor:
        if alarm is None:
            if peak == 0:
                return 0
            started = opened_at if opened_at == opened_at else last_at   # NaN: already in force
            alarm = Alarm.objects.create(
                sensor_id=sensor_id, rule=rule, level=level or peak, peak_level=peak, value=value,
                started_at=_at(started), last_at=_at(last_at), entered_at=timezone.now())
            record_change(actor=actor, action="create", instance=alarm, after=snapshot(alarm))
            _tell(alarm, "opened")
            notify_alarm(alarm, first=True)
            if level == 0:
                _clear(actor, alarm, _at(cleared_at))
            return 1
        if level == 0:
            _clear(actor, alarm, _at(cleared_at if cleared_at == cleared_at else last_at))
            return 1
        if level != alarm.level:
            before_row = snapshot(alarm)
            rose = level < alarm.level
            alarm.level, alarm.peak_level = level, min(alarm.peak_level, level)
            alarm.value, alarm.last_at = value, _at(last_at)
            alarm.save(update_fields=["level", "peak_level", "value", "last_at", "updated_at"])
            record_change(actor=actor, action="level", instance=alarm, before=before_row, after=snapshot(alarm))
            _tell(alarm, "level")
            if rose:
                notify_alarm(alarm, first=True)
            return 1
        Alarm.objects.filter(pk=alarm.pk).update(value=value, last_at=_at(last_at))
        return 0


def _clear(actor, alarm: Alarm, when: datetime) -> None:
    Alarm.objects.filter(pk=alarm.pk).update(cleared_at=when)
    alarm = ALARM_WORKFLOW.apply(actor, Alarm, alarm.pk, CLEAR[alarm.status], expected_version=alarm.version,
                                 note=_("数据恢复正常，系统自动解除"))
    _tell(alarm, "cleared")


# ---- people ------------------------------------------------------------------------------

@transaction.atomic
def acknowledge_alarm(actor, pk, *, expected_version: int, note: str = "") -> Alarm:
    alarm = Alarm.objects.get(pk=pk)
    name = ACKNOWLEDGE.get(alarm.status, "acknowledge")
    alarm = ALARM_WORKFLOW.apply(actor, Alarm, pk, name, expected_version=expected_version, note=note)
    Alarm.objects.filter(pk=pk).update(acknowledged_at=timezone.now())
    return alarm


@transaction.atomic
def clear_alarm(actor, pk, *, expected_version: int, note: str = "") -> Alarm:
    alarm = Alarm.objects.get(pk=pk)
    alarm = ALARM_WORKFLOW.apply(actor, Alarm, pk, CLEAR.get(alarm.status, "clear"), expected_version=expected_version,
                                 note=note)
    Alarm.objects.filter(pk=pk).update(cleared_at=timezone.now())
    _tell(alarm, "cleared")
    return alarm


@transaction.atomic
def close_alarm(actor, pk, *, expected_version: int, note: str) -> Alarm:
    alarm = ALARM_WORKFLOW.apply(actor, Alarm, pk, "close", expected_version=expected_version, note=note,
                                 changes={"disposition": note})
    _tell(alarm, "closed")
    return alarm


@transaction.atomic
def assign_alarm(actor, pk, assignee_id: int | None, *, expected_version: int) -> Alarm:
    alarm = open_for_change(actor, Alarm, pk, {"assignee_id": assignee_id}, expected_version=expected_version)
    before = snapshot(alarm)
    from citysafe.core.records import ErrorCollector
    from citysafe.core.references import set_reference

    errors = ErrorCollector()
    set_reference(actor, alarm, "assignee_id", Alarm._meta.get_field("assignee"), assignee_id, errors)
    errors.raise_if_any()
    alarm = save_record(actor, alarm, action="assign", before=before)
    if alarm.assignee_id:
        notify_alarm(alarm, first=True, only=[alarm.assignee])
    return alarm


def convert_to_hazard(actor, pk, note: str = ""):
    """An alarm becomes a hidden hazard in one action, through the converter the hazards app
    registered (hooks.py); the alarm stays as it is."""
    converter = hooks.hazard_converter()
    if converter is None:
        from django.core.exceptions import ValidationError
        raise ValidationError({"alarm": [_("隐患模块未安装，不能转为隐患")]})
    with transaction.atomic():
        alarm = open_for_change(actor, Alarm, pk, {}, expected_version=None)
        return converter(actor, alarm, note)


# ---- notifications ---------------------------------------------------------------------

def recipients_of(alarm: Alarm, *, escalated: bool = False):
    """Township officers of the sensor's township and the officers of its enterprise; when
    escalated, the county's admins and leaders too."""
    sensor = Sensor.objects.only("township_id", "enterprise_id").get(pk=alarm.sensor_id)
    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    chosen = users.filter(role=Role.TOWNSHIP, organisation__area_id=sensor.township_id)
    if sensor.enterprise_id:
        chosen = chosen | users.filter(role=Role.ENTERPRISE, enterprise_id=sensor.enterprise_id)
    if escalated:
        chosen = chosen | users.filter(role__in=[Role.ADMIN, Role.LEADER])
    return list(chosen.distinct())


def notify_alarm(alarm: Alarm, *, first: bool = False, escalated: bool = False, only=None) -> None:
    from citysafe.notifications.models import Priority
    from citysafe.notifications.services import notify_many, sms_copies

    sensor = Sensor.objects.only("name", "township_id").get(pk=alarm.sensor_id)
    window = int(timezone.now().timestamp() // STORM_WINDOW.total_seconds())
    recent = Alarm.objects.filter(sensor__township_id=sensor.township_id,
                                  raised_at__gte=timezone.now() - STORM_WINDOW).count()
    targets = only or recipients_of(alarm, escalated=escalated)
    message = None
    if targets and recent > STORM_THRESHOLD and only is None:
        message = {"subject": _("报警风暴：%(n)d个报警正在发生") % {"n": recent},
                   "body": _("同一乡镇5分钟内产生大量报警，请在监测墙查看"), "link": "/monitoring/wall/",
                   "dedupe_key": f"alarm-storm:{sensor.township_id}:{window}", "priority": Priority.URGENT}
    elif targets:
        message = {"subject": _("%(level)s级报警：%(sensor)s") % {"level": alarm.level, "sensor": sensor.name},
                   "body": _("%(rule)s，当前值%(value).2f") % {"rule": alarm.rule.name, "value": alarm.value},
                   "link": f"/monitoring/alarms/{alarm.pk}/",
                   "dedupe_key": f"alarm:{alarm.pk}:{alarm.notifications}:{alarm.escalations}",
                   "priority": Priority.URGENT if alarm.level == 1 else Priority.HIGH}
    if message:
        notify_many(targets, kind=NOTIFY_KIND, **message)
        if alarm.level <= 2:  # level 1/2 (and a storm of them) also by SMS, when the SMS channel is configured
            sms_copies(targets, kind=NOTIFY_KIND, **message)
    Alarm.objects.filter(pk=alarm.pk).update(notifications=alarm.notifications + 1, last_notified_at=timezone.now())
    alarm.notifications += 1


def sweep_unacknowledged(now: datetime | None = None) -> int:
    """Periodic: escalate alarms not acknowledged within their level's time (once per level
    step), and repeat the notification every `notify_every_minutes` up to `notify_cap`."""
    now = now or timezone.now()
    done = 0
    for alarm in Alarm.objects.select_related("rule").filter(status=AlarmStatus.ACTIVE_UNACK):
        rule = alarm.rule
        limit = {1: rule.ack_minutes_1, 2: rule.ack_minutes_2, 3: rule.ack_minutes_3}.get(alarm.level, 30)
        with transaction.atomic():
            if alarm.escalations == 0 and now - alarm.raised_at >= timedelta(minutes=limit):
                Alarm.objects.filter(pk=alarm.pk).update(escalations=1)
                alarm.escalations = 1
                notify_alarm(alarm, escalated=True)
                done += 1
            elif alarm.notifications < rule.notify_cap and alarm.last_notified_at and \
                    now - alarm.last_notified_at >= timedelta(minutes=rule.notify_every_minutes):
                notify_alarm(alarm, escalated=alarm.escalations > 0)
                done += 1
    return done
