from contextvars import ContextVar

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from citysafe.accounts import services as account_services
from citysafe.accounts.models import ApiToken, User
from citysafe.core.admin import ReadOnlyAdmin, ServiceAdmin

# The admin whose request is being handled, for the password form (Django builds it with the
# target user only). A context variable is per request, never shared between requests.
_acting_admin: ContextVar = ContextVar("acting_admin", default=None)


class ServicePasswordChangeForm(AdminPasswordChangeForm):
    """Django's admin password form, saving through the audited service."""

    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data.get("set_usable_password", True) else None
        saved = account_services.set_user_password(_acting_admin.get(), self.user.pk, password)
        # The view refreshes the session hash from this object when admins change their own password.
        self.user.password = saved.password
        return self.user


@admin.register(User)
class UserAdmin(ServiceAdmin, DjangoUserAdmin):
    """Accounts are configuration, not registry records; every save goes through the
    account services (admin only, audited with channel "admin", never the password hash)."""

    list_display = ("username", "display_name", "role", "organisation", "enterprise", "is_service_account", "is_active")
    list_filter = ("role", "is_service_account", "is_active", "is_staff")
    search_fields = ("username", "last_name", "first_name", "phone")
    raw_id_fields = ("enterprise",)
    filter_horizontal = ("grids", "groups", "user_permissions")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("城市安全职责"), {"fields": ("role", "organisation", "grids", "enterprise", "phone", "is_service_account")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("城市安全职责"), {"fields": ("role", "organisation", "grids", "enterprise", "is_service_account")}),
    )
    change_password_form = ServicePasswordChangeForm
    create_service = None  # needs the password as well: see save_model
    update_service = account_services.update_user
    service_fields = {
        **{name: name for name in account_services.USER_FIELDS},
        "organisation": "organisation_id", "enterprise": "enterprise_id", "grids": "grid_ids",
        "groups": "group_ids", "user_permissions": "permission_ids",
    }
    # Users are never purged or archived; they are deactivated.
    actions = ["deactivate_selected", "activate_selected"]

    def has_delete_permission(self, request, obj=None):
        # Users are referenced by audit records and events: deactivate instead of deleting.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        password = form.cleaned_data.get("password1") if form.cleaned_data.get("set_usable_password", True) else None
        saved = account_services.create_user(request.user, self.service_data(form), password=password)
        obj.pk = saved.pk
        obj._state.adding = False

    def user_change_password(self, request, id, form_url=""):
        token = _acting_admin.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _acting_admin.reset(token)

    def _set_active(self, request, queryset, active: bool):
        for user in queryset:
            try:
                account_services.set_user_active(request.user, user.pk, active)
            except ValidationError as exc:
                self.message_user(request, f"{user}：{'；'.join(exc.messages)}", messages.ERROR)

    @admin.action(description=_("停用所选用户"))
    def deactivate_selected(self, request, queryset):
        self._set_active(request, queryset, False)

    @admin.action(description=_("启用所选用户"))
    def activate_selected(self, request, queryset):
        self._set_active(request, queryset, True)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Only the prefix is shown; the digest is not a secret but has no use to a reader."""

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    fields = ("name", "user", "prefix", "created_by", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = fields

