"""Alarm evaluation of a stored batch: which rules apply to which sensors, the tracks' memory
(RuleState rows, locked), the kernel (kernels.alarm_rules, vectorised), then the alarm
lifecycle for the few tracks whose level changed, all of a round's alarm changes written
together (services/alarm_round.py; MONITORING_ALARM_ROUND=per_alarm: one at a time through
services/alarms.apply_outcome, the previous way, kept as the bench's baseline).

Late readings (older than the track's last evaluated one) are stored but not evaluated: an
alarm follows the newest data, and a late reading must not replay a state machine."""
import os
from collections import defaultdict

import numpy as np
from django.db import connection

from citysafe.core.workflow.system import system_actor
from citysafe.monitoring.models import AlarmRule, RuleKind, Sensor, SensorType
from citysafe.monitoring.services import cache, storage
from citysafe.registry.models import Place
from kernels import alarm_rules

EVALUATED = (RuleKind.HIGH, RuleKind.LOW, RuleKind.RATE, RuleKind.CROWD)


def enabled_rules() -> dict:
    """The enabled evaluated rules as {pk: (rule, threshold row, direction, hold, deadband,
    is_rate)}, read fresh every batch: a handful of rows (~1 ms), and no cache to go stale when
    a rule is changed by a bulk update. What was slow was deriving the parameters per track
    (~60 ms per 10,000-reading batch); they are derived once per rule here and spread to the
    tracks by index."""
    rules = AlarmRule.objects.filter(is_enabled=True, archived_at__isnull=True, kind__in=EVALUATED)
    return {r.pk: (r, [np.nan if x is None else float(x) for x in r.thresholds()],
                   -1.0 if r.kind == RuleKind.LOW else 1.0, float(r.hold_seconds), float(r.deadband),
                   r.kind == RuleKind.RATE) for r in rules}


def rules_by_sensor(sensor_ids, cached: dict | None = None) -> dict[int, list[AlarmRule]]:
    """The enabled rules of each sensor: its own, and its type's of a kind it has none of.
    Sensor types come from the per-process sensor cache; the rules (`cached`: enabled_rules())
    and the capacities of crowd counters' places are read fresh every batch."""
    by_pk = cache.sensors_by_pk()
    by_type, own = defaultdict(list), defaultdict(list)
    for rule, *_rest in (cached if cached is not None else enabled_rules()).values():
        (own[rule.sensor_id] if rule.sensor_id else by_type[rule.sensor_type]).append(rule)
    crowd_places = {by_pk[pk].place_id for pk in sensor_ids
                    if pk in by_pk and by_pk[pk].sensor_type == SensorType.CROWD and by_pk[pk].place_id}
    capacity = dict(Place.objects.filter(pk__in=crowd_places).values_list("pk", "capacity")) if crowd_places else {}
    result = {}
    for pk in sensor_ids:
        info = by_pk.get(pk)
        if info is None:
            continue
        cap = capacity.get(info.place_id)
        kinds = {r.kind for r in own[pk]}
        chosen = own[pk] + [r for r in by_type[info.sensor_type] if r.kind not in kinds]
        result[pk] = [(r, cap) for r in chosen if r.kind != RuleKind.CROWD or cap]
    return result


def _load_states(pairs):
    """The memory of these (sensor, rule) tracks as arrays (level, pending, pending_since,
    last_ts, last_value), locked for the batch on PostgreSQL (FOR UPDATE, in key order).

    The first-batch race: two concurrent batches for a track without a row would both lock
    nothing, both start from an empty memory and both open an alarm (the second failing on the
    one-active-alarm constraint). So a missing row is first created empty (INSERT … ON CONFLICT
    DO NOTHING: the second batch waits on the first's uncommitted row) and then locked and read;
    the second batch reads the committed memory of the first and carries on from it. SQLite
    needs none of this: its IMMEDIATE transactions already run one batch at a time."""
    found = _select_states(pairs, lock=storage.is_postgres())
    missing = [p for p in pairs if p not in found]
    if missing and storage.is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO monitoring_rulestate (sensor_id, rule_id, level, pending) "
                "SELECT s, r, 0, 0 FROM unnest(%s::bigint[], %s::bigint[]) AS u(s, r) ORDER BY s, r "
                "ON CONFLICT DO NOTHING", [[p[0] for p in missing], [p[1] for p in missing]])
        found.update(_select_states(missing, lock=True))
    empty = (0, 0, None, None, None)
    values = [found.get(p, empty) for p in pairs]

    def column(i, dtype):
        return np.array([np.nan if v[i] is None else v[i] for v in values], dtype=dtype)
    return alarm_rules.TrackState(column(0, int), column(1, int), column(2, float), column(3, float), column(4, float))


