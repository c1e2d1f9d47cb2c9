"""SMS through a pluggable gateway (NOTIFICATION_SMS_GATEWAY, a dotted path):

- `HttpSmsGateway` POSTs JSON to NOTIFICATION_SMS_URL (an operator's or the county's SMS
  platform), signed (X-CitySafe-Signature, HMAC-SHA256) with an Idempotency-Key; the gateway
  reports delivery later to /api/v1/notifications/receipts (signed the same way);
- `FileSmsGateway` appends one JSON line per message to NOTIFICATION_SMS_FILE (or logs it
  when unset): the demo and trials, no operator needed.

Sent = the gateway accepted it; delivered comes from the gateway's receipt. At-least-once
like every external channel: the gateway drops repeats by the idempotency key."""
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.notifications.channels import Channel, DeliveryError, DeliveryResult
from citysafe.notifications.models import Notification, Receipt, TargetKind
from citysafe.notifications.signing import ack_code, sign

logger = logging.getLogger(__name__)
SMS_MAX_CHARS = 500  # long SMS are concatenated by the operator; keep a warning to a few parts


def phone_of(notification: Notification) -> str:
    if notification.target_kind == TargetKind.PHONE:
        return notification.address
    if notification.target_kind == TargetKind.PERSON:
        return notification.person.phone
    if notification.target_kind == TargetKind.USER:
        return getattr(notification.recipient, "phone", "") or ""
    return ""


def sms_text(notification: Notification) -> str:
    text = f"【{notification.subject}】{notification.body}"
    if notification.payload.get("ack"):
        text += " " + _("回复“1 %(code)s”表示已收到。") % {"code": ack_code(notification.pk)}
    return text[:SMS_MAX_CHARS]


class HttpSmsGateway:
    timeout_seconds = 10

    def send(self, phone: str, text: str, *, idempotency_key: str) -> str:
        url = getattr(settings, "NOTIFICATION_SMS_URL", "")
        if not url:
            raise DeliveryError("NOTIFICATION_SMS_URL is not set")
        body = json.dumps({"to": phone, "text": text, "id": idempotency_key}, ensure_ascii=False).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 (configured http/https URL)
            "Content-Type": "application/json; charset=utf-8", "Idempotency-Key": idempotency_key,
            "X-CitySafe-Signature": sign(body)})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                answer = response.read(4096)
                status = response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"SMS gateway answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"SMS gateway unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise DeliveryError(f"SMS gateway answered HTTP {status}")
        try:
            return str(json.loads(answer or b"{}").get("message_id", ""))
        except ValueError:
            return ""


class FileSmsGateway:
    timeout_seconds = 5

    def send(self, phone: str, text: str, *, idempotency_key: str) -> str:
        path = getattr(settings, "NOTIFICATION_SMS_FILE", "")
        line = json.dumps({"to": phone, "text": text, "id": idempotency_key}, ensure_ascii=False)
        if not path:
            logger.warning("SMS (console gateway) %s", line)
            return idempotency_key
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return idempotency_key


def gateway():
    return import_string(getattr(settings, "NOTIFICATION_SMS_GATEWAY",
                                 "citysafe.notifications.sms.FileSmsGateway"))()


class SmsChannel(Channel):
    label = gettext_lazy("短信")
    target_kinds = frozenset({TargetKind.PHONE, TargetKind.PERSON, TargetKind.USER})
    timeout_seconds = 10

    def deliver(self, notification: Notification, *, idempotency_key: str) -> DeliveryResult:
        phone = phone_of(notification)
        if not phone:
            raise DeliveryError("the recipient has no phone number")
        message_id = gateway().send(phone, sms_text(notification), idempotency_key=idempotency_key)
        return DeliveryResult(Receipt.Status.SENT, f"gateway message {message_id}")


class EmailChannel(Channel):
    """E-mail through Django's e-mail backend (SMTP in production: EMAIL_HOST …)."""

    label = gettext_lazy("电子邮件")
    target_kinds = frozenset({TargetKind.EMAIL, TargetKind.USER})
    timeout_seconds = 20

    def deliver(self, notification: Notification, *, idempotency_key: str) -> DeliveryResult:
        from django.core.mail import EmailMessage

        address = notification.address if notification.target_kind == TargetKind.EMAIL else \
            getattr(notification.recipient, "email", "")
        if not address:
            raise DeliveryError("the recipient has no e-mail address")
        body = notification.body
        if notification.payload.get("ack"):
            link = f"{settings.PUBLIC_BASE_URL.rstrip('/')}/notifications/ack/{ack_code(notification.pk)}/"
            body += "\n\n" + _("确认已收到：%(link)s") % {"link": link}
        message = EmailMessage(notification.subject, body, to=[address],
                               headers={"Message-ID": f"<{idempotency_key}@citysafe>"})
        try:
            message.send(fail_silently=False)
        except OSError as exc:
            raise DeliveryError(f"SMTP failed: {exc}") from exc
        return DeliveryResult(Receipt.Status.SENT, "handed to the mail server")
