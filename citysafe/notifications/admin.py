from django.contrib import admin

from citysafe.core.admin import ReadOnlyAdmin
from citysafe.notifications.models import InboxMessage, Notification, Receipt


class ReceiptInline(admin.TabularInline):
    model = Receipt
    extra = 0
    can_delete = False
    fields = ("at", "status", "attempt", "detail")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "target_kind", "recipient", "address", "channel", "priority", "kind",
                    "subject", "status", "attempts", "sent_at")
    list_filter = ("channel", "status", "priority", "target_kind", "kind")
    search_fields = ("subject", "recipient__username", "address")
    exclude = ("payload", "claim_token")
    inlines = [ReceiptInline]


@admin.register(InboxMessage)
class InboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "user", "subject", "read_at")
    list_filter = ("read_at",)
    search_fields = ("subject", "user__username")
