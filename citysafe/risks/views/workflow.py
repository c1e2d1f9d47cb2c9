"""The assessment review actions on the assessment's detail page. Thin: parse, call the
service, redirect with a message."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core import scope
from citysafe.core.concurrency import StaleRecord
from citysafe.core.workflow import TransitionError
from citysafe.risks import services
from citysafe.risks.models import Assessment


def error_text(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return "；".join(exc.messages)
    return "；".join(f"{field}：{message}" if field != "__all__" else message
                    for field, items in exc.message_dict.items() for message in items)


@login_required
@require_POST
def assessment_transition(request, pk):
    try:
        scope.get_in_scope(request.user, Assessment.objects.all(), pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.transition_assessment(request.user, pk, request.POST.get("transition", ""), expected_version=version,
                                       note=request.POST.get("note", ""))
    except (TransitionError, StaleRecord) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("评估状态已更新"))
    return redirect("risks:detail", "assessments", pk)
