"""The REST API under /api/v1: mounts every app's router and turns domain errors into
status codes, so endpoints stay thin (parse, call one service or selector, return).
Every 4xx has one shape (core.kinds.schemas.ErrorOut):
`{"detail": [{"loc": [...], "msg": "…", "type": "…"}]}`.

Authentication: `Authorization: Bearer <token>` (service accounts) or the page session
(with CSRF on unsafe methods). Errors: 401 not signed in, 403 role may not, 404 outside
scope or absent, 409 stale version, 413 body too large, 422 validation (also unparseable or
too deeply nested JSON) naming the field and the rule, 500 as JSON without a traceback.
"""
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from citysafe.accounts.api import me_router, tokens_router
from citysafe.accounts.auth import api_token_auth, session_auth
from citysafe.assessment.api import router as appraisal_router
from citysafe.construction.api import permit_router, work_router
from citysafe.core.api import router as attachments_router
from citysafe.core.api_errors import StrictJSONParser, install_error_handlers
from citysafe.core.concurrency import StaleRecord
from citysafe.core.kinds import BadQuery
from citysafe.core.kinds.api import routers as record_routers
from citysafe.core.workflow import TransitionError
from citysafe.credit.api import router as credit_router
from citysafe.early_warning.api import subscription_router, warning_router
from citysafe.emergency.api import incident_router, road_router
from citysafe.enforcement.api import case_router
from citysafe.enforcement.api import inspection_router as enforcement_inspection_router
from citysafe.enforcement.api import public_router as decision_router
from citysafe.hazards.api import hazard_router, report_router, reward_router
from citysafe.hazards.api_inspections import inspection_router
from citysafe.knowledge.api import router as knowledge_router
from citysafe.monitoring.api import ingest_router, monitoring_router
from citysafe.notifications.api import gateway_router
from citysafe.registry.api import enterprise_router
from citysafe.risks.api import area_level_router, assessment_router, risk_point_router, threshold_router
from citysafe.risks.gatherings.api import gathering_router
from citysafe.sharing.api import changes_router, jobs_router, webhooks_router
from citysafe.siting.api import conflict_router, site_check_router
from citysafe.siting.catalogue_api import catalogue_match_router
from citysafe.siting.underground_api import dig_check_router
from citysafe.supervision.api import supervision_router


class CitySafeAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts):
        # ninja drops each error's input; keep whether it was null, so that the 422 can say
        # "null is not allowed here" instead of "must be a string".
        nulls = [item.get("input", ...) is None for context in error_contexts
                 for item in context.pydantic_validation_error.errors(include_url=False)]
        exc = super().validation_error_from_error_contexts(error_contexts)
        for item, null in zip(exc.errors, nulls, strict=False):
            item["null_input"] = null
        return exc


api = CitySafeAPI(
    title="CitySafe API",
    version="1",
    description="城市安全风险管理平台 开放接口",
    urls_namespace="api-v1",
    auth=[api_token_auth, session_auth],
    parser=StrictJSONParser(),
)
# 413 body too large, 422 unparseable or too deep JSON, JSON 500 (never a traceback).
install_error_handlers(api)

# One router per record kind the apps registered (core.kinds), then the apps' own endpoints.
# The API's auth goes in so that each create endpoint checks the role before the body (403 first).
for key, router in record_routers(auth=api.auth).items():
    api.add_router(f"/{key}", router)
