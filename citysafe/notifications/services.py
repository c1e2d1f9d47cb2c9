"""Notification writes.

`notify` is called by other services inside their own transaction: the outbox rows and the
delivery job are written together with the change they announce, so either all of it is
committed or none of it is, and nothing is lost if a process dies after the commit.
"""
from django.db import IntegrityError, transaction

from citysafe.notifications import channels as channel_registry
from citysafe.notifications.models import Notification

SUBJECT_MAX = Notification._meta.get_field("subject").max_length
LINK_MAX = Notification._meta.get_field("link").max_length


def notify(recipient, *, kind: str, subject: str, body: str = "", link: str = "", channels=("inbox",),
           payload: dict | None = None, dedupe_key: str | None = None) -> list[Notification]:
    """Queue one notification per channel for `recipient`; returns the rows (existing rows
    when `dedupe_key` was used before, so a repeated call is harmless)."""
    rows = _write_rows([recipient], kind=kind, subject=subject, body=body, link=link, channels=channels,
                       payload=payload, dedupe_key=dedupe_key)
    _enqueue_delivery()
    return rows


def notify_many(recipients, *, kind: str, subject: str, body: str = "", link: str = "", channels=("inbox",),
                payload: dict | None = None, dedupe_key: str | None = None) -> list[Notification]:
    """The same message to many people (a warning to every grid worker of a township) with
    one delivery job instead of one per recipient. `dedupe_key` is made per recipient."""
    rows = _write_rows(list(recipients), kind=kind, subject=subject, body=body, link=link, channels=channels,
                       payload=payload, dedupe_key=dedupe_key)
    _enqueue_delivery()
    return rows


def _write_rows(recipients, *, kind, subject, body, link, channels, payload, dedupe_key) -> list[Notification]:
    channels = list(dict.fromkeys(channels))
    unknown = [name for name in channels if not channel_registry.is_registered(name)]
    if unknown or not channels:
        # A programming error, not user input: the caller names channels in code.
        raise ValueError(f"unknown notification channel(s): {unknown or channels}")
    rows = []
    with transaction.atomic():
        for recipient in recipients:
            for channel in channels:
                key = _row_key(dedupe_key, recipient, channel, many=len(recipients) > 1)
                rows.append(_create_once(
                    key, recipient=recipient, channel=channel, kind=kind, subject=_clip(subject, SUBJECT_MAX),
                    body=body, link=_clip(link, LINK_MAX), payload=payload or {},
                ))
    return rows


def _row_key(dedupe_key, recipient, channel, many: bool) -> str | None:
    if dedupe_key is None:
        return None
    recipient_part = f":{recipient.pk}" if many else ""
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
    # No transaction.on_commit here: with the database task backend, enqueueing INSERTs a
    # task row through the same connection, so it belongs to the caller's transaction.
    # A rollback removes the notification rows and the job together; a commit publishes
    # both at once, and the worker can never see a job whose rows are not yet visible.
    from citysafe.notifications.tasks import deliver_notifications

    deliver_notifications.enqueue()


@transaction.atomic
def mark_read(user, message_id):
    """Mark one of the user's own inbox messages read. Someone else's message does not
    exist for them (`InboxMessage.DoesNotExist`, a 404 at the edges). Audited."""
    from django.utils import timezone

    from citysafe.core.audit import record_change, snapshot
    from citysafe.notifications.models import InboxMessage

    message = InboxMessage.objects.select_for_update().get(pk=message_id, user=user)
    if message.read_at is not None:
        return message
    before = snapshot(message)
    message.read_at = timezone.now()
    message.save(update_fields=["read_at"])
    record_change(actor=user, action="mark_read", instance=message, before=before, after=snapshot(message))
    return message
