"""Conflict pages: the list per township and industry with its map, the Excel ledger, a
conflict's page with its two decisions (to a hazard; accepted with reason and approver)."""
import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core import scope
from citysafe.registry.models import Industry
from citysafe.siting import selectors
from citysafe.siting.models import Conflict, ConflictStatus, HazardousKind, SafetyDistanceRule, SensitiveKind
from citysafe.siting.services import conflicts as services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def conflict_list(request):
    filters = selectors.parse_filters(request.GET)
    rows = selectors.conflicts_for(request.user, filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "siting/conflicts.html", {
        "page": page, "summary": selectors.summary(request.user, filters), "filters": filters,
        "query": query.urlencode(), "townships": selectors.townships_for(request.user),
        "industries": Industry.objects.filter(archived_at__isnull=True).order_by("code"),
        "statuses": ConflictStatus.choices, "hazardous_kinds": HazardousKind.choices,
        "sensitive_kinds": SensitiveKind.choices,
        "may_recompute": scope.may(request.user, SafetyDistanceRule, scope.Action.CHANGE),
    })


@login_required
def conflict_geojson(request):
    filters = selectors.parse_filters(request.GET)
    rows = selectors.conflicts_for(request.user, filters).order_by("-required_m", "distance_m")[:2000]
    return JsonResponse(selectors.conflict_geojson(rows))


@login_required
def conflict_ledger(request):
    from citysafe.siting.services.ledger import write_conflict_ledger

    buffer = io.BytesIO()
    write_conflict_ledger(request.user, buffer, filters=selectors.parse_filters(request.GET))
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(_('安全距离冲突台账.xlsx'))}"
    return response


def _conflict(request, pk) -> Conflict:
    try:
        return selectors.conflict_for(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None


@login_required
def conflict_detail(request, pk):
    conflict = _conflict(request, pk)
    return render(request, "siting/conflict.html", {
        "conflict": conflict, "may_decide": scope.may(request.user, Conflict, scope.Action.CHANGE)
        and conflict.status == ConflictStatus.OPEN and conflict.is_current,
        "geojson": selectors.conflict_geojson([conflict]), "errors": {}})


def _messages_of(error: ValidationError) -> dict:
    return {field: [str(m) for m in messages_] for field, messages_ in error.message_dict.items()}


@login_required
@require_POST
def conflict_decide(request, pk):
    conflict = _conflict(request, pk)
    try:
        if request.POST.get("decision") == "hazard":
            hazard = services.conflict_to_hazard(request.user, conflict.pk)
            messages.success(request, _("已转为隐患 %(code)s") % {"code": hazard.code})
            return redirect("hazards:detail", "hazards", hazard.pk)
        services.accept_conflict(request.user, conflict.pk, reason=request.POST.get("reason", ""),
                                 approver=request.POST.get("approver", ""))
        messages.success(request, _("已认可该冲突"))
        return redirect("siting:conflict", conflict.pk)
    except PermissionDenied:
        raise
    except ValidationError as error:
        return render(request, "siting/conflict.html", {
            "conflict": conflict, "may_decide": True, "geojson": selectors.conflict_geojson([conflict]),
            "errors": _messages_of(error), "posted": request.POST}, status=422)


@login_required
@require_POST
def conflict_recompute(request):
    # whoever maintains the rule table may re-run the analysis by hand (it also runs on every change)
    scope.require(request.user, SafetyDistanceRule, scope.Action.CHANGE)
    counts = services.recompute_conflicts(note=f"page:{request.user.pk}")
    messages.success(request, _("已重新计算：当前冲突%(current)s处，新增%(new)s处，消除%(resolved)s处") % counts)
    return redirect("siting:conflicts")
