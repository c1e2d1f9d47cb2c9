"""Notification writes.

`notify` / `notify_many` are called by other services inside their own transaction: the
outbox rows are written together with the change they announce, so either all of it is
committed or none of it is. The rows are the source of truth; the delivery job is only a
wake-up call (see `_enqueue_delivery`), and the scheduler's sweep every 30 s delivers
whatever a lost wake-up left behind.
"""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.validation import field_error
from citysafe.notifications import channels as channel_registry
from citysafe.notifications.links import is_platform_link
from citysafe.notifications.models import InboxMessage, Notification, Priority, Receipt
from citysafe.notifications.targets import Target

SUBJECT_MAX = Notification._meta.get_field("subject").max_length
LINK_MAX = Notification._meta.get_field("link").max_length


def notify(recipient, *, kind: str, subject: str, body: str = "", link: str = "", channels=("inbox",),
           payload: dict | None = None, dedupe_key: str | None = None, priority: int = Priority.NORMAL,
           expires_at=None) -> list[Notification]:
    """Queue one notification per channel for `recipient` — a User, a registry Person or a
    `Target` (phone, e-mail, webhook URL, MQTT topic). Returns the rows (the existing rows
    when `dedupe_key` was used before, so a repeated call is harmless)."""
    return notify_many([recipient], kind=kind, subject=subject, body=body, link=link, channels=channels,
                       payload=payload, dedupe_key=dedupe_key, priority=priority, expires_at=expires_at)


def notify_many(recipients, *, kind: str, subject: str, body: str = "", link: str = "", channels=("inbox",),
                payload: dict | None = None, dedupe_key: str | None = None, priority: int = Priority.NORMAL,
                expires_at=None) -> list[Notification]:
    """The same message to many targets (a warning to every grid worker of a township) with
    one delivery job instead of one per recipient. `dedupe_key` is made per recipient.
    Bad input (a target, the link, priority, expiry) is a ValidationError naming the field."""
    recipients = list(recipients)
    targets = [Target.of(recipient).validated() for recipient in recipients]
    channels = list(dict.fromkeys(channels))
    _check(targets, channels, link=link, priority=priority, expires_at=expires_at)
    rows = []
    with transaction.atomic():
        for target in targets:
            for channel in channels:
                key = _row_key(dedupe_key, target, channel, many=len(targets) > 1)
                rows.append(_create_once(
                    key, **target.row_fields(), channel=channel, kind=kind, subject=_clip(subject, SUBJECT_MAX),
                    body=body, link=link, payload=payload or {}, priority=int(priority), expires_at=expires_at,
                ))
        _enqueue_delivery()
    return rows


def sms_copies(recipients, *, kind: str, subject: str, body: str = "", link: str = "", payload: dict | None = None,
               dedupe_key: str | None = None, priority: int = Priority.URGENT, expires_at=None) -> list[Notification]:
    """The SMS copy of an urgent notice (a major hazard's step, an overdue escalation, a level 1/2
    alarm) for every recipient — user or registry person — with a phone number, beside the inbox
    copy the caller writes with `notify_many`. Respects the channel configuration: when "sms" is
    not in NOTIFICATION_CHANNELS nothing is written. Per-recipient dedupe keys
    (`dedupe_key:<recipient>:sms`, the form notify_many uses for many), so a repeated call adds
    nothing, whatever the number of recipients."""
    if not channel_registry.is_registered("sms"):
        return []
    reachable, seen = [], set()
    for recipient in recipients:
        target = Target.of(recipient)
        phone = getattr(target.user or target.person, "phone", "") if target.kind in ("user", "person") \
            else (target.address if target.kind == "phone" else "")
        if phone and target.key() not in seen:
            seen.add(target.key())
            reachable.append(recipient)
    if not reachable:
        return []
    if len(reachable) == 1 and dedupe_key is not None:  # notify_many adds the recipient only for many
        dedupe_key = f"{dedupe_key}:{Target.of(reachable[0]).key()}"
    return notify_many(reachable, kind=kind, subject=subject, body=body, link=link, channels=("sms",),
                       payload=payload, dedupe_key=dedupe_key, priority=priority, expires_at=expires_at)


def _check(targets: list[Target], channels: list[str], *, link: str, priority, expires_at) -> None:
    unknown = [name for name in channels if not channel_registry.is_registered(name)]
    if unknown or not channels:
        # A programming error, not user input: the caller names channels in code.
        raise ValueError(f"unknown notification channel(s): {unknown or channels}")
    for name in channels:
        reachable = channel_registry.get_channel(name).target_kinds
        for target in targets:
            if target.kind not in reachable:
                raise field_error("target", _("渠道“%(channel)s”不能发送给此类接收对象（%(kind)s）")
                                  % {"channel": name, "kind": target.kind}, "target_channel")
    if link and (len(link) > LINK_MAX or not is_platform_link(link)):
        raise field_error("link", _("链接只能是本平台内以单个“/”开头的路径（不含协议和域名），且不超过%(max)d个字符")
                          % {"max": LINK_MAX}, "link_not_internal")
    if priority not in Priority.values:
        raise field_error("priority", _("优先级不正确"), "priority")
    if expires_at is not None and expires_at <= timezone.now():
        raise field_error("expires_at", _("过期时间必须晚于现在"), "expires_in_past")


def _row_key(dedupe_key, target: Target, channel, many: bool) -> str | None:
    if dedupe_key is None:
        return None
    recipient_part = f":{target.key()}" if many else ""
    return f"{dedupe_key}{recipient_part}:{channel}"


