"""Data-sharing endpoints (mounted in config/api.py): the change feed (/changes), event
subscriptions and their delivery log (/webhooks), import and export jobs (/data-jobs).
Thin: parse, call one service or selector, answer. Errors through config/api.py's handlers."""
from typing import Annotated
from urllib.parse import quote

from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from pydantic import Field

from citysafe.core import keyset
from citysafe.core.kinds.api import ERRORS
from citysafe.core.kinds.types import Id
from citysafe.core.validation import field_error
from citysafe.registry.io import jobs
from citysafe.registry.io.models import DataJob
from citysafe.registry.io.workbook import import_max_bytes
from citysafe.sharing import feed, selectors
from citysafe.sharing import schemas as s
from citysafe.sharing.resources import get_resource, resources
from citysafe.sharing.webhooks import services

Cursor = Annotated[int, Field(ge=0, le=2**63 - 1, description="审计记录编号（游标）")]
Limit = Annotated[int, Field(ge=1, le=1000)]

changes_router = Router(tags=["changes"])
webhooks_router = Router(tags=["webhooks"])
jobs_router = Router(tags=["data-jobs"])


def _resource(key: str):
    try:
        return get_resource(key)
    except LookupError:
        raise ObjectDoesNotExist from None


@changes_router.get("", response={200: s.FeedIndex, **ERRORS}, operation_id="list_change_feeds",
                    summary="the resources with a change feed, and the current cursor")
def feed_index(request):
    return {"cursor": feed.current_cursor(),
            "resources": [{"key": r.key, "label": r.label} for r in resources().values()]}


@changes_router.get("/{resource}", response={200: s.ChangePage, **ERRORS}, operation_id="read_changes",
                    summary="what changed after `cursor`: upserts with the current record, tombstones",
                    description="Start with a snapshot (`/changes/{resource}/snapshot`), then follow from its "
                                "`cursor`; repeat with `next_cursor` until `has_more` is false. Applying an item "
                                "twice is harmless (idempotent upsert/delete).")
def read_changes(request, resource: str, cursor: Cursor = 0, limit: Limit = 100):
    page = feed.read_changes(request.auth, _resource(resource), cursor, limit)
    return {"resource": resource, "items": page.items, "next_cursor": page.next_cursor, "has_more": page.has_more}


@changes_router.get("/{resource}/snapshot", response={200: s.SnapshotPage, **ERRORS}, operation_id="read_snapshot",
                    summary="every live record in the caller's scope, by id, in pages (a mirror's first load)")
def read_snapshot(request, resource: str, after_id: Cursor = 0, limit: Limit = 500):
    cursor, items, next_after = feed.snapshot_page(request.auth, _resource(resource), after_id, limit)
    return {"resource": resource, "cursor": cursor, "items": items, "next_after_id": next_after}


@webhooks_router.get("", response={200: list[s.SubscriptionOut], **ERRORS}, operation_id="list_webhooks")
def list_webhooks(request):
    return selectors.subscriptions(request.auth)


@webhooks_router.post("", response={201: s.SubscriptionCreated, **ERRORS}, operation_id="create_webhook",
                      summary="subscribe to events; the answer holds the signing secret (once)")
def create_webhook(request, payload: s.SubscriptionIn):
    subscription, secret = services.create_subscription(request.auth, payload.model_dump())
    return Status(201, {**s.SubscriptionOut.from_orm(subscription).model_dump(), "secret": secret})


@webhooks_router.get("/{int:subscription_id}", response={200: s.SubscriptionOut, **ERRORS}, operation_id="get_webhook")
def get_webhook(request, subscription_id: Id):
    return selectors.subscription(request.auth, subscription_id)


@webhooks_router.patch("/{int:subscription_id}", response={200: s.SubscriptionOut, **ERRORS},
                       operation_id="update_webhook")
def update_webhook(request, subscription_id: Id, payload: s.SubscriptionPatch):
    return services.update_subscription(request.auth, subscription_id, payload.model_dump(exclude_unset=True))


@webhooks_router.post("/{int:subscription_id}/secret", response={200: s.SecretOut, **ERRORS},
                      operation_id="rotate_webhook_secret", summary="a new signing secret (the old one stops now)")
