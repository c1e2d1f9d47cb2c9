"""HMAC-SHA256 signatures: outgoing webhooks (the receiver checks them), incoming gateway
receipts (we check them), and the acknowledgement codes/links recipients answer with.
The secret comes from settings / the environment (NOTIFICATION_SIGNING_SECRET), never the repo."""
import hashlib
import hmac

from django.conf import settings


def secret() -> bytes:
    value = getattr(settings, "NOTIFICATION_SIGNING_SECRET", "") or settings.SECRET_KEY
    return value.encode()


def sign(body: bytes) -> str:
    return "sha256=" + hmac.new(secret(), body, hashlib.sha256).hexdigest()


def is_valid(body: bytes, signature: str) -> bool:
    return bool(signature) and hmac.compare_digest(sign(body), signature.strip())


def ack_code(notification_id: int) -> str:
    """A short code a recipient replies with (or the token in the 已收到 link): the row's id
    and 6 hex digits of its HMAC, so codes cannot be guessed from ids."""
    mac = hmac.new(secret(), f"ack:{notification_id}".encode(), hashlib.sha256).hexdigest()[:6]
    return f"{notification_id}-{mac}"


def notification_for_code(code: str) -> int | None:
    head, _, _mac = (code or "").strip().partition("-")
    if not head.isdigit() or not hmac.compare_digest(ack_code(int(head)), code.strip()):
        return None
    return int(head)
