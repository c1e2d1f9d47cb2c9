"""Concurrent batches for a new (sensor, rule) track on PostgreSQL: two real connections
(threads), the first holding its transaction open while the second arrives."""
import threading
import time

import pytest
from django.db import connection, transaction

from citysafe.monitoring.models import ACTIVE, Alarm, RuleState, Sensor

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="row locks between connections: PostgreSQL (SQLite runs one writer at a time)")


def _new_gas_sensor(world):
    from citysafe.monitoring.services.devices import create_sensor

    place = Sensor.objects.filter(sensor_type="gas", place__isnull=False).order_by("id").first().place
    return create_sensor(world.admin, {"code": f"RACE-{time.time_ns()}", "name": "race", "sensor_type": "gas",
                                       "unit": "%LEL", "range_min": 0, "range_max": 100, "place_id": place.pk})


def _race(first, second):
    """Run `first` in a transaction that stays open until `second` (another connection) has
    had time to reach its first lock wait; returns the exceptions each raised (or None)."""
    entered, errors = threading.Event(), [None, None]

    def one():
        try:
            with transaction.atomic():
                first()
                entered.set()
                time.sleep(1.5)
        except Exception as exc:  # noqa: BLE001 (reported to the test)
            errors[0] = exc
        finally:
            entered.set()
            connection.close()

    def two():
        entered.wait(30)
        try:
            with transaction.atomic():
                second()
        except Exception as exc:  # noqa: BLE001
            errors[1] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=one), threading.Thread(target=two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def test_two_concurrent_first_evaluations_of_a_new_sensor_share_one_state_and_one_alarm(transactional_world):
    """The evaluation service on its own (as every caller gets it), without the ingestion's
    latest-value upsert in front that happens to serialise batches of one sensor."""
    import numpy as np

    from citysafe.monitoring.services.evaluation import evaluate_batch

    sensor = _new_gas_sensor(transactional_world)
    now = time.time()

    def batch(start):
        return lambda: evaluate_batch(np.array([sensor.pk] * 2, np.int64), np.array([start, start + 1.0]),
                                      np.array([60.0, 61.0]), now=now)

    # the second batch is older: evaluated after the first it is late and must leave the
    # track's memory alone; evaluated from an empty memory (the race) it overwrites it
    errors = _race(batch(now - 50), batch(now - 100))
    assert errors == [None, None]
    assert Alarm.objects.filter(sensor=sensor, status__in=ACTIVE).count() == 1
    state = RuleState.objects.filter(sensor=sensor)
    assert state.count() == state.values("rule").distinct().count() >= 1
    assert state.get(rule__kind="high").last_ts == now - 49.0


def test_two_concurrent_first_batches_of_a_new_sensor_are_both_stored_with_one_alarm(transactional_world):
    from citysafe.monitoring.models import Reading
    from citysafe.monitoring.services.ingest import Credential, ingest

    sensor = _new_gas_sensor(transactional_world)
    now = time.time()
    day = now - 3 * 86400   # a day without a partition yet: both batches create it

    def batch(start):
        return lambda: ingest(Credential(), [(sensor.code, start + i, 60.0 + i) for i in range(5)], now=now)

    errors = _race(batch(day - 100), batch(day - 50))
    assert errors == [None, None]
    from citysafe.monitoring.services.evaluator import wait_all

    assert wait_all()            # evaluation (and its follow-ups) follow the commit on the process's threads
    assert Reading.objects.filter(sensor=sensor).count() == 10
    assert Alarm.objects.filter(sensor=sensor, status__in=ACTIVE).count() == 1
