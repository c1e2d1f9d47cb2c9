from django.contrib import admin

from citysafe.core.admin import ReadOnlyAdmin
from citysafe.notifications.models import InboxMessage, Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "recipient", "channel", "kind", "subject", "status", "attempts", "sent_at")
    list_filter = ("channel", "status", "kind")
    search_fields = ("subject", "recipient__username")
    exclude = ("payload",)


@admin.register(InboxMessage)
class InboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "user", "subject", "read_at")
    list_filter = ("read_at",)
    search_fields = ("subject", "user__username")
