"""A channel that takes 10 s (a webhook at its timeout) is delivered by a real worker while
other writes — a registry service update, more notifications — go on within a second: the
outbox holds no lock while a channel works (SQLite's write lock, PostgreSQL row locks)."""
import time

import pytest
from django.db import connection

from citysafe.notifications.models import Notification, Priority, Receipt
from citysafe.notifications.services import notify
from citysafe.registry.models import Person
from citysafe.registry.services.persons import update_person
from tests.worker.support import channels_env, start_worker, stop, wait_until

SLOW_SECONDS = 10
SLOW_PATH = "tests.worker.support.SlowChannel"
SENDING, SENT = Notification.Status.SENDING, Notification.Status.SENT


def status_of(row) -> str:
    return Notification.objects.values_list("status", flat=True).get(pk=row.pk)


def idle_in_transaction() -> int:
    """PostgreSQL sessions of this database holding a transaction open while doing nothing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def timed(latencies: list, what: str, write) -> None:
    started = time.monotonic()
    write()
    latencies.append((time.monotonic() - started, what))


@pytest.mark.slow
def test_other_writes_proceed_while_a_worker_spends_10_s_in_a_slow_channel(transactional_world, tmp_path, settings):
    world = transactional_world
    settings.NOTIFICATION_CHANNELS = {**settings.NOTIFICATION_CHANNELS, "slow": SLOW_PATH}
    [slow] = notify(world.leader, kind="warning.issued", subject="暴雨红色预警", channels=("slow",),
                    priority=Priority.URGENT)
    person = Person.objects.order_by("id").first()
    log = tmp_path / "worker.log"
    latencies: list[tuple[float, str]] = []
    idle_sessions = []
    worker = start_worker(log, NOTIFICATION_CHANNELS_EXTRA=channels_env(slow=SLOW_PATH),
                          SLOW_CHANNEL_SECONDS=SLOW_SECONDS)
    try:
        wait_until(lambda: status_of(slow) == SENDING, timeout=60, what="the slow delivery to start",
                   process=worker, log_path=log)
        claimed_at = time.monotonic()
        i = 0
        while time.monotonic() - claimed_at < SLOW_SECONDS * 0.7:
            timed(latencies, "registry update",
                  lambda i=i: update_person(world.admin, person.pk, {"title": f"安全员{i}"}))
            timed(latencies, "notification enqueue",
                  lambda i=i: notify(world.grid_worker, kind="test", subject=f"并发通知{i}"))
            if connection.vendor == "postgresql":
                idle_sessions.append(idle_in_transaction())
            i += 1
            time.sleep(0.2)
        assert status_of(slow) == SENDING, "the writes must overlap the slow delivery"
        wait_until(lambda: status_of(slow) == SENT, timeout=60, what="the slow delivery to finish",
                   process=worker, log_path=log)
        # The notifications enqueued meanwhile are delivered after it (one worker, one at a time).
        wait_until(lambda: not Notification.objects.exclude(status=SENT).exists(), timeout=60,
                   what="the rest delivered", process=worker, log_path=log)
    finally:
        stop(worker)

    worst, what = max(latencies)
    print(f"\nslow channel ({SLOW_SECONDS} s) on {connection.vendor}: {len(latencies)} writes during the delivery, "
          f"max latency {worst * 1000:.0f} ms ({what}), median "
          f"{sorted(latencies)[len(latencies) // 2][0] * 1000:.0f} ms")
    assert worst < 1.0, f"{what} waited {worst:.1f} s behind the slow delivery"
    assert not any(idle_sessions), "the worker kept a transaction open while the channel worked"
    [receipt] = Receipt.objects.filter(notification=slow)
    assert receipt.status == Receipt.Status.SENT and slow.idempotency_key in receipt.detail