def rotate_secret(request, subscription_id: Id):
    return {"secret": services.rotate_secret(request.auth, subscription_id)}


@webhooks_router.delete("/{int:subscription_id}", response={204: None, **ERRORS}, operation_id="delete_webhook")
def delete_webhook(request, subscription_id: Id):
    services.delete_subscription(request.auth, subscription_id)
    return Status(204, None)


@webhooks_router.get("/{int:subscription_id}/deliveries", response={200: list[s.DeliveryOut], **ERRORS},
                     operation_id="list_webhook_deliveries", summary="the delivery log, newest first")
def list_deliveries(request, response: HttpResponse, subscription_id: Id, status: str = "", limit: Limit = 100,
                    cursor: str = Query("", max_length=2000, description=keyset.CURSOR_HELP)):
    items, token = keyset.page(selectors.deliveries(request.auth, subscription_id, status=status), cursor=cursor,
                               limit=limit)
    keyset.link_header(response, request, token)  # the next page, as an RFC 8288 Link header
    return items


@jobs_router.get("", response={200: list[s.JobOut], **ERRORS}, operation_id="list_data_jobs",
                 summary="the caller's import and export jobs, newest first")
def list_jobs(request, response: HttpResponse, limit: Limit = 50,
              cursor: str = Query("", max_length=2000, description=keyset.CURSOR_HELP)):
    items, token = keyset.page(DataJob.objects.filter(user=request.auth), cursor=cursor, limit=limit)
    keyset.link_header(response, request, token)  # the next page, as an RFC 8288 Link header
    return items


@jobs_router.post("/imports", response={202: s.JobOut, **ERRORS}, operation_id="start_import_job",
                  summary="upload a workbook (.xlsx/.xls/.ods) or, for areas, GeoJSON/zipped Shapefile",
                  description="multipart/form-data: `resource` (e.g. enterprises, areas), `file`, `gcj02` (bool). "
                              "All or nothing: a file with errors imports nothing and its error workbook is the "
                              "job's file. Poll `GET /data-jobs/{id}`.")
def start_import(request, resource: Form[str], file: File[UploadedFile], gcj02: Form[bool] = False):
    if file.size > import_max_bytes():
        raise field_error("file", _("文件过大：上限为 %(mb)d MB") % {"mb": import_max_bytes() // (1024 * 1024)},
                          "too_large")
    try:
        job = jobs.submit_import(request.auth, resource, file, gcj02=gcj02)
    except ValueError as problem:  # FileProblem included: wrong type, size or content; unknown resource
        raise field_error("file" if resource in jobs.IMPORT_KINDS else "resource", str(problem), "invalid") from None
    return Status(202, job)


@jobs_router.post("/exports", response={202: s.JobOut, **ERRORS}, operation_id="start_export_job",
                  summary="export the caller's records (the same rows as the list with these filters)")
def start_export(request, payload: s.ExportIn):
    try:
        job = jobs.submit_export(request.auth, payload.resource, payload.format, search=payload.q,
                                 filters=payload.filters, ordering=payload.ordering,
                                 geometry_type=payload.geometry_type)
    except (ValueError, LookupError) as problem:  # BadQuery is a ValueError with its field
        raise field_error(getattr(problem, "field", "resource"), str(problem), "invalid") from None
    return Status(202, job)


@jobs_router.get("/{int:job_id}", response={200: s.JobOut, **ERRORS}, operation_id="get_data_job")
def get_job(request, job_id: Id):
    return DataJob.objects.get(pk=job_id, user=request.auth)


@jobs_router.get("/{int:job_id}/file", response={200: None, **ERRORS}, operation_id="download_data_job_file",
                 summary="the export file, or an import's error workbook")
def job_file(request, job_id: Id):
    job = DataJob.objects.get(pk=job_id, user=request.auth)
    if not job.result:
        raise DataJob.DoesNotExist
    name = job.result.name.rsplit("/", 1)[-1]
    response = FileResponse(job.result.open("rb"), content_type="application/geo+json" if name.endswith(".geojson")
                            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
