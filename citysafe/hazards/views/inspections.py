"""The phone-first inspection pages: my open tasks and coverage; one task's checklist as a compact
list (pass/fail + note per item, camera upload, location from the phone). The form works offline:
static/citysafe/hazards/inspection-offline.js keeps an unsent form, photos included, in IndexedDB
and sends it when the connection returns (the client key makes a resend harmless)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.workflow.views import error_text
from citysafe.hazards.inspection_models import InspectionTask
from citysafe.hazards.services.inspections import coverage, submit_inspection


@login_required
def my_tasks(request):
    tasks = scope.narrow(request.user, InspectionTask.objects.filter(status=InspectionTask.Status.OPEN)).select_related(
        "place", "template").order_by("due_on", "id")[:200]
    return render(request, "hazards/inspections.html", {"tasks": tasks, "coverage": coverage(request.user)})


def _number(value):
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def inspect(request, pk):
    try:
        task = scope.get_in_scope(request.user, InspectionTask.objects.select_related("template", "place"), pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    items = task.template.items
    if request.method == "POST":
        results = [{"ok": request.POST.get(f"item-{n}") == "ok", "note": request.POST.get(f"note-{n}", "")}
                   if request.POST.get(f"item-{n}") in ("ok", "fail") else {} for n in range(len(items))]
        try:
            inspection, hazards = submit_inspection(
                request.user, template_id=task.template_id, place_id=task.place_id, task_id=task.pk, results=results,
                lon=_number(request.POST.get("lon")), lat=_number(request.POST.get("lat")),
                client_key=request.POST.get("client_key", ""), photos=request.FILES.getlist("photos"))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("检查已提交，不合格项已登记为隐患：%(n)s项") % {"n": len(hazards)})
            return redirect("hazards:inspections")
    return render(request, "hazards/inspect.html", {"task": task, "items": items})