def _create_once(dedupe_key: str | None, **fields) -> Notification:
    if dedupe_key is None:
        return Notification.objects.create(**fields)
    existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    try:
        # A savepoint, so losing a race to a concurrent writer does not poison the caller's transaction.
        with transaction.atomic():
            return Notification.objects.create(dedupe_key=dedupe_key, **fields)
    except IntegrityError:
        return Notification.objects.get(dedupe_key=dedupe_key)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _enqueue_delivery() -> None:
    """Wake a worker, atomically with the caller's change on every task backend:
    - the database backend INSERTs the job through the same connection, so it is part of
      the caller's transaction: rolled back with it, published with it;
    - any other backend (Redis, RQ, immediate ...) cannot join the transaction, so the job is
      enqueued by `transaction.on_commit`: never for a rolled-back change, never before the
      rows are visible. If the process dies between commit and enqueue, the committed rows
      are still due and the scheduler's sweep (every 30 s) delivers them."""
    from django_tasks_db import DatabaseBackend

    from citysafe.notifications.tasks import deliver_notifications

    if isinstance(deliver_notifications.get_backend(), DatabaseBackend):
        deliver_notifications.enqueue()
    else:
        transaction.on_commit(deliver_notifications.enqueue)


@transaction.atomic
def mark_read(user, message_id):
    """Mark one of the user's own inbox messages read and acknowledge its notification (an
    ACKNOWLEDGED receipt). Someone else's message does not exist for them
    (`InboxMessage.DoesNotExist`, a 404 at the edges). Not audited: reading one's own mail
    changes no record of the safety registry, and a write behind the audit chain's lock on
    every click would serialise all readers; the receipt is the record of it."""
    message = InboxMessage.objects.select_related("notification").get(pk=message_id, user=user)
    if message.read_at is not None:
        return message
    now = timezone.now()
    # Conditional update instead of a row lock: a double click acknowledges once.
    if InboxMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now):
        record_receipt(message.notification, Receipt.Status.ACKNOWLEDGED, detail=f"read by user {user.pk}")
    message.read_at = now
    return message


def record_receipt(notification: Notification, status: str, *, detail: str = "") -> Receipt | None:
    """A receipt reported later by a channel's gateway (delivered, failed) or by the
    recipient (acknowledged); delivered/acknowledged are kept once."""
    from citysafe.notifications.delivery import add_receipt

    if status not in Receipt.Status.values:
        raise ValidationError({"status": _("回执状态不正确")}, code="receipt_status")
    return add_receipt(notification, status, detail=detail, attempt=notification.attempts)


def notification_for_key(idempotency_key: str) -> Notification | None:
    prefix = "citysafe-notification-"
    tail = (idempotency_key or "").removeprefix(prefix)
    if not idempotency_key.startswith(prefix) or not tail.isdigit():
        return None
    return Notification.objects.filter(pk=int(tail)).first()


def receipt_from_gateway(idempotency_key: str, status: str, *, detail: str = "") -> Receipt | None:
    """A delivery report from a gateway (signature checked at the edge): delivered or failed."""
    if status not in (Receipt.Status.DELIVERED, Receipt.Status.FAILED):
        raise field_error("status", _("回执状态只能是delivered或failed"), "receipt_status")
    notification = notification_for_key(idempotency_key)
    if notification is None:
        raise field_error("id", _("没有这条通知"), "not_found")
    return record_receipt(notification, status, detail=f"gateway: {detail}"[:2000])


def acknowledge_by_code(code: str, *, detail: str = "") -> Notification:
    """已收到: the recipient's reply code or link (signing.ack_code) acknowledges the message."""
    from citysafe.notifications.signing import notification_for_code

    pk = notification_for_code(code)
    notification = Notification.objects.filter(pk=pk).first() if pk else None
    if notification is None:
        raise field_error("code", _("确认码不正确"), "ack_code")
    record_receipt(notification, Receipt.Status.ACKNOWLEDGED, detail=detail or "acknowledged by code")
    return notification


def notification_for_code_exists(code: str) -> bool:
    from citysafe.notifications.signing import notification_for_code

    pk = notification_for_code(code)
    return bool(pk) and Notification.objects.filter(pk=pk).exists()


def notify_bulk(rows, *, kind: str, subject: str, body: str = "", link: str = "", dedupe_key: str,
                priority: int = Priority.NORMAL, expires_at=None, batch_size: int = 2000) -> int:
    """Many outbox rows in few statements — a warning to 100,000 subscribers. `rows` yields
    (target, channel, payload). Idempotent: the per-row dedupe key (dedupe_key:target:channel)
    is unique and existing rows are skipped (ON CONFLICT DO NOTHING), so a repeated fan-out
    after a crash adds only what is missing. Returns the number of rows now present."""
    from itertools import islice

    rows = iter(rows)
    total = 0
    while True:
        chunk = list(islice(rows, batch_size))
        if not chunk:
            break
        objects, seen = [], set()
        for target, channel, payload in chunk:
            target = Target.of(target).validated()
            _check([target], [channel], link=link, priority=priority, expires_at=expires_at)
            key = _row_key(dedupe_key, target, channel, many=True)
            if key in seen:
                continue
            seen.add(key)
            objects.append(Notification(dedupe_key=key, **target.row_fields(), channel=channel, kind=kind,
                                        subject=_clip(subject, SUBJECT_MAX), body=body, link=link,
                                        payload=payload or {}, priority=int(priority), expires_at=expires_at))
        with transaction.atomic():
            Notification.objects.bulk_create(objects, ignore_conflicts=True)
        total += len(objects)
    if total:
        with transaction.atomic():
            _enqueue_delivery()
    return total
