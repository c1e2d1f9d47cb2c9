"""Sending one signed webhook request, and the URL policy that keeps webhooks from being
used to reach inside our network (SSRF).

Policy (settings): `SHARING_WEBHOOK_ALLOWED_HOSTS` — if set, only these hosts (an entry
starting with "." allows its subdomains); `SHARING_WEBHOOK_ALLOW_PRIVATE` — unless true,
every address the host resolves to must be a global one (no loopback, private, link-local
such as 169.254.169.254, reserved or multicast). The check runs when a subscription is saved
and again before every request, and the connection goes to the address that was checked
(hand-written with http.client: urllib/requests resolve again when they connect, which a
DNS answer changed in between — DNS rebinding — would get past). Redirects are not followed.

Signature: `X-CitySafe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`
(docs/integration.md has the receiver's check).
"""
import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "CitySafe-Webhook/1"


class UrlRefused(ValueError):
    """The URL is not allowed by the policy (the message says why, in Chinese)."""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    """The receiver's check (also what docs/integration.md shows): fresh timestamp, equal MAC."""
    parts = dict(item.split("=", 1) for item in (header or "").split(",") if "=" in item)
    if not parts.get("t", "").isdigit() or "v1" not in parts:
        return False
    timestamp = int(parts["t"])
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), f"t={timestamp},v1={parts['v1']}")


def _allowed_host(host: str) -> bool:
    allowed = [h.lower() for h in getattr(settings, "SHARING_WEBHOOK_ALLOWED_HOSTS", []) if h]
    if not allowed:
        return True
    return any(host == entry or (entry.startswith(".") and host.endswith(entry)) for entry in allowed)


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to), or UrlRefused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UrlRefused(_("接收地址必须是 http 或 https 网址"))
    if parts.username or parts.password:
        raise UrlRefused(_("接收地址不能包含用户名或密码"))
    host = parts.hostname.lower()
    if not _allowed_host(host):
        raise UrlRefused(_("接收地址的主机不在允许的范围内（SHARING_WEBHOOK_ALLOWED_HOSTS）"))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError):
        raise UrlRefused(_("接收地址的主机无法解析")) from None
    addresses = [info[4][0] for info in infos]
    if not getattr(settings, "SHARING_WEBHOOK_ALLOW_PRIVATE", False):
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise UrlRefused(_("接收地址指向内网或保留地址，不允许"))
    return parts.scheme, host, port, addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict, timeout: float) -> int:
    """POST `body`; the response status (the body is read and dropped). Raises on a refused URL
    or a network failure."""
    scheme, host, port, address = check_url(url)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = (_PinnedHTTPS if scheme == "https" else _PinnedHTTP)(host, port, address, timeout)
    try:
        connection.request("POST", target, body=body, headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        response.read(65536)
        return response.status
    finally:
        connection.close()
