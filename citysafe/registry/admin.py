from django.contrib import admin

from citysafe.core.admin import ServiceAdmin
from citysafe.registry import services
from citysafe.registry.models import Area, Industry


@admin.register(Area)
class AreaAdmin(ServiceAdmin):
    list_display = ("code", "name", "level", "parent", "population", "archived_at")
    list_filter = ("level", "archived_at")
    search_fields = ("code", "name")
    fields = ("code", "name", "level", "parent", "population", "geometry", "is_synthetic")
    raw_id_fields = ("parent",)
    create_service = services.create_area
    update_service = services.update_area
    service_fields = {"code": "code", "name": "name", "level": "level", "parent": "parent_id",
                      "population": "population", "geometry": "geometry", "is_synthetic": "is_synthetic"}


@admin.register(Industry)
class IndustryAdmin(ServiceAdmin):
    list_display = ("code", "name", "archived_at")
    search_fields = ("code", "name")
    fields = ("code", "name", "description")
    create_service = services.create_industry
    update_service = services.update_industry
    service_fields = {"code": "code", "name": "name", "description": "description"}
