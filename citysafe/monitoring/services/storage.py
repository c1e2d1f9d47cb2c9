"""Set-based writes of readings, roll-ups and latest values, one SQL dialect per vendor.

Why hand-written SQL: the ORM has no INSERT … ON CONFLICT DO NOTHING RETURNING (bulk_create
with ignore_conflicts cannot tell which rows were new, and duplicates must be counted), and no
upsert that adds to a counter. PostgreSQL gets whole arrays through unnest (one statement per
batch); SQLite gets multi-row VALUES (its variable limit is 32,766 since 3.32).
Times travel as epoch seconds (float) and are stored as timestamptz / Django's SQLite text.
ingest() itself writes through storage_pg.py (PostgreSQL) and storage_sqlite.py (SQLite); the
functions here are the plain one-statement-per-table path (the benches' "before" baseline).
"""
from datetime import UTC, datetime

import numpy as np
from django.db import connection

SQLITE_ROWS_PER_STATEMENT = 5000


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def sqlite_times(t: np.ndarray) -> list[str]:
    """Epoch seconds → Django's SQLite datetime text ('YYYY-MM-DD HH:MM:SS[.ffffff]', UTC), the
    exact text the ORM writes and compares, so ORM range queries see these rows. Each distinct
    time is formatted once (a gateway's batch repeats a few instants over many sensors)."""
    distinct, index = np.unique(np.round(np.asarray(t, float) * 1e6).astype(np.int64), return_inverse=True)
    text = np.datetime_as_string(distinct.astype("datetime64[us]"), unit="us")
    texts = [s.replace("T", " ").removesuffix(".000000") for s in text.tolist()]
    return [texts[i] for i in index.ravel().tolist()]


