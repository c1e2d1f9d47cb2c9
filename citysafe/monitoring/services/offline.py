"""No-data / offline alarms: a periodic sweep measures each reporting sensor's silence (now −
its latest reading) against the `offline` rules (thresholds in seconds; a rule without a type
covers every sensor) and opens, raises, lowers or clears the alarm like any other rule. Only
sensors that have reported at least once are judged: a sensor not yet installed is not silent."""
import time

import numpy as np
from django.db import transaction

from citysafe.monitoring.models import ACTIVE, Alarm, AlarmRule, LatestReading, RuleKind
from citysafe.monitoring.services.alarms import apply_outcome
from kernels import alarm_rules


def sweep_offline(now: float | None = None) -> int:
    now = time.time() if now is None else now
    rules = list(AlarmRule.objects.filter(kind=RuleKind.OFFLINE, is_enabled=True, archived_at__isnull=True))
    if not rules:
        return 0
    latest = list(LatestReading.objects.values_list("sensor_id", "ts", "sensor__sensor_type"))
    if not latest:
        return 0
    sensor = np.array([row[0] for row in latest])
    silence = now - np.array([row[1].timestamp() for row in latest])
    changed = 0
    for rule in rules:
        mine = np.array([(rule.sensor_id in (None, row[0])) and rule.sensor_type in ("", row[2]) for row in latest])
        if not mine.any():
            continue
        thresholds = np.repeat(np.array([[np.nan if x is None else x for x in rule.thresholds()]]), mine.sum(), 0)
        level = alarm_rules.level_of_rank(alarm_rules.crossed_rank(silence[mine], thresholds, np.ones(mine.sum())))
        open_ids = set(Alarm.objects.filter(rule=rule, status__in=ACTIVE).values_list("sensor_id", flat=True))
        for pk, lvl, quiet in zip(sensor[mine].tolist(), level.tolist(), silence[mine].tolist(), strict=True):
            if lvl == 0 and pk not in open_ids:
                continue
            with transaction.atomic():
                changed += apply_outcome(pk, rule, before=1 if pk in open_ids else 0, level=int(lvl), peak=int(lvl),
                                         opened_at=now, cleared_at=now, value=float(quiet), last_at=now, now=now)
    return changed
