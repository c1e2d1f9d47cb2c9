"""Keyset (cursor) pagination for every list API.

A page after the first is read with `WHERE (key, id) > (last key, last id)` instead of
`OFFSET n`: the database seeks in the (key, id) order rather than reading and discarding n
rows, so a deep page costs what the first one does, and rows inserted or deleted before the
cursor do not shift what the next page holds (offset pages repeat or skip rows then).

The cursor is opaque: the ordering it was made for, the last row's ordering value and its id,
signed with the site's secret (django.core.signing) so a client cannot hand-craft one; it is
only a position, the caller's scope and filters still decide which rows exist.

Ordering is made total and equal on both databases: the key (NULLs last ascending, first
descending — SQLite and PostgreSQL differ by default), then the id ascending as tie-breaker
(the order `core.kinds.selectors.list_records` already uses), or the id alone in either
direction. The predicate is hand-written because Django has no row-value comparison that
handles NULLs; django-cte/django-keyset libraries on PyPI are unmaintained or DRF-only.
"""
import datetime
import decimal

from django.core import signing
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from citysafe.core.kinds.selectors import BadQuery

_SALT = "citysafe.keyset"


class BadCursor(BadQuery):
    """A cursor this list did not hand out (the API answers 422 on the `cursor` field)."""

    def __init__(self, message: str | None = None):
        super().__init__("cursor", message or _("分页游标“cursor”无效：请使用上一页返回的 next 地址，不要修改游标"))


def split(ordering: str) -> tuple[str, bool]:
    """("key", descending) of an ordering such as "-name"."""
    return ordering.lstrip("-"), ordering.startswith("-")


def order(queryset: QuerySet, ordering: str) -> QuerySet:
    """`queryset` in the total order the cursor walks (see the module docstring)."""
    key, descending = split(ordering)
    if key in ("id", "pk"):
        return queryset.order_by("-pk" if descending else "pk")
    column = F(key).desc(nulls_first=True) if descending else F(key).asc(nulls_last=True)
    return queryset.order_by(column, "pk")


def _plain(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def encode(ordering: str, value, pk) -> str:
    """The cursor of the row with ordering value `value` and id `pk`."""
    return signing.dumps([ordering, _plain(value), pk], salt=_SALT, compress=True)


def cursor_after(queryset: QuerySet, row_pk, ordering: str) -> str:
    """The cursor of row `row_pk` of `queryset` (reads its ordering value by primary key)."""
    key, _descending = split(ordering)
    if key in ("id", "pk"):
        return encode(ordering, None, row_pk)
    value = queryset.model._base_manager.filter(pk=row_pk).values_list(key, flat=True).first()
    return encode(ordering, value, row_pk)


def decode(token: str, model, ordering: str) -> tuple[object, int]:
    """(ordering value, id) of a cursor handed out for `ordering`; BadCursor otherwise."""
    try:
        made_for, value, pk = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadCursor() from error
    if made_for != ordering:
        raise BadCursor(_("分页游标“cursor”是按“%(made)s”排序时给出的，不能用于按“%(asked)s”排序")
                        % {"made": made_for, "asked": ordering})
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise BadCursor()
    key, _descending = split(ordering)
    if key not in ("id", "pk") and value is not None:
        try:
            value = model._meta.get_field(key).to_python(value)
        except Exception as error:  # noqa: BLE001 — any field's own parse failure is a bad cursor
            raise BadCursor() from error
    return value, pk


def after(queryset: QuerySet, ordering: str, value, pk) -> QuerySet:
    """The rows of `queryset` that come after (value, pk) in `order(…, ordering)`."""
    key, descending = split(ordering)
    if key in ("id", "pk"):
        return queryset.filter(pk__lt=pk) if descending else queryset.filter(pk__gt=pk)
    if descending:  # NULLs first, then the key falling; ties by id rising
        if value is None:
            condition = Q(**{f"{key}__isnull": True, "pk__gt": pk}) | Q(**{f"{key}__isnull": False})
        else:
            condition = Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__gt": pk})
    else:  # the key rising, NULLs last; ties by id rising
        if value is None:
            condition = Q(**{f"{key}__isnull": True, "pk__gt": pk})
        else:
            condition = (Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": pk})
                         | Q(**{f"{key}__isnull": True}))
    return queryset.filter(condition)


def page(queryset: QuerySet, ordering: str, *, cursor: str = "", offset: int = 0, limit: int = 50):
    """(rows, next cursor or None) for a hand-written list: `queryset` scoped and filtered,
    ordered here. `offset` is kept for old clients; `cursor` wins when both are given."""
    queryset = order(queryset, ordering)
    if cursor:
        value, pk = decode(cursor, queryset.model, ordering)
        rows = list(after(queryset, ordering, value, pk)[:limit + 1])
    else:
        rows = list(queryset[offset:offset + limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    if not more or not rows:
        return rows, None
    last = rows[-1]
    key, _descending = split(ordering)
    value = None if key in ("id", "pk") else _field(last, key)
    return rows, encode(ordering, value, _field(last, "pk"))


def _field(row, name):
    if isinstance(row, dict):
        return row["pk"] if name == "pk" and "pk" in row else row["id" if name == "pk" else name]
    return getattr(row, name)
