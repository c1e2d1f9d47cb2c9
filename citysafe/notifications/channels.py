"""Delivery channels for the notification outbox.

A channel turns one claimed Notification row into something the recipient sees and returns
a `DeliveryResult` (a receipt: sent = handed to a gateway, delivered = in the recipient's
hands), or raises (any exception = this attempt failed, retried with backoff).

The delivery loop calls `deliver` with NO database transaction open (delivery.py): a channel
may take seconds (a webhook has 10 s) without holding a lock. So a channel owns the
atomicity of its own writes:
- the inbox writes one InboxMessage per notification (a unique constraint) with
  get_or_create, so a delivery repeated after a crash finds it there: exactly once;
- external channels (webhook, MQTT, a deployment's SMS gateway) are at-least-once and hand
  `idempotency_key` to the receiver, which drops a repeat.

Only registered channels exist: NOTIFICATION_CHANNELS maps a name to a Channel subclass
(config/settings.py lists inbox and webhook); the model's channel choices come from it.
"""
import json
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from citysafe.notifications.models import InboxMessage, Notification, Receipt, TargetKind


class DeliveryError(Exception):
    """The channel could not deliver now; the outbox retries with backoff."""


@dataclass(frozen=True)
class DeliveryResult:
    status: str = Receipt.Status.SENT  # SENT or DELIVERED
    detail: str = ""


class Channel(ABC):
    """Base class. Subclasses set `target_kinds` (which targets they can reach) and
    `timeout_seconds` (the longest one delivery may take; the delivery loop does not start
    a delivery whose lease would run out before that)."""

    name: str = ""
    label = ""
    target_kinds: frozenset[str] = frozenset(TargetKind.values)
    timeout_seconds: float = 30

    @abstractmethod
    def deliver(self, notification: Notification, *, idempotency_key: str) -> DeliveryResult:
        """Deliver or raise; must be idempotent per `idempotency_key`."""


class InboxChannel(Channel):
    """In-app inbox, for platform users."""

    label = _("站内消息")
    target_kinds = frozenset({TargetKind.USER})
    timeout_seconds = 5

    def deliver(self, notification: Notification, *, idempotency_key: str) -> DeliveryResult:
        with transaction.atomic():
            message, created = InboxMessage.objects.get_or_create(
                notification=notification,
                defaults={
                    "user_id": notification.recipient_id,
                    "subject": notification.subject,
                    "body": notification.body,
                    "link": notification.link,
                },
            )
        state = "written" if created else "already there"
        return DeliveryResult(Receipt.Status.DELIVERED, f"inbox message {message.pk} {state}")


def target_description(notification: Notification) -> dict:
    """The target as an external gateway needs it (a person's phone number included)."""
    kind = notification.target_kind
    if kind == TargetKind.USER:
        user = notification.recipient
        return {"kind": kind, "user": user.pk, "username": user.username, "name": user.get_full_name(),
                "phone": getattr(user, "phone", "") or "", "email": user.email}
    if kind == TargetKind.PERSON:
        person = notification.person
        return {"kind": kind, "person": person.pk, "name": person.name, "phone": person.phone}
    return {"kind": kind, "address": notification.address}


def message_document(notification: Notification, idempotency_key: str) -> dict:
    """The JSON body external channels (webhook, MQTT) send."""
    return {
        "id": notification.pk,
        "idempotency_key": idempotency_key,
        "target": target_description(notification),
        "recipient": notification.recipient_id,
        "priority": notification.priority,
        "expires_at": notification.expires_at.isoformat() if notification.expires_at else None,
        "kind": notification.kind,
        "subject": notification.subject,
        "body": notification.body,
        "link": notification.link,
        "payload": notification.payload,
        "created_at": notification.created_at.isoformat(),
    }


class WebhookChannel(Channel):
    """POST the notification as JSON: to the target's own URL for a webhook target, else to
    settings.NOTIFICATION_WEBHOOK_URL (an intranet gateway that forwards to SMS, e-mail,
    WeChat Work, a loudspeaker system ...), with the target in the body."""

    label = _("Webhook")
    target_kinds = frozenset({TargetKind.USER, TargetKind.PERSON, TargetKind.PHONE, TargetKind.EMAIL,
                              TargetKind.WEBHOOK})
    timeout_seconds = 10

    def deliver(self, notification: Notification, *, idempotency_key: str) -> DeliveryResult:
        if notification.target_kind == TargetKind.WEBHOOK:
            url = notification.address
        else:
            url = getattr(settings, "NOTIFICATION_WEBHOOK_URL", "")
        if not url:
            raise DeliveryError("NOTIFICATION_WEBHOOK_URL is not set")
        from citysafe.notifications.signing import sign

        body = json.dumps(message_document(notification, idempotency_key), ensure_ascii=False).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 (http/https only, validated)
            "Content-Type": "application/json; charset=utf-8",
            # The receiver drops repeats: after a crash between its 2xx and our record we send again.
            "Idempotency-Key": idempotency_key,
            # HMAC-SHA256 of the body with NOTIFICATION_SIGNING_SECRET: the receiver knows it is us.
            "X-CitySafe-Signature": sign(body),
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310 (http/https only, validated)
                status = response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"webhook answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"webhook unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise DeliveryError(f"webhook answered HTTP {status}")
        return DeliveryResult(Receipt.Status.SENT, f"HTTP {status}")


@cache
def _registry(configured: tuple[tuple[str, str], ...]) -> dict[str, Channel]:
    channels: dict[str, Channel] = {}
    for name, path in configured:
        channel = import_string(path)()
        channel.name = name
        channels[name] = channel
    return channels


def registry() -> dict[str, Channel]:
    """name -> channel instance, from settings.NOTIFICATION_CHANNELS (and nothing else)."""
    configured = getattr(settings, "NOTIFICATION_CHANNELS", {}) or {}
    return _registry(tuple(sorted(configured.items())))


def get_channel(name: str) -> Channel:
    try:
        return registry()[name]
    except KeyError:
        raise DeliveryError(f"no delivery channel registered under {name!r}") from None


def is_registered(name: str) -> bool:
    return name in registry()
