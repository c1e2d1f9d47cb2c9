"""Site inspections of a project: the hazards app's checklist machinery (hazards.inspection_models),
targeted at the project's site (a registry Place). A regulator assigns a task with the
construction-site checklist; the inspector fills it on the phone (hazards:inspect) and every
failed item becomes a hazard of the site the usual way (hazards.services.inspections)."""
from citysafe.core import scope
from citysafe.hazards.inspection_models import ChecklistTemplate, Inspection, InspectionTask
from citysafe.hazards.services.inspections import assign_task

SITE_TEMPLATE = "建筑施工现场安全检查表（危大工程与危险作业）"  # seeded by migration 0002


def site_template():
    return ChecklistTemplate.objects.filter(name=SITE_TEMPLATE, archived_at__isnull=True).first()


def site_inspections(user, project) -> dict:
    return {
        "inspections": scope.narrow(user, Inspection.objects.filter(place_id=project.site_id)).order_by(
            "-inspected_at")[:20],
        "inspection_tasks": scope.narrow(user, InspectionTask.objects.filter(
            place_id=project.site_id, status=InspectionTask.Status.OPEN)).order_by("due_on")[:20],
        "may_assign": scope.may(user, InspectionTask, scope.Action.CREATE),
        "site_template": site_template(),
    }


def assign_site_inspection(actor, project, *, assignee_id, due_on, template_id=None) -> InspectionTask:
    """An inspection task of the project's site with the construction checklist (or another)."""
    template = template_id or (site_template().pk if site_template() else None)
    return assign_task(actor, template_id=template, place_id=project.site_id, assignee_id=assignee_id, due_on=due_on)
