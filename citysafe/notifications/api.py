"""Gateway callbacks (no user session: the body is signed with HMAC-SHA256,
X-CitySafe-Signature, see signing.py): delivery receipts and SMS replies (已收到)."""
import json
import re

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Router, Schema

from citysafe.core.kinds.api import ERRORS
from citysafe.notifications import services
from citysafe.notifications.signing import is_valid

gateway_router = Router(tags=["notifications"], auth=None)
REPLY_CODE = re.compile(r"(\d+-[0-9a-f]{6})")


class Done(Schema):
    ok: bool


def _signed_body(request) -> dict:
    if not is_valid(request.body, request.headers.get("X-CitySafe-Signature", "")):
        raise PermissionDenied(_("签名无效"))
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        from citysafe.core.validation import field_error

        raise field_error("body", _("请求体必须是JSON对象"), "json_invalid")
    return data


@gateway_router.post("/receipts", response={200: Done, **ERRORS}, operation_id="gateway_receipt",
                     summary="a gateway's delivery report: {id: idempotency key, status: delivered|failed}")
def gateway_receipt(request):
    data = _signed_body(request)
    services.receipt_from_gateway(str(data.get("id", "")), str(data.get("status", "")),
                                  detail=str(data.get("detail", "")))
    return {"ok": True}


@gateway_router.post("/replies", response={200: Done, **ERRORS}, operation_id="gateway_reply",
                     summary="an SMS reply forwarded by the gateway: {from, text} with the 已收到 code")
def gateway_reply(request):
    data = _signed_body(request)
    found = REPLY_CODE.search(str(data.get("text", "")))
    services.acknowledge_by_code(found.group(1) if found else "", detail=f"SMS reply from {data.get('from', '')}"[:200])
    return {"ok": True}
