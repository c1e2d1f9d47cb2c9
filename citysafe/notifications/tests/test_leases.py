"""Claiming with a lease: the most urgent first, expired messages never sent, a dead worker's
rows claimed again after its lease, the inbox still written once, a late worker unable to
overwrite the outcome recorded by the one that took over."""
from datetime import timedelta

from django.utils import timezone

from citysafe.notifications import delivery
from citysafe.notifications.channels import Channel, DeliveryResult, InboxChannel
from citysafe.notifications.models import InboxMessage, Notification, Priority, Receipt
from citysafe.notifications.services import notify
from citysafe.notifications.tasks import deliver_notifications

Status = Notification.Status


class RecordingChannel(Channel):
    """Remembers the order in which it was asked to deliver."""

    delivered: list[str] = []

    def deliver(self, notification, *, idempotency_key):
        type(self).delivered.append(notification.subject)
        return DeliveryResult(Receipt.Status.SENT, "recorded")


def with_channels(settings, **extra):
    settings.NOTIFICATION_CHANNELS = {**settings.NOTIFICATION_CHANNELS, **extra}


def test_urgent_messages_are_claimed_before_older_normal_and_low_ones(world, settings):
    with_channels(settings, recorder=f"{__name__}.RecordingChannel")
    settings.NOTIFICATION_CLAIM_BATCH = 1
    RecordingChannel.delivered = []
    for subject, priority in [("低", Priority.LOW), ("普通", Priority.NORMAL), ("紧急", Priority.URGENT),
                              ("高", Priority.HIGH), ("紧急2", Priority.URGENT)]:
        notify(world.admin, kind="test", subject=subject, channels=("recorder",), priority=priority)
    deliver_notifications.call()
    assert RecordingChannel.delivered == ["紧急", "紧急2", "高", "普通", "低"]


def test_an_expired_undelivered_message_is_marked_expired_not_sent(world, settings):
    with_channels(settings, recorder=f"{__name__}.RecordingChannel")
    RecordingChannel.delivered = []
    [stale] = notify(world.admin, kind="warning", subject="已解除的预警", channels=("recorder",),
                     expires_at=timezone.now() + timedelta(minutes=5))
    [fresh] = notify(world.admin, kind="warning", subject="有效预警", channels=("recorder",),
                     expires_at=timezone.now() + timedelta(minutes=5))
    Notification.objects.filter(pk=stale.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    report = deliver_notifications.call()
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == Status.EXPIRED and not stale.receipts.exists()
    assert fresh.status == Status.SENT
    assert RecordingChannel.delivered == ["有效预警"] and report["expired"] == 1


def test_a_row_claimed_by_a_worker_that_died_is_delivered_once_after_its_lease(world):
    [row] = notify(world.grid_worker, kind="test", subject="重启后送达")
    _, [claimed] = delivery.claim(10)
    # The dead worker got as far as writing the inbox message, not as far as recording it.
    InboxChannel().deliver(claimed, idempotency_key=claimed.idempotency_key)
    row.refresh_from_db()
    assert row.status == Status.SENDING and row.attempts == 1 and row.lease_until > timezone.now()

    assert deliver_notifications.call()["sent"] == 0  # leased: nobody else takes it
    Notification.objects.filter(pk=row.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert deliver_notifications.call()["sent"] == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2 and row.claim_token == "" and row.lease_until is None
    assert InboxMessage.objects.filter(notification=row).count() == 1
    [receipt] = row.receipts.all()
    assert receipt.status == Receipt.Status.DELIVERED and "already there" in receipt.detail


def test_a_worker_that_outlived_its_lease_cannot_overwrite_the_outcome(world, settings):
    with_channels(settings, recorder=f"{__name__}.RecordingChannel")
    [row] = notify(world.admin, kind="test", subject="两次领取", channels=("recorder",))
    slow_token, [slow_copy] = delivery.claim(10)
    Notification.objects.filter(pk=row.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    deliver_notifications.call()  # a second worker takes it over and sends it
    row.refresh_from_db()
    assert row.status == Status.SENT

    # The first worker comes back from a long send and fails: its outcome is not written.
    report = delivery.DeliveryReport()
    delivery._record_failure(slow_copy, slow_token, TimeoutError("too late"), report)
    row.refresh_from_db()
    assert row.status == Status.SENT and row.last_error == ""


def test_a_message_that_keeps_killing_workers_ends_dead(world, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    [row] = notify(world.admin, kind="test", subject="毒消息")
    for _ in range(2):
        delivery.claim(10)  # claimed, then the worker "dies"
        Notification.objects.filter(pk=row.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    report = deliver_notifications.call()
    row.refresh_from_db()
    assert row.status == Status.DEAD and row.attempts == 2 and "lease expired" in row.last_error
    assert report["dead"] == 1 and not InboxMessage.objects.filter(notification=row).exists()


def test_rows_whose_lease_is_too_short_for_the_channel_are_given_back(world, settings):
    settings.NOTIFICATION_LEASE_SECONDS = 3  # shorter than the inbox channel may take (5 s)
    rows = [notify(world.admin, kind="test", subject=f"第{i}条")[0] for i in range(3)]
    report = delivery.deliver_due(limit=3)
    # The claim's lease is lengthened to four channel timeouts (the next test), so nothing
    # needs giving back here; with a lease that does run short, the first row of each claim is
    # always tried and the rest go back unattempted, to be claimed again with a fresh lease.
    assert report.sent == 3
    rows = Notification.objects.filter(pk__in=[r.pk for r in rows])
    assert {(row.status, row.attempts, row.claim_token) for row in rows} == {(Status.SENT, 1, "")}


def test_a_lease_shorter_than_the_channel_may_take_is_lengthened_so_a_claim_is_sent_whole(world, settings):
    # The fan-out bench ran with a 10 s lease against the SMS channel's 10 s timeout: every
    # claim then sent one row and gave the rest back (20x slower than the loop can go).
    settings.NOTIFICATION_LEASE_SECONDS = 3  # shorter than the inbox channel may take (5 s)
    rows = [notify(world.admin, kind="test", subject=f"第{i}条")[0] for i in range(3)]
    before = timezone.now()
    token, claimed = delivery.claim(10)
    assert len(claimed) == 3
    assert all(row.lease_until - before >= timedelta(seconds=delivery.LEASE_TIMEOUTS * 5) for row in claimed)
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(status=Status.PENDING, claim_token="",
                                                                     lease_until=None, attempts=0)
    delivery.deliver_due()
    sent_at = set(Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list("sent_at", flat=True))
    assert len(sent_at) == 1  # one claim, its outcomes recorded in one transaction
