"""SQLite write path of a batch of readings: everything that does not need the database is
prepared *before* ingest() opens its transaction, so the write lock (one writer at a time on
SQLite; `transaction_mode` IMMEDIATE takes it at BEGIN) is held only for the statements.

- prepare() (no lock): sorts the batch by (sensor, time), formats the times as Django's SQLite
  text once, builds the flat parameter lists of the INSERTs, and aggregates the per-minute and
  per-hour roll-ups and the latest value per sensor with numpy *as if every reading were new*
  (the common case: a sender's retry is rare).
- store() (in the transaction): `INSERT … ON CONFLICT DO NOTHING` per 5,000 rows; when every
  row went in (SQLite's changes()), the prepared roll-up and latest-value rows are written as they are;
  when some were duplicates, those are recomputed from the new rows only, so a duplicate is
  never counted twice in a roll-up and never moves the latest value.

Why sorted by (sensor, time): a batch arrives instant by instant over all sensors; inserted in
that order every instant walks all the leaf pages of the (sensor_id, ts) key again (one per
sensor), which no longer fit SQLite's page cache; sorted, each leaf is visited once per batch
(measured: the INSERT ~1.5× faster on a 1,000-sensor batch, bench/ingest_sqlite.py).
Why the sqlite3 cursor with "?" placeholders: Django's wrapper rewrites every "%s" of a
15,000-parameter statement with a regex; this runs inside Django's transaction on Django's
connection all the same. Hand-written SQL because the ORM has no INSERT … ON CONFLICT DO
NOTHING RETURNING and no upsert that adds to a counter (see storage.py).
"""
import contextlib
import fcntl
import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.db import connection

from citysafe.monitoring.services.storage import aggregate, sqlite_times

ROWS_PER_STATEMENT = 5000          # 3 parameters a row: 15,000 < SQLite's 32,766 variables

INSERT = "INSERT INTO monitoring_reading (sensor_id, ts, value) VALUES {} ON CONFLICT DO NOTHING"
# the key as text (no declared type, so no datetime conversion per row), asked for only when a
# statement inserted fewer rows than offered (see store())
RETURNING = " RETURNING sensor_id, CAST(ts AS TEXT)"
ROLLUP = ("INSERT INTO {table} (sensor_id, bucket, count, total, vmin, vmax) VALUES (?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (sensor_id, bucket) DO UPDATE SET count = {table}.count + excluded.count, "
          "total = {table}.total + excluded.total, vmin = MIN({table}.vmin, excluded.vmin), "
          "vmax = MAX({table}.vmax, excluded.vmax)")
MINUTE_SQL = ROLLUP.format(table="monitoring_minuterollup")
HOUR_SQL = ROLLUP.format(table="monitoring_hourrollup")
LATEST_SQL = ("INSERT INTO monitoring_latestreading (sensor_id, ts, value, received_at) VALUES (?, ?, ?, ?) "
              "ON CONFLICT (sensor_id) DO UPDATE SET ts = excluded.ts, value = excluded.value, "
              "received_at = excluded.received_at WHERE excluded.ts > monitoring_latestreading.ts")


@dataclass
class Prepared:
    sensor: np.ndarray        # sorted by (sensor, time)
    t: np.ndarray
    v: np.ndarray
    times: list               # t as Django's SQLite text
    received: str
    minute: list              # roll-up rows (sensor, bucket, count, total, min, max), all rows new
    hour: list
    latest: list              # (sensor, ts, value, received) of each sensor's newest reading
    chunks: list              # (start, stop, flat parameters) of each INSERT


@lru_cache(maxsize=8)
def _placeholders(rows: int) -> str:
    return ",".join(["(?,?,?)"] * rows)     # placeholders only, never data


def _rollup_rows(sensor, t, v, width: int) -> list:
    s, b, n, total, lo, hi = aggregate(sensor, t, v, width)
    return list(zip(s.tolist(), sqlite_times(b), n.tolist(), total.tolist(), lo.tolist(), hi.tolist(), strict=True))


def _latest_rows(sensor, times, v, received: str) -> list:
    """The newest reading of each sensor; `sensor` is sorted by (sensor, time)."""
    last = np.flatnonzero(np.r_[np.diff(sensor) != 0, True]).tolist()
    sl, vl = sensor.tolist(), v.tolist()
    return [(sl[i], times[i], vl[i], received) for i in last]