def _select_states(pairs, *, lock: bool) -> dict:
    """{(sensor, rule): (level, pending, pending_since, last_ts, last_value)}; raw SQL with the
    keys as arrays (the ORM spent ~50 ms per batch building a 2,000-item IN list)."""
    if not pairs:
        return {}
    columns = "sensor_id, rule_id, level, pending, pending_since, last_ts, last_value"
    with connection.cursor() as cursor:
        if storage.is_postgres():
            cursor.execute(
                f"SELECT {columns} FROM monitoring_rulestate WHERE sensor_id = ANY(%s::bigint[]) "  # noqa: S608
                "ORDER BY sensor_id, rule_id" + (" FOR UPDATE" if lock else ""),
                [sorted({p[0] for p in pairs})])
            rows = cursor.fetchall()
        else:
            sensors, rows = sorted({p[0] for p in pairs}), []
            for start in range(0, len(sensors), 20000):
                chunk = sensors[start:start + 20000]
                cursor.execute(f"SELECT {columns} FROM monitoring_rulestate WHERE sensor_id IN "  # noqa: S608
                               f"({','.join(['%s'] * len(chunk))})", chunk)
                rows += cursor.fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def evaluate_batch(sensor, t, v, *, now: float, later: list | None = None) -> int:
    """Evaluate stored readings; returns the number of alarms changed. `later`: collect the
    alarms' follow-ups (listeners, notifications) there instead of running them now (see
    services/alarms.apply_outcome)."""
    if not len(sensor):
        return 0
    cached = enabled_rules()
    applicable = rules_by_sensor(np.unique(sensor).tolist(), cached)
    pairs, rules, scale = [], [], []
    for pk in sorted(applicable):
        for rule, capacity in applicable[pk]:
            pairs.append((pk, rule.pk))
            rules.append(rule)
            scale.append(float(capacity) if rule.kind == RuleKind.CROWD else 1.0)
    if not pairs:
        return 0
    state = _load_states(pairs)
    # one entry per (reading, applicable rule): pairs are sorted by sensor, so each sensor's
    # tracks are a contiguous run [first, first + count) found by binary search
    pair_sensor = np.array([p[0] for p in pairs], np.int64)
    first = np.searchsorted(pair_sensor, sensor, "left")
    counts = np.searchsorted(pair_sensor, sensor, "right") - first
    reading = np.repeat(np.arange(len(sensor)), counts)
    offsets = np.arange(len(reading)) - np.repeat(np.cumsum(counts) - counts, counts)
    track = (first[reading] + offsets).astype(np.int64)
    scale = np.asarray(scale)
    tt, vv = t[reading], v[reading] / scale[track]
    fresh = ~(tt <= state.last_t[track])                 # late readings are not evaluated
    track, tt, vv = track[fresh], tt[fresh], vv[fresh]
    # per-rule parameters, spread to the tracks by index (no per-track Python)
    order = list(cached)
    position = {pk: i for i, pk in enumerate(order)}
    which = np.array([position[r.pk] for r in rules], np.int64)
    columns = list(zip(*(cached[pk][1:] for pk in order), strict=True))
    thresholds = np.array(columns[0], float).reshape(-1, 3)[which]
    crowd = np.array([r.kind == RuleKind.CROWD for r in rules])
    outcome = alarm_rules.evaluate(
        track, tt, vv, state, thresholds, direction=np.array(columns[1], float)[which],
        hold=np.array(columns[2], float)[which],
        deadband=np.array(columns[3], float)[which] / np.where(crowd, scale, 1.0),
        rate=np.array(columns[4], bool)[which])
    touched = np.unique(track)
    _save_states(pairs, outcome.state, touched)
    from citysafe.monitoring.services.alarm_round import Outcome, apply_round
    from citysafe.monitoring.services.alarms import apply_outcome, lock_active

    before = state.level
    due = [i for i in touched.tolist() if outcome.changed[i] or (before[i] > 0 and outcome.state.level[i] > 0)]
    if not due:
        return 0
    # the sensors of the alarms to touch, loaded once (names for messages, areas for the raise)
    sensors = Sensor.objects.only("pk", "code", "name", "township_id", "grid_id", "enterprise_id").in_bulk(
        {pairs[i][0] for i in due})
    active = lock_active([pairs[i] for i in due])
    actor = system_actor()                          # loaded once per round, not per alarm
    outcomes = [Outcome(pairs[i][0], rules[i], level=int(outcome.state.level[i]), peak=int(outcome.peak[i]),
                        opened_at=float(outcome.opened_at[i]), cleared_at=float(outcome.cleared_at[i]),
                        value=float(outcome.last_signal[i] * scale[i]), last_at=float(outcome.state.last_t[i]))
                for i in due]
    if os.environ.get("MONITORING_ALARM_ROUND") != "per_alarm":
        return apply_round(outcomes, active=active, sensors=sensors, actor=actor, later=later)
    # the previous way, one alarm change at a time (the bench's named baseline)
    changed = 0
    for o, i in zip(outcomes, due, strict=True):
        changed += apply_outcome(o.sensor_id, o.rule, before=int(before[i]), later=later, actor=actor,
                                 sensor=sensors.get(o.sensor_id), current=active.get(pairs[i]), level=o.level,
                                 peak=o.peak, opened_at=o.opened_at, cleared_at=o.cleared_at, value=o.value,
                                 last_at=o.last_at, now=now)
    return changed


