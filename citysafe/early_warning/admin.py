from django.contrib import admin

from citysafe.core import scope
from citysafe.core.admin import ReadOnlyAdmin
from citysafe.early_warning import config_services
from citysafe.early_warning.models import ApprovalRule, CapSource, DangerReport, Subscription


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(admin.ModelAdmin):
    list_display = ("level", "roles")
    exclude = ("county",)  # the admin's own county (config_services)

    def get_queryset(self, request):  # its own county's rules only
        return scope.narrow(request.user, super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        config_services.set_approvers(request.user, obj.level, obj.roles)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CapSource)
class CapSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "is_active", "last_fetched_at", "last_error")
    readonly_fields = ("last_fetched_at", "last_error", "seen_identifiers")
    exclude = ("county",)  # the admin's own county (config_services)

    def get_queryset(self, request):  # its own county's sources only
        return scope.narrow(request.user, super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        config_services.save_cap_source(request.user, obj)


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("id", "channel", "address", "confirmed_at", "cancelled_at", "created_at")
    list_filter = ("channel",)
    exclude = ("code_digest", "client_hash")

    def get_queryset(self, request):  # residents of the admin's own county only (personal data)
        return scope.narrow(request.user, super().get_queryset(request))


@admin.register(DangerReport)
class DangerReportAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "kind", "place", "township", "contact_phone")
    # Only the townships of the rows listed (the scoped change list), not every township of the deployment.
    list_filter = ("kind", ("township", admin.RelatedOnlyFieldListFilter))
    exclude = ("client_hash",)
