"""MONITORING_EVALUATION=process: ingest() queues each stored batch in its own transaction for
the evaluator process, which evaluates and dequeues in one transaction — so an alarm appears
once, after the evaluator's round, and a round that dies leaves its batches queued."""
import time

import pytest

from citysafe.monitoring.models import ACTIVE, Alarm, PendingEvaluation, RuleState, Sensor
from citysafe.monitoring.services import evaluator_process
from citysafe.monitoring.services.ingest import Credential, ingest


@pytest.fixture
def gas(world, monkeypatch):
    monkeypatch.setenv("MONITORING_EVALUATION", "process")
    return Sensor.objects.filter(sensor_type="gas", archived_at__isnull=True).order_by("id").first()


def test_ingest_queues_the_batch_and_the_evaluator_raises_its_alarm_once(gas):
    now = time.time()
    result = ingest(Credential(), [(gas.code, now - 2, 3.0), (gas.code, now - 1, 60.0)])
    assert result.stored == 2
    assert not Alarm.objects.filter(sensor=gas).exists()          # not evaluated in the ingest
    queued = PendingEvaluation.objects.get()
    assert queued.count == 2
    sensors, times, values = evaluator_process.decode(queued.count, queued.payload)
    assert sensors.tolist() == [gas.pk] * 2 and values.tolist() == [3.0, 60.0]
    assert times.tolist() == pytest.approx([now - 2, now - 1], abs=1e-5)
    assert evaluator_process.drain() == 1
    assert Alarm.objects.get(sensor=gas, status__in=ACTIVE).level == 1
    assert evaluator_process.pending() == 0
    assert evaluator_process.drain() == 0                          # nothing evaluated twice
    assert Alarm.objects.filter(sensor=gas).count() == 1


def test_a_resent_batch_queues_nothing(gas):
    now = time.time()
    rows = [(gas.code, now - 2, 3.0)]
    ingest(Credential(), rows)
    assert ingest(Credential(), rows).duplicated == 1
    assert evaluator_process.pending() == 1


def test_an_evaluation_round_that_dies_leaves_its_batches_queued(gas):
    now = time.time()
    ingest(Credential(), [(gas.code, now - 3, 60.0)])
    ingest(Credential(), [(gas.code, now - 2, 1.0)])

    class Killed(Exception):
        pass

    from django.db import transaction
    with pytest.raises(Killed), transaction.atomic():
        assert evaluator_process.evaluate_pending(later=[]) == 2    # evaluated, dequeued, …
        raise Killed                                                  # … then the process died
    assert evaluator_process.pending() == 2
    assert not Alarm.objects.filter(sensor=gas).exists()
    assert not RuleState.objects.filter(sensor=gas, last_ts__isnull=False).exists()
    assert evaluator_process.drain() == 2
    alarm = Alarm.objects.get(sensor=gas)                             # opened and cleared, once
    assert alarm.status not in ACTIVE and alarm.peak_level == 1


def test_a_second_evaluator_on_postgresql_waits_until_the_first_stops(world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's (SQLite's one writer serialises evaluators anyway)")
    first, second = evaluator_process.Listener(), evaluator_process.Listener()
    try:
        assert first.take_the_lock(wait=0)
        assert not second.take_the_lock(wait=0.2)
        first.close()                                                   # the first evaluator stops (or dies)
        assert second.take_the_lock(wait=5)
    finally:
        first.close()
        second.close()
