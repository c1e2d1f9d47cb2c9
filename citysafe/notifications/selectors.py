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


def unread_todos(user, latest: int = 5) -> list:
    """The home page's to-do items (core.todo): the unread count, then the latest few unread."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from citysafe.core.todo import TodoItem

    unread = inbox_for(user, unread_only=True)
    count = unread.count()
    if not count:
        return []
    inbox = reverse("notifications:inbox")
    items = [TodoItem(title=_("未读通知 %(n)d 条") % {"n": count}, url=inbox, level="info")]
    items += [TodoItem(title=m.subject, url=m.link or inbox, due=None, level="info") for m in unread[:latest]]
    return items
