"""Admin site setup and the base classes every CitySafe ModelAdmin uses.

The admin is a configuration tool for the county safety office: only active staff with the
admin role get in. Registry records saved here go through the same services as pages and
the API (role, scope, validation, audit with channel "admin"); delete archives; purge is a
separate, explicit action.
"""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from citysafe.core import scope
from citysafe.core.audit import visible_records
from citysafe.core.audit_models import AuditRecord
from citysafe.core.concurrency import StaleRecord
from citysafe.core.field_labels import labelled_messages
from citysafe.core.models import WorkflowEvent
from citysafe.core.records import archive_record, purge_record
from citysafe.core.scope_fields import ScopeFields

admin.site.site_header = _("城市安全风险管理平台 · 系统配置")
admin.site.site_title = _("CitySafe 系统配置")
admin.site.index_title = _("配置管理")


def _admin_only(request) -> bool:
    return scope.may_configure(request.user)


admin.site.has_permission = _admin_only


def _scoped(request, queryset):
    """The configuration site reads through core.scope like every other path (archived rows
    included: admins restore them): with several counties in one deployment, a county's staff
    administrator sees its own county's rows only (issue 19); in one county, everything."""
    return scope.narrow(request.user, queryset, include_archived=True)


def relation_choices(request, queryset):
    """What a foreign-key or many-to-many field of a change form offers (and accepts when
    posted: Django validates the choice against this queryset): the target's rows as the change
    lists read them (`_scoped`), so a county's administrator neither sees nor picks another
    county's enterprises, areas or users (issue 19). A directory (PUBLIC) stays shared, except
    one placed in a county by its area (organisations): the admin's own county's, the rule
    core.scope.reference_targets applies to an admin pointing at an organisation. Models
    without a scope declaration (Django's groups and permissions) stay as they are."""
    model = queryset.model
    fields = getattr(model, "scope", None)
    if not isinstance(fields, ScopeFields):
        return queryset
    if not fields.public:
        return _scoped(request, queryset)
    area = next((f for f in model._meta.concrete_fields if f.name == "area" and f.is_relation), None)
    if area is None:
        return queryset
    return queryset.filter(scope.county_q(request.user, model, ScopeFields(county="area__county")))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the application (audit trail, events, deliveries)."""

    def get_queryset(self, request):
        return _scoped(request, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return _admin_only(request)


class ServiceAdmin(admin.ModelAdmin):
    """Saves through a registry service: `create_service(actor, data)` and
    `update_service(actor, pk, data)`. `service_fields` maps form fields to the service's
    dict keys; a service ValidationError is shown as a message and the change is not stored."""

    create_service = None
    update_service = None
    service_fields: dict[str, str] = {}
    actions = ["purge_selected"]

    def get_queryset(self, request):
        return _scoped(request, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = relation_choices(request, field.queryset)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = relation_choices(request, field.queryset)
        return field

    def get_deleted_objects(self, objs, request):
        # Delete archives the row, so nothing cascades and nothing is protected from it.
        return [str(obj) for obj in objs], {}, set(), []

    def service_data(self, form) -> dict:
        data = {}
        for form_name, key in self.service_fields.items():
            if form_name not in form.cleaned_data:
                continue
            value = form.cleaned_data[form_name]
            if hasattr(value, "all") and not hasattr(value, "pk"):  # queryset of a many-to-many
                value = [obj.pk for obj in value]
            elif hasattr(value, "pk"):
                value = value.pk
            data[key] = value
        return data

    def _is_versioned(self) -> bool:
        return any(f.name == "version" for f in self.model._meta.concrete_fields)

    def get_fields(self, request, obj=None):
        # A change form carries the version it was opened on (hidden), like the record pages.
        fields = list(super().get_fields(request, obj))
        if obj is not None and self._is_versioned() and "version" not in fields:
            fields.append("version")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "version" in form.base_fields:
            form.base_fields["version"].widget = forms.HiddenInput()
            form.base_fields["version"].required = False
        return form

    def save_model(self, request, obj, form, change):
        data = self.service_data(form)
        version = form.cleaned_data.get("version") if change else None
        if change and version is not None:
            saved = type(self).update_service(request.user, obj.pk, data, expected_version=version)
        elif change:
            saved = type(self).update_service(request.user, obj.pk, data)
        else:
            saved = type(self).create_service(request.user, data)
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Many-to-many values were passed to the service, which set and audited them.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        archive_record(request.user, type(obj), obj.pk, note=str(_("管理后台删除（归档）")))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            for message in labelled_messages(self.model, exc.message_dict):
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except (PermissionDenied, StaleRecord) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.action(description=_("彻底删除"))
    def purge_selected(self, request, queryset):
        purged = 0
        for obj in queryset:
            try:
                purge_record(request.user, type(obj), obj.pk, note=str(_("管理后台彻底删除")))
                purged += 1
            except ValidationError as exc:
                self.message_user(request, f"{obj}：{'；'.join(exc.messages)}", messages.ERROR)
        if purged:
            self.message_user(request, _("已彻底删除 %(n)s 条记录") % {"n": purged}, messages.SUCCESS)


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ("id", "at", "actor_label", "channel", "action", "object_type", "object_id", "object_repr")
    list_filter = ("channel", "action", "object_type")
    search_fields = ("actor_label", "object_repr", "object_id")
    date_hierarchy = "at"

    def get_queryset(self, request):
        # The admin's own county's chain(s) (core.audit decides by chain, not by core.scope's
        # keys: the audit table has none, so ReadOnlyAdmin's narrow would show the home county only).
        return visible_records(request.user, admin.ModelAdmin.get_queryset(self, request))


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "workflow", "object_type", "object_id", "transition", "from_state", "to_state", "actor")
    list_filter = ("workflow", "transition")
    search_fields = ("object_id", "note")
