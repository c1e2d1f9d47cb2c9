"""Alarm evaluation of a stored batch: which rules apply to which sensors, the tracks' memory
(RuleState rows, locked), the kernel (kernels.alarm_rules, vectorised), then the alarm
lifecycle for the few tracks whose level changed (services/alarms.py).

Late readings (older than the track's last evaluated one) are stored but not evaluated: an
alarm follows the newest data, and a late reading must not replay a state machine."""
from collections import defaultdict

import numpy as np
from django.db.models import F

from citysafe.monitoring.models import AlarmRule, RuleKind, RuleState, Sensor
from citysafe.monitoring.services import storage
from kernels import alarm_rules

EVALUATED = (RuleKind.HIGH, RuleKind.LOW, RuleKind.RATE, RuleKind.CROWD)


def rules_by_sensor(sensor_ids) -> dict[int, list[AlarmRule]]:
    """The enabled rules of each sensor: its own, and its type's of a kind it has none of."""
    info = {pk: (kind, cap) for pk, kind, cap in
            Sensor.objects.filter(pk__in=sensor_ids).values_list("pk", "sensor_type", "place__capacity")}
    rules = list(AlarmRule.objects.filter(is_enabled=True, archived_at__isnull=True, kind__in=EVALUATED))
    by_type, own = defaultdict(list), defaultdict(list)
    for rule in rules:
        (own[rule.sensor_id] if rule.sensor_id else by_type[rule.sensor_type]).append(rule)
    result = {}
    for pk, (sensor_type, capacity) in info.items():
        kinds = {r.kind for r in own[pk]}
        chosen = own[pk] + [r for r in by_type[sensor_type] if r.kind not in kinds]
        result[pk] = [(r, capacity) for r in chosen if r.kind != RuleKind.CROWD or capacity]
    return result


def _load_states(pairs):
    """The RuleState rows of these (sensor, rule) pairs, created when missing, locked."""
    sensors = sorted({s for s, _ in pairs})
    existing = {(r.sensor_id, r.rule_id): r for r in
                RuleState.objects.select_for_update().filter(sensor_id__in=sensors)}
    missing = [RuleState(sensor_id=s, rule_id=r) for s, r in pairs if (s, r) not in existing]
    if missing:
        RuleState.objects.bulk_create(missing, ignore_conflicts=True)
        existing.update({(r.sensor_id, r.rule_id): r for r in RuleState.objects.select_for_update().filter(
            sensor_id__in={m.sensor_id for m in missing})})
    return [existing[p] for p in pairs]


def evaluate_batch(sensor, t, v, *, now: float) -> int:
    if not len(sensor):
        return 0
    applicable = rules_by_sensor(np.unique(sensor).tolist())
    pairs, rules, scale = [], [], []
    for pk in sorted(applicable):
        for rule, capacity in applicable[pk]:
            pairs.append((pk, rule.pk))
            rules.append(rule)
            scale.append(float(capacity) if rule.kind == RuleKind.CROWD else 1.0)
    if not pairs:
        return 0
    states = _load_states(pairs)
    track_of = defaultdict(list)
    for i, (pk, _rule) in enumerate(pairs):
        track_of[pk].append(i)
    # one entry per (reading, applicable rule)
    counts = np.array([len(track_of.get(int(x), ())) for x in sensor])
    reading = np.repeat(np.arange(len(sensor)), counts)
    track = np.concatenate([track_of[int(x)] for x in sensor if int(x) in track_of]).astype(np.int64) \
        if counts.sum() else np.zeros(0, np.int64)
    scale = np.asarray(scale)
    state = alarm_rules.TrackState(
        np.array([s.level for s in states]), np.array([s.pending for s in states]),
        np.array([np.nan if s.pending_since is None else s.pending_since for s in states]),
        np.array([np.nan if s.last_ts is None else s.last_ts for s in states]),
        np.array([np.nan if s.last_value is None else s.last_value for s in states]))
    tt, vv = t[reading], v[reading] / scale[track]
    fresh = ~(tt <= state.last_t[track])                 # late readings are not evaluated
    track, tt, vv = track[fresh], tt[fresh], vv[fresh]
    thresholds = np.array([[np.nan if x is None else x for x in r.thresholds()] for r in rules], float)
    outcome = alarm_rules.evaluate(
        track, tt, vv, state, thresholds,
        direction=np.array([-1.0 if r.kind == RuleKind.LOW else 1.0 for r in rules]),
        hold=np.array([float(r.hold_seconds) for r in rules]),
        deadband=np.array([r.deadband / (s if r.kind == RuleKind.CROWD else 1.0) for r, s in zip(rules, scale, strict=True)]),
        rate=np.array([r.kind == RuleKind.RATE for r in rules]))
    touched = np.unique(track)
    _save_states(states, outcome.state, touched)
    from citysafe.monitoring.services.alarms import apply_outcome

    changed = 0
    before = state.level
    for i in touched.tolist():
        if outcome.changed[i] or (before[i] > 0 and outcome.state.level[i] > 0):
            changed += apply_outcome(states[i].sensor_id, rules[i], before=int(before[i]),
                                     level=int(outcome.state.level[i]), peak=int(outcome.peak[i]),
                                     opened_at=outcome.opened_at[i], cleared_at=outcome.cleared_at[i],
                                     value=float(outcome.last_signal[i] * scale[i]),
                                     last_at=float(outcome.state.last_t[i]), now=now)
    return changed


def _save_states(rows, new, touched) -> None:
    def num(x):
        return None if np.isnan(x) else float(x)

    changed = []
    for i in touched.tolist():
        row = rows[i]
        row.level, row.pending = int(new.level[i]), int(new.pending[i])
        row.pending_since, row.last_ts, row.last_value = num(new.pending_since[i]), num(new.last_t[i]), num(new.last_v[i])
        changed.append(row)
    RuleState.objects.bulk_update(changed, ["level", "pending", "pending_since", "last_ts", "last_value"])


__all__ = ["F", "evaluate_batch", "rules_by_sensor", "storage"]
