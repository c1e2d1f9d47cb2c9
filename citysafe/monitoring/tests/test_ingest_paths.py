"""The ingestion write path (PostgreSQL: COPY into a staging table + one statement) and the
alarm evaluation that follows the commit (the process's evaluator thread)."""
import time

import numpy as np
from django.db.models import Sum

from citysafe.monitoring.models import ACTIVE, Alarm, LatestReading, MinuteRollup, Reading, RuleState, Sensor
from citysafe.monitoring.services import evaluator
from citysafe.monitoring.services.ingest import Credential, ingest


def _gas():
    return Sensor.objects.filter(sensor_type="gas", archived_at__isnull=True).order_by("id").first()


def test_an_alarm_follows_within_a_second_a_reading_stored_through_the_deferred_path(transactional_world, monkeypatch):
    monkeypatch.setenv("MONITORING_EVALUATION", "deferred")       # the default on PostgreSQL only
    gas = _gas()
    now = time.time()
    started = time.monotonic()
    result = ingest(Credential(), [(gas.code, now - 2, 3.0), (gas.code, now - 1, 60.0)])
    assert result.stored == 2 and result.alarms_changed == 0     # answered before evaluation
    while not Alarm.objects.filter(sensor=gas, status__in=ACTIVE).exists() and time.monotonic() - started < 5:
        time.sleep(0.01)
    alarm = Alarm.objects.get(sensor=gas, status__in=ACTIVE)
    assert time.monotonic() - started < 1.0
    assert alarm.level == 1 and alarm.value == 60.0
    assert evaluator.wait_all()     # the follow-ups (area raise, notification) done before the teardown's flush


def test_a_batch_mixing_stored_and_new_readings_loses_none_and_stores_none_twice(world):
    gas = _gas()
    t0 = int(time.time()) - 3600
    first = ingest(Credential(), [(gas.code, t0 + i, 1.0 + i) for i in range(0, 10, 2)])   # even seconds
    assert first.stored == 5
    mixed = [(gas.code, t0 + i, 1.0 + i) for i in range(10)] + [(gas.code, t0 + 3, 99.0)]   # + an in-batch repeat
    second = ingest(Credential(), mixed)
    assert (second.stored, second.duplicated) == (5, 6)
    stored = dict(Reading.objects.filter(sensor=gas, ts__gte=_at(t0)).values_list("ts", "value"))
    assert sorted(v for v in stored.values()) == [1.0 + i for i in range(10)]
    totals = MinuteRollup.objects.filter(sensor=gas, bucket__gte=_at(t0 - 60)).aggregate(n=Sum("count"), s=Sum("total"))
    assert (totals["n"], totals["s"]) == (10, sum(1.0 + i for i in range(10)))
    assert LatestReading.objects.get(sensor=gas).value == 10.0
    # the evaluation saw each new reading once: the track's memory ends at the newest
    assert RuleState.objects.filter(sensor=gas, rule__kind="high").get().last_ts == t0 + 9


def test_a_lost_evaluation_is_caught_up_by_the_sweep(world, monkeypatch):
    gas = _gas()
    now = time.time()
    ingest(Credential(), [(gas.code, now - 120, 2.0)])                     # the track exists
    monkeypatch.setenv("MONITORING_EVALUATION", "deferred")
    monkeypatch.setattr(evaluator, "_outer_transaction", lambda: False)    # as if top level
    monkeypatch.setattr(evaluator.EVALUATOR, "submit", lambda *args: None)  # the process died before evaluating
    ingest(Credential(), [(gas.code, now - 60, 70.0)], now=now - 55)
    assert not Alarm.objects.filter(sensor=gas, status__in=ACTIVE).exists()
    assert evaluator.catch_up(now=now) == 1
    assert Alarm.objects.filter(sensor=gas, status__in=ACTIVE).get().value == 70.0


def _at(epoch):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, tz=UTC)


def test_the_copy_buffer_is_the_binary_layout_postgresql_reads():
    from citysafe.monitoring.services.storage_pg import HEADER, copy_buffer

    buffer = copy_buffer(np.array([7], np.int64), np.array([946_684_800.5]), np.array([1.5]))
    assert buffer[:len(HEADER)] == HEADER and buffer.endswith(b"\xff\xff")
    row = buffer[len(HEADER):-2]
    assert row == (b"\x00\x03" + b"\x00\x00\x00\x08" + (7).to_bytes(8, "big") + b"\x00\x00\x00\x08"
                   + (500_000).to_bytes(8, "big") + b"\x00\x00\x00\x08" + np.array([1.5], ">f8").tobytes())



def test_tables_every_batch_updates_leave_room_for_hot_updates_on_postgresql(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        return   # SQLite has no fillfactor
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)",
                       [["monitoring_minuterollup", "monitoring_hourrollup", "monitoring_latestreading",
                         "monitoring_rulestate"]])
        options = dict(cursor.fetchall())
    assert len(options) == 4 and all("fillfactor=50" in (o or []) for o in options.values())
