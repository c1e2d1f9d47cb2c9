from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from citysafe.core.api_errors import body_too_large_payload, server_error_payload
from citysafe.core.audit import AuditChannel, _channel


class PageChannelMiddleware:
    """Changes made while serving a page are audited with channel 'page' (or 'admin')."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = AuditChannel.ADMIN if request.path.startswith("/admin/") else AuditChannel.PAGE
        if request.path.startswith("/api/"):
            channel = AuditChannel.API
        token = _channel.set(channel)
        try:
            return self.get_response(request)
        finally:
            _channel.reset(token)


class RequestLogMiddleware:
    """One structured (JSON) log line per request: who, what, status, how long."""

    def __init__(self, get_response):
        import logging

        self.get_response = get_response
        self.log = logging.getLogger("citysafe.request")

    def __call__(self, request):
        import time

        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        self.log.info("request", extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "user": getattr(user, "username", None) if getattr(user, "is_authenticated", False) else None,
            "role": getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None,
        })
        return response


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are Chinese unless the user picked another language with the switcher (cookie).

    A county intranet serves Chinese by default, so a browser's Accept-Language is ignored
    on pages; API clients are programs that ask deliberately, so /api/ honours it.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


class ApiErrorMiddleware:
    """Under /api/ every answer is JSON: no HTML error page, no DEBUG traceback.

    Runs outermost (after SecurityMiddleware) so it also sees what Django's own handlers make
    of errors raised outside ninja: an unknown path (404), a method ninja refuses (405), an
    exception in another middleware (500). A body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused
    here with a 413 before anything else reads it (Django raises RequestDataTooBig lazily,
    wherever request.body is first touched, and would answer 400 or a DEBUG page).
    """

    PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.PREFIX):
            return self.get_response(request)
        content_type = request.META.get("CONTENT_TYPE", "")
        if not content_type.startswith("multipart/"):
            # Multipart bodies are streamed to upload handlers (files do not count towards the
            # limit); every other body is read whole by the JSON parser anyway.
            try:
                request.body  # noqa: B018 - reading it is the check
            except RequestDataTooBig:
                return JsonResponse(body_too_large_payload(), status=413,
                                    json_dumps_params={"ensure_ascii": False})
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            return self.as_json(request, response)
        return response

    @staticmethod
    def as_json(request, response):
        status = response.status_code
        if status >= 500:
            payload = server_error_payload()
        elif status == 413:
            payload = body_too_large_payload()
        else:
            if status == 404:
                msg, code = _("接口不存在：%(path)s") % {"path": request.path}, "not_found"
            elif status == 405:
                msg, code = _("此接口不支持 %(method)s 方法（允许：%(allowed)s）") % {
                    "method": request.method, "allowed": response.get("Allow", "")}, "method_not_allowed"
            elif status == 403:
                msg, code = _("禁止访问"), "forbidden"
            else:
                msg, code = _("请求无效（HTTP %(status)d）") % {"status": status}, "bad_request"
            payload = {"detail": [{"loc": [], "msg": msg, "type": code}]}  # the API's one error shape
        answer = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                answer[header] = response[header]
        return answer
