"""The licence actions on a gathering's detail page and its extra section. Thin: parse, call the service."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core.attachments import attachments_of
from citysafe.core.concurrency import StaleRecord
from citysafe.core.models import WorkflowEvent
from citysafe.core.workflow import TransitionError
from citysafe.core.workflow.views import error_text, posted_version, visible_or_404
from citysafe.risks.gatherings.services import transition_gathering
from citysafe.risks.models import Gathering


def detail_extras(request, obj: Gathering) -> dict:
    from citysafe.risks.gatherings.workflows import GATHERING_LICENCE

    return {
        "gathering_transitions": GATHERING_LICENCE.available(request.user, obj),
        "gathering_events": WorkflowEvent.objects.filter(object_type=Gathering._meta.label, object_id=obj.pk)
        .select_related("actor"),
        "gathering_files": attachments_of(request.user, obj),
    }


@login_required
@require_POST
def gathering_transition(request, pk):
    visible_or_404(request.user, Gathering, pk)
    try:
        transition_gathering(request.user, pk, request.POST.get("transition", ""),
                             expected_version=posted_version(request), note=request.POST.get("note", ""))
    except (TransitionError, StaleRecord) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, error_text(exc, name_fields=False))
    else:
        messages.success(request, _("活动申请状态已更新"))
    return redirect("gatherings:detail", "gatherings", pk)
