"""Request-body parsing and transport errors for the REST API, always as JSON.

- `StrictJSONParser` (ninja's parser hook) refuses bodies that are not UTF-8 JSON, that use
  the non-standard constants NaN/Infinity, or that nest deeper than `API_JSON_MAX_DEPTH`.
- `install_error_handlers(api)` maps those refusals to a 422 naming the rule, a body over
  DATA_UPLOAD_MAX_MEMORY_SIZE to a 413, and any unexpected exception to a JSON 500 (never
  ninja's plain-text traceback in DEBUG, never Django's HTML page).

Errors raised before ninja runs (an unknown path, a body too large for another middleware)
are turned into JSON by `citysafe.core.middleware.ApiErrorMiddleware`.
"""
import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.signals import got_request_exception
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.parser import Parser

log = logging.getLogger("citysafe.api")

DEFAULT_MAX_DEPTH = 64


class BodyRefused(Exception):
    """The body cannot be accepted as JSON; `code` names the rule, the message says it in Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def max_depth() -> int:
    return int(getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH))


def _refuse_constant(name: str):
    raise BodyRefused("json_invalid", _("请求体含有JSON不允许的数值 %(name)s") % {"name": name})


def _too_deep(limit: int) -> BodyRefused:
    return BodyRefused("json_too_deep", _("JSON嵌套层数超过上限（%(limit)d层）") % {"limit": limit})


def _check_depth(data, limit: int) -> None:
    # The standard library has no depth limit of its own (it only stops at the interpreter's
    # recursion limit), so walk the parsed value one nesting level at a time, without recursion
    # (about 0.2 s for a 7 MB line of 250,000 vertices; most bodies skip this, see below).
    level, depth = [data], 1
    while level:
        if depth > limit:
            raise _too_deep(limit)
        deeper = []
        for value in level:
            children = value.values() if isinstance(value, dict) else value
            deeper += [child for child in children if isinstance(child, (dict, list))]
        level, depth = deeper, depth + 1


class StrictJSONParser(Parser):
    """ninja's JSON parser, refusing what a hostile client could use to hurt the server."""

    def parse_body(self, request):
        body = request.body  # raises RequestDataTooBig over DATA_UPLOAD_MAX_MEMORY_SIZE
        limit = max_depth()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BodyRefused("json_invalid", _("请求体必须是UTF-8编码的JSON")) from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise _too_deep(limit) from None
        except json.JSONDecodeError as exc:
            raise BodyRefused("json_invalid", _("请求体不是有效的JSON（第%(line)d行第%(column)d列：%(reason)s）") % {
                "line": exc.lineno, "column": exc.colno, "reason": exc.msg}) from None
        # Cheap shortcut: a body with fewer brackets than the limit cannot nest deeper.
        if text.count("[") + text.count("{") > limit:
            _check_depth(data, limit)
        return data


def body_too_large_payload() -> dict:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return {"detail": [{
        "loc": ["body"],
        "msg": _("请求体超过上限（%(size)s MB）") % {"size": round(limit / (1024 * 1024), 1)},
        "type": "body_too_large",
    }]}


def server_error_payload() -> dict:
    return {"detail": [{"loc": [], "msg": _("服务器内部错误，请稍后重试或联系管理员"), "type": "server_error"}]}


def install_error_handlers(api) -> None:
    """Register the transport-level handlers on a NinjaAPI."""

    def problem(request, status: int, msg: str, code: str):
        return api.create_response(request, {"detail": [{"loc": ["body"], "msg": msg, "type": code}]},
                                   status=status)

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        # Reached when form or multipart fields are read inside an endpoint.
        return api.create_response(request, body_too_large_payload(), status=413)

    @api.exception_handler(BodyRefused)
    def on_refused(request, exc: BodyRefused):
        return problem(request, 422, exc.message, exc.code)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        # ninja wraps every parser failure in HttpError(400, "Cannot parse request body");
        # the cause says what really happened.
        cause = exc.__cause__
        if isinstance(cause, RequestDataTooBig):
            return on_too_big(request, cause)
        if isinstance(cause, BodyRefused):
            return on_refused(request, cause)
        return api.create_response(request, {"detail": [{"loc": [], "msg": str(exc), "type": "http_error"}]},
                                   status=exc.status_code)

    @api.exception_handler(Exception)
    def on_unexpected(request, exc: Exception):
        # Replaces ninja's default (re-raise, or a plain-text traceback when DEBUG): the
        # traceback goes to the log and to got_request_exception receivers (error trackers;
        # Django's test client re-raises it so tests still see the real error).
        log.error("unhandled API exception", exc_info=(type(exc), exc, exc.__traceback__),
                  extra={"path": request.path, "method": request.method})
        got_request_exception.send(sender=None, request=request)
        return api.create_response(request, server_error_payload(), status=500)