def _save_states(pairs, new, touched) -> None:
    """Upsert the touched tracks' memory in one statement (PostgreSQL: arrays through unnest;
    SQLite: executemany). Hand-written: Django's bulk_update on a composite key builds a CASE
    per row and took ~30 s for 2,000 rows."""
    if not len(touched):
        return
    i = touched
    columns = [np.array([pairs[k][0] for k in i.tolist()]), np.array([pairs[k][1] for k in i.tolist()]),
               new.level[i], new.pending[i], new.pending_since[i], new.last_t[i], new.last_v[i]]
    conflict = (" ON CONFLICT (sensor_id, rule_id) DO UPDATE SET level = excluded.level, pending = excluded.pending, "
                "pending_since = excluded.pending_since, last_ts = excluded.last_ts, last_value = excluded.last_value")
    with connection.cursor() as cursor:
        if storage.is_postgres():
            cursor.execute(
                "INSERT INTO monitoring_rulestate (sensor_id, rule_id, level, pending, pending_since, last_ts, "  # noqa: S608
                "last_value) SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::smallint[], %s::smallint[], "
                "%s::float8[], %s::float8[], %s::float8[])" + conflict,
                [c.tolist() if k < 4 else _nullable(c) for k, c in enumerate(columns)])
        else:
            rows = zip(*[c.tolist() if k < 4 else _nullable(c) for k, c in enumerate(columns)], strict=True)
            cursor.executemany(
                "INSERT INTO monitoring_rulestate (sensor_id, rule_id, level, pending, pending_since, last_ts, "  # noqa: S608
                "last_value) VALUES (%s, %s, %s, %s, %s, %s, %s)" + conflict, list(rows))




def _nullable(column: np.ndarray) -> list:
    """Floats with NaN as None (SQL NULL)."""
    out = column.astype(object)
    out[np.isnan(column)] = None
    return out.tolist()
