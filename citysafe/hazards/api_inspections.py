"""Inspection endpoints (mounted at /api/v1/inspections): checklist templates, inspection tasks
and submitting a filled checklist. Scoped like the pages: reads through core.scope.narrow, writes
through the services (role from permissions.py, the place looked up in the caller's scope)."""
from datetime import date, datetime
from typing import Optional

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from citysafe.core import scope
from citysafe.core.kinds.api import ERRORS
from citysafe.core.kinds.types import IdParam, Text
from citysafe.core.schema_types import ErrorOut
from citysafe.hazards.inspection_models import ChecklistTemplate, InspectionTask
from citysafe.hazards.services import checklists, inspections

inspection_router = Router(tags=["inspections"])
CONFLICT = {409: ErrorOut, **ERRORS}
MAX_ROWS = 500


class ItemSchema(Schema):
    text: str
    basis: str
    category: str = "other"


class TemplateOut(Schema):
    id: int
    version: int
    name: str
    place_type: str
    items: list[ItemSchema]


class TemplateIn(Schema):
    name: Optional[str] = None
    place_type: Optional[str] = None
    items: Optional[list[dict]] = None
    expected_version: Optional[int] = None


class TaskOut(Schema):
    id: int
    template_id: int
    place_id: int
    assignee_id: int
    due_on: date
    status: str
    township_id: Optional[int]
    grid_id: Optional[int]


class TaskIn(Schema):
    template_id: int
    place_id: int
    assignee_id: int
    due_on: date


class ResultIn(Schema):
    ok: Optional[bool] = None
    note: str = ""


class InspectionIn(Schema):
    template_id: int
    place_id: int
    task_id: Optional[int] = None
    results: list[ResultIn]
    lon: Optional[float] = None
    lat: Optional[float] = None
    client_key: Text = ""


class InspectionOut(Schema):
    id: int
    inspected_at: datetime
    failed: int
    hazard_ids: list[int]


def _templates(user):
    return scope.narrow(user, ChecklistTemplate.objects.filter(archived_at__isnull=True)).order_by("id")


@inspection_router.get("/templates", response={200: list[TemplateOut], **ERRORS}, operation_id="list_checklists",
                       summary="checklist templates (检查表)")
def list_templates(request):
    return list(_templates(request.auth)[:MAX_ROWS])


@inspection_router.get("/templates/{int:template_id}", response={200: TemplateOut, **ERRORS},
                       operation_id="get_checklist", summary="one checklist template")
def get_template(request, template_id: IdParam):
    return get_object_or_404(_templates(request.auth), pk=template_id)


@inspection_router.post("/templates", response={201: TemplateOut, **ERRORS}, operation_id="create_checklist",
                        summary="a new checklist template (county office, departments)")
def create_template(request, payload: TemplateIn):
    data = payload.model_dump(exclude_unset=True, exclude={"expected_version"})
    return Status(201, checklists.create_template(request.auth, data))


@inspection_router.patch("/templates/{int:template_id}", response={200: TemplateOut, **CONFLICT},
                         operation_id="update_checklist", summary="edit a checklist template")
def update_template(request, template_id: IdParam, payload: TemplateIn):
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("expected_version", None)
    return checklists.update_template(request.auth, template_id, data, expected_version=version)


@inspection_router.get("/tasks", response={200: list[TaskOut], **ERRORS}, operation_id="list_inspection_tasks",
                       summary="inspection tasks in the caller's scope")
def list_tasks(request, status: Optional[str] = None):
    tasks = scope.narrow(request.auth, InspectionTask.objects.filter(archived_at__isnull=True))
    if status:
        tasks = tasks.filter(status=status)
    return list(tasks.order_by("due_on", "id")[:MAX_ROWS])


@inspection_router.get("/tasks/{int:task_id}", response={200: TaskOut, **ERRORS}, operation_id="get_inspection_task",
                       summary="one inspection task")
def get_task(request, task_id: IdParam):
    return get_object_or_404(scope.narrow(request.auth, InspectionTask.objects.all()), pk=task_id)


@inspection_router.post("/tasks", response={201: TaskOut, **ERRORS}, operation_id="assign_inspection_task",
                        summary="assign an inspection of a place in the caller's scope")
def assign_task(request, payload: TaskIn):
    return Status(201, inspections.assign_task(request.auth, template_id=payload.template_id, place_id=payload.place_id,
                                               assignee_id=payload.assignee_id, due_on=payload.due_on))


@inspection_router.post("", response={201: InspectionOut, **ERRORS}, operation_id="submit_inspection",
                        summary="a filled checklist: failed items become hazards (an offline resend is kept once)")
def submit(request, payload: InspectionIn):
    results = [row.model_dump(exclude_none=True) for row in payload.results]
    inspection, hazards = inspections.submit_inspection(
        request.auth, template_id=payload.template_id, place_id=payload.place_id, task_id=payload.task_id,
        results=results, lon=payload.lon, lat=payload.lat, client_key=payload.client_key)
    return Status(201, {"id": inspection.pk, "inspected_at": inspection.inspected_at, "failed": inspection.failed,
                        "hazard_ids": [h.pk for h in hazards]})
