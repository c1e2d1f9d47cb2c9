"""Extra sections of the generic detail pages (core.kinds detail_extras): a risk point's
assessments and measures, an assessment's workflow actions, a unit's inventory."""
from citysafe.core import scope
from citysafe.core.models import WorkflowEvent
from citysafe.risks.models import Assessment, ControlMeasure, Inventory, RiskPoint


def risk_point_detail_extras(request, obj: RiskPoint) -> dict:
    user = request.user
    return {
        "risk_assessments": scope.narrow(user, Assessment.objects.filter(risk_point=obj)).order_by(
            "-assessed_on", "-id")[:50],
        "risk_measures": scope.narrow(user, ControlMeasure.objects.filter(risk_point=obj)).select_related(
            "responsible_person"),
        "risk_persons": [p for p in obj.responsible_persons.all() if scope.may_read_related(user, p)],
        "may_assess": scope.may(user, Assessment, scope.Action.CREATE),
        "may_add_measure": scope.may(user, ControlMeasure, scope.Action.CREATE),
    }


def assessment_detail_extras(request, obj: Assessment) -> dict:
    from citysafe.risks.workflows import ASSESSMENT_REVIEW

    return {
        "assessment_transitions": ASSESSMENT_REVIEW.available(request.user, obj),
        "assessment_events": WorkflowEvent.objects.filter(object_type=Assessment._meta.label,
                                                          object_id=obj.pk).select_related("actor"),
    }


def installation_detail_extras(request, obj) -> dict:
    return {"unit_inventories": scope.narrow(request.user, Inventory.objects.filter(installation=obj)).select_related(
        "substance")}