api.add_router("/enterprises", enterprise_router)
api.add_router("/ingest", ingest_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/risk-points", risk_point_router)
api.add_router("/assessments", assessment_router)
api.add_router("/area-levels", area_level_router)
api.add_router("/risk-thresholds", threshold_router)
api.add_router("/incidents", incident_router)
api.add_router("/roads", road_router)
api.add_router("/gatherings", gathering_router)
api.add_router("/warnings", warning_router)
api.add_router("/subscriptions", subscription_router)
api.add_router("/notifications", gateway_router)
api.add_router("/tokens", tokens_router)
api.add_router("/me", me_router)
api.add_router("/attachments", attachments_router)
api.add_router("/knowledge", knowledge_router)
api.add_router("/hazards", hazard_router)
api.add_router("/public-reports", report_router)
api.add_router("/rewards", reward_router)
api.add_router("/inspections", inspection_router)
api.add_router("/appraisal", appraisal_router)
api.add_router("/conflicts", conflict_router)
api.add_router("/site-checks", site_check_router)
api.add_router("/catalogue-matches", catalogue_match_router)
api.add_router("/dig-checks", dig_check_router)
api.add_router("/high-danger-works", work_router)
api.add_router("/work-permits", permit_router)
api.add_router("/cases", case_router)
api.add_router("/inspection-records", enforcement_inspection_router)
api.add_router("/public/decisions", decision_router)
api.add_router("/supervision", supervision_router)
api.add_router("/credit", credit_router)
api.add_router("/changes", changes_router)
api.add_router("/webhooks", webhooks_router)
api.add_router("/data-jobs", jobs_router)


def _problem(request, status: int, loc: list, msg: str, code: str):
    return api.create_response(request, {"detail": [{"loc": loc, "msg": msg, "type": code}]}, status=status)


@api.exception_handler(DjangoValidationError)
def on_validation_error(request, exc: DjangoValidationError):
    items = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            loc = ["body"] if field == "__all__" else ["body", field]
            for error in errors:
                message = error.message % error.params if error.params else error.message
                items.append({"loc": loc, "msg": str(message), "type": error.code or "invalid"})
    else:
        items = [{"loc": ["body"], "msg": str(m), "type": "invalid"} for m in exc.messages]
    return api.create_response(request, {"detail": items}, status=422)


# pydantic's own messages are English; the rule names are stable, so say them in Chinese.
PYDANTIC_MESSAGES = {
    "missing": gettext_noop("此字段为必填项"),
    "int_parsing": gettext_noop("必须是整数"),
    "int_type": gettext_noop("必须是整数"),
    "float_parsing": gettext_noop("必须是数字"),
    "float_type": gettext_noop("必须是数字"),
    "finite_number": gettext_noop("必须是有限数字"),
    "bool_parsing": gettext_noop("必须是布尔值（true/false）"),
    "string_type": gettext_noop("必须是字符串"),
    "dict_type": gettext_noop("必须是JSON对象"),
    "list_type": gettext_noop("必须是数组"),
    "greater_than_equal": gettext_noop("数值过小"),
    "less_than_equal": gettext_noop("数值过大"),
    "datetime_parsing": gettext_noop("日期时间格式不正确"),
    "datetime_type": gettext_noop("日期时间格式不正确"),
    "timezone_aware": gettext_noop("日期时间必须带时区"),
    "json_invalid": gettext_noop("请求体不是有效的JSON"),
    "model_attributes_type": gettext_noop("请求体必须是JSON对象"),
}


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc: NinjaValidationError):
    items = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ninja nests body and query schemas under the parameter name ("payload", "query");
        # clients know fields, not our Python parameter names.
        if len(loc) >= 2 and loc[1] in {"payload", "query"}:
            loc = [loc[0], *loc[2:]]
        kind = error.get("type", "invalid")
        if error.get("null_input") and (kind.endswith("_type") or kind in ("literal_error", "enum")):
            # null sent for a field that may be left out but not emptied
            message, kind = _("不能为空值（null）；不修改时请省略此字段"), "null_not_allowed"
        elif kind in ("literal_error", "enum"):
            message = _("取值无效，可选：%(choices)s") % {"choices": error.get("ctx", {}).get("expected", "")}
        elif kind == "value_error":
            message = str(error.get("ctx", {}).get("error") or error.get("msg", ""))
        else:
            message = _(PYDANTIC_MESSAGES[kind]) if kind in PYDANTIC_MESSAGES else _("取值无效：%(msg)s") % {
                "msg": error.get("msg", "")}
        items.append({"loc": loc, "msg": message, "type": kind})
    return api.create_response(request, {"detail": items}, status=422)


@api.exception_handler(BadQuery)
def on_bad_query(request, exc: BadQuery):
    return _problem(request, 422, ["query", exc.field], str(exc), "bad_query")


@api.exception_handler(ObjectDoesNotExist)
def on_not_found(request, exc):
    # Same answer whether the record is absent or outside the caller's scope.
    return _problem(request, 404, ["path"], _("记录不存在"), "not_found")


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    message = str(exc) if str(exc) and not str(exc).isascii() else _("您的角色无权执行此操作")
    return _problem(request, 403, [], message, "forbidden")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _problem(request, 401, ["header", "Authorization"], _("未登录，或API令牌无效、已吊销或已过期"),
                    "not_authenticated")


@api.exception_handler(TransitionError)
def on_transition_error(request, exc):
    return _problem(request, 422, ["body", "transition"], str(exc), "transition_not_allowed")


@api.exception_handler(StaleRecord)
def on_stale_record(request, exc: StaleRecord):
    return _problem(request, 409, ["body", "version"], str(exc), "conflict")


@api.exception_handler(DataError)
def on_data_error(request, exc):
    # Last line of defence: the schemas bound every value, but a value the database still
    # rejects must be the caller's 422, never a 500. The transaction has already rolled back.
    return _problem(request, 422, ["body"], _("数据超出数据库允许的范围"), "data_error")
