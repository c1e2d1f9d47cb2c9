"""The restricted / obsolete industry match list (per township, in the caller's scope) and its
Excel ledger; a manual re-match for whoever maintains the catalogue."""
import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core import scope
from citysafe.registry.models import Industry
from citysafe.siting import selectors
from citysafe.siting.models import MatchStatus, RequiredAction, RestrictedIndustryItem
from citysafe.siting.services.catalogue import rematch
from citysafe.siting.services.ledger import write_match_ledger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def match_list(request):
    filters = selectors.parse_match_filters(request.GET)
    rows = selectors.catalogue_matches_for(request.user, filters).order_by("township__code", "deadline", "id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "siting/catalogue_matches.html", {
        "page": page, "by_township": selectors.catalogue_matches_by_township(request.user, filters),
        "filters": filters, "query": query.urlencode(), "townships": selectors.townships_for(request.user),
        "industries": Industry.objects.filter(archived_at__isnull=True).order_by("code"),
        "actions": RequiredAction.choices, "statuses": MatchStatus.choices,
        "may_rematch": scope.may(request.user, RestrictedIndustryItem, scope.Action.CHANGE),
    })


@login_required
def match_ledger(request):
    buffer = io.BytesIO()
    write_match_ledger(request.user, buffer, filters=selectors.parse_match_filters(request.GET))
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(_('限制淘汰类产业企业台账.xlsx'))}"
    return response


@login_required
@require_POST
def match_rematch(request):
    scope.require(request.user, RestrictedIndustryItem, scope.Action.CHANGE)
    counts = rematch(note=f"page:{request.user.pk}")
    messages.success(request, _("已重新匹配：当前%(current)s家，新增%(new)s家，消除%(resolved)s家") % counts)
    return redirect("siting:catalogue_matches")
