"""Pages: indicator systems, scoring, a unit's result with each automatic score's source
records, manual scores, review/approval, the result letter (PDF), the demonstration city."""
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.assessment import selectors
from citysafe.assessment.models import CityItem, CitySelfAssessment, Interview, ItemScore, UnitKind, UnitResult
from citysafe.assessment.services import city, letters, metrics, reports, scoring
from citysafe.assessment.services.home import county_of
from citysafe.assessment.views.targets import _errors
from citysafe.assessment.workflows import RESULT_REVIEW
from citysafe.core import scope
from citysafe.core.workflow import TransitionError


@login_required
def systems(request):
    visible = selectors.systems(request.user)
    return render(request, "assessment/systems.html", {
        "systems": visible, "may_score": scope.may(request.user, UnitResult, scope.Action.CREATE)})


@login_required
def system_detail(request, pk):
    system = selectors.systems(request.user).filter(pk=pk).first()
    if system is not None and system.unit_kind == UnitKind.COUNTY:
        return redirect("assessment:county_system", pk)
    results = list(selectors.results(request.user, pk)) if system else []
    if system is None or (not results and not scope.may(request.user, UnitResult, scope.Action.CREATE)):
        raise Http404
    return render(request, "assessment/system.html", {
        "system": system, "results": results, "indicators": system.indicators.filter(archived_at__isnull=True),
        "may_score": scope.may(request.user, UnitResult, scope.Action.CREATE)})


@login_required
@require_POST
def score(request, pk):
    try:
        count = scoring.score_system(request.user, pk)
        messages.success(request, _("已计算%(n)d个单位的得分") % {"n": count})
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    return redirect("assessment:system", pk)


@login_required
def result_detail(request, pk):
    result = scope.get_in_scope(request.user, UnitResult.objects.select_related("system", "organisation"), pk)
    items = list(result.items.select_related("indicator").order_by("indicator__code"))
    return render(request, "assessment/result.html", {
        "result": result, "items": items, "interviews": result.interviews.all(),
        "transitions": [t for t in RESULT_REVIEW.transitions.values()
                        if result.status in t.sources and RESULT_REVIEW.may_take(request.user, t)],
        "may_edit": result.status == UnitResult.Status.DRAFT and scope.may(request.user, ItemScore, scope.Action.CHANGE),
        "may_interview": scope.may(request.user, Interview, scope.Action.CREATE)})


@login_required
def item_sources(request, pk):
    """The records an automatic score was computed from, each marked met or not."""
    item = scope.get_in_scope(request.user, ItemScore.objects.select_related("indicator", "result__system",
                                                                           "result__organisation"), pk)
    if not item.indicator.metric:
        raise Http404
    system = item.result.system
    key = scoring.unit_key(system, item.result.organisation)
    period = metrics.Period.of_year(system.year, item.result.scored_at.date() if item.result.scored_at else None)
    rows = scope.narrow(request.user, metrics.records(item.indicator.metric, system.unit_kind, key, period))
    definition = metrics.DEFINITIONS[item.indicator.metric]
    return render(request, "assessment/sources.html", {
        "item": item, "rows": rows[:500], "count": rows.count(), "definition": definition, "period": period})


@login_required
@require_POST
def set_item(request, pk):
    item = scope.get_in_scope(request.user, ItemScore.objects.all(), pk)
    try:
        scoring.set_item_score(request.user, pk, score=request.POST.get("score", ""), note=request.POST.get("note", ""))
        if request.FILES.getlist("files"):
            from citysafe.core.attachments import store_attachment

            for upload in request.FILES.getlist("files")[:5]:
                store_attachment(request.user, upload, owner=item)
        messages.success(request, _("评分已保存"))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("assessment:result", item.result_id)


@login_required
@require_POST
def transition(request, pk, name):
    result = scope.get_in_scope(request.user, UnitResult.objects.all(), pk)
    try:
        RESULT_REVIEW.apply(request.user, UnitResult, pk, name, expected_version=result.version,
                            note=request.POST.get("note", ""))
    except (TransitionError, ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    return redirect("assessment:result", pk)


@login_required
def letter(request, pk):
    content, filename = letters.letter_pdf(request.user, pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def ranking_xlsx(request, pk):
    if not selectors.systems(request.user).filter(pk=pk).exists():
        raise Http404
    content, filename = reports.ranking_workbook(request.user, pk)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_POST
def interview(request, pk):
    from datetime import date

    try:
        held_on = date.fromisoformat(request.POST.get("held_on") or "")
        due = request.POST.get("follow_up_due")
        reports.record_interview(request.user, pk, held_on=held_on, interviewee=request.POST.get("interviewee", ""),
                                 reason=request.POST.get("reason", ""), follow_up=request.POST.get("follow_up", ""),
                                 follow_up_due=date.fromisoformat(due) if due else None)
        messages.success(request, _("约谈记录已保存"))
    except ValueError:
        messages.error(request, _("日期格式应为YYYY-MM-DD"))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("assessment:result", pk)


@login_required
def city_page(request):
    county = county_of(request.user)
    if county is None or not (scope.narrow(request.user, CityItem.objects.all()).exists()
                              or scope.may(request.user, CitySelfAssessment, scope.Action.CREATE)):
        raise Http404  # county-wide roles of one county only
    history = list(scope.narrow(request.user, CitySelfAssessment.objects.all()))
    year = int(request.GET.get("year") or (history[0].year if history else 0)) or None
    current = next((a for a in history if a.year == year), None)
    scores = list(current.items.select_related("item").order_by("item__code")) if current else []
    return render(request, "assessment/city.html", {
        "history": history, "current": current, "scores": scores, "gaps": city.gaps(current) if current else [],
        "items": city.checklist(county) if current else city.template(county),
        "may_edit": scope.may(request.user, CitySelfAssessment, scope.Action.CREATE)})


@login_required
@require_POST
def city_run(request):
    try:
        assessment = city.run_self_assessment(request.user, int(request.POST.get("year") or 0))
        return redirect(f"{reverse('assessment:city')}?year={assessment.year}")
    except (ValidationError, PermissionDenied, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect("assessment:city")


@login_required
@require_POST
def city_item(request, pk):
    try:
        score = city.set_city_item(request.user, pk, lost=request.POST.get("lost", ""), note=request.POST.get("note", ""))
        return redirect(f"{reverse('assessment:city')}?year={score.assessment.year}")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("assessment:city")


@login_required
def ranking_pdf(request, pk):
    if not selectors.systems(request.user).filter(pk=pk).exists():
        raise Http404
    content, filename = reports.ranking_pdf(request.user, pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
