"""Incident command pages: the detail page's command section (ranked resources, dispatch,
tasks, timeline, plans, transitions), its POST actions, the green-channel route and the
closing report. Thin: parse, call one service or selector, redirect with a message."""
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citysafe.core import scope
from citysafe.core.workflow.views import posted_version, run_action
from citysafe.emergency import selectors
from citysafe.emergency.models import Dispatch, Incident, RescueTeam
from citysafe.emergency.services import incidents as services
from citysafe.emergency.workflows import INCIDENT


def command_context(request, obj: Incident) -> dict:
    user = request.user
    may_command = scope.may(user, Incident, scope.Action.CHANGE) and obj.status != Incident.Status.CLOSED \
        and not obj.is_archived
    return {
        "ranked": selectors.ranked_resources(user, obj),
        "dispatches": list(obj.dispatches.select_related("team", "material", "material__stockpile", "ordered_by")),
        "logs": list(obj.logs.select_related("actor")),
        "plans": selectors.matching_plans(user, obj),
        "transitions": [] if obj.is_archived else INCIDENT.available(user, obj),
        "may_command": may_command,
        "dispatch_statuses": Dispatch.Status.choices,
    }


def _incident(user, pk) -> Incident:
    try:
        return scope.get_in_scope(user, Incident.objects.all(), pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _back(pk):
    return redirect("emergency:detail", "incidents", pk)


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def _run(request, pk, call, success: str):
    try:
        run_action(request, call, success, name_fields=False)
    except ObjectDoesNotExist:
        raise Http404 from None
    return _back(pk)


@login_required
@require_POST
def transition(request, pk):
    _incident(request.user, pk)
    post = request.POST
    name = post.get("transition", "")
    summary = post.get("summary") if name == "close" else None
    return _run(request, pk, lambda: services.transition_incident(
        request.user, pk, name, expected_version=posted_version(request), note=post.get("note", ""), summary=summary),
        _("事件状态已更新"))


@login_required
@require_POST
def dispatch_team(request, pk):
    _incident(request.user, pk)
    eta = _number(request.POST.get("eta_seconds"))
    return _run(request, pk, lambda: services.dispatch_team(
        request.user, pk, request.POST.get("team_id"), eta_seconds=eta if isinstance(eta, float) else None),
        _("队伍已调派"))


@login_required
@require_POST
def issue_material(request, pk):
    _incident(request.user, pk)
    return _run(request, pk, lambda: services.issue_material(
        request.user, pk, request.POST.get("material_id"), _number(request.POST.get("quantity"))), _("物资已调拨"))


@login_required
@require_POST
def add_task(request, pk):
    _incident(request.user, pk)
    return _run(request, pk, lambda: services.add_task(request.user, pk, request.POST.get("task", "")),
                _("任务已下达"))


@login_required
@require_POST
def add_log(request, pk):
    _incident(request.user, pk)
    return _run(request, pk, lambda: services.add_log(request.user, pk, request.POST.get("text", "")),
                _("日志已记录"))


@login_required
@require_POST
def dispatch_status(request, pk, dispatch_pk):
    _incident(request.user, pk)
    return _run(request, pk, lambda: services.set_dispatch_status(
        request.user, dispatch_pk, request.POST.get("status", "")), _("调度状态已更新"))


@login_required
@require_GET
def route(request, pk, team_pk):
    """The green channel from a team to the incident, GeoJSON; 422 with the reason if none."""
    incident = _incident(request.user, pk)
    try:
        team = scope.get_in_scope(request.user, RescueTeam.objects.all(), team_pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    try:
        feature = selectors.green_channel(team, incident)
    except selectors.NoRoute as exc:
        return JsonResponse({"detail": [{"loc": ["team"], "msg": str(exc), "type": "unreachable"}]}, status=422)
    incident_point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [incident.lon, incident.lat]},
                      "properties": {"kind": "incident", "name": incident.title}}
    return HttpResponse(json.dumps({"type": "FeatureCollection", "features": [feature, incident_point]},
                                   ensure_ascii=False), content_type="application/geo+json")


@login_required
@require_GET
def report(request, pk):
    from citysafe.emergency.report import incident_report_pdf

    incident = _incident(request.user, pk)
    pdf = incident_report_pdf(request.user, incident)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="incident-{incident.code}.pdf"'
    return response
