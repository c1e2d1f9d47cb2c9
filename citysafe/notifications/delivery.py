"""Draining the notification outbox.

Each notification is delivered in its own transaction: claim the row, let the channel
deliver, mark it SENT, commit. If the worker dies anywhere before the commit, the database
rolls all of it back (for the inbox channel including the InboxMessage), the row is still
due, and the next worker delivers it; the commit is the single moment of delivery.

Claiming: on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED` lets any number of workers
drain the outbox side by side without waiting for each other. SQLite has no row locks; the
project opens its transactions IMMEDIATE (config/settings.py), so the whole claim-deliver-
mark step holds the database write lock and workers take turns.
"""
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from citysafe.notifications.channels import get_channel
from citysafe.notifications.models import Notification

logger = logging.getLogger(__name__)
DUE_STATUSES = (Notification.Status.PENDING, Notification.Status.FAILED)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    more_due: bool = False
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed, "dead": self.dead, "more_due": self.more_due}


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", 6))


def backoff(attempts: int) -> timedelta:
    """Exponential: base, 2×base, 4×base ... capped, so a broken gateway is not hammered."""
    base = float(getattr(settings, "NOTIFICATION_RETRY_BASE_SECONDS", 30))
    cap = float(getattr(settings, "NOTIFICATION_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def due_notifications():
    return Notification.objects.filter(status__in=DUE_STATUSES, next_attempt_at__lte=timezone.now())


def deliver_due(limit: int | None = None) -> DeliveryReport:
    """Deliver due notifications one by one until none is due (or `limit` were handled)."""
    report = DeliveryReport()
    handled = 0
    while limit is None or handled < limit:
        with transaction.atomic():
            notification = _claim_next()
            if notification is None:
                return report
            _deliver_one(notification, report)
        handled += 1
    report.more_due = due_notifications().exists()
    return report


def _claim_next() -> Notification | None:
    queryset = due_notifications().order_by("next_attempt_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    return queryset.first()


def _deliver_one(notification: Notification, report: DeliveryReport) -> None:
    attempts = notification.attempts + 1
    try:
        # A savepoint: whatever a failing channel wrote is undone, the failure is still recorded.
        with transaction.atomic():
            get_channel(notification.channel).deliver(notification)
            _pause_for_tests()
            Notification.objects.filter(pk=notification.pk).update(
                status=Notification.Status.SENT, attempts=attempts, sent_at=timezone.now(), last_error="",
            )
        report.sent += 1
    except Exception as exc:  # any channel failure is retried; the worker must go on with the next row
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if attempts >= max_attempts():
            status, next_at = Notification.Status.DEAD, notification.next_attempt_at
            report.dead += 1
            logger.error("notification %s dead after %s attempts: %s", notification.pk, attempts, error)
        else:
            status, next_at = Notification.Status.FAILED, timezone.now() + backoff(attempts)
            report.failed += 1
            logger.warning("notification %s attempt %s failed: %s", notification.pk, attempts, error)
        report.errors.append(error)
        Notification.objects.filter(pk=notification.pk).update(
            status=status, attempts=attempts, next_attempt_at=next_at, last_error=error,
        )


def _pause_for_tests() -> None:
    # NOTIFICATION_DELIVERY_DELAY_MS slows each delivery, inside its transaction, so the
    # crash test can kill a worker in the middle of a delivery. Zero in normal operation.
    delay = int(getattr(settings, "NOTIFICATION_DELIVERY_DELAY_MS", 0) or 0)
    if delay:
        time.sleep(delay / 1000)
