"""The enterprise's own page pieces beside the generic record pages (core.kinds.views): the
operating-status workflow on its detail page and the transition it posts."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core.kinds.views import get_or_404
from citysafe.core.models import WorkflowEvent
from citysafe.core.workflow import TransitionConflict, TransitionError
from citysafe.registry import services


def enterprise_detail_extras(request, obj) -> dict:
    """The detail page's workflow section (RecordKind.detail_extras of the enterprise kind)."""
    from citysafe.registry.workflows import ENTERPRISE_STATUS

    return {
        "transitions": [] if obj.is_archived else ENTERPRISE_STATUS.available(request.user, obj),
        "events": WorkflowEvent.objects.filter(object_type=type(obj)._meta.label, object_id=str(obj.pk))
        .select_related("actor").order_by("at", "id"),
        "status_labels": dict(type(obj).OperatingStatus.choices),
    }


@login_required
@require_POST
def enterprise_transition(request, pk):
    from citysafe.registry.kinds import ENTERPRISES

    obj = get_or_404(request.user, ENTERPRISES, pk)
    try:
        version = int(request.POST.get("version", obj.version))
    except ValueError:
        version = obj.version
    try:
        services.transition_enterprise(request.user, obj.pk, request.POST.get("transition", ""),
                                       expected_version=version, note=request.POST.get("note", ""))
    except ObjectDoesNotExist:
        raise Http404 from None
    except (TransitionError, TransitionConflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("经营状态已更新"))
    return redirect("registry:detail", ENTERPRISES.key, obj.pk)
