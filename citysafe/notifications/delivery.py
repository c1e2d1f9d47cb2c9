"""Draining the notification outbox: claim with a lease, commit, send, record.

1. Claim (one short transaction): due rows — pending, failed and due for a retry, or
   claimed by a worker whose lease ran out — are marked SENDING with `lease_until`, a
   claim token and one more attempt, most urgent first, a batch at a time (the lease: at
   least four timeouts of the slowest channel claimed, `lease_for`). On PostgreSQL
   the candidates are read `FOR UPDATE SKIP LOCKED`, so workers claim side by side; SQLite
   has no row locks, but the project opens transactions IMMEDIATE, so claims take turns,
   and the UPDATE repeats the "still claimable" condition. Expired rows met here are marked
   EXPIRED, never sent.
2. Send: the channel runs with no transaction open, so a 10 s webhook holds no lock (no
   row lock on PostgreSQL, not SQLite's database write lock); a rate-limited channel waits
   for its next slot, shared by all workers (rate_limits.py).
3. Record (short transactions): SENT / FAILED (retry with backoff) / DEAD plus a Receipt —
   only if the claim token is still ours, so a worker that outlived its lease cannot
   overwrite the outcome of the worker that took the row over. Successes are recorded a few
   rows per transaction (`Outcomes`, NOTIFICATION_RECORD_BATCH; flushed at the end of the
   claim and early when the lease runs short): a commit per message was most of the cost
   of a 100,000-message fan-out (bench/bench_warning_fanout.py).

A worker killed between 1 and 3 leaves its rows SENDING until `lease_until`; then any
worker claims them again. The inbox channel's write is idempotent (one InboxMessage per
notification), so the inbox gets each message exactly once; external channels get it at
least once, with the same idempotency key each time.
"""
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from citysafe.notifications.channels import DeliveryResult, get_channel
from citysafe.notifications.models import Notification, Receipt
from citysafe.notifications.rate_limits import Pacer

logger = logging.getLogger(__name__)
Status = Notification.Status
DUE_STATUSES = (Status.PENDING, Status.FAILED)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    expired: int = 0
    more_due: bool = False
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed, "dead": self.dead, "expired": self.expired,
                "more_due": self.more_due}


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", 6))


def lease() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "NOTIFICATION_LEASE_SECONDS", 120)))


LEASE_TIMEOUTS = 4  # a claim's lease covers at least this many of its slowest channel's timeouts


def lease_for(channels) -> timedelta:
    """The lease of a claim: NOTIFICATION_LEASE_SECONDS, but never shorter than LEASE_TIMEOUTS
    times the longest timeout of the claimed rows' channels. The loop flushes outcomes when
    less than two timeouts are left and gives rows back when less than one is: a lease
    shorter than that (the fan-out bench once ran with 10 s against the SMS channel's 10 s)
    made every claim send one row, record it and give the other 49 back — three
    transactions and a re-read of the batch per message, 20x slower than the loop can go."""
    longest = 0.0
    for name in set(channels):
        try:
            longest = max(longest, float(get_channel(name).timeout_seconds))
        except Exception:  # noqa: BLE001,S112 (an unregistered channel fails at delivery, recorded there)
            continue
    return max(lease(), timedelta(seconds=LEASE_TIMEOUTS * longest))


def claim_batch_size() -> int:
    return max(1, int(getattr(settings, "NOTIFICATION_CLAIM_BATCH", 20)))


