"""Keyset (cursor) pagination for every list API.

A page after the first is read with `WHERE (key, id) > (last key, last id)` instead of
`OFFSET n`: the database seeks in the (key, id) order rather than reading and discarding n
rows, so a deep page costs what the first one does, and rows inserted or deleted before the
cursor do not shift what the next page holds (offset pages repeat or skip rows then).

The cursor is opaque: the ordering it was made for, the last row's ordering value and its id,
signed with the site's secret (django.core.signing) so a client cannot hand-craft one; it is
only a position, the caller's scope and filters still decide which rows exist.

An order is a list of columns (field path, descending), made total with the id as the last
column, and equal on both databases: NULL sorts as the largest value (last ascending, first
descending — SQLite and PostgreSQL differ by default). "After (v1, …, vn)" is the usual
expansion `c1 > v1 OR (c1 = v1 AND c2 > v2) OR …` with NULL handled per column. Hand-written
because Django has no row-value comparison that handles NULLs and mixed directions, and the
keyset packages on PyPI are DRF-only or unmaintained.
"""
import datetime
import decimal

from django.core import signing
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from citysafe.core.kinds.selectors import BadQuery

_SALT = "citysafe.keyset"
# The `cursor` query parameter's description in the OpenAPI document (every list uses it).
CURSOR_HELP = "分页游标：上一页 next 地址（或 Link 响应头）中的 cursor，原样传回；按游标分页时忽略 offset"
OFFSET_HELP = "跳过的记录数（兼容旧客户端；深分页请用 cursor）"


class BadCursor(BadQuery):
    """A cursor this list did not hand out (the API answers 422 on the `cursor` field)."""

    def __init__(self, message: str | None = None):
        super().__init__("cursor", message or _("分页游标“cursor”无效：请使用上一页返回的 next 地址，不要修改游标"))


Column = tuple[str, bool]  # (field path, descending)


def split(ordering: str) -> tuple[str, bool]:
    """("key", descending) of an ordering such as "-name"."""
    return ordering.lstrip("-"), ordering.startswith("-")


def columns_for(ordering: str) -> list[Column]:
    """The columns of a record-kind list's `?ordering=`: the key, then the id rising (the order
    `core.kinds.selectors.list_records` gives), or the id alone either way."""
    key, descending = split(ordering)
    return [("pk", descending)] if key in ("id", "pk") else [(key, descending), ("pk", False)]


def columns_of(queryset: QuerySet) -> list[Column]:
    """The columns of a queryset's own `order_by` of field names (a hand-written list), with
    the id appended when it does not end the order already."""
    columns, query = [], queryset.query
    for name in query.order_by or (queryset.model._meta.ordering if query.default_ordering else ()):
        if not isinstance(name, str) or name == "?":
            raise ValueError(f"keyset pagination needs an order by field names, not {name!r}")
        key, descending = split(name)
        columns.append(("pk" if key == "id" else key, descending))
    if not columns or columns[-1][0] != "pk":
        columns.append(("pk", False))
    return columns


def order(queryset: QuerySet, columns: list[Column]) -> QuerySet:
    """`queryset` in the total order of `columns` (see the module docstring). A column that
    cannot be NULL is ordered plainly: SQLite uses no index for an explicit NULLS LAST."""
    terms = []
    for key, descending in columns:
        if not _nullable(queryset.model, key):
            terms.append(f"-{key}" if descending else key)
        else:
            terms.append(F(key).desc(nulls_first=True) if descending else F(key).asc(nulls_last=True))
    return queryset.order_by(*terms)


def _nullable(model, path: str) -> bool:
    # A column reached through a nullable foreign key is NULL where the key is.
    for part in path.split("__"):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        if field.null:
            return True
        model = field.related_model or model
    return False


def _signature(columns: list[Column]) -> str:
    return ",".join(("-" if descending else "") + key for key, descending in columns)


def _plain(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def encode(columns: list[Column], values: list) -> str:
    """The cursor of the row whose column values are `values`."""
    return signing.dumps([_signature(columns), [_plain(v) for v in values]], salt=_SALT, compress=True)


def cursor_after(queryset: QuerySet, row_pk, columns: list[Column]) -> str:
    """The cursor of row `row_pk` of `queryset` (reads its column values by primary key)."""
    values = queryset.model._base_manager.filter(pk=row_pk).values_list(*[key for key, _d in columns]).first()
    return encode(columns, list(values))


def _field(model, path: str):
    field = None
    for part in path.split("__"):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        model = field.related_model or model
    return getattr(field, "target_field", None) or field


def decode(token: str, model, columns: list[Column]) -> list:
    """The column values of a cursor handed out for this order; BadCursor otherwise."""
    try:
        made_for, values = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadCursor() from error
    if made_for != _signature(columns):
        raise BadCursor(_("分页游标“cursor”是按“%(made)s”排序时给出的，不能用于按“%(asked)s”排序")
                        % {"made": made_for, "asked": _signature(columns)})
    if not isinstance(values, list) or len(values) != len(columns):
        raise BadCursor()
    typed = []
    for (key, _descending), value in zip(columns, values, strict=True):
        try:
            typed.append(None if value is None else _field(model, key).to_python(value))
        except Exception as error:  # noqa: BLE001 — any field's own parse failure is a bad cursor
            raise BadCursor() from error
    return typed


def after(queryset: QuerySet, columns: list[Column], values: list) -> QuerySet:
    """The rows of `queryset` that come after `values` in `order(…, columns)`. NULL terms are
    written only for columns that can be NULL (an `OR id IS NULL` keeps SQLite off the index)."""
    condition, equal_so_far = Q(pk__in=[]), Q()
    for (key, descending), value in zip(columns, values, strict=True):
        nullable = _nullable(queryset.model, key)
        if value is None:  # NULL is the largest value: after it (rising) nothing, (falling) any value
            beyond = Q(**{f"{key}__isnull": False}) if descending else None
            same = Q(**{f"{key}__isnull": True})
        else:
            beyond = Q(**{f"{key}__lt" if descending else f"{key}__gt": value})
            if nullable and not descending:
                beyond |= Q(**{f"{key}__isnull": True})
            same = Q(**{key: value})
        if beyond is not None:
            condition |= equal_so_far & beyond
        equal_so_far &= same
    return queryset.filter(condition)


def page(queryset: QuerySet, *, cursor: str = "", offset: int = 0, limit: int = 50) -> tuple[list, str | None]:
    """(rows, next cursor or None) of a hand-written list: `queryset` scoped, filtered and
    ordered by field names. `offset` is kept for old clients; a cursor wins over it. One row
    more than the page is read to know whether there is a next page."""
    columns = columns_of(queryset)
    queryset = order(queryset, columns)
    if cursor:
        rows = list(after(queryset, columns, decode(cursor, queryset.model, columns))[:limit + 1])
    else:
        rows = list(queryset[offset:offset + limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, cursor_after(queryset, rows[-1].pk, columns)


def next_link(request, token: str | None) -> str | None:
    """The absolute URL of the next page: this request's query with `cursor` set, `offset` dropped."""
    if token is None:
        return None
    query = request.GET.copy()
    query.pop("offset", None)
    query["cursor"] = token
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def link_header(response, request, token: str | None):
    """For lists that answer a bare JSON array: the next page as an RFC 8288 `Link` header."""
    url = next_link(request, token)
    if url is not None:
        response["Link"] = f'<{url}>; rel="next"'
    return response
