"""Notification reads. A user's inbox is theirs alone: every read filters by the user."""
from citysafe.notifications.models import InboxMessage


def inbox_for(user, *, unread_only: bool = False):
    if not getattr(user, "is_authenticated", False):
        return InboxMessage.objects.none()
    messages = InboxMessage.objects.filter(user=user)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages.order_by("-created_at", "-id")


def unread_count(user) -> int:
    return inbox_for(user, unread_only=True).count()
