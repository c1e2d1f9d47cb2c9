"""Who may change siting records (registered with core.scope in ready()).

- The rule table is the county office's configuration (admin), like the other standards tables.
- A conflict is decided (turned into a hazard, or accepted with reason and approver) by the
  regulators whose scope holds it: the county office, the department of the hazardous site's
  industry, the township of the sensitive site.
- Site checks are saved by planners: the county office, departments and townships.
- Underground lines and utility tunnels are kept by the county office, the township they lie
  in and their owner / operator enterprise (its officers report and correct their own network);
  departments and grid workers read them where their scope allows.
- A dig check (nothing stored but its audit record) may be run by every working role: the
  county office, departments, townships, grid workers and enterprises about to dig.
- The restricted / obsolete industry catalogue is the county office's, like the rule table;
  its matches are derived (no one writes them) and read in the enterprise's scope.
"""
from citysafe.core.roles import Role
from citysafe.core.scope import Action, FieldLimit, register_field_limits, register_permissions
from citysafe.siting.services.catalogue import FIELDS as CATALOGUE_FIELDS
from citysafe.siting.services.dig_check import DIG_CHECK
from citysafe.siting.services.rules import FIELDS as RULE_FIELDS
from citysafe.siting.services.underground import LINE_FIELDS, TUNNEL_FIELDS

REGULATORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
LINE_KEEPERS = {Role.ADMIN, Role.TOWNSHIP, Role.ENTERPRISE}

PERMISSIONS = {
    "siting.SafetyDistanceRule": {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN},
                                  Action.ARCHIVE: {Role.ADMIN}},
    "siting.Conflict": {Action.CREATE: set(), Action.CHANGE: REGULATORS, Action.ARCHIVE: set()},
    "siting.SiteCheck": {Action.CREATE: REGULATORS, Action.CHANGE: set(), Action.ARCHIVE: set()},
    "siting.RestrictedIndustryItem": {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN},
                                      Action.ARCHIVE: {Role.ADMIN}},
    "siting.CatalogueMatch": {Action.CREATE: set(), Action.CHANGE: set(), Action.ARCHIVE: set()},
    "siting.UndergroundLine": dict.fromkeys((Action.CREATE, Action.CHANGE, Action.ARCHIVE), LINE_KEEPERS),
    "siting.UtilityTunnel": dict.fromkeys((Action.CREATE, Action.CHANGE, Action.ARCHIVE), LINE_KEEPERS),
    DIG_CHECK: {Action.CREATE: {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP, Role.GRID, Role.ENTERPRISE}},
}
FIELD_LIMITS = {
    "siting.SafetyDistanceRule": {Role.ADMIN: FieldLimit(change=frozenset(RULE_FIELDS), create=frozenset(RULE_FIELDS))},
    "siting.RestrictedIndustryItem": {Role.ADMIN: FieldLimit(change=frozenset(CATALOGUE_FIELDS),
                                                             create=frozenset(CATALOGUE_FIELDS))},
    # is_synthetic is the demo loader's (it runs as admin); nobody else marks a line as demo data.
    "siting.UndergroundLine": {role: FieldLimit(change=frozenset(LINE_FIELDS - {"is_synthetic"}),
                                                create=frozenset(LINE_FIELDS - {"is_synthetic"}))
                               for role in LINE_KEEPERS} | {Role.ADMIN: FieldLimit(change=frozenset(LINE_FIELDS),
                                                                                    create=frozenset(LINE_FIELDS))},
    "siting.UtilityTunnel": {role: FieldLimit(change=frozenset(TUNNEL_FIELDS - {"is_synthetic"}),
                                              create=frozenset(TUNNEL_FIELDS - {"is_synthetic"}))
                             for role in LINE_KEEPERS} | {Role.ADMIN: FieldLimit(change=frozenset(TUNNEL_FIELDS),
                                                                                  create=frozenset(TUNNEL_FIELDS))},
}


def register() -> None:
    for label, actions in PERMISSIONS.items():
        register_permissions(label, actions)
    for label, limits in FIELD_LIMITS.items():
        register_field_limits(label, limits)
