"""The alarm lifecycle. One active alarm per (sensor, rule) (a partial unique constraint);
the readings open it, raise and lower its level and clear it (as the system actor); people
acknowledge, assign, clear and close it (core.workflow, workflows.py). Every change is
audited; listeners (hooks.py) run in the same transaction (the risk map's area raise).
An evaluation round writes its alarm changes together (services/alarm_round.py, same rules and
lock order); `apply_outcome` is the one-alarm path (the offline sweep, the bench's baseline)."""
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.audit import audit_channel, record_change, snapshot
from citysafe.core.audit_models import AuditChannel
from citysafe.core.records import open_for_change, save_record
from citysafe.core.roles import Role
from citysafe.core.workflow.system import as_system
from citysafe.monitoring import hooks
from citysafe.monitoring.models import ACTIVE, Alarm, AlarmStatus
from citysafe.monitoring.workflows import ACKNOWLEDGE, ALARM_WORKFLOW, CLEAR
from citysafe.registry.counties import people_of_county, record_county

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


_UNKNOWN = object()


def apply_outcome(sensor_id: int, rule, *, before: int, level: int, peak: int, opened_at: float, cleared_at: float,
                  value: float, last_at: float, now: float, later: list | None = None, sensor=None,
                  current=_UNKNOWN, actor=None) -> int:
    """Bring the (sensor, rule) alarm in line with the evaluated level. Returns 1 when an
    alarm was opened, changed level or cleared.

    The alarm row, its audit record and its workflow step are written here, in the caller's
    transaction. The follow-ups — listeners (the risk map's area raise) and notifications — run
    here too when `later` is None; otherwise they are appended to `later` as (alarm pk, event,
    notify) for `run_follow_ups` after the commit, so the alarm is visible without waiting for
    them (the evaluator thread; a lost follow-up is redone by `reconcile_follow_ups`).
    `sensor`: the Sensor row if the caller has it (saves loading it again per alarm);
    `current`: the active alarm of the track (or None), already locked by the caller;
    `actor`: the system account if the caller loaded it (one query per alarm saved).

    Lock order (PostgreSQL): alarm rows before the audit chain's head. The evaluation locks all
    the active alarms it will touch up front (lock_active), a follow-up locks its one alarm
    first — so an evaluation holding the head never waits for an alarm row a follow-up holds."""
    alarm = Alarm.objects.select_for_update().filter(sensor_id=sensor_id, rule=rule, status__in=ACTIVE).first() \
        if current is _UNKNOWN else current
    follow = (lambda a, event, notify=False: later.append((a.pk, event, notify))) if later is not None else \
        (lambda a, event, notify=False: _follow_up(a, event, notify))
    with as_system() if actor is None else _system_channel(actor) as actor:
        if alarm is None:
            if peak == 0:
                return 0
            started = opened_at if opened_at == opened_at else last_at   # NaN: already in force
            alarm = Alarm(sensor_id=sensor_id, rule=rule, level=level or peak, peak_level=peak, value=value,
                          started_at=_at(started), last_at=_at(last_at), entered_at=timezone.now())
            if sensor is not None:
                alarm.sensor = sensor
            alarm.save(force_insert=True)
            record_change(actor=actor, action="create", instance=alarm, after=snapshot(alarm))
            if level == 0:
                # opened and cleared by the same batch (a spike shorter than the batch): cleared
                # before anyone could see it active, so no area raise to make and undo; the
                # notification still goes out (it happened)
                alarm = _clear(actor, alarm, _at(cleared_at))
                follow(alarm, "cleared", True)
            else:
                follow(alarm, "opened", True)
            return 1
        if sensor is not None:
            alarm.sensor = sensor
        if level == 0:
            follow(_clear(actor, alarm, _at(cleared_at if cleared_at == cleared_at else last_at)), "cleared")
            return 1
        if level != alarm.level:
            before_row = snapshot(alarm)
            rose = level < alarm.level
            alarm.level, alarm.peak_level = level, min(alarm.peak_level, level)
            alarm.value, alarm.last_at = value, _at(last_at)
            alarm.save(update_fields=["level", "peak_level", "value", "last_at", "updated_at"])
            record_change(actor=actor, action="level", instance=alarm, before=before_row, after=snapshot(alarm))
            follow(alarm, "level", rose)
            return 1
        Alarm.objects.filter(pk=alarm.pk).update(value=value, last_at=_at(last_at))
        return 0


