"""Pages of the prefecture's assessment of its counties: the system with the counties' ranking,
one county's result (manual scores and the review while a draft; read-only for the county), and
the POST edges that call the services."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.assessment import selectors
from citysafe.assessment.models import CountyItemScore, CountyResult, UnitKind
from citysafe.assessment.services import counties
from citysafe.assessment.views.targets import _errors
from citysafe.assessment.workflows import COUNTY_REVIEW
from citysafe.core import scope
from citysafe.core.workflow import TransitionError


@login_required
def county_system(request, pk):
    system = get_object_or_404(selectors.systems(request.user).filter(unit_kind=UnitKind.COUNTY), pk=pk)
    may_score = scope.may(request.user, CountyResult, scope.Action.CREATE)
    return render(request, "assessment/county_system.html", {
        "system": system, "results": counties.results(request.user, pk),
        "indicators": system.indicators.filter(archived_at__isnull=True), "may_score": may_score})


@login_required
@require_POST
def county_score(request, pk):
    try:
        count = counties.score_counties(request.user, pk)
        messages.success(request, _("已计算%(n)d个县（市）的得分") % {"n": count})
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    return redirect("assessment:county_system", pk)


def _readable_result(user, pk) -> CountyResult:
    rows = scope.narrow(user, CountyResult.objects.select_related("system", "county", "assessor"))
    if not scope.may(user, CountyResult, scope.Action.CHANGE):  # a county reads its result once published
        rows = rows.filter(status=CountyResult.Status.PUBLISHED)
    return get_object_or_404(rows, pk=pk)


@login_required
def county_result(request, pk):
    result = _readable_result(request.user, pk)
    writable = scope.may(request.user, CountyItemScore, scope.Action.CHANGE) and scope.may_write(request.user, result)
    return render(request, "assessment/county_result.html", {
        "result": result, "items": result.items.select_related("indicator").order_by("indicator__code"),
        "transitions": COUNTY_REVIEW.available(request.user, result),
        "may_edit": writable and result.status == CountyResult.Status.DRAFT})


@login_required
@require_POST
def county_item(request, pk):
    item = get_object_or_404(scope.narrow(request.user, CountyItemScore.objects.all()), pk=pk)
    try:
        counties.set_county_item(request.user, pk, score=request.POST.get("score", ""),
                                 note=request.POST.get("note", ""))
        messages.success(request, _("评分已保存"))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except (PermissionDenied, CountyItemScore.DoesNotExist) as exc:
        messages.error(request, str(exc) or _("不能修改此记录"))
    return redirect("assessment:county_result", item.result_id)


@login_required
@require_POST
def county_transition(request, pk, name):
    result = _readable_result(request.user, pk)
    try:
        COUNTY_REVIEW.apply(request.user, CountyResult, pk, name, expected_version=result.version,
                            note=request.POST.get("note", ""))
    except (TransitionError, ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    return redirect("assessment:county_result", pk)
