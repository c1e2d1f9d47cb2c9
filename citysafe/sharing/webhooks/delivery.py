"""Sending deliveries: claim with a lease, send outside any transaction, record — the
notification outbox's pattern (notifications/delivery.py), plus order per record.

- Claimable: pending, failed and due, or sending with a lease that ran out (a killed
  worker) — and no earlier delivery of the same record to the same subscription still
  undelivered. So a record's next event waits for the previous one (in order per record),
  and one claim never holds two events of one record.
- Never lost: a failure is retried with exponential back-off (SHARING_WEBHOOK_RETRY_BASE_SECONDS,
  doubling, capped at SHARING_WEBHOOK_RETRY_MAX_SECONDS) for as long as the subscription
  exists; nothing is dropped. A paused subscription (active = false) keeps its queue and
  sends it when resumed; events while it is paused are not queued (fanout.py).
- At least once: a worker killed after the receiver answered but before recording it sends
  again after the lease; the receiver drops a repeat by the `X-CitySafe-Delivery` id.
- The outcome is written only while the claim token is still ours.
"""
import json
import logging
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from citysafe.sharing.models import Delivery
from citysafe.sharing.webhooks import transport

logger = logging.getLogger(__name__)
Status = Delivery.Status


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def backoff(attempts: int) -> timedelta:
    base, cap = _setting("SHARING_WEBHOOK_RETRY_BASE_SECONDS", 30), _setting("SHARING_WEBHOOK_RETRY_MAX_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def claimable(now=None):
    now = now or timezone.now()
    earlier = Delivery.objects.filter(subscription=OuterRef("subscription"), ordering_key=OuterRef("ordering_key"),
                                      pk__lt=OuterRef("pk")).exclude(status=Status.DELIVERED)
    return Delivery.objects.filter(
        Q(status__in=(Status.PENDING, Status.FAILED), next_attempt_at__lte=now)
        | Q(status=Status.SENDING, lease_until__lt=now),
        subscription__active=True,
    ).filter(~Exists(earlier))


def claim(size: int, tried: set[int] = frozenset()) -> tuple[str, list[Delivery]]:
    """Claim up to `size` deliveries; `tried`: ids this run already attempted (one attempt each per run)."""
    token = uuid.uuid4().hex
    now = timezone.now()
    lease = timedelta(seconds=_setting("SHARING_WEBHOOK_LEASE_SECONDS", 60))
    with transaction.atomic():
        candidates = claimable(now).exclude(pk__in=tried).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        ids = list(candidates.values_list("pk", flat=True)[:size])
        if not ids:
            return token, []
        # The UPDATE repeats the condition: on SQLite (no row locks) it is the claim.
        claimable(now).filter(pk__in=ids).update(status=Status.SENDING, claim_token=token, lease_until=now + lease,
                                                 attempts=F("attempts") + 1)
    return token, list(Delivery.objects.filter(claim_token=token).select_related("subscription").order_by("id"))


def body_of(delivery: Delivery) -> bytes:
    document = {"id": delivery.pk, **delivery.payload}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def send(delivery: Delivery) -> int:
    body = body_of(delivery)
    headers = {"X-CitySafe-Delivery": str(delivery.pk), "X-CitySafe-Event": delivery.event,
               "X-CitySafe-Signature": transport.signature(delivery.subscription.secret, int(time.time()), body)}
    return transport.post(delivery.subscription.url, body, headers, _setting("SHARING_WEBHOOK_TIMEOUT_SECONDS", 10))


def deliver_due(limit: int = 500) -> dict:
    """Send due deliveries until none is claimable (or `limit` were tried). Outside a transaction."""
    report = {"delivered": 0, "failed": 0}
    tried: set[int] = set()
    while report["delivered"] + report["failed"] < limit:
        token, batch = claim(min(50, limit - report["delivered"] - report["failed"]), tried)
        if not batch:
            break
        for delivery in batch:
            tried.add(delivery.pk)
            try:
                status = send(delivery)
            except Exception as exc:  # noqa: BLE001 (any failure is retried; the worker goes on)
                _failed(delivery, token, None, f"{type(exc).__name__}: {exc}")
                report["failed"] += 1
                continue
            if 200 <= status < 300:
                _finish(delivery, token, status=Status.DELIVERED, delivered_at=timezone.now(), last_status_code=status,
                        last_error="")
                report["delivered"] += 1
            else:
                _failed(delivery, token, status, f"HTTP {status}")
                report["failed"] += 1
    return report


def _failed(delivery: Delivery, token: str, status_code, error: str) -> None:
    # The error names the failure (status, exception), never headers: the signature stays out of logs.
    logger.warning("webhook delivery %s (subscription %s) attempt %s failed: %s", delivery.pk,
                   delivery.subscription_id, delivery.attempts, error[:200])
    _finish(delivery, token, status=Status.FAILED, next_attempt_at=timezone.now() + backoff(delivery.attempts),
            last_status_code=status_code, last_error=error[:500])


def _finish(delivery: Delivery, token: str, **changes) -> bool:
    updated = Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(claim_token="", lease_until=None,
                                                                               **changes)
    if not updated:
        logger.warning("webhook delivery %s: claim lost (lease expired) before the outcome was recorded", delivery.pk)
    return bool(updated)