@contextmanager
def _system_channel(actor):
    """as_system() with the system account already loaded."""
    with audit_channel(AuditChannel.SYSTEM):
        yield actor


def lock_active(pairs) -> dict:
    """The active alarms of these (sensor, rule) tracks, locked in id order: {(sensor, rule): alarm}."""
    sensors = {p[0] for p in pairs}
    if not sensors:
        return {}
    wanted = set(pairs)
    rows = Alarm.objects.select_for_update().filter(sensor_id__in=sensors, status__in=ACTIVE).order_by("pk")
    return {(a.sensor_id, a.rule_id): a for a in rows if (a.sensor_id, a.rule_id) in wanted}


def _clear(actor, alarm: Alarm, when: datetime) -> Alarm:
    Alarm.objects.filter(pk=alarm.pk).update(cleared_at=when)
    return ALARM_WORKFLOW.apply(actor, Alarm, alarm.pk, CLEAR[alarm.status], expected_version=alarm.version,
                                note=_("数据恢复正常，系统自动解除"))


def _follow_up(alarm: Alarm, event: str, notify: bool) -> None:
    with as_system():
        _tell(alarm, event)
        if notify:
            notify_alarm(alarm, first=True)


def run_follow_ups(later: list) -> None:
    """The listeners and notifications of alarm changes already committed, each alarm in its
    own transaction, reading the alarm as it is now (listeners reconcile to the current state,
    so a change overtaken by a later one does no harm)."""
    for pk, event, notify in later:
        with transaction.atomic():
            # the alarm row only (not the joined sensor and rule: locking the rule would block
            # every alarm insert naming it)
            alarm = Alarm.objects.select_for_update(of=("self",)).select_related("sensor", "rule").filter(pk=pk).first()
            if alarm is not None:
                _follow_up(alarm, event, notify and alarm.notifications == 0 or notify and event == "level")


def reconcile_follow_ups(older_than: timedelta = timedelta(seconds=30)) -> int:
    """Redo follow-ups lost with a killed process (the minute sweep): an alarm that no one was
    told about yet, and an area raise that does not match the alarm's state. Only alarms
    changed more than `older_than` ago, so a follow-up still queued is not raced."""
    from django.db.models import Q

    settled = timezone.now() - older_than
    untold = Alarm.objects.filter(status__in=ACTIVE, notifications=0, updated_at__lt=settled)
    raise_wrong = Alarm.objects.filter(updated_at__lt=settled).filter(
        Q(status__in=ACTIVE, level=1, area_raised=False) | Q(area_raised=True) & (~Q(status__in=ACTIVE) | ~Q(level=1)))
    done = 0
    for pk in set(untold.values_list("pk", flat=True)) | set(raise_wrong.values_list("pk", flat=True)):
        with transaction.atomic():
            alarm = Alarm.objects.select_for_update(of=("self",)).select_related("sensor", "rule").get(pk=pk)
            _follow_up(alarm, "level" if alarm.is_active else "cleared",
                       alarm.is_active and alarm.notifications == 0)
            done += 1
    return done


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
    sensor = alarm.sensor
    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    chosen = users.filter(role=Role.TOWNSHIP, organisation__area_id=sensor.township_id)
    if sensor.enterprise_id:
        chosen = chosen | users.filter(role=Role.ENTERPRISE, enterprise_id=sensor.enterprise_id)
    if escalated:  # the county office and leaders of the sensor's own county (registry.counties)
        county = people_of_county(users, record_county(sensor.township_id))
        chosen = chosen | county.filter(role__in=[Role.ADMIN, Role.LEADER])
    return list(chosen.distinct())


def notify_alarm(alarm: Alarm, *, first: bool = False, escalated: bool = False, only=None) -> None:
    from citysafe.notifications.models import Priority
    from citysafe.notifications.services import notify_many, sms_copies

    sensor = alarm.sensor
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
