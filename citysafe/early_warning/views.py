"""Staff pages beside the warning kind's generic pages: workflow steps, the delivery
dashboard, CAP upload, danger reports."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core import scope
from citysafe.core.workflow.views import posted_version, run_action
from citysafe.early_warning import selectors, services
from citysafe.early_warning.cap.export import CapRuleError, to_xml
from citysafe.early_warning.cap_import import import_cap
from citysafe.early_warning.delivery import dashboard
from citysafe.early_warning.models import DangerReport, MessageType, Warning
from citysafe.early_warning.workflows import WARNING


def _visible(user, pk) -> Warning:
    try:
        return selectors.get_warning(user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _messages_of(exc: ValidationError) -> str:
    return "；".join(f"{m}" for messages_ in exc.message_dict.values() for m in messages_)


def warning_detail_extras(request, obj) -> dict:
    """The detail page's workflow buttons, versions, CAP link and delivery dashboard."""
    user = request.user
    from citysafe.early_warning.workflows import approver_roles

    # Approval only where the level's authority table names the user's role (the guard's rule).
    steps = [t for t in WARNING.available(user, obj) if not t.system
             and (t.name != "approve" or user.role in approver_roles(obj.level, obj, user))]
    return {"warning_steps": steps, "warning_versions": selectors.versions_of(user, obj.pk),
            "warning_may_revise": obj.status == Warning.Status.PUBLISHED and obj.msg_type != MessageType.CANCEL
            and scope.may(user, Warning, scope.Action.CREATE),
            "warning_dashboard": dashboard(obj) if obj.identifier else None}


@login_required
@require_POST
def warning_step(request, pk):
    _visible(request.user, pk)
    run_action(request, lambda: services.transition_warning(
        request.user, pk, request.POST.get("transition", ""), expected_version=posted_version(request),
        note=request.POST.get("note", "")), _("预警流程已更新"), name_fields=False)
    return redirect("early_warning:detail", "warnings", pk)


@login_required
@require_POST
def warning_revise(request, pk):
    _visible(request.user, pk)
    try:
        revision = services.start_revision(request.user, pk, request.POST.get("msg_type", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _messages_of(exc) if isinstance(exc, ValidationError) else str(exc))
        return redirect("early_warning:detail", "warnings", pk)
    messages.success(request, _("已创建新版本草稿，请修改后提交审核"))
    return redirect("early_warning:edit", "warnings", revision.pk)


@login_required
def warning_cap(request, pk):
    warning = _visible(request.user, pk)
    try:
        return HttpResponse(to_xml(warning), content_type="application/cap+xml; charset=utf-8")
    except CapRuleError:
        raise Http404 from None


@login_required
def cap_upload(request):
    if not scope.may(request.user, Warning, scope.Action.CREATE):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("请选择CAP文件")
        else:
            from citysafe.early_warning.cap.parse import max_bytes

            try:
                warning = import_cap(request.user, upload.read(max_bytes() + 1), source=upload.name[:100])
            except ValidationError as exc:
                error = _messages_of(exc)
            else:
                messages.success(request, _("已导入为草稿"))
                return redirect("early_warning:detail", "warnings", warning.pk)
    return render(request, "early_warning/cap_upload.html", {"error": error}, status=422 if error else 200)


@login_required
def danger_reports(request):
    reports = scope.narrow(request.user, DangerReport.objects.select_related("township"))[:200]
    return render(request, "early_warning/danger_reports.html", {"reports": reports})
