"""Kill a real worker in the middle of delivering notifications: after a restart every
notification reaches the inbox exactly once, none lost, none twice. On both task backends
(task_backend: the database and a real redis-server)."""
import signal

import pytest
from django.conf import settings

from citysafe.accounts.models import User
from citysafe.core.scheduler import enqueue_scheduled, schedules
from citysafe.notifications.models import InboxMessage, Notification
from citysafe.notifications.services import notify_many
from tests.worker.queues import running_job_ids, was_reclaimed
from tests.worker.support import channels_env, kill_hard, start_worker, stop, wait_until

TOTAL = 300
LEASE_SECONDS = 3
SENT, SENDING = Notification.Status.SENT, Notification.Status.SENDING
# Each inbox delivery pauses after writing the message, before the outcome is recorded.
WORKER_ENV = {
    "NOTIFICATION_CHANNELS_EXTRA": channels_env(inbox="tests.worker.support.SlowInboxChannel"),
    "NOTIFICATION_LEASE_SECONDS": LEASE_SECONDS,
    "SLOW_INBOX_MS": 15,
    # The killed worker's job is reclaimed once its heartbeat has been silent this long: longer
    # than the rows' lease (four timeouts of the slow inbox, 4 s), so the re-run finds them due.
    "TASK_HEARTBEAT_SECONDS": 1,
    "TASK_HEARTBEAT_TIMEOUT_SECONDS": 6,
}


def sent_count() -> int:
    return Notification.objects.filter(status=SENT).count()


@pytest.mark.slow
def test_worker_killed_mid_delivery_loses_and_duplicates_nothing(task_backend, transactional_world, tmp_path):
    users = list(User.objects.order_by("id"))
    recipients = [users[i % len(users)] for i in range(TOTAL)]
    notify_many(recipients, kind="drill.notice", subject="应急演练通知", body="本周五上午十点消防演练")
    assert Notification.objects.count() == TOTAL

    log = tmp_path / "worker.log"
    first = second = None
    try:
        first = start_worker(log, **WORKER_ENV)
        # Kill when a message is in the inbox but its delivery not yet recorded: the worst moment.
        wait_until(lambda: sent_count() >= 25 and InboxMessage.objects.filter(notification__status=SENDING).exists(),
                   timeout=120, what="first deliveries", process=first, log_path=log)
        kill_hard(first)
        delivered_before_kill = sent_count()
        in_flight = Notification.objects.filter(status=SENDING).count()
        assert 0 < delivered_before_kill < TOTAL and in_flight > 0, "kill must land while delivering"
        assert in_flight <= settings.NOTIFICATION_CLAIM_BATCH
        # Messages the killed worker wrote without recording them: at most its claimed batch.
        written_unrecorded = InboxMessage.objects.exclude(notification__status=SENT).count()
        assert written_unrecorded <= in_flight
        # ... and the job it was running is left RUNNING: the kill hit it at work.
        [abandoned] = running_job_ids()

        # The scheduler's reclaim job (every minute; here every second) notices that the killed
        # worker's heartbeat stopped and runs its job again, which takes the killed worker's
        # rows once their lease has run out. No retry sweep is enqueued: the reclaim alone does it.
        reclaim = next(s for s in schedules() if s.name == "reclaim abandoned jobs")
        second = start_worker(log, **WORKER_ENV)

        def all_sent():
            enqueue_scheduled(reclaim)
            return sent_count() == TOTAL

        wait_until(all_sent, timeout=180, interval=1, what="all notifications sent", process=second, log_path=log)
        assert abandoned not in running_job_ids() and was_reclaimed(abandoned)
    finally:
        stop(first, signal.SIGKILL)
        stop(second)

    messages = InboxMessage.objects.count()
    delivered_after_restart = TOTAL - delivered_before_kill
    duplicates = messages - Notification.objects.filter(inbox_message__isnull=False).count()
    missing = Notification.objects.filter(inbox_message__isnull=True).count()
    print(f"\noutbox crash test: {TOTAL} notifications, {delivered_before_kill} delivered before SIGKILL, "
          f"{in_flight} claimed by the killed worker ({written_unrecorded} already in the inbox), "
          f"{delivered_after_restart} after restart, {messages} inbox messages, duplicates={duplicates}, "
          f"missing={missing}")
    assert messages == TOTAL and duplicates == 0 and missing == 0
    # Only the rows the killed worker held were attempted twice; every row has one delivered receipt.
    assert Notification.objects.filter(attempts=2).count() == in_flight
    assert set(Notification.objects.values_list("attempts", flat=True)) <= {1, 2}
    assert Notification.objects.filter(receipts__status="delivered").distinct().count() == TOTAL
    for notification in Notification.objects.select_related("inbox_message"):
        assert notification.inbox_message.user_id == notification.recipient_id


@pytest.mark.slow
def test_two_workers_draining_side_by_side_claim_each_row_once(task_backend, transactional_world, tmp_path):
    users = list(User.objects.order_by("id"))
    notify_many([users[i % len(users)] for i in range(200)], kind="drill.notice", subject="演练通知")
    notify_many(users[:1], kind="drill.notice", subject="第二个任务")  # a second job, so both workers have one
    total = Notification.objects.count()
    log = tmp_path / "workers.log"
    workers = []
    try:
        workers = [start_worker(log, **{**WORKER_ENV, "SLOW_INBOX_MS": 5}) for _ in range(2)]
        wait_until(lambda: sent_count() == total, timeout=180, what="all notifications sent",
                   process=workers[0], log_path=log)
    finally:
        for worker in workers:
            stop(worker)
    assert InboxMessage.objects.count() == total
    # A row claimed by both workers would show two attempts (or two receipts).
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    assert Notification.objects.filter(receipts__status="delivered").count() == total
