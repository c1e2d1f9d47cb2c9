"""The standards tables in the configuration site (admin): saved through
risks.services.rules_admin.save_rule (admin only, validated, audited; a threshold or a
major-hazard minimum re-grades). Rows are never deleted here: a table keeps one row per key."""
from functools import partial

from django.contrib import admin

from citysafe.core.admin import ServiceAdmin
from citysafe.risks.models import (
    IdentificationRound,
    LevelRule,
    MajorHazardLevelRule,
    MethodScale,
    MethodThreshold,
    ReviewRule,
)
from citysafe.risks.services.rules_admin import RULE_FIELDS, save_rule


def _rule_admin(model, columns, editable=None):
    fields = editable or RULE_FIELDS[model.__name__]

    class RuleAdmin(ServiceAdmin):
        list_display = columns
        actions = []
        create_service = partial(lambda actor, data, model=model: save_rule(actor, model, None, data))
        update_service = partial(lambda actor, pk, data, expected_version=None, model=model:
                                 save_rule(actor, model, pk, data, expected_version=expected_version))
        service_fields = {name: name for name in fields}

        def has_delete_permission(self, request, obj=None):
            return False

    RuleAdmin.fields = fields
    admin.site.register(model, RuleAdmin)


_rule_admin(MethodScale, ("method", "factor", "value", "label", "source"))
_rule_admin(MethodThreshold, ("method", "level", "lower_bound", "source"), ("lower_bound", "source"))
_rule_admin(ReviewRule, ("role", "level", "takes_effect_directly"))
_rule_admin(LevelRule, ("level", "control_level", "reassess_months", "source"))
_rule_admin(MajorHazardLevelRule, ("grade", "minimum_level", "source"))
_rule_admin(IdentificationRound, ("started_on", "cycle_years", "note"))
