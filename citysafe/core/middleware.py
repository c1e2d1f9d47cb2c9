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
