"""The assessment review actions on the assessment's detail page. Thin: parse, call the
service, redirect with a message."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core.concurrency import StaleRecord
from citysafe.core.workflow import TransitionError
from citysafe.core.workflow.views import error_text, posted_version, visible_or_404
from citysafe.risks import services
from citysafe.risks.models import Assessment


@login_required
@require_POST
def assessment_transition(request, pk):
    visible_or_404(request.user, Assessment, pk)
    try:
        services.transition_assessment(request.user, pk, request.POST.get("transition", ""),
                                       expected_version=posted_version(request), note=request.POST.get("note", ""))
    except (TransitionError, StaleRecord) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("评估状态已更新"))
    return redirect("risks:detail", "assessments", pk)
