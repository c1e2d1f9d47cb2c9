from django import template

from citysafe.notifications.links import is_platform_link
from citysafe.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_inbox_count(context) -> int:
    """Unread inbox messages of the signed-in user, for the badge in the page header."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count(user) if user is not None else 0


@register.filter
def platform_link(link) -> str:
    """The link if it is a path on this platform, else "" (rendered as plain text): the
    second check, for rows that did not come through services.notify."""
    return link if is_platform_link(link) else ""