def prepare(sensor: np.ndarray, t: np.ndarray, v: np.ndarray, received: float) -> Prepared:
    """Everything that needs no database, done before the write lock is taken."""
    order = np.lexsort((t, sensor))
    sensor, t, v = sensor[order], t[order], v[order]
    times = sqlite_times(t) if len(sensor) else []
    now = sqlite_times(np.array([received]))[0]
    if not len(sensor):
        return Prepared(sensor, t, v, times, now, [], [], [], [])
    sl, vl, chunks = sensor.tolist(), v.tolist(), []
    for start in range(0, len(sl), ROWS_PER_STATEMENT):
        stop = min(start + ROWS_PER_STATEMENT, len(sl))
        chunks.append((start, stop, [x for row in zip(sl[start:stop], times[start:stop], vl[start:stop], strict=True)
                                     for x in row]))
    return Prepared(sensor, t, v, times, now, _rollup_rows(sensor, t, v, 60), _rollup_rows(sensor, t, v, 3600),
                    _latest_rows(sensor, times, v, now), chunks)


def store(p: Prepared):
    """Insert the readings, add the new ones to the roll-ups and move the latest values; returns
    the new rows as (sensor, t, v) arrays. The caller holds the transaction."""
    if not len(p.sensor):
        return p.sensor, p.t, p.v
    connection.ensure_connection()
    raw = connection.connection.cursor()
    try:
        sl, kept = p.sensor.tolist(), np.ones(len(p.sensor), bool)
        for start, stop, params in p.chunks:
            # Without RETURNING first (the common case, a batch of new readings: SQLite's
            # changes() tells that every row went in, no 5,000 rows fetched back); when some
            # were already stored, this statement is undone and run again with RETURNING to
            # learn which ones were new.
            raw.execute("SAVEPOINT monitoring_ingest")
            raw.execute(INSERT.format(_placeholders(stop - start)), params)
            if raw.rowcount != stop - start:
                raw.execute("ROLLBACK TO monitoring_ingest")
                raw.execute(INSERT.format(_placeholders(stop - start)) + RETURNING, params)
                new = set(raw.fetchall())
                kept[start:stop] = [(s, x) in new for s, x in zip(sl[start:stop], p.times[start:stop], strict=True)]
            raw.execute("RELEASE monitoring_ingest")
        sensor, t, v, minute, hour, latest = p.sensor, p.t, p.v, p.minute, p.hour, p.latest
        if not kept.all():   # duplicates: roll-ups and latest values from the new rows only
            sensor, t, v = sensor[kept], t[kept], v[kept]
            if len(sensor):
                times = [x for x, k in zip(p.times, kept.tolist(), strict=True) if k]
                minute, hour = _rollup_rows(sensor, t, v, 60), _rollup_rows(sensor, t, v, 3600)
                latest = _latest_rows(sensor, times, v, p.received)
        if len(sensor):
            raw.executemany(MINUTE_SQL, minute)
            raw.executemany(HOUR_SQL, hour)
            raw.executemany(LATEST_SQL, latest)
    finally:
        raw.close()
    return sensor, t, v


_gate_files: dict = {}


@contextlib.contextmanager
def write_turn():
    """Ingesting processes take their turn at SQLite's write lock through a lock file (flock).

    Why: a connection that finds the write lock taken waits in SQLite's busy handler, which
    sleeps and retries (1, 2, 5 … up to 100 ms between tries), so the lock mostly sits idle
    between two ingesting gunicorn workers; a blocked flock() is woken by the kernel the moment
    the other worker releases it. Only ingestion takes this turn (other writers keep the busy
    handler), always *before* BEGIN, so no lock order is reversed; not inside a caller's
    transaction (it already holds SQLite's lock), nor for an in-memory database."""
    name = str(connection.settings_dict["NAME"])
    if connection.in_atomic_block or name == ":memory:" or name.startswith("file:"):
        yield
        return
    fd = _gate_files.get(name)
    if fd is None:
        fd = _gate_files[name] = os.open(name + "-ingest.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
