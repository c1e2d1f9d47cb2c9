"""Detail-page sections of the enforcement kinds (core.kinds detail_extras)."""
from django.utils import timezone

from citysafe.core import scope
from citysafe.core.models import WorkflowEvent
from citysafe.enforcement import calendar
from citysafe.enforcement.models import Case, Evidence, InspectionRecord, Status
from citysafe.enforcement.services.documents import available_documents
from citysafe.enforcement.workflows import CASE_FLOW


def case_detail_extras(request, obj: Case) -> dict:
    user = request.user
    may_change = scope.may(user, Case, scope.Action.CHANGE)
    labels = {name: t.title for name, t in CASE_FLOW.transitions.items()}
    events = list(WorkflowEvent.objects.filter(object_type=Case._meta.label, object_id=obj.pk)
                  .select_related("actor").order_by("at", "id"))
    for event in events:
        event.label = labels.get(event.transition, event.transition)
    today = timezone.localdate()
    due = timezone.localtime(obj.due_at).date() if obj.due_at else None
    return {
        "case_transitions": CASE_FLOW.available(user, obj) if may_change else [],
        "case_events": events,
        "evidence": scope.narrow(user, Evidence.objects.filter(case=obj)).select_related("attachment"),
        "evidence_kinds": Evidence.Kind.choices,
        "may_collect": may_change and obj.status in (Status.INVESTIGATING, Status.NOTIFIED, Status.HEARING),
        "may_publish": may_change and obj.decided_on is not None and obj.published_at is None,
        "documents": available_documents(obj),
        "due_day": due,
        "workdays_left": calendar.workdays_left(today, due) if due and due >= today else None,
        "penalties": Case._meta.get_field("penalty").choices,
    }


def inspection_detail_extras(request, obj: InspectionRecord) -> dict:
    user = request.user
    return {"may_open_case": scope.may(user, Case, scope.Action.CREATE)
            and obj.result == InspectionRecord.Result.VIOLATION,
            "inspection_cases": scope.narrow(user, obj.cases.all())}
