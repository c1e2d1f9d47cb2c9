"""Reads of warnings: scoped (core.scope) for signed-in users, public for published ones."""
from django.db.models import QuerySet
from django.utils import timezone

from citysafe.core import scope
from citysafe.early_warning.models import MessageType, Warning

PUBLIC_STATES = (Warning.Status.PUBLISHED, Warning.Status.UPDATED, Warning.Status.CANCELLED, Warning.Status.EXPIRED)


def visible_warnings(user) -> QuerySet:
    return scope.narrow(user, Warning.objects.all())


def get_warning(user, pk) -> Warning:
    return scope.get_in_scope(user, Warning.objects.select_related("issuing_department", "previous"), pk)


def versions_of(user, pk) -> list[Warning]:
    """Every version of the warning `pk` belongs to that the user may see, oldest first."""
    warning = get_warning(user, pk)
    root = warning.root_id or warning.pk
    return list(visible_warnings(user).filter(root_id=root).order_by("revision", "id"))


def public_warnings() -> QuerySet:
    """What was published (any later state), for the public pages, the feed and CAP by identifier."""
    return (Warning.objects.filter(status__in=PUBLIC_STATES, archived_at__isnull=True)
            .exclude(identifier="").select_related("issuing_department", "previous"))


def active_warnings(now=None) -> QuerySet:
    now = now or timezone.now()
    return (public_warnings().filter(status=Warning.Status.PUBLISHED, expires__gt=now)
            .exclude(msg_type=MessageType.CANCEL).order_by("level", "-sent_at"))


def public_by_identifier(identifier: str) -> Warning:
    return public_warnings().get(identifier=identifier)


def subscriptions(user, confirmed: bool | None = None) -> QuerySet:
    """Residents' subscriptions: personal data, county-wide roles only (scope COUNTY_WIDE)."""
    from citysafe.early_warning.models import Subscription

    queryset = scope.narrow(user, Subscription.objects.order_by("id"))
    if confirmed is not None:
        queryset = queryset.filter(confirmed_at__isnull=not confirmed)
    return queryset