def from_sqlite_time(value) -> float:
    """A returned ts: Django's SQLite connection converts declared datetime columns to naive
    UTC datetimes; plain text otherwise."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).timestamp()
    return float(np.datetime64(value.replace(" ", "T"), "us").astype(np.int64)) / 1e6


def insert_readings(sensor: np.ndarray, t: np.ndarray, v: np.ndarray):
    """Insert readings, skipping (sensor, ts) pairs already stored. Returns the new rows as
    (sensor, t, v) arrays."""
    if not len(sensor):
        return sensor, t, v
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(
                "INSERT INTO monitoring_reading (sensor_id, ts, value) "
                "SELECT s, to_timestamp(t), v FROM unnest(%s::bigint[], %s::float8[], %s::float8[]) AS u(s, t, v) "
                "ON CONFLICT DO NOTHING RETURNING sensor_id, extract(epoch from ts)::float8, value",
                [sensor.tolist(), t.tolist(), v.tolist()])
            rows = cursor.fetchall()
        else:
            # RETURNING the key as text (no declared type, so no datetime conversion per row)
            # and matching it to what was offered: 3× cheaper than parsing the times back.
            # The sqlite3 cursor itself with "?" placeholders: Django's wrapper rewrites every
            # "%s" of a 15,000-parameter statement with a regex (~5 % of a batch); this is
            # inside Django's transaction on Django's connection all the same.
            new, times, sl, vl = set(), sqlite_times(t), sensor.tolist(), v.tolist()
            raw = connection.connection.cursor()
            for start in range(0, len(sensor), SQLITE_ROWS_PER_STATEMENT):
                stop = min(start + SQLITE_ROWS_PER_STATEMENT, len(sensor))
                params = [x for row in zip(sl[start:stop], times[start:stop], vl[start:stop], strict=True) for x in row]
                placeholders = ",".join(["(?,?,?)"] * (stop - start))   # placeholders only, no data
                raw.execute(
                    "INSERT INTO monitoring_reading (sensor_id, ts, value) VALUES "  # noqa: S608
                    + placeholders + " ON CONFLICT DO NOTHING RETURNING sensor_id, CAST(ts AS TEXT)", params)
                new.update(raw.fetchall())
            raw.close()
            if len(new) == len(sensor):
                return sensor, t, v
            kept = np.array([(s, x) in new for s, x in zip(sensor.tolist(), times, strict=True)], bool)
            return sensor[kept], t[kept], v[kept]
    if not rows:
        return sensor[:0], t[:0], v[:0]
    s, tt, vv = zip(*rows, strict=True)
    return np.asarray(s, np.int64), np.asarray(tt, float), np.asarray(vv, float)


def aggregate(sensor, t, v, width: int):
    """Per (sensor, bucket of `width` seconds): count, sum, min, max (numpy, sorted groups)."""
    bucket = np.floor(t / width) * width
    order = np.lexsort((bucket, sensor))
    s, b, vals = sensor[order], bucket[order], v[order]
    starts = np.flatnonzero(np.r_[True, (np.diff(s) != 0) | (np.diff(b) != 0)])
    return (s[starts], b[starts], np.diff(np.r_[starts, len(s)]), np.add.reduceat(vals, starts),
            np.minimum.reduceat(vals, starts), np.maximum.reduceat(vals, starts))


def upsert_rollups(table: str, sensor, t, v, width: int) -> None:
    if not len(sensor):
        return
    s, b, n, total, lo, hi = aggregate(sensor, t, v, width)
    least, greatest = ("LEAST", "GREATEST") if is_postgres() else ("MIN", "MAX")
    conflict = (f" ON CONFLICT (sensor_id, bucket) DO UPDATE SET count = {table}.count + excluded.count, "
                f"total = {table}.total + excluded.total, vmin = {least}({table}.vmin, excluded.vmin), "
                f"vmax = {greatest}({table}.vmax, excluded.vmax)")
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(
                f"INSERT INTO {table} (sensor_id, bucket, count, total, vmin, vmax) "  # noqa: S608 (table is ours)
                "SELECT s, to_timestamp(b), n, total, lo, hi FROM unnest(%s::bigint[], %s::float8[], %s::int[], "
                "%s::float8[], %s::float8[], %s::float8[]) AS u(s, b, n, total, lo, hi)" + conflict,
                [s.tolist(), b.tolist(), n.tolist(), total.tolist(), lo.tolist(), hi.tolist()])
        else:
            cursor.executemany(
                f"INSERT INTO {table} (sensor_id, bucket, count, total, vmin, vmax) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s, %s)" + conflict,
                list(zip(s.tolist(), sqlite_times(b), n.tolist(), total.tolist(), lo.tolist(), hi.tolist(),
                         strict=True)))


def upsert_latest(sensor, t, v, received: float) -> None:
    """The newest reading per sensor, kept only when newer than what is stored (late
    readings do not move the latest value back)."""
    if not len(sensor):
        return
    order = np.lexsort((t, sensor))
    s, tt, vv = sensor[order], t[order], v[order]
    last = np.flatnonzero(np.r_[np.diff(s) != 0, True])
    s, tt, vv = s[last], tt[last], vv[last]
    conflict = (" ON CONFLICT (sensor_id) DO UPDATE SET ts = excluded.ts, value = excluded.value, "
                "received_at = excluded.received_at WHERE excluded.ts > monitoring_latestreading.ts")
    pg_sql = ("INSERT INTO monitoring_latestreading (sensor_id, ts, value, received_at) SELECT s, to_timestamp(t), v, "  # noqa: S608 (constant SQL)
              "to_timestamp(%s) FROM unnest(%s::bigint[], %s::float8[], %s::float8[]) AS u(s, t, v)" + conflict)
    sqlite_sql = "INSERT INTO monitoring_latestreading (sensor_id, ts, value, received_at) VALUES (%s, %s, %s, %s)" + conflict  # noqa: S608
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(pg_sql, [received, s.tolist(), tt.tolist(), vv.tolist()])
        else:
            now = sqlite_times(np.array([received]))[0]
            cursor.executemany(sqlite_sql, [(a, b, c, now) for a, b, c in
                                            zip(s.tolist(), sqlite_times(tt), vv.tolist(), strict=True)])
