from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

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
