"""What the change feed and the webhooks share: every main resource, with its model, the
caller's scoped queryset and its API representation (the resource's own response schema).

Every record kind registered with core.kinds is a resource (key = its API path), plus the
monitoring alarms, which have their own API (monitoring.api.AlarmOut) rather than a kind.
The representation is the same document the resource's GET answers with, computed for the
caller (names of related records and personal data follow the caller's scope).
"""
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.db.models import Model, QuerySet

from citysafe.core import scope


@dataclass(frozen=True)
class Resource:
    key: str
    model: type[Model]
    schema: type
    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label

    def visible(self, user) -> QuerySet:
        """Live (not archived) records in `user`'s scope: what a mirror holds."""
        queryset = scope.narrow(user, self.model.objects.all())
        if self.select:
            queryset = queryset.select_related(*self.select)
        if self.prefetch:
            queryset = queryset.prefetch_related(*self.prefetch)
        return queryset

    def represent(self, user, records) -> list[dict]:
        context = {"request": _Caller(user)}
        # Python values (datetimes as such): the API's renderer (NinjaJSONEncoder, a DjangoJSONEncoder)
        # writes them exactly as the resource's own GET does; webhook payloads are stored with the same encoder.
        return [self.schema.model_validate(record, context=context).model_dump() for record in records]


class _Caller:
    """What the response schemas' resolvers read from a request: the caller (`request.auth`)."""

    def __init__(self, user):
        self.auth = user
        self.user = user


@cache
def resources() -> dict[str, Resource]:
    from citysafe.core.kinds import all_kinds
    from citysafe.monitoring.api import AlarmOut
    from citysafe.monitoring.models import Alarm

    table = {kind.key: Resource(kind.key, kind.model, kind.detail or kind.item, tuple(kind.related),
                                tuple(kind.prefetch) + tuple(kind.detail_prefetch))
             for kind in all_kinds() if (kind.detail or kind.item) is not None}
    table["alarms"] = Resource("alarms", Alarm, AlarmOut, ("sensor", "rule"))
    return table


def get_resource(key: str) -> Resource:
    try:
        return resources()[key]
    except KeyError:
        raise LookupError(key) from None


def by_label() -> dict[str, Resource]:
    return {resource.label: resource for resource in resources().values()}


Represent = Callable[[object, list], list[dict]]
