"""The alarm evaluator process (MONITORING_EVALUATION=process) killed with SIGKILL in the
middle of a backlog and restarted: it resumes from the committed queue — every batch is
evaluated, every alarm is raised exactly once, none is lost — and, once running, a new batch's
alarm follows within seconds (PostgreSQL: woken by NOTIFY; SQLite: polling)."""
import signal
import time

import pytest

from citysafe.monitoring.models import ACTIVE, Alarm, RuleState, Sensor
from citysafe.monitoring.services import evaluator_process
from citysafe.monitoring.services.ingest import Credential, ingest
from tests.worker.support import manage_py, stop, wait_until

pytestmark = pytest.mark.slow
CYCLE = 20          # every 20th batch carries an excursion for every gas sensor; the next clears it


def _value(b):
    return 60.0 if b % CYCLE == CYCLE // 2 else 1.0


def test_evaluator_killed_mid_backlog_resumes_from_the_queue_and_raises_each_alarm_once(
        transactional_world, monkeypatch, tmp_path):
    monkeypatch.setenv("MONITORING_EVALUATION", "process")
    codes = dict(Sensor.objects.filter(sensor_type="gas", archived_at__isnull=True).values_list("pk", "code"))
    count, start = 120, int(time.time()) - 3600
    for b in range(count):
        ingest(Credential(), [(code, start + b, _value(b)) for code in codes.values()], now=start + b + 0.5)
    assert evaluator_process.pending() == count
    assert not Alarm.objects.filter(sensor_id__in=codes).exists()
    log = tmp_path / "evaluator.log"
    args = ["run_alarm_evaluator", "--max-batches", "2", "--interval", "0.05"]
    first = manage_py(args, log, MONITORING_EVALUATION="process")
    second = None
    try:
        wait_until(lambda: evaluator_process.pending() < count - 10, timeout=120, interval=0.01,
                   what="the evaluator under way", process=first, log_path=log)
        stop(first, signal.SIGKILL)
        left = evaluator_process.pending()
        assert 0 < left < count, "the kill must land mid-backlog"
        opened_before_restart = Alarm.objects.filter(sensor_id__in=codes).count()
        second = manage_py(args, log, MONITORING_EVALUATION="process")
        wait_until(lambda: evaluator_process.pending() == 0, timeout=180, what="the backlog evaluated",
                   process=second, log_path=log)
        cycles = sum(1 for b in range(count) if _value(b) > 50)
        per_sensor = dict.fromkeys(codes, 0)
        for sensor_id in Alarm.objects.filter(sensor_id__in=codes).values_list("sensor_id", flat=True):
            per_sensor[sensor_id] += 1
        assert per_sensor == dict.fromkeys(codes, cycles)              # each raised once, none lost
        assert not Alarm.objects.filter(sensor_id__in=codes, status__in=ACTIVE).exists()
        last = set(RuleState.objects.filter(sensor_id__in=codes).values_list("last_ts", flat=True))
        assert last == {float(start + count - 1)}                        # every batch evaluated
        # running: a new excursion's alarm follows the commit within seconds
        sent = time.monotonic()
        ingest(Credential(), [(code, start + count, 60.0) for code in codes.values()])
        wait_until(lambda: Alarm.objects.filter(sensor_id__in=codes, status__in=ACTIVE).count() == len(codes),
                   timeout=30, interval=0.01, what="the new alarms", process=second, log_path=log)
        print(f"\nevaluator crash: {count} batches × {len(codes)} gas sensors, killed with {left} waiting "
              f"({opened_before_restart} alarms opened before), resumed; a new alarm {time.monotonic() - sent:.2f} s "
              f"after its commit")
    finally:
        stop(first, signal.SIGKILL)
        stop(second)
