"""The construction standards tables in the configuration site (admin), saved through
services/standards.save_standard (admin only, validated, audited). Rows are never deleted here."""
from functools import partial

from django.contrib import admin

from citysafe.construction.models import GasLimit, PermitRule, ScaleThreshold
from citysafe.construction.services.standards import save_standard
from citysafe.core.admin import ServiceAdmin


def _standard_admin(model, fields):
    class StandardAdmin(ServiceAdmin):
        list_display = fields
        actions = []
        create_service = partial(lambda actor, data, model=model: save_standard(actor, model, None, data))
        update_service = partial(lambda actor, pk, data, expected_version=None, model=model:
                                 save_standard(actor, model, pk, data))
        service_fields = {name: name for name in fields}

        def has_delete_permission(self, request, obj=None):
            return False

    StandardAdmin.fields = fields
    admin.site.register(model, StandardAdmin)


_standard_admin(ScaleThreshold, ("category", "measure", "unit", "value", "basis", "note"))
_standard_admin(PermitRule, ("kind", "max_hours", "gas_test", "basis", "note"))
_standard_admin(GasLimit, ("kind", "measurement", "minimum", "maximum", "basis", "note"))
