"""Delivery channels for the notification outbox.

A channel turns one Notification row into something the recipient sees. The delivery task
calls `deliver(notification)` inside the transaction that marks the row SENT, so a channel
that writes to our own database (the inbox) is exactly-once: either both commit or neither.
External channels (webhook, SMS, e-mail, MQTT) cannot join that transaction; they are
at-least-once and pass the notification id as an idempotency key so the receiver can drop
a repeat after a crash between "sent" and "committed".

Deployments register further channels without touching this file, through the setting
NOTIFICATION_CHANNELS = {"sms": "county_sms.channels.SmsChannel", ...}.
"""
import json
from abc import ABC, abstractmethod
import urllib.error
import urllib.request
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from citysafe.notifications.models import InboxMessage, Notification


class DeliveryError(Exception):
    """The channel could not deliver now; the outbox retries with backoff."""


class Channel(ABC):
    """Base class: subclasses deliver one notification or raise (any exception = retry later)."""

    name: str = ""

    @abstractmethod
    def deliver(self, notification: Notification) -> None:
        """Deliver or raise; must be idempotent per notification id."""


class InboxChannel(Channel):
    """In-app inbox. The OneToOne link to the notification makes a second copy impossible
    even if two workers ever raced past the row lock."""

    name = "inbox"

    def deliver(self, notification: Notification) -> None:
        InboxMessage.objects.get_or_create(
            notification=notification,
            defaults={
                "user_id": notification.recipient_id,
                "subject": notification.subject,
                "body": notification.body,
                "link": notification.link,
            },
        )


class WebhookChannel(Channel):
    """POST the notification as JSON to settings.NOTIFICATION_WEBHOOK_URL (an intranet
    gateway that forwards to SMS, WeChat Work, a loudspeaker system ...)."""

    name = "webhook"
    timeout_seconds = 10

    def deliver(self, notification: Notification) -> None:
        url = getattr(settings, "NOTIFICATION_WEBHOOK_URL", "")
        if not url:
            raise DeliveryError("NOTIFICATION_WEBHOOK_URL is not set")
        body = json.dumps({
            "id": notification.pk,
            "recipient": notification.recipient_id,
            "kind": notification.kind,
            "subject": notification.subject,
            "body": notification.body,
            "link": notification.link,
            "payload": notification.payload,
            "created_at": notification.created_at.isoformat(),
        }, ensure_ascii=False).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            # The receiver drops repeats: after a crash between its 2xx and our commit we send again.
            "Idempotency-Key": str(notification.pk),
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"webhook answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"webhook unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise DeliveryError(f"webhook answered HTTP {status}")


BUILT_IN = {InboxChannel.name: InboxChannel, WebhookChannel.name: WebhookChannel}


@cache
def _registry(configured: tuple[tuple[str, str], ...]) -> dict[str, Channel]:
    channels: dict[str, Channel] = {name: cls() for name, cls in BUILT_IN.items()}
    for name, path in configured:
        channels[name] = import_string(path)()
    return channels


def registry() -> dict[str, Channel]:
    configured = getattr(settings, "NOTIFICATION_CHANNELS", {}) or {}
    return _registry(tuple(sorted(configured.items())))


def get_channel(name: str) -> Channel:
    try:
        return registry()[name]
    except KeyError:
        raise DeliveryError(f"no delivery channel registered under {name!r}") from None


def is_registered(name: str) -> bool:
    return name in registry()
