"""The REST router of a record kind: list, create, get, patch, archive, restore, purge.

Reads through core.kinds.selectors (scoped), writes through the kind's services, errors
turned into status codes by the handlers in config/api.py (422 validation, 404 outside
scope, 403 role, 409 conflict). config/api.py mounts one router per registered kind.
"""
import json

from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.utils.http import urlencode
from ninja import Query, Router, Status
from ninja.constants import NOT_SET
from ninja.responses import NinjaJSONEncoder

from citysafe.core import keyset
from citysafe.core.kinds import selectors
from citysafe.core.kinds.listing import page_rows
from citysafe.core.kinds.schemas import ErrorOut, filter_schema, page_schema
from citysafe.core.kinds.types import Id

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

def read_one(request, kind, pk: int, include_archived: bool = False):
    """One record in the caller's scope, with what its detail schema shows."""
    record = selectors.get_record(request.auth, kind, pk, include_archived=include_archived)
    prefetch = kind.prefetch + kind.detail_prefetch
    if prefetch:
        prefetch_related_objects([record], *prefetch)
    return record


def _next_url(request, kind, queryset, columns, last: dict, limit: int) -> str:
    """The link to the page after row `last`: always a cursor (core.keyset), also when this
    page was asked for by offset, so a client that follows `next` walks by keyset. The
    cursor's values come from the row itself when it holds them as read (no extra query)."""
    names = ["id" if key == "pk" else key for key, _descending in columns]
    if all(name in last and name not in kind.list_fields for name in names):
        token = keyset.encode(columns, [last[name] for name in names])
    else:
        token = keyset.cursor_after(queryset, last["id"], columns)
    query = request.GET.copy()
    query.pop("offset", None)
    query["cursor"] = token
    query["limit"] = str(limit)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")


