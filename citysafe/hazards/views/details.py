"""Extra sections of the generic detail pages: a hazard's loop (available steps, events with
photos, plan, listing, dual report, documents) and a report's triage."""
from django.utils.translation import gettext as _

from citysafe.core import masking, scope
from citysafe.core.attachments import attachments_of
from citysafe.core.models import WorkflowEvent
from citysafe.hazards.models import Grade, Hazard, PublicReport, Reward
from citysafe.hazards.workflows import HAZARD_LOOP, REGULATORS


def hazard_detail_extras(request, obj: Hazard) -> dict:
    user = request.user
    may_change = scope.may(user, Hazard, scope.Action.CHANGE)
    labels = {name: t.title for name, t in HAZARD_LOOP.transitions.items()} | {"fixed_on_spot": _("现场整改")}
    events = list(WorkflowEvent.objects.filter(object_type=Hazard._meta.label, object_id=obj.pk).select_related(
        "actor").prefetch_related("attachments").order_by("at", "id"))
    for event in events:
        event.label = labels.get(event.transition, event.transition)
    return {
        "loop_transitions": HAZARD_LOOP.available(user, obj) if may_change else [],
        "loop_events": events,
        "hazard_files": attachments_of(user, obj),
        "is_major": obj.grade == Grade.MAJOR,
        "may_plan": may_change and obj.is_open and obj.grade == Grade.MAJOR,
        "may_list": may_change and obj.is_open and obj.grade == Grade.MAJOR and user.role in REGULATORS
        and not obj.is_listed,
        "hazard_reports": scope.narrow(user, PublicReport.objects.filter(hazard=obj)),
    }


def report_detail_extras(request, obj: PublicReport) -> dict:
    user = request.user
    name, phone = masking.reporter_for(user, obj.reporter_name, obj.reporter_phone)
    return {
        "reporter_name": name, "reporter_phone": phone,
        "may_triage": scope.may(user, PublicReport, scope.Action.CHANGE) and obj.status == PublicReport.Status.RECEIVED,
        "report_files": attachments_of(user, obj),
        "report_reward": Reward.objects.filter(report=obj).first() if scope.may(user, Reward, scope.Action.CHANGE)
        else None,
        "may_propose_reward": scope.may(user, Reward, scope.Action.CREATE) and obj.hazard_id
        and not Reward.objects.filter(report=obj).exists(),
    }
