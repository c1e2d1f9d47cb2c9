"""Alarm evaluation in a process of its own (`manage.py run_alarm_evaluator`,
MONITORING_EVALUATION=process).

Why a process: with the evaluator thread inside the web worker (services/evaluator.py), the
evaluation waits for the GIL while the same process parses the next 10,000-reading JSON body,
and at 50,000 readings/s that wait was most of an alarm's latency (p99 ~3 s). A process of its
own gets its own core.

How it is fed: ingest() writes one `PendingEvaluation` row per stored batch (its new rows as
packed arrays) in the transaction that stores the readings, and on PostgreSQL sends
`NOTIFY monitoring_evaluate` (delivered at that commit) to wake the evaluator; SQLite (and a
missed wake-up) is polled. The evaluator takes the oldest rows (FOR UPDATE SKIP LOCKED on
PostgreSQL), evaluates them together in ONE transaction (rule states, alarm rows, audit) and
deletes them in that same transaction. So the queue left in the database is the committed
watermark: a kill -9 mid-evaluation rolls the transaction back and the restarted evaluator
evaluates those batches again, from the same rule states — an alarm is raised once, and no
committed batch is skipped. (A queue rather than "readings with id > N": readings have no
serial id, and ids of concurrent ingests commit out of order, so an id watermark would skip a
batch that commits late.) Follow-ups (area raise, notifications) run on this process's
follow-up thread after the commit; those a kill loses are redone by the minute sweep
(alarms.reconcile_follow_ups), as in the thread mode.

Run one evaluator per database: two would evaluate batches of the same sensor in parallel and
the later one would see the earlier one's readings as late (not evaluated). On PostgreSQL a
second one waits on an advisory lock (Listener.take_the_lock) until the first stops.
"""
import logging
import time

import numpy as np
from django.db import connection, transaction

log = logging.getLogger("citysafe.monitoring.evaluator")
CHANNEL = "monitoring_evaluate"
MAX_BATCHES = 50            # batches evaluated in one transaction (a backlog is taken in rounds)
LOCK_NAME = "citysafe.monitoring.alarm_evaluator"


def enqueue(sensor, t, v, now: float) -> None:
    """Called by ingest() inside its transaction with the batch's new rows."""
    if not len(sensor):
        return
    payload = (np.ascontiguousarray(sensor, "<i8").tobytes() + np.ascontiguousarray(t, "<f8").tobytes()
               + np.ascontiguousarray(v, "<f8").tobytes())
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO monitoring_pendingevaluation (count, received, payload) VALUES (%s, %s, %s)",
                       [len(sensor), now, payload])
        if connection.vendor == "postgresql":
            cursor.execute(f"NOTIFY {CHANNEL}")


def decode(count: int, payload) -> tuple:
    raw = bytes(payload)
    return (np.frombuffer(raw, "<i8", count, 0).astype(np.int64),
            np.frombuffer(raw, "<f8", count, 8 * count).astype(float),
            np.frombuffer(raw, "<f8", count, 16 * count).astype(float))


def pending() -> int:
    """Batches waiting (the backlog; tests, the bench, monitoring of the process)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM monitoring_pendingevaluation")
        return cursor.fetchone()[0]


def evaluate_pending(max_batches: int = MAX_BATCHES, later: list | None = None) -> int:
    """Evaluate the oldest waiting batches in one transaction and delete them in it; returns
    how many batches. `later` collects the follow-ups (else they run here after the commit)."""
    from citysafe.monitoring.services.alarms import run_follow_ups
    from citysafe.monitoring.services.evaluation import evaluate_batch

    mine = [] if later is None else later
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, count, received, payload FROM monitoring_pendingevaluation "  # noqa: S608
                           "ORDER BY id LIMIT %s" + lock, [max_batches])
            rows = cursor.fetchall()
        if not rows:
            return 0
        parts = [decode(count, payload) for _id, count, _received, payload in rows]
        evaluate_batch(np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                       np.concatenate([p[2] for p in parts]), now=max(r[2] for r in rows), later=mine)
        with connection.cursor() as cursor:
            ids = [r[0] for r in rows]
            cursor.execute("DELETE FROM monitoring_pendingevaluation WHERE id IN ("  # noqa: S608 (placeholders)
                           + ",".join(["%s"] * len(ids)) + ")", ids)
    if later is None:
        run_follow_ups(mine)
    return len(rows)


def drain(max_batches: int = MAX_BATCHES) -> int:
    """Evaluate everything waiting, follow-ups included (tests, `run_alarm_evaluator --once`)."""
    total = 0
    while n := evaluate_pending(max_batches):
        total += n
    return total


class Listener:
    """The wake-up: LISTEN on a connection of its own (PostgreSQL); elsewhere a plain sleep.

    On PostgreSQL the same connection holds a session advisory lock for the life of the
    process, so a second evaluator started by mistake waits instead of evaluating beside the
    first (see the module docstring); a killed evaluator's session ends and frees it."""

    def __init__(self):
        self.conn = None
        if connection.vendor == "postgresql":
            import psycopg

            params = connection.get_connection_params()
            params.pop("cursor_factory", None)
            self.conn = psycopg.connect(**params, autocommit=True)
            self.conn.execute(f"LISTEN {CHANNEL}")

    def take_the_lock(self, *, wait: float | None = None) -> bool:
        """True once this process is the only evaluator (PostgreSQL; elsewhere always True);
        `wait`: give up after that many seconds (None: wait for ever)."""
        if self.conn is None:
            return True
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        while not self.conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [LOCK_NAME]).fetchone()[0]:
            if deadline is not None and time.monotonic() > deadline:
                return False
            if not told:
                log.warning("another alarm evaluator runs on this database; waiting for it to stop")
                told = True
            time.sleep(1.0 if deadline is None else 0.05)
        return True

    def wait(self, timeout: float) -> None:
        if self.conn is None:
            time.sleep(timeout)
            return
        for _note in self.conn.notifies(timeout=timeout, stop_after=1):
            pass

    def close(self):
        if self.conn is not None:
            self.conn.close()


def run(*, interval: float, max_batches: int = MAX_BATCHES, stopping=lambda: False,
        on_round=lambda batches: None) -> None:
    """The evaluator's loop: evaluate while batches wait, then sleep until woken (PostgreSQL:
    NOTIFY, or `interval` at most) or for `interval` (SQLite)."""
    from citysafe.monitoring.services.evaluator import FOLLOW_UPS

    listener = Listener()
    try:
        listener.take_the_lock()
        while not stopping():
            later = []
            try:
                done = evaluate_pending(max_batches, later=later)
            except Exception:
                # the batches stay queued (the transaction rolled back): retried next round
                log.exception("alarm evaluation failed; retrying")
                connection.close()
                done = 0
                time.sleep(interval)
            FOLLOW_UPS.submit_follow_ups(later)
            on_round(done)
            if not done:
                listener.wait(interval)
    finally:
        listener.close()
        FOLLOW_UPS.wait(30)
