"""The alarm changes of one evaluation round, written set-based (issue 11, alarm latency).

`alarms.apply_outcome` brings one alarm in line with its track at a time: its own insert or
update, its own audit record (a lock of the audit chain's head, the next id, an insert, the
head's update) and, to clear, a full `Workflow.apply` (load, permission, version, save, step
row, audit) — 60–130 ms per alarm change under load, and that, not the readings, is what
saturated the evaluator. Here the same changes of a whole round are:

  - new alarms: one bulk INSERT (a spike opened and cleared by the same batch is inserted with
    its clear time and then cleared by the workflow like any other);
  - level changes, value refreshes and clear times of existing alarms: one bulk UPDATE;
  - the automatic clears: `ALARM_WORKFLOW.apply_system_steps` (core/workflow/steps.py) — the
    same state machine, a step row per alarm, set-based;
  - the audit records: last, after every alarm row is written, one `record_change_set` with
    each record's own action ("create", "level", "transition:clear",
    "transition:clear_acknowledged": the actions the webhooks read), each chain head locked
    once in the audit's one lock order — a handful of statements per round whatever the number
    of alarms.

Lock order (PostgreSQL), as in alarms.py: the caller locked the active alarms it touches
(`alarms.lock_active`), the inserts and the workflow's re-lock touch only those and new rows,
and the audit chain's head is locked last.
"""
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.audit import audit_channel, record_change_set, snapshot
from citysafe.core.audit_models import AuditChannel
from citysafe.monitoring.models import Alarm
from citysafe.monitoring.workflows import ALARM_WORKFLOW, CLEAR

AUDIT_ORDER = ("create", "level")            # then the workflow's transitions


@dataclass
class Outcome:
    """A track's evaluated level for the round (kernels.alarm_rules output, one track)."""

    sensor_id: int
    rule: object            # the AlarmRule
    level: int
    peak: int
    opened_at: float        # NaN: the condition was already in force
    cleared_at: float       # NaN: not cleared in this batch
    value: float
    last_at: float


def apply_round(outcomes, *, active: dict, sensors: dict, actor, later: list | None = None) -> int:
    """Bring the alarms of these tracks in line with their outcomes; returns how many alarms
    were opened, changed level or cleared. `active`: {(sensor, rule): alarm} locked by the
    caller (alarms.lock_active); `sensors`: {pk: Sensor}; `actor`: the system account.
    Follow-ups as in alarms.apply_outcome: appended to `later` as (pk, event, notify), or run
    here after the writes when `later` is None (inline evaluation)."""
    from citysafe.monitoring.services.alarms import _at, _follow_up

    now, new, updated, clearing, audits, follow = timezone.now(), [], [], [], [], []
    for o in outcomes:
        alarm, sensor = active.get((o.sensor_id, o.rule.pk)), sensors.get(o.sensor_id)
        if alarm is None:
            if o.peak == 0:
                continue
            started = o.opened_at if o.opened_at == o.opened_at else o.last_at   # NaN: already in force
            alarm = Alarm(sensor_id=o.sensor_id, rule=o.rule, level=o.level or o.peak, peak_level=o.peak,
                          value=o.value, started_at=_at(started), last_at=_at(o.last_at), entered_at=now,
                          cleared_at=None if o.level else _at(o.cleared_at))
            if sensor is not None:
                alarm.sensor = sensor
            new.append(alarm)
            # opened and cleared by the same batch (a spike shorter than the batch): cleared
            # before anyone could see it active, so no area raise; still told (it happened)
            follow.append((alarm, "cleared" if o.level == 0 else "opened", True))
            continue
        alarm.rule = o.rule                     # str(alarm) — the audit label — reads both
        if sensor is not None:
            alarm.sensor = sensor
        if o.level == 0:
            alarm.cleared_at = _at(o.cleared_at if o.cleared_at == o.cleared_at else o.last_at)
            clearing.append(alarm)
            follow.append((alarm, "cleared", False))
        elif o.level != alarm.level:
            before, rose = snapshot(alarm), o.level < alarm.level
            alarm.level, alarm.peak_level = o.level, min(alarm.peak_level, o.level)
            alarm.value, alarm.last_at, alarm.updated_at = o.value, _at(o.last_at), now
            audits.append(("level", alarm, before, snapshot(alarm), ""))
            follow.append((alarm, "level", rose))
        else:   # the same level: the latest value only (not audited, updated_at kept)
            alarm.value, alarm.last_at = o.value, _at(o.last_at)
        updated.append(alarm)
    with audit_channel(AuditChannel.SYSTEM):
        if new:
            Alarm.objects.bulk_create(new)
            audits[:0] = [("create", alarm, None, snapshot(alarm), "") for alarm in new]
        if updated:
            _update_alarms(updated)
        steps = [(a.pk, CLEAR[a.status], a.version) for a in clearing]
        steps += [(a.pk, "clear", a.version) for a in new if a.cleared_at is not None]
        cleared = {a.pk: a for a in ALARM_WORKFLOW.apply_system_steps(
            actor, Alarm, steps, note=_("数据恢复正常，系统自动解除"), audited=audits,
            related=("sensor", "rule"))}
        _audit(actor, audits)
    changed = 0
    for alarm, event, notify in follow:
        changed += 1
        alarm = cleared.get(alarm.pk, alarm)
        if later is not None:
            later.append((alarm.pk, event, notify))
        else:
            alarm.sensor = sensors.get(alarm.sensor_id) or alarm.sensor
            _follow_up(alarm, event, notify)
    return changed


def _audit(actor, audits) -> None:
    """Every audit record of the round in one `record_change_set` (each chain head locked once,
    in the one lock order), creations first, so an alarm's "create" precedes its own clear on
    the chain; within an action, the round's order."""
    rank = {action: i for i, action in enumerate(AUDIT_ORDER)}
    ordered = sorted(enumerate(audits), key=lambda item: (rank.get(item[1][0], len(rank)), item[1][0], item[0]))
    record_change_set(actor=actor, entries=[entry for _i, entry in ordered])


def _update_alarms(alarms) -> None:
    """One UPDATE of level, peak, value, last and clear times for these alarms (PostgreSQL:
    arrays through unnest; SQLite: executemany, no round trips). Hand-written: Django's
    bulk_update builds a CASE WHEN per row and field — 380 ms of Python for 50 alarms, measured
    (bench/ingest_rounds.py, cProfile), more than the rest of the round."""
    ops = connection.ops

    def moment(value):
        return None if value is None else ops.adapt_datetimefield_value(value)
    rows = [(a.pk, a.level, a.peak_level, a.value, moment(a.last_at), moment(a.cleared_at), moment(a.updated_at))
            for a in alarms]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE monitoring_alarm AS a SET level = u.level, peak_level = u.peak, value = u.value, "
                "last_at = u.last_at, cleared_at = u.cleared_at, updated_at = u.updated_at FROM unnest("
                "%s::bigint[], %s::smallint[], %s::smallint[], %s::float8[], %s::timestamptz[], %s::timestamptz[], "
                "%s::timestamptz[]) AS u(id, level, peak, value, last_at, cleared_at, updated_at) WHERE a.id = u.id",
                [list(column) for column in zip(*rows, strict=True)])
        else:
            cursor.executemany("UPDATE monitoring_alarm SET level = %s, peak_level = %s, value = %s, last_at = %s, "
                               "cleared_at = %s, updated_at = %s WHERE id = %s", [(*r[1:], r[0]) for r in rows])
