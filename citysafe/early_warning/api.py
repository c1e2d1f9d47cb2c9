"""Early-warning endpoints beside the warning kind's generic router (mounted at /warnings):
workflow steps, versions, CAP export and import; delivery figures and gateway receipts."""
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from citysafe.accounts.auth import api_token_auth, changers_of, session_auth
from citysafe.core import keyset, scope
from citysafe.core.kinds.api import ERRORS, checked, read_one
from citysafe.core.kinds.types import Id
from citysafe.core.schema_types import ErrorOut
from citysafe.core.validation import field_error
from citysafe.early_warning import schemas as s
from citysafe.early_warning import selectors, services
from citysafe.early_warning.cap.export import CapRuleError, to_xml
from citysafe.early_warning.cap_import import import_cap
from citysafe.early_warning.kinds import WARNINGS

warning_router = Router(tags=["warnings"])
CAP_TYPE = "application/cap+xml; charset=utf-8"


@warning_router.post("/{int:record_id}/transitions", response={200: s.WarningDetail, 409: ErrorOut, **ERRORS},
                     auth=changers_of(WARNINGS.model),
                     operation_id="transition_warning",
                     summary="workflow step: submit, pass_review, return_to_draft, approve, publish")
def transition_warning(request, record_id: Id, payload: s.TransitionIn):
    services.transition_warning(request.auth, record_id, payload.name, expected_version=payload.version,
                                note=payload.note)
    return read_one(request, WARNINGS, record_id)


def _reviser_check(user, request):
    """What start_revision checks of the caller before the body is read: the role may create
    warnings (403) and the warning is in its scope (404)."""
    scope.require(user, WARNINGS.model, scope.Action.CREATE)
    scope.get_in_scope(user, WARNINGS.model.objects.all(), request.resolver_match.kwargs["record_id"])


@warning_router.post("/{int:record_id}/revisions", response={201: s.WarningDetail, **ERRORS},
                     auth=[checked(callback, _reviser_check) for callback in (api_token_auth, session_auth)],
                     operation_id="revise_warning", summary="a new draft version: Update or Cancel")
def revise_warning(request, record_id: Id, payload: s.RevisionIn):
    revision = services.start_revision(request.auth, record_id, payload.msg_type)
    return Status(201, read_one(request, WARNINGS, revision.pk))


@warning_router.get("/{int:record_id}/versions", response={200: list[s.VersionOut], **ERRORS},
                    operation_id="list_warning_versions", summary="every version of the warning, linked")
def warning_versions(request, record_id: Id):
    return selectors.versions_of(request.auth, record_id)


@warning_router.get("/{int:record_id}/cap", response={200: None, **ERRORS}, operation_id="get_warning_cap",
                    summary="the published version as CAP 1.2 XML")
def warning_cap(request, record_id: Id):
    warning = selectors.get_warning(request.auth, record_id)
    try:
        body = to_xml(warning)
    except CapRuleError:
        raise field_error("status", _("只有已发布的版本有CAP消息"), "not_published") from None
    return HttpResponse(body, content_type=CAP_TYPE)


@warning_router.post("/cap-import", response={201: s.WarningDetail, **ERRORS}, operation_id="import_warning_cap",
                     summary="an external CAP 1.1/1.2 alert as a draft (XML body, or multipart `file`)")
def import_warning_cap(request):
    if request.content_type.startswith("multipart/"):
        upload = request.FILES.get("file")
        if upload is None:
            raise field_error("file", _("请上传CAP文件（字段名 file）"), "required")
        from citysafe.early_warning.cap.parse import max_bytes

        data = upload.read(max_bytes() + 1)
    else:
        data = request.body
    warning = import_cap(request.auth, data)
    return Status(201, read_one(request, WARNINGS, warning.pk))


@warning_router.get("/{int:record_id}/deliveries", response={200: s.DeliveryDashboardOut, **ERRORS},
                    operation_id="get_warning_deliveries",
                    summary="delivery figures by channel and township: total, sent, delivered, acknowledged, failed")
def warning_deliveries(request, record_id: Id):
    from citysafe.early_warning.delivery import dashboard

    return dashboard(selectors.get_warning(request.auth, record_id))


subscription_router = Router(tags=["subscriptions"])


@subscription_router.get("", response={200: list[s.SubscriptionOut], **ERRORS}, operation_id="list_subscriptions",
                         summary="residents' warning subscriptions (county office and leader only)")
def list_subscriptions(request, response: HttpResponse, query: s.SubscriptionQuery = Query(...)):
    items, token = keyset.page(selectors.subscriptions(request.auth, confirmed=query.confirmed),
                               cursor=query.cursor, offset=query.offset, limit=query.limit)
    keyset.link_header(response, request, token)
    return items
