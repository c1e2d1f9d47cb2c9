"""Alarm evaluation off the ingestion commit path.

A batch's readings are committed first (services/ingest.py); their evaluation then runs in
this process's evaluator thread, in its own transaction, so the sender gets its answer as soon
as the readings are durable and the alarm follows a few milliseconds later. Batches queued
while the thread is busy are evaluated together (one rule-state read and write for all of
them), so under load the evaluator falls behind by at most one round instead of one batch.

When the caller already holds a transaction (an outer `atomic()`: a script batching several
calls, the test suite's per-test transaction), the readings are not committed when ingest()
returns, and another connection could not see them: then evaluation runs inline, inside that
transaction, as before. SQLite evaluates inline by default (see mode()).

A process killed after a commit and before its evaluation loses only that evaluation, not
readings: `catch_up()` (run by the minute sweep) evaluates the stored readings newer than a
track's memory, so the alarm follows within a minute instead of a second.

The evaluation transaction writes the rule states, the alarm rows, their audit records and
workflow steps, and commits: the alarm is visible then. Its follow-ups — listeners (the risk
map's area raise, several audited writes per area) and notifications — run afterwards on a
second thread, each alarm in its own transaction (services/alarms.run_follow_ups); measured
with bench/bench_ingest.py, they were most of the time from an alarm's creation to its commit.
Follow-ups lost with a killed process are redone by the minute sweep
(alarms.reconcile_follow_ups).

MONITORING_EVALUATION=process moves all of this into `manage.py run_alarm_evaluator`, fed
through a queue table (services/evaluator_process.py): the thread here shares the GIL with the
HTTP worker parsing the next batch.

Hand-written (a queue and a thread) rather than the task queue: a django-tasks round trip
through the database (enqueue, poll, claim) costs more than the evaluation itself, and the
goal is an alarm within a second.
"""
import logging
import os
import queue
import threading
import time

import numpy as np
from django.db import close_old_connections, connection, transaction

log = logging.getLogger("citysafe.monitoring.evaluator")
CATCH_UP_WINDOW_SECONDS = 3600
CATCH_UP_GRACE_SECONDS = 10


def mode() -> str:
    """`deferred` on PostgreSQL, `inline` on SQLite (one writer at a time: the evaluator thread
    only queued behind the ingesting transactions — measured slower, bench/bench_ingest.py);
    MONITORING_EVALUATION=inline|deferred|process overrides. `process`: the batch is queued in
    the database for `manage.py run_alarm_evaluator` (services/evaluator_process.py) — the
    production setting (deploy/systemd/citysafe-evaluator.service); the defaults need no second
    process, so `make demo` and a one-process trial show alarms."""
    from django.conf import settings

    default = "deferred" if connection.vendor == "postgresql" else "inline"
    return os.environ.get("MONITORING_EVALUATION") or settings.MONITORING_EVALUATION or default


