"""PostgreSQL: the raw reading table is partitioned by day (declarative partitioning,
migration 0002). Partitions are created on demand before a batch is inserted (idempotent DDL:
CREATE TABLE IF NOT EXISTS … PARTITION OF), and retention drops whole partitions — no
DELETE, no vacuum debt. SQLite keeps one table and deletes by time (the same interface)."""
from datetime import UTC, datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import connection

DAY = 86400


def _name(day: int) -> str:
    return "monitoring_reading_" + datetime.fromtimestamp(day * DAY, tz=UTC).strftime("%Y%m%d")


def ensure_partitions(t: np.ndarray) -> None:
    if not len(t):
        return
    days = sorted(set(np.unique(np.floor(np.asarray(t) / DAY).astype(np.int64)).tolist()))
    with connection.cursor() as cursor:
        # One catalogue look-up (no lock); DDL (which locks the parent) only for a missing day.
        # Not cached in the process: a rolled-back transaction takes its partitions with it.
        cursor.execute("SELECT n FROM unnest(%s::text[]) AS n WHERE to_regclass(n) IS NULL", [[_name(d) for d in days]])
        missing = {row[0] for row in cursor.fetchall()}
        if not missing:
            return
        # Two batches creating the same day's partition at once: CREATE TABLE IF NOT EXISTS
        # is not safe between concurrent sessions (the loser fails on the catalogue's unique
        # index: "relation … already exists"). A transaction-scoped advisory lock queues the
        # creators; the waiter looks again once the first has committed.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('monitoring_reading partitions'))")
        cursor.execute("SELECT n FROM unnest(%s::text[]) AS n WHERE to_regclass(n) IS NULL", [sorted(missing)])
        missing = {row[0] for row in cursor.fetchall()}
        for day in days:
            if _name(day) in missing:
                start = datetime.fromtimestamp(day * DAY, tz=UTC)
                cursor.execute(f"CREATE TABLE IF NOT EXISTS {_name(day)} PARTITION OF monitoring_reading "
                               "FOR VALUES FROM (%s) TO (%s)", [start, start + timedelta(days=1)])


def partitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'monitoring_reading' ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]


def apply_retention(now: datetime | None = None) -> int:
    """Drop raw readings older than MONITORING_RETENTION_DAYS (roll-ups stay). Returns the
    partitions dropped (PostgreSQL) or rows deleted (SQLite)."""
    from citysafe.monitoring.models import Reading

    now = now or datetime.now(tz=UTC)
    cutoff = now - timedelta(days=settings.MONITORING_RETENTION_DAYS)
    if connection.vendor != "postgresql":
        return Reading.objects.filter(ts__lt=cutoff).delete()[0]
    oldest_kept = _name(int(cutoff.timestamp() // DAY))
    dropped = [name for name in partitions() if name < oldest_kept]
    with connection.cursor() as cursor:
        for name in dropped:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
    return len(dropped)
