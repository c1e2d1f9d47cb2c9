"""Download of the risk list ledger (风险清单): per enterprise, township, or the user's whole scope."""
import io
import re
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from citysafe.risks.printouts.ledger import write_risk_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ID = re.compile(r"[0-9]{1,18}")


@login_required
@require_GET
def risk_list(request):
    ids = {}
    for name, label in (("enterprise", _("企业")), ("township", _("乡镇"))):
        value = (request.GET.get(name) or "").strip()
        if value and not _ID.fullmatch(value):
            return JsonResponse({"detail": [{"loc": ["query", name], "type": "value_error",
                                             "msg": _("%(label)s须为编号（数字），收到“%(value)s”") % {
                                                 "label": label, "value": value[:20]}}]}, status=422)
        ids[name] = int(value) if value else None
    buffer = io.BytesIO()
    try:
        _rows, title = write_risk_list(request.user, buffer, enterprise_id=ids["enterprise"],
                                       township_id=ids["township"])
    except ObjectDoesNotExist:
        raise Http404 from None  # an enterprise or township outside the caller's scope
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"{title}_{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"risk-list.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return response
