"""Who may change siting records (registered with core.scope in ready()).

- The rule table is the county office's configuration (admin), like the other standards tables.
- A conflict is decided (turned into a hazard, or accepted with reason and approver) by the
  regulators whose scope holds it: the county office, the department of the hazardous site's
  industry, the township of the sensitive site.
- Site checks are saved by planners: the county office, departments and townships.
- The restricted / obsolete industry catalogue is the county office's, like the rule table;
  its matches are derived (no one writes them) and read in the enterprise's scope.
"""
from citysafe.core.roles import Role
from citysafe.core.scope import Action, FieldLimit, register_field_limits, register_permissions
from citysafe.siting.services.catalogue import FIELDS as CATALOGUE_FIELDS
from citysafe.siting.services.rules import FIELDS as RULE_FIELDS

REGULATORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}

PERMISSIONS = {
    "siting.SafetyDistanceRule": {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN},
                                  Action.ARCHIVE: {Role.ADMIN}},
    "siting.Conflict": {Action.CREATE: set(), Action.CHANGE: REGULATORS, Action.ARCHIVE: set()},
    "siting.SiteCheck": {Action.CREATE: REGULATORS, Action.CHANGE: set(), Action.ARCHIVE: set()},
    "siting.RestrictedIndustryItem": {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN},
                                      Action.ARCHIVE: {Role.ADMIN}},
    "siting.CatalogueMatch": {Action.CREATE: set(), Action.CHANGE: set(), Action.ARCHIVE: set()},
}
FIELD_LIMITS = {
    "siting.SafetyDistanceRule": {Role.ADMIN: FieldLimit(change=frozenset(RULE_FIELDS), create=frozenset(RULE_FIELDS))},
    "siting.RestrictedIndustryItem": {Role.ADMIN: FieldLimit(change=frozenset(CATALOGUE_FIELDS),
                                                             create=frozenset(CATALOGUE_FIELDS))},
}


def register() -> None:
    for label, actions in PERMISSIONS.items():
        register_permissions(label, actions)
    for label, limits in FIELD_LIMITS.items():
        register_field_limits(label, limits)
