"""Detail-page sections of the construction kinds (RecordKind.detail_extras) and the page that
takes a workflow step. Thin: read through scope, call one service, redirect with the outcome."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.construction.kinds import PHONES
from citysafe.construction.models import GasLimit, HighDangerWork, ScaleThreshold, WorkPermit
from citysafe.construction.rules import mask_phone
from citysafe.construction.services.dig import excavation_dig_check
from citysafe.construction.services.site_inspections import site_inspections
from citysafe.construction.services.transitions import transition_permit, transition_work
from citysafe.construction.workflows import HIGH_DANGER_WORK, WORK_PERMIT, gas_test_required, needs_expert_review
from citysafe.core import scope
from citysafe.core.attachments import attachments_of
from citysafe.core.kinds.details import describe
from citysafe.core.workflow.views import take_step


def context(what, request, obj) -> dict:
    user = request.user
    if what == "project":
        works = scope.narrow(user, HighDangerWork.objects.filter(project=obj)).order_by("id")
        permits = scope.narrow(user, WorkPermit.objects.filter(project=obj)).order_by("-valid_from")[:50]
        return {"works": works, "permits": permits, "fields": _masked_fields(obj, user), **site_inspections(user, obj)}
    if what == "work":
        threshold = ScaleThreshold.objects.filter(category=obj.category).first()
        return {"transitions": HIGH_DANGER_WORK.available(user, obj), "threshold": threshold,
                "plan_files": attachments_of(user, obj),
                "may_attach": scope.may(user, HighDangerWork, scope.Action.CHANGE) and not obj.is_archived,
                "needs_review": needs_expert_review(obj), "step_url": reverse("construction:work_step", args=[obj.pk])}
    return {"transitions": WORK_PERMIT.available(user, obj), "gas_required": gas_test_required(obj),
            "gas_limits": _gas_limits(obj), "dig_check": excavation_dig_check(obj, user),
            "step_url": reverse("construction:permit_step", args=[obj.pk])}


def _masked_fields(project, user):
    """The detail page's field list (core.kinds.details) with the people's phones masked, as in
    lists and the API; the extras' context replaces the page's `fields`."""
    phones = {str(project._meta.get_field(name).verbose_name) for name in PHONES}
    return [(label, mask_phone(value) if label in phones and value else value) for label, value in describe(project, user)]


def _gas_limits(permit) -> dict:
    """The permit kind's limits as one line each ("氧含量（%） 19.5–23.5") and their bases."""
    limits = list(GasLimit.objects.filter(kind=permit.kind))
    rows = []
    for limit in limits:
        low, high = limit.minimum, limit.maximum
        bounds = f"{low:g}–{high:g}" if low is not None and high is not None else (
            f"≤ {high:g}" if high is not None else f"≥ {low:g}")
        rows.append(f"{limit.get_measurement_display()} {bounds}")
    return {"rows": rows, "bases": sorted({limit.basis for limit in limits}), "notes": sorted({limit.note for limit in limits} - {""})}


def _number(value):
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return value  # the service names the field and the rule


def _step(request, pk, model, service, key, changes, workflow):
    return take_step(request, pk, model=model, service=service, detail=("construction:detail", key),
                     success=lambda name: _("已完成：%(step)s") % {"step": workflow.transitions[name].title},
                     name_fields=False, changes=changes)


@login_required
@require_POST
def work_step(request, pk):
    changes = {}
    if request.POST.get("transition") == "review":
        changes = {"review_on": request.POST.get("review_on") or None,
                   "review_experts": request.POST.get("review_experts", ""),
                   "review_conclusion": request.POST.get("review_conclusion", "")}
    return _step(request, pk, HighDangerWork, transition_work, "high-danger-works", changes, HIGH_DANGER_WORK)


@login_required
@require_POST
def permit_step(request, pk):
    changes = {}
    if request.POST.get("transition") == "start":
        changes = {name: _number(request.POST.get(name)) for name in
                   ("oxygen_percent", "combustible_percent_lel", "toxic_ppm") if request.POST.get(name, "") != ""}
    return _step(request, pk, WorkPermit, transition_permit, "work-permits", changes, WORK_PERMIT)


@login_required
@require_POST
def assign_inspection(request, pk):
    """A regulator schedules a site inspection of the project for themself (the checklist form on
    the phone is the hazards app's); assigning others stays on the hazards task pages."""
    from datetime import date

    from citysafe.construction.models import ConstructionProject
    from citysafe.construction.services.site_inspections import assign_site_inspection

    try:
        project = scope.get_in_scope(request.user, ConstructionProject.objects.all(), pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    try:
        due_on = date.fromisoformat(request.POST.get("due_on", ""))
    except ValueError:
        due_on = None
    try:
        task = assign_site_inspection(request.user, project, assignee_id=request.user.pk, due_on=due_on)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect("construction:detail", "construction-projects", pk)
    return redirect("hazards:inspect", task.pk)


@login_required
@require_POST
def work_attachment(request, pk):
    """Upload the special plan (专项施工方案) or the review report to a high-danger work."""
    from citysafe.core.attachments import attach_file

    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("请选择要上传的文件"))
        return redirect("construction:detail", "high-danger-works", pk)
    try:
        attach_file(request.user, HighDangerWork._meta.label_lower, pk, uploaded)
    except ObjectDoesNotExist:
        raise Http404 from None
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("附件已上传"))
    return redirect("construction:detail", "high-danger-works", pk)
