"""The change feed: "everything of resource R that changed since cursor C", for a mirror.

The cursor is the id of an audit record (core.audit_models.AuditRecord). Every state change
of a record is audited in the transaction that makes it. Since issue 19 there is one audit
chain per county, each with its own lock, so ids of different chains are not committed in id
order; a page therefore reads only up to `core.audit.committed_horizon()` (below it every id is
committed: it waits for the writers in flight). Once a reader has that head N, no transaction
can still commit an id below N (tested on PostgreSQL: tests/test_feed_cursor.py). A cursor is
therefore a consistent point in the history, and reading from it never skips a change.

A page reads the audit records of the resource after the cursor (through the index the
sharing migration adds on (object_type, id)), takes each changed record once — at its
latest change in the page — and answers:
- `upsert` with the record's current representation, if the caller sees it (live, in scope);
- `delete` (a tombstone) if the caller does not see it now but saw it before: it was
  archived, purged or moved out of the caller's scope. A record the caller never saw in
  the window gives nothing (no existence oracle: another township's changes stay silent).
Bulk imports audit one record per batch holding every row (`bulk_create`/`bulk_update`,
after keyed by id); the feed unpacks them.
"""
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.base import ModelState

from citysafe.core import scope
from citysafe.core.audit import committed_horizon
from citysafe.core.audit_models import AuditRecord
from citysafe.sharing.resources import Resource

MAX_LIMIT = 1000
SCAN_FACTOR = 5  # audit rows read per record asked for, at most (many changes of one record)


@dataclass
class FeedPage:
    items: list[dict] = field(default_factory=list)
    next_cursor: int = 0
    has_more: bool = False


def changed_ids(action: str, object_id: str, before, after) -> list[tuple[str, dict | None, dict | None]]:
    """(object id, before, after) of every record one audit record changed."""
    if action.startswith("bulk_"):
        before, after = before or {}, after or {}
        return [(key, before.get(key), after.get(key)) for key in sorted({*before, *after}, key=int)]
    if not object_id or not object_id.isdigit():
        return []  # an import summary, an export: no one record
    return [(object_id, before, after)]


def read_changes(user, resource: Resource, cursor: int, limit: int = 100) -> FeedPage:
    limit = max(1, min(limit, MAX_LIMIT))
    # The head is read first: a change committed after it gets a higher id, so it is in a later page.
    head = _head(cursor)
    scan = AuditRecord.objects.filter(object_type=resource.label, pk__gt=cursor, pk__lte=head).order_by("pk")
    latest: dict[int, int] = {}
    snapshots: dict[int, list[dict]] = {}
    next_cursor, full, exhausted = cursor, False, False
    # Read in chunks of `limit` audit records (at most SCAN_FACTOR): a page holds `limit`
    # records, which takes `limit` audit records unless one record changed several times.
    for _chunk in range(SCAN_FACTOR):
        rows = list(scan.filter(pk__gt=next_cursor).values_list("pk", "action", "object_id", "before", "after")[:limit])
        for pk, action, object_id, before, after in rows:
            touched = changed_ids(action, object_id, before, after)
            new = {int(key) for key, _b, _a in touched} - set(latest)
            if len(latest) + len(new) > limit and latest:
                full = True  # the page is full; this audit record starts the next one
                break
            for key, old, now in touched:
                latest[int(key)] = pk
                snapshots.setdefault(int(key), []).extend(s for s in (old, now) if s)
            next_cursor = pk
        if full:
            break
        if len(rows) < limit:
            exhausted = True
            break
    if exhausted:
        next_cursor = head  # nothing more of this resource up to the head
    ids = sorted(latest, key=lambda pk: latest[pk])
    live = {obj.pk: obj for obj in resource.visible(user).filter(pk__in=ids)}
    documents = dict(zip(live, resource.represent(user, list(live.values())), strict=True))
    archived = _archived_in_scope(user, resource, [pk for pk in ids if pk not in documents])
    current = _current_rows(resource, [pk for pk in ids if pk not in documents and pk not in archived])
    items = []
    for pk in ids:
        if pk in documents:
            items.append({"cursor": latest[pk], "op": "upsert", "id": pk, "record": documents[pk]})
        elif pk in archived or any(_was_visible(user, resource, snap, current.get(pk, {})) for snap in snapshots[pk]):
            items.append({"cursor": latest[pk], "op": "delete", "id": pk, "record": None})
    has_more = scan.filter(pk__gt=next_cursor).exists()
    return FeedPage(items, next_cursor, has_more)


def _head(cursor: int) -> int:
    """The newest audit id (of any resource): a caller with nothing new may start from here."""
    return max(cursor, committed_horizon())


def current_cursor() -> int:
    return _head(0)


def _current_rows(resource: Resource, ids: list[int]) -> dict[int, dict]:
    """The columns of the records still in the database (one query a page): what a snapshot that
    holds only part of a record (an export's or a dispatch's audit record) leaves out."""
    if not ids:
        return {}
    fields = sorted(_plain_fields(resource.model))
    pk_name = resource.model._meta.pk.attname
    return {row[pk_name]: row for row in resource.model._default_manager.filter(pk__in=ids).values(*fields)}


def _was_visible(user, resource: Resource, snap: dict, current: dict) -> bool:
    """Was the record, as this snapshot holds it, inside the caller's scope and live? The
    columns the snapshot does not hold are the record's current ones: a partial snapshot has no
    township, and an instance without one lies in no county — the home county, whose readers
    would otherwise get a tombstone naming another county's record (issue 19)."""
    if snap.get("archived_at"):
        return False
    fields = _plain_fields(resource.model)
    # A bare instance holding the snapshot's values (no __init__: this runs for every record of
    # other areas in the window, and scope.contains only reads attributes).
    instance = resource.model.__new__(resource.model)
    instance._state = ModelState()
    # Every column is set (None where the snapshot has none): an unset one would be loaded from
    # the database as a deferred field, which is neither the snapshot nor cheap.
    instance.__dict__.update(dict.fromkeys(fields))
    instance.__dict__.update(current)
    instance.__dict__.update({name: value for name, value in snap.items() if name in fields})
    try:
        return scope.contains(user, instance)
    except (TypeError, ValueError, AttributeError, ObjectDoesNotExist):
        return False


@cache
def _plain_fields(model) -> frozenset[str]:
    return frozenset(f.attname for f in model._meta.concrete_fields)


def _archived_in_scope(user, resource: Resource, ids: list[int]) -> set[int]:
    """Of `ids`, the archived records the caller would see if they were live (scope in SQL: also
    for keys held in many-to-many fields, such as a warning's townships). One query a page."""
    model = resource.model
    if not ids or not any(f.name == "archived_at" for f in model._meta.concrete_fields):
        return set()
    return set(model.objects.filter(scope.scope_q(user, model), pk__in=ids, archived_at__isnull=False)
               .values_list("pk", flat=True))


def snapshot_page(user, resource: Resource, after_id: int = 0, limit: int = 500) -> tuple[int, list[dict], int | None]:
    """A mirror's first load: (cursor, records after `after_id` by id, next after_id or None).
    The cursor is read before the records, so following the feed from the first page's cursor
    replays everything that changed while the snapshot was read."""
    limit = max(1, min(limit, MAX_LIMIT))
    cursor = current_cursor()
    rows = list(resource.visible(user).filter(pk__gt=after_id).order_by("pk")[:limit])
    return cursor, resource.represent(user, rows), (rows[-1].pk if len(rows) == limit else None)