def backoff(attempts: int) -> timedelta:
    """Exponential: base, 2×base, 4×base ... capped, so a broken gateway is not hammered."""
    base = float(getattr(settings, "NOTIFICATION_RETRY_BASE_SECONDS", 30))
    cap = float(getattr(settings, "NOTIFICATION_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def claimable(now=None):
    now = now or timezone.now()
    return Notification.objects.filter(
        Q(status__in=DUE_STATUSES, next_attempt_at__lte=now) | Q(status=Status.SENDING, lease_until__lt=now)
    )


def due_notifications():
    return claimable()


def deliver_due(limit: int | None = None) -> DeliveryReport:
    """Deliver due notifications, a claimed batch at a time, until none is due (or `limit`
    were handled). Call it outside a transaction (the worker does) so nothing is held
    while a channel works."""
    report = DeliveryReport()
    pacer = Pacer()
    handled = 0
    while limit is None or handled < limit:
        size = claim_batch_size() if limit is None else min(claim_batch_size(), limit - handled)
        token, batch = claim(size, report)
        if not batch:
            return report
        outcomes = Outcomes(token)
        try:
            for position, notification in enumerate(batch):
                if not _deliver_claimed(notification, token, report, may_defer=position > 0, outcomes=outcomes,
                                        pacer=pacer, left=len(batch) - position):
                    outcomes.flush()
                    release(batch[position:], token)  # lease nearly over: leave the rest for the next claim
                    break
                handled += 1
        finally:
            outcomes.flush()
    report.more_due = due_notifications().exists()
    return report


def claim(size: int, report: DeliveryReport | None = None) -> tuple[str, list[Notification]]:
    """Claim up to `size` due rows for this worker (short transactions). Rows that must not
    be sent any more are retired on the way: expired ones become EXPIRED; one whose lease ran
    out after its last allowed attempt (a message that kills workers) becomes DEAD."""
    token = uuid.uuid4().hex
    while True:
        now = timezone.now()
        with transaction.atomic():
            candidates = claimable(now).order_by("priority", "next_attempt_at", "id")
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            rows = list(candidates.values_list("pk", "status", "attempts", "expires_at", "channel")[:size])
            expired = [pk for pk, _, _, expires_at, _ in rows if expires_at is not None and expires_at <= now]
            dead = [pk for pk, status, attempts, _, _ in rows
                    if status == Status.SENDING and attempts >= max_attempts() and pk not in expired]
            ids = [row[0] for row in rows if row[0] not in expired and row[0] not in dead]
            # Every UPDATE repeats the "still claimable" condition: on SQLite (no row locks) it is the claim.
            retired = claimable(now).filter(pk__in=expired).update(
                status=Status.EXPIRED, lease_until=None, claim_token="", last_error="expired before delivery")
            killed = claimable(now).filter(pk__in=dead).update(
                status=Status.DEAD, lease_until=None, claim_token="",
                last_error="the worker delivering it stopped (lease expired) on the last allowed attempt")
            if report is not None:
                report.expired += retired
                report.dead += killed
            if ids:
                claimable(now).filter(pk__in=ids).update(
                    status=Status.SENDING, claim_token=token,
                    lease_until=now + lease_for(row[4] for row in rows if row[0] in ids),
                    attempts=F("attempts") + 1,
                )
                return token, list(Notification.objects.filter(claim_token=token)
                                   .select_related("recipient", "person")
                                   .order_by("priority", "next_attempt_at", "id"))
        if not rows:
            return token, []
        # Only retired rows this time: look again.


def release(rows: list[Notification], token: str) -> None:
    """Give claimed rows back unattempted (the attempt counted at claim is taken back)."""
    with transaction.atomic():
        Notification.objects.filter(pk__in=[n.pk for n in rows], claim_token=token).update(
            status=Status.PENDING, claim_token="", lease_until=None, attempts=F("attempts") - 1,
        )


def _deliver_claimed(notification: Notification, token: str, report: DeliveryReport, *, may_defer: bool,
                     outcomes: "Outcomes | None" = None, pacer: Pacer | None = None, left: int = 1) -> bool:
    """Send one claimed row and record the outcome (successes through `outcomes`, a few rows
    per transaction); False (deferred) if the lease left is shorter than the channel may take.
    The first row of a claim is always tried."""
    now = timezone.now()
    if notification.expires_at is not None and notification.expires_at <= now:
        _finish(notification, token, status=Status.EXPIRED, last_error="expired before delivery")
        report.expired += 1
        return True
    try:
        channel = get_channel(notification.channel)
    except Exception as exc:  # noqa: BLE001 (a channel removed from settings: record, retry later)
        _record_failure(notification, token, exc, report)
        return True
    if outcomes is not None and notification.lease_until - now < timedelta(seconds=2 * channel.timeout_seconds + 2):
        outcomes.flush()  # record what is sent while the claim is surely still ours
    # The channel's rate limit (shared by all workers): the wait until this worker's next slot.
    wait = (pacer or Pacer()).wait(notification.channel, wanted=left)
    if may_defer and notification.lease_until - now < timedelta(seconds=wait + channel.timeout_seconds + 1):
        return False
    if wait:
        time.sleep(wait)
    try:
        result = channel.deliver(notification, idempotency_key=notification.idempotency_key)
        if not isinstance(result, DeliveryResult):
            raise TypeError(f"channel {notification.channel!r} returned {result!r}, not a DeliveryResult")
    except Exception as exc:  # noqa: BLE001 (any channel failure is retried; the worker goes on)
        _record_failure(notification, token, exc, report)
    else:
        if outcomes is None:
            _record_success(notification, token, result)
        else:
            outcomes.add(notification, result)
        report.sent += 1
    return True


def record_batch_size() -> int:
    return max(1, int(getattr(settings, "NOTIFICATION_RECORD_BATCH", 50)))


class Outcomes:
    """Successful deliveries of one claim, recorded together: one short transaction writes SENT
    and the receipts for up to NOTIFICATION_RECORD_BATCH rows — only rows whose claim is still
    this worker's (locked while recorded). A worker killed before the flush leaves those rows
    SENDING, exactly as a kill between send and record did row by row: they are claimed again
    when the lease runs out and sent again with the same idempotency key (the inbox writes
    once; gateways drop repeats). The deferral rule flushes early when the lease runs short."""

    def __init__(self, token: str):
        self.token = token
        self.pending: list[tuple[Notification, DeliveryResult]] = []

    def add(self, notification: Notification, result: DeliveryResult) -> None:
        self.pending.append((notification, result))
        if len(self.pending) >= record_batch_size():
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        now = timezone.now()
        with transaction.atomic():
            held = Notification.objects.filter(pk__in=[n.pk for n, _ in rows], claim_token=self.token)
            if connection.features.has_select_for_update:
                held = held.select_for_update()
            held_ids = set(held.values_list("pk", flat=True))
            Notification.objects.filter(pk__in=held_ids, claim_token=self.token).update(
                status=Status.SENT, sent_at=now, last_error="", claim_token="", lease_until=None)
            Receipt.objects.bulk_create([
                Receipt(notification=n, status=result.status, detail=result.detail[:2000], attempt=n.attempts, at=now)
                for n, result in rows if n.pk in held_ids], ignore_conflicts=True)
        for n, _ in rows:
            if n.pk not in held_ids:
                logger.warning("notification %s: claim lost (lease expired) before the outcome was recorded", n.pk)


def _record_success(notification: Notification, token: str, result: DeliveryResult) -> None:
    with transaction.atomic():
        _finish(notification, token, status=Status.SENT, sent_at=timezone.now(), last_error="")
        add_receipt(notification, result.status, detail=result.detail, attempt=notification.attempts)


def _record_failure(notification: Notification, token: str, exc: Exception, report: DeliveryReport) -> None:
    attempts = notification.attempts
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if attempts >= max_attempts():
        status, next_at = Status.DEAD, notification.next_attempt_at
        report.dead += 1
        logger.error("notification %s dead after %s attempts: %s", notification.pk, attempts, error)
    else:
        status, next_at = Status.FAILED, timezone.now() + backoff(attempts)
        report.failed += 1
        logger.warning("notification %s attempt %s failed: %s", notification.pk, attempts, error)
    report.errors.append(error)
    with transaction.atomic():
        _finish(notification, token, status=status, next_attempt_at=next_at, last_error=error)
        add_receipt(notification, Receipt.Status.FAILED, detail=error, attempt=attempts)


def _finish(notification: Notification, token: str, **changes) -> bool:
    """Write the outcome only while the claim is still ours."""
    updated = Notification.objects.filter(pk=notification.pk, claim_token=token).update(
        claim_token="", lease_until=None, **changes)
    if not updated:
        logger.warning("notification %s: claim lost (lease expired) before the outcome was recorded", notification.pk)
    return bool(updated)


def add_receipt(notification: Notification, status: str, *, detail: str = "", attempt: int = 0) -> Receipt | None:
    """Append a receipt; delivered and acknowledged are kept once (the first one wins)."""
    try:
        with transaction.atomic():
            return Receipt.objects.create(notification=notification, status=status, detail=detail[:2000],
                                          attempt=attempt)
    except IntegrityError:
        return None
