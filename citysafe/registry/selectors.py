"""Registry reads by kind name, for callers outside the generic pages and API (exports, map).
The rules live in core.kinds.selectors; the kinds are declared in registry/kinds.py."""
from django.db.models import QuerySet

from citysafe.core.kinds import BadQuery, get_kind
from citysafe.core.kinds import selectors as _kinds

__all__ = ["BadQuery", "list_records", "get_record"]


def list_records(user, resource: str, *, search: str = "", filters: dict | None = None,
                 ordering: str = "id", include_archived: bool = False) -> QuerySet:
    return _kinds.list_records(user, get_kind(resource), search=search, filters=filters, ordering=ordering,
                               include_archived=include_archived)


def get_record(user, resource: str, pk, include_archived: bool = False):
    return _kinds.get_record(user, get_kind(resource), pk, include_archived=include_archived)
