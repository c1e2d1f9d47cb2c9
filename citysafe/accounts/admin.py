from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from citysafe.accounts.models import ApiToken, Organisation, User
from citysafe.core.admin import ReadOnlyAdmin, ServiceAdmin
from citysafe.core.audit import record_change, snapshot
from citysafe.registry import services


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


_SECRET_FIELDS = {"password"}


def _user_snapshot(user) -> dict:
    # The password hash never goes into the audit trail.
    return {k: v for k, v in snapshot(user).items() if k not in _SECRET_FIELDS}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are configuration, not registry records; each save is audited here
    (channel "admin") so role, organisation and grid assignments have a trail."""

    list_display = ("username", "display_name", "role", "organisation", "enterprise", "is_service_account", "is_active")
    list_filter = ("role", "is_service_account", "is_active", "is_staff")
    search_fields = ("username", "last_name", "first_name", "phone")
    raw_id_fields = ("enterprise",)
    filter_horizontal = ("grids", "groups", "user_permissions")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("城市安全职责"), {"fields": ("role", "organisation", "grids", "enterprise", "phone", "is_service_account")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("城市安全职责"), {"fields": ("role", "organisation", "enterprise", "is_service_account")}),
    )

    def has_delete_permission(self, request, obj=None):
        # Users are referenced by audit records and events: deactivate instead of deleting.
        return False

    def save_model(self, request, obj, form, change):
        before = _user_snapshot(User.objects.get(pk=obj.pk)) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record_change(actor=request.user, action="update" if change else "create", instance=obj,
                          before=before, after=_user_snapshot(obj))

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            before = sorted(form.instance.grids.values_list("pk", flat=True))
            super().save_related(request, form, formsets, change)
            after = sorted(form.instance.grids.values_list("pk", flat=True))
            if before != after:
                record_change(actor=request.user, action="update", instance=form.instance,
                              before={"grids": before}, after={"grids": after}, note="grids")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Only the prefix is shown; the digest is not a secret but has no use to a reader."""

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    fields = ("name", "user", "prefix", "created_by", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = fields

