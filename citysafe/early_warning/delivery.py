"""Delivery of a published warning through the notification outbox (citysafe.notifications):
targeting → outbox rows (bulk, idempotent), the per-warning dashboard, and the reminder to
responsible persons who have not acknowledged.

Channels: platform users get the inbox and an SMS; registry persons (safety officers, place
managers, village heads, township responsible persons) an SMS; subscribers their own channel
(SMS or e-mail); sirens and display boards an MQTT message on `citysafe/warnings/<township
code>` when the MQTT channel is registered; WARNING_WEBHOOK_URLS (other systems) a signed
webhook. Red and orange go out as urgent; nothing is sent after the warning expires."""
from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.early_warning.models import MessageType, Warning
from citysafe.notifications import channels as channel_registry
from citysafe.notifications.models import Notification, Priority, Receipt
from citysafe.notifications.services import notify_bulk
from citysafe.notifications.targets import Target

KIND = "warning"
REMINDER_KIND = "warning_reminder"


def _message(warning: Warning) -> tuple[str, str]:
    prefix = {MessageType.UPDATE: _("【更新】"), MessageType.CANCEL: _("【解除】")}.get(warning.msg_type, "")
    subject = f"{prefix}{warning.headline}（{warning.get_level_display()}）"
    body = warning.description
    if warning.instructions:
        body += "\n" + _("防御指南：%(text)s") % {"text": warning.instructions}
    return subject, body


def _rows(warning: Warning, recipients):
    registered = channel_registry.registry()
    sms = "sms" in registered
    for user, township in recipients.users.items():
        payload = {"warning": warning.pk, "township": township, "ack": True}
        yield Target.for_user(user), "inbox", payload
        if sms and getattr(user, "phone", ""):
            yield Target.for_user(user), "sms", payload
    for person, township in recipients.persons.items():
        if sms and person.phone:
            yield Target.for_person(person), "sms", {"warning": warning.pk, "township": township, "ack": True}
    for subscription, township in recipients.subscriptions.items():
        payload = {"warning": warning.pk, "township": township, "subscriber": subscription.pk}
        if subscription.channel == "sms" and sms:
            yield Target.phone(subscription.address), "sms", payload
        elif subscription.channel == "email" and "email" in registered:
            yield Target.email(subscription.address), "email", payload
    if "mqtt" in registered:
        for code in recipients.township_codes:
            yield Target.mqtt(f"citysafe/warnings/{code}"), "mqtt", {"warning": warning.pk, "township_code": code}
    for url in getattr(settings, "WARNING_WEBHOOK_URLS", []) or []:
        yield Target.webhook(url), "webhook", {"warning": warning.pk}


def fan_out(warning_id: int) -> dict:
    """Outbox rows for every recipient of a published version (run by a job; repeatable)."""
    from citysafe.early_warning.targeting import recipients_for

    warning = Warning.objects.select_related("issuing_department").filter(pk=warning_id).first()
    if warning is None or warning.status != Warning.Status.PUBLISHED or warning.expires <= timezone.now():
        return {"warning": warning_id, "queued": 0}
    subject, body = _message(warning)
    priority = Priority.URGENT if warning.level <= 2 else Priority.HIGH
    queued = notify_bulk(_rows(warning, recipients_for(warning)), kind=KIND, subject=subject, body=body,
                         link=reverse("early_warning:public_detail", args=[warning.identifier]),
                         dedupe_key=f"warning:{warning.pk}", priority=priority, expires_at=warning.expires)
    return {"warning": warning_id, "queued": queued}


def notifications_of(warning: Warning):
    return Notification.objects.filter(kind__in=[KIND, REMINDER_KIND], payload__warning=warning.pk)


def dashboard(warning: Warning) -> dict:
    """Counts by channel and by township: total, sent, delivered, acknowledged, failed."""
    rows = notifications_of(warning)
    by_channel: dict[str, dict] = {}
    by_area: dict[str, dict] = {}
    blank = {"total": 0, "sent": 0, "delivered": 0, "acknowledged": 0, "failed": 0, "pending": 0}
    township_of = dict(rows.values_list("pk", "payload__township"))
    grouped = rows.values("channel", "status", "payload__township").annotate(n=Count("id"))
    for row in grouped:
        channel, status, township, n = row["channel"], row["status"], row["payload__township"], row["n"]
        for table, key in ((by_channel, channel), (by_area, township)):
            counts = table.setdefault(key, dict(blank))
            counts["total"] += n
            if status == Notification.Status.SENT:
                counts["sent"] += n
            elif status in (Notification.Status.DEAD, Notification.Status.FAILED):
                counts["failed"] += n
            else:
                counts["pending"] += n
    receipts = Receipt.objects.filter(notification__in=rows, status__in=[Receipt.Status.DELIVERED,
                                                                         Receipt.Status.ACKNOWLEDGED])
    for pk, channel, status in receipts.values_list("notification_id", "notification__channel", "status"):
        for table, key in ((by_channel, channel), (by_area, township_of.get(pk))):
            table.setdefault(key, dict(blank))[status] += 1
    from citysafe.registry.models import Area

    names = dict(Area.objects.filter(pk__in=[k for k in by_area if k]).values_list("pk", "name"))
    labels = {name: str(channel.label or name) for name, channel in channel_registry.registry().items()}
    return {"by_channel": {k: {**v, "label": labels.get(k, k)} for k, v in sorted(by_channel.items())},
            "by_area": {names.get(k, _("（不分乡镇）")): v for k, v in by_area.items()}}


def remind_unacknowledged(now=None) -> int:
    """Responsible persons (rows marked ack) who have not acknowledged within
    WARNING_ACK_REMINDER_MINUTES of sending get one reminder on the same channel."""
    from datetime import timedelta

    now = now or timezone.now()
    cutoff = now - timedelta(minutes=int(getattr(settings, "WARNING_ACK_REMINDER_MINUTES", 30)))
    active = Warning.objects.filter(status=Warning.Status.PUBLISHED, expires__gt=now, sent_at__lte=cutoff)
    count = 0
    for warning in active:
        late = (Notification.objects.filter(kind=KIND, payload__warning=warning.pk, payload__ack=True,
                                            status=Notification.Status.SENT, sent_at__lte=cutoff)
                .exclude(receipts__status=Receipt.Status.ACKNOWLEDGED).select_related("recipient", "person"))
        rows = [(Target(n.target_kind, user=n.recipient, person=n.person, address=n.address), n.channel,
                 {**n.payload, "reminder_of": n.pk}) for n in late]
        if rows:
            subject, body = _message(warning)
            count += notify_bulk(rows, kind=REMINDER_KIND, subject=_("【请确认】%(subject)s") % {"subject": subject}, body=body,
                                 dedupe_key=f"warning-reminder:{warning.pk}", priority=Priority.URGENT,
                                 expires_at=warning.expires,
                                 link=reverse("early_warning:public_detail", args=[warning.identifier]))
    return count
