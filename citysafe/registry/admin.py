from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from citysafe.accounts.models import Organisation
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


# accounts.Organisation is saved through the registry's organisation services (the shared
# field write path), so its admin is registered here: accounts does not import the registry.
@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin):
    list_display = ("name", "code", "kind", "area", "industry_list", "archived_at")
    list_filter = ("kind", "archived_at")
    search_fields = ("code", "name")
    fields = ("kind", "code", "name", "area", "industries", "phone")
    filter_horizontal = ("industries",)
    create_service = services.create_organisation
    update_service = services.update_organisation
    service_fields = {"kind": "kind", "code": "code", "name": "name", "area": "area_id",
                      "industries": "industry_ids", "phone": "phone"}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area").prefetch_related("industries")

    @admin.display(description=_("监管行业"))
    def industry_list(self, obj):
        return "、".join(i.name for i in obj.industries.all())