def _json(data) -> HttpResponse:
    # What ninja's JSONRenderer writes, without validating the rows through the schema first.
    return HttpResponse(json.dumps(data, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8")


def checked(callback, check):
    """`callback` (one of the API's authentication callbacks) that then runs `check(user,
    request)` on the signed-in user. django-ninja validates the body right after authentication
    and before the endpoint runs, so a check in the endpoint (or the service) answered an empty
    or invalid body with 422 and told a caller without the right what the form wants; a check
    here comes first. ninja turns an exception raised here into the API's answer for it
    (PermissionDenied 403, DoesNotExist 404). The wrapper keeps the callback's class name and
    security schema, so the OpenAPI document names the same security schemes. Sync callbacks
    only (the API's are)."""

    def __call__(self, request):
        user = callback(request)
        if user:
            check(user, request)
        return user

    attributes = {"__call__": __call__, "__doc__": type(callback).__doc__}
    if hasattr(callback, "openapi_security_schema"):
        attributes["openapi_security_schema"] = callback.openapi_security_schema
    return type(type(callback).__name__, (), attributes)()


def creators_only(callback, kind):
    """403 before the body is read for a role that may not create `kind`'s records (the same
    role check as the create page, core.kinds.views)."""
    from citysafe.core import scope

    return checked(callback, lambda user, request: scope.require(user, kind.model, scope.Action.CREATE))


def change_check(model, key: str = "record_id"):
    """What core.records.load_for_write checks, in its order, for the id in the path (`key`):
    the role may change `model`'s records (403), and the record is one the user may write (404
    outside the write scope, as the service answers). Every write of one record — a PATCH, a
    workflow step (the engine opens the record for change) — passes both."""
    from citysafe.core import scope

    def check(user, request):
        scope.require(user, model, scope.Action.CHANGE)
        record_id = request.resolver_match.kwargs[key]
        if not scope.narrow(user, model.objects.all(), for_write=True).filter(pk=record_id).exists():
            raise model.DoesNotExist(f"{model.__name__} {record_id} is not in the caller's scope")

    return check


def changers_only(callback, kind):
    """403/404 before the body of a PATCH is read (change_check)."""
    return checked(callback, change_check(kind.model))


def build_router(kind, auth=None) -> Router:
    router = Router(tags=[kind.key])
    Filters, Page = filter_schema(kind), page_schema(kind)
    Detail, CreateIn, UpdateIn = kind.detail or kind.item, kind.create_in, kind.update_in
    lower = kind.singular.lower()

    @router.get("", response={200: Page, **ERRORS}, operation_id=f"list_{kind.key}", summary=f"list {kind.key}",
                description="Follow `next` to walk the list: it carries a `cursor` (keyset pagination — a deep "
                            "page costs what the first does, and rows added meanwhile are neither repeated nor "
                            "skipped). `offset` still works for old clients; a cursor wins over it.")
    def list_records(request, query: Filters = Query(...)):
        params = query.model_dump()
        search, ordering, cursor = params.pop("q"), params.pop("ordering"), params.pop("cursor")
        include_archived, limit, offset = params.pop("include_archived"), params.pop("limit"), params.pop("offset")
        queryset = selectors.list_records(request.auth, kind, search=search, filters=params, ordering=ordering,
                                          include_archived=include_archived, related=False)
        count = queryset.count()
        columns = keyset.columns_for(ordering)
        queryset = keyset.order(queryset, columns)
        if cursor:
            window, offset = keyset.after(queryset, columns, keyset.decode(cursor, kind.model, columns)), 0
        else:
            window = queryset
        # One row more than the page tells whether there is a next page without a second count.
        items = page_rows(request.auth, kind, window, offset, limit + 1) if cursor or offset < count else []
        more, items = len(items) > limit, items[:limit]
        next_url = _next_url(request, kind, queryset, columns, items[-1], limit) if more else None
        # Serialized as read (see core.kinds.listing); the response schema stays in the OpenAPI document.
        return _json({"count": count, "next": next_url, "items": items})

    @router.post("", response={201: Detail, **ERRORS}, operation_id=f"create_{lower}",
                 auth=[creators_only(callback, kind) for callback in auth] if auth else NOT_SET)
    def create_record(request, payload: CreateIn):
        data = payload.model_dump(exclude_unset=True)
        data.pop("version", None)  # a new record has no version to check
        record = kind.create(request.auth, data)
        return Status(201, read_one(request, kind, record.pk))

    @router.get("/{int:record_id}", response={200: Detail, **ERRORS}, operation_id=f"get_{lower}")
    def get_record(request, record_id: Id, include_archived: bool = False):
        return read_one(request, kind, record_id, include_archived)

    @router.patch("/{int:record_id}", response={200: Detail, 409: ErrorOut, **ERRORS}, operation_id=f"update_{lower}",
                  auth=[changers_only(callback, kind) for callback in auth] if auth else NOT_SET,
                  description="`version` is the version read with the record; if someone has saved it since, "
                              "nothing is written and the answer is 409 naming the fields they changed. "
                              "A field left out is not changed; null clears only the fields that may be empty.")
    def update_record(request, record_id: Id, payload: UpdateIn):
        data = payload.model_dump(exclude_unset=True)
        version = data.pop("version")
        kind.update(request.auth, record_id, data, expected_version=version)
        return read_one(request, kind, record_id)

    @router.delete("/{int:record_id}", response={204: None, **ERRORS}, operation_id=f"archive_{lower}",
                   summary="archive (soft delete)")
    def archive_record(request, record_id: Id):
        kind.archive(request.auth, kind.model, record_id)
        return Status(204, None)

    @router.post("/{int:record_id}/restore", response={200: Detail, **ERRORS}, operation_id=f"restore_{lower}",
                 summary="restore an archived record (admin)")
    def restore_record(request, record_id: Id):
        kind.restore(request.auth, kind.model, record_id)
        return read_one(request, kind, record_id)

    @router.post("/{int:record_id}/purge", response={204: None, **ERRORS}, operation_id=f"purge_{lower}",
                 summary="delete for good (admin, audited)")
    def purge_record(request, record_id: Id):
        kind.purge(request.auth, kind.model, record_id)
        return Status(204, None)

    return router


def routers(auth=None) -> dict:
    """One router per registered kind, built once (config/api.py mounts them). `auth`: the API's
    authentication callbacks, wrapped on each create endpoint by `creators_only` and on each
    update endpoint by `changers_only`."""
    from citysafe.core.kinds.registry import all_kinds

    built = {}
    for kind in all_kinds():
        if getattr(kind, "_router", None) is None:
            kind._router = build_router(kind, auth)
        built[kind.key] = kind._router
    return built
