"""The write path of a batch on either database (services/storage_sqlite.py on SQLite,
storage_pg.py on PostgreSQL): roll-ups and latest values agree with the stored readings when a
batch mixes new, resent, repeated, late and out-of-order readings; the JSON parser accepts what
the standard library accepts; the SQLite connection settings ingestion relies on."""
import json
import math
import time
from collections import defaultdict
from datetime import UTC, datetime

import pytest
from django.db import connection

from citysafe.monitoring.models import HourRollup, LatestReading, MinuteRollup, Reading, Sensor
from citysafe.monitoring.services import storage_sqlite
from citysafe.monitoring.services.ingest import Credential, ingest, parse_json, rows_from_json


def _gas_sensors(n=2):
    return list(Sensor.objects.filter(sensor_type="gas", archived_at__isnull=True).order_by("id")[:n])


def _truth(sensors, width):
    """count, sum, min, max per (sensor, bucket) from the stored readings themselves."""
    out = defaultdict(list)
    for sensor_id, ts, value in Reading.objects.filter(sensor__in=sensors).values_list("sensor_id", "ts", "value"):
        out[(sensor_id, int(ts.timestamp()) // width * width)].append(value)
    return {key: (len(v), round(sum(v), 9), min(v), max(v)) for key, v in out.items()}


def _rollups(model, sensors):
    return {(r.sensor_id, int(r.bucket.timestamp())): (r.count, round(r.total, 9), r.vmin, r.vmax)
            for r in model.objects.filter(sensor__in=sensors)}


def test_roll_ups_and_latest_values_count_only_new_readings_when_a_batch_mixes_resent_late_and_out_of_order_ones(
        world, monkeypatch):
    monkeypatch.setattr(storage_sqlite, "ROWS_PER_STATEMENT", 7)   # several INSERTs per batch on SQLite
    a, b = _gas_sensors()
    hour = (int(time.time()) // 3600 - 2) * 3600
    first = [(a.code, hour + 3590, 4.0), (a.code, hour + 3650, 5.0), (b.code, hour + 10, 6.0)]
    assert ingest(Credential(), first).stored == 3
    # out of order, across two minutes and two hours; resent readings with *other* values; a
    # repeat inside the batch; a late reading older than the latest value
    second = [(a.code, hour + 3655, 7.0), (a.code, hour + 3590, 40.0), (a.code, hour + 3600, 8.0),
              (b.code, hour + 70, 9.0), (a.code, hour + 3655, 70.0), (b.code, hour + 10, 60.0),
              (a.code, hour + 30, 1.0), (b.code, hour + 5, 2.0), (a.code, hour + 3599, 3.0)]
    result = ingest(Credential(), second)
    assert (result.stored, result.duplicated) == (6, 3)
    assert ingest(Credential(), second).stored == 0              # the whole batch again: nothing moves
    assert _rollups(MinuteRollup, [a, b]) == _truth([a, b], 60)
    assert _rollups(HourRollup, [a, b]) == _truth([a, b], 3600)
    minute = _rollups(MinuteRollup, [a])
    assert (minute[(a.pk, hour + 3540)], minute[(a.pk, hour + 3600)]) == ((2, 7.0, 3.0, 4.0), (3, 20.0, 5.0, 8.0))
    latest = {r.sensor_id: (int(r.ts.timestamp()), r.value) for r in LatestReading.objects.filter(sensor__in=[a, b])}
    assert latest == {a.pk: (hour + 3655, 7.0), b.pk: (hour + 70, 9.0)}


def test_a_batch_larger_than_one_statement_with_duplicates_in_every_part_is_stored_once(world, monkeypatch):
    monkeypatch.setattr(storage_sqlite, "ROWS_PER_STATEMENT", 50)
    a, b = _gas_sensors()
    start = int(time.time()) - 7200
    rows = [(code, start + i, float(i % 17)) for i in range(300) for code in (a.code, b.code)]
    assert ingest(Credential(), rows[::3]).stored == 200
    result = ingest(Credential(), rows)
    assert (result.stored, result.duplicated) == (400, 200)
    assert Reading.objects.filter(sensor__in=[a, b]).count() == 600
    assert _rollups(MinuteRollup, [a, b]) == _truth([a, b], 60)
    assert sum(r.count for r in HourRollup.objects.filter(sensor__in=[a, b])) == 600


@pytest.mark.parametrize("body", [
    b'[{"sensor": "S", "ts": 1, "value": NaN}, {"sensor": "S", "ts": 2, "value": -Infinity}]',
    '[{"sensor": "气体-1", "ts": "2026-01-01T08:00:00+08:00", "value": 2}]'.encode(),
    b"[]",
])
def test_the_json_parser_reads_exactly_what_the_standard_library_reads(body):
    parsed, expected = parse_json(body), json.loads(body.decode("utf-8"))
    assert json.dumps(parsed) == json.dumps(expected)   # NaN == NaN as text
    assert isinstance(parsed, type(expected))


def test_integers_beyond_64_bits_are_read_and_rejected_as_out_of_range_or_future(world):
    a, _b = _gas_sensors()
    now = int(time.time())
    body = (f'{{"readings": [{{"sensor": "{a.code}", "ts": 123456789012345678901234567890, "value": 1.5}}, '
            f'{{"sensor": "{a.code}", "ts": {now - 3}, "value": 123456789012345678901234567890}}, '
            f'{{"sensor": "{a.code}", "ts": {now - 2}, "value": 2}}]}}').encode()
    result = ingest(Credential(), rows_from_json(parse_json(body)))
    assert (result.stored, result.reasons) == (1, {"future_timestamp": 1, "out_of_range": 1})


def test_the_json_parser_refuses_what_the_standard_library_refuses():
    with pytest.raises(ValueError):
        parse_json(b'[{"sensor": "S", "ts": 1, "value": 1},]')
    with pytest.raises(UnicodeDecodeError):
        parse_json(b'[{"sensor": "\xff", "ts": 1, "value": 1}]')


def test_a_nan_reading_in_a_json_body_is_rejected_and_the_rest_stored(world):
    a, _b = _gas_sensors()
    now = int(time.time())
    body = f'[{{"sensor": "{a.code}", "ts": {now - 5}, "value": NaN}}, {{"sensor": "{a.code}", "ts": {now - 4}, ' \
           f'"value": 3.5}}]'.encode()
    result = ingest(Credential(), rows_from_json(parse_json(body)))
    assert (result.stored, result.reasons) == (1, {"not_a_number": 1})
    assert math.isclose(LatestReading.objects.get(sensor=a).value, 3.5)
    assert LatestReading.objects.get(sensor=a).ts == datetime.fromtimestamp(now - 4, tz=UTC)


def test_sqlite_connections_keep_a_batch_in_their_page_cache_and_checkpoint_every_few_batches(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_autocheckpoint")
        checkpoint = cursor.fetchone()[0]
    assert cache <= -65536            # KiB: at least 64 MB (default: 2 MB)
    assert checkpoint >= 10000        # pages (default: 1,000, i.e. after every 1,000-sensor batch)


def test_on_sqlite_an_ingesting_worker_waits_for_its_turn_and_stores_its_batch_when_the_other_is_done(
        transactional_world):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's single writer")
    import fcntl
    import os
    import threading

    a, _b = _gas_sensors()
    start = int(time.time()) - 600
    fd = os.open(str(connection.settings_dict["NAME"]) + "-ingest.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)              # another gunicorn worker's turn
    results = []

    def worker():
        from django.db import connections
        try:
            results.append(ingest(Credential(), [(a.code, start + i, 1.0) for i in range(20)]))
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    try:
        thread.start()
        thread.join(0.5)
        assert thread.is_alive() and not results      # waiting for the turn, nothing written
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    thread.join(10)
    since = datetime.fromtimestamp(start, tz=UTC)
    assert results[0].stored == 20 and Reading.objects.filter(sensor=a, ts__gte=since).count() == 20
