"""The synonym table is edited in the configuration site (saved through services.synonyms,
audited); documents and cases are shown read-only there (imports and the API write them)."""
from django.contrib import admin

from citysafe.core.admin import ReadOnlyAdmin
from citysafe.core.scope import may_configure
from citysafe.knowledge.models import Document, Synonym
from citysafe.knowledge.services.synonyms import delete_synonym, save_synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("term", "expansion", "note")
    search_fields = ("term", "expansion")

    def has_module_permission(self, request):
        return may_configure(request.user)

    def has_view_permission(self, request, obj=None):
        return may_configure(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request, obj, form, change):
        saved = save_synonym(request.user, obj.term, obj.expansion, obj.note)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        delete_synonym(request.user, obj.term)

    def delete_queryset(self, request, queryset):
        for synonym in list(queryset):
            delete_synonym(request.user, synonym.term)


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "issuer", "version_date", "status", "is_current", "is_published")
    list_filter = ("kind", "status", "is_current", "is_published")
    search_fields = ("title", "short_title")
