"""Enterprise pages of the operating-status workflow and of attachments: the detail page's
extra context, the transition form and the upload form. Thin: parse, call one service,
redirect with a message. Kept apart from the generic record pages (views/pages.py)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core import scope
from citysafe.core.attachments import attach_file, attachments_of
from citysafe.core.field_labels import field_label
from citysafe.core.models import WorkflowEvent
from citysafe.core.workflow.views import posted_version, run_action
from citysafe.registry import services
from citysafe.registry.models import Enterprise


def workflow_context(user, obj: Enterprise) -> dict:
    """What the enterprise detail page shows about its status and files."""
    from citysafe.registry.workflows import ENTERPRISE_STATUS

    return {
        "transitions": [] if obj.is_archived else ENTERPRISE_STATUS.available(user, obj),
        "events": WorkflowEvent.objects.filter(object_type=Enterprise._meta.label, object_id=obj.pk)
        .select_related("actor").prefetch_related("attachments").order_by("at", "id"),
        "status_labels": dict(Enterprise.OperatingStatus.choices),
        "attachments": attachments_of(user, obj),
        "may_attach": scope.may(user, Enterprise, scope.Action.CHANGE) and not obj.is_archived,
    }


def _messages_of(exc: ValidationError) -> str:
    parts = []
    for field, errors in exc.message_dict.items():
        label = {"attachments": _("附件"), "address": _("地址"), "payload.deadline": _("整改期限"),
                 "file": _("文件"), "expected_version": _("版本")}.get(field, "")
        if not label and field not in ("transition", "__all__"):
            label = field_label(Enterprise, field)  # never the raw key
        parts.extend(f"{label}：{e}" if label else e for e in errors)
    return "；".join(parts)


def _visible(user, pk) -> Enterprise:
    try:
        return scope.get_in_scope(user, Enterprise.objects.all(), pk)
    except ObjectDoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def enterprise_transition(request, pk):
    _visible(request.user, pk)
    post = request.POST
    name = post.get("transition", "")
    payload = {"deadline": post["deadline"]} if name == "suspend" and post.get("deadline") else None
    changes = {"address": post.get("address", "")} if name == "finish_relocation" else None
    run_action(request, lambda: services.transition_enterprise(
        request.user, pk, name, expected_version=posted_version(request), note=post.get("note", ""),
        payload=payload, changes=changes, attachments=post.getlist("attachments")),
        _("经营状态已更新"), describe=_messages_of)
    return redirect("registry:detail", "enterprises", pk)


@login_required
@require_POST
def enterprise_attachment(request, pk):
    _visible(request.user, pk)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("请选择要上传的文件"))
    else:
        try:
            attach_file(request.user, Enterprise._meta.label_lower, pk, uploaded)
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
        else:
            messages.success(request, _("附件已上传"))
    return redirect("registry:detail", "enterprises", pk)