class Evaluator:
    def __init__(self, name="alarm-evaluator"):
        self.name = name
        self.queue: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self.evaluated = 0          # batches evaluated (tests, the bench)

    def submit(self, sensor, t, v, now: float) -> None:
        if len(sensor):
            self.queue.put((sensor, t, v, now))
            self._ensure_thread()

    def _ensure_thread(self):
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self.thread.start()

    def _take(self) -> list:
        items = [self.queue.get()]
        while True:
            try:
                items.append(self.queue.get_nowait())
            except queue.Empty:
                return items

    def _run(self):
        while True:
            items = self._take()
            try:
                close_old_connections()
                self.handle(items)
            except Exception:   # the readings are stored; catch_up() evaluates them later
                log.exception("deferred alarm work failed", extra={"worker": self.name, "items": len(items)})
            finally:
                if self.queue.empty():
                    connection.close()      # idle: hold no connection (CONN_MAX_AGE is 0 too)
                self.evaluated += len(items)
                for _ in items:
                    self.queue.task_done()

    def handle(self, items) -> None:
        later = []
        evaluate_now(*merge(items), later=later)
        FOLLOW_UPS.submit_follow_ups(later)

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until everything submitted so far is evaluated (tests, the bench, shutdown)."""
        deadline = time.monotonic() + timeout
        while self.queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True


def merge(items):
    s = np.concatenate([i[0] for i in items])
    t = np.concatenate([i[1] for i in items])
    v = np.concatenate([i[2] for i in items])
    return s, t, v, max(i[3] for i in items)


def evaluate_now(sensor, t, v, now: float, later: list | None = None) -> int:
    """Evaluate in a transaction of its own; the follow-ups run after the commit (in `later`
    for the caller to hand on, else right here)."""
    from citysafe.monitoring.services.alarms import run_follow_ups
    from citysafe.monitoring.services.evaluation import evaluate_batch

    if os.environ.get("MONITORING_FOLLOW_UPS") == "inline":   # the previous way (bench baseline)
        with transaction.atomic():
            return evaluate_batch(sensor, t, v, now=now)
    mine = [] if later is None else later
    with transaction.atomic():
        changed = evaluate_batch(sensor, t, v, now=now, later=mine)
    if later is None:
        run_follow_ups(mine)
    return changed


class FollowUps(Evaluator):
    """The second thread: listeners and notifications of committed alarm changes."""

    def submit_follow_ups(self, later: list) -> None:
        if later:
            self.queue.put(later)
            self._ensure_thread()

    def handle(self, items) -> None:
        from citysafe.monitoring.services.alarms import run_follow_ups

        run_follow_ups([x for item in items for x in item])


EVALUATOR = Evaluator()
FOLLOW_UPS = FollowUps("alarm-follow-ups")


def wait_all(timeout: float = 10.0) -> bool:
    """Evaluations and their follow-ups done (tests, the bench, shutdown)."""
    deadline = time.monotonic() + timeout
    return EVALUATOR.wait(timeout) and FOLLOW_UPS.wait(max(0.0, deadline - time.monotonic()))


def after_store(sensor, t, v, now: float) -> int:
    """Called by ingest() inside its transaction once the batch is stored: evaluate inline
    (returns the number of alarms changed) or queue the evaluation for after the commit (0)."""
    chosen = mode()
    if chosen == "process":        # queued in this transaction, for the evaluator process
        from citysafe.monitoring.services.evaluator_process import enqueue

        enqueue(sensor, t, v, now)
        return 0
    if chosen == "inline" or _outer_transaction():
        from citysafe.monitoring.services.evaluation import evaluate_batch

        return evaluate_batch(sensor, t, v, now=now)
    transaction.on_commit(lambda: EVALUATOR.submit(sensor, t, v, now))
    return 0


def _outer_transaction() -> bool:
    """True when ingest()'s own atomic block is nested in the caller's (Django keeps the
    stack of open atomic blocks, the test case's included)."""
    return len(connection.atomic_blocks) > 1


def catch_up(now: float | None = None) -> int:
    """Evaluate stored readings newer than their tracks' memory (a lost deferred evaluation):
    sensors with a reading received in the last hour but more than a few seconds ago whose
    newest reading is later than a track's last evaluated one. Returns readings evaluated."""
    from citysafe.monitoring.models import LatestReading, Reading, RuleState

    now = time.time() if now is None else now
    from datetime import UTC, datetime

    since = datetime.fromtimestamp(now - CATCH_UP_WINDOW_SECONDS, tz=UTC)
    settled = datetime.fromtimestamp(now - CATCH_UP_GRACE_SECONDS, tz=UTC)
    latest = dict(LatestReading.objects.filter(received_at__gte=since, received_at__lte=settled)
                  .values_list("sensor_id", "ts"))
    if not latest:
        return 0
    behind = {}
    for sensor_id, last_ts in RuleState.objects.filter(sensor_id__in=list(latest)).values_list("sensor_id", "last_ts"):
        if last_ts is not None and latest[sensor_id].timestamp() > last_ts:
            behind[sensor_id] = min(behind.get(sensor_id, last_ts), last_ts)
    total = 0
    for sensor_id, last_ts in behind.items():
        rows = list(Reading.objects.filter(sensor_id=sensor_id, ts__gt=datetime.fromtimestamp(last_ts, tz=UTC))
                    .order_by("ts").values_list("ts", "value")[:100_000])
        if rows:
            t = np.array([r[0].timestamp() for r in rows])
            evaluate_now(np.full(len(rows), sensor_id, np.int64), t, np.array([r[1] for r in rows]), now)
            total += len(rows)
    return total
