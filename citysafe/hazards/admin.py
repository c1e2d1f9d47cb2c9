"""Checklist templates and inspection tasks in the configuration site (admin): saved through the
same services as the API (role from permissions.py, validation, audit); rows the user's scope
hides are not listed; delete archives."""
from django.contrib import admin

from citysafe.core import scope
from citysafe.core.admin import ServiceAdmin
from citysafe.hazards.inspection_models import ChecklistTemplate, InspectionTask
from citysafe.hazards.services import checklists, inspections


class ScopedAdmin(ServiceAdmin):
    def get_queryset(self, request):
        return scope.narrow(request.user, super().get_queryset(request).filter(archived_at__isnull=True))


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ScopedAdmin):
    list_display = ("name", "place_type")
    search_fields = ("name",)
    fields = ("name", "place_type", "items")
    create_service = staticmethod(checklists.create_template)
    update_service = staticmethod(checklists.update_template)
    service_fields = {"name": "name", "place_type": "place_type", "items": "items"}


def _assign(actor, data):
    return inspections.assign_task(actor, template_id=data.get("template_id"), place_id=data.get("place_id"),
                                   assignee_id=data.get("assignee_id"), due_on=data.get("due_on"))


@admin.register(InspectionTask)
class InspectionTaskAdmin(ScopedAdmin):
    list_display = ("place", "template", "assignee", "due_on", "status")
    list_filter = ("status",)
    fields = ("template", "place", "assignee", "due_on")
    raw_id_fields = ("place", "assignee")
    create_service = staticmethod(_assign)
    service_fields = {"template": "template_id", "place": "place_id", "assignee": "assignee_id", "due_on": "due_on"}

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)  # a task is assigned, not edited
