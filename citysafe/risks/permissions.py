"""Who may write risk records, and which fields (registered with core.scope in RisksConfig.ready()).

Why:
- Risk points and control measures: the regulators (admin, department, township) and the
  enterprise officer (主体责任: it identifies its own risk points and measures). An
  enterprise officer attaches a risk point to its enterprise or its places, never to an area.
  Grid workers read them. Levels are never set by hand: only accepted assessments, threshold
  changes and the major-hazard rule grade (risks/services/grading.py).
- Assessments: the same writers draft and submit; the transitions decide who reviews
  (risks/workflows.py); the services decide which fields a draft takes. Archived: admin only.
- Substances: the catalogue is configuration, admin only.
- Major hazard units and inventories: the enterprise registers its own (主体责任), the
  regulators check them; an entered α (instead of the computed one) is a regulator's call.
"""
from citysafe.core.roles import Role
from citysafe.core.scope import EVERY_FIELD, Action, FieldLimit, register_field_limits, register_permissions

REGULATORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
WRITERS = REGULATORS | {Role.ENTERPRISE}
ADMIN_ONLY = {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}, Action.ARCHIVE: {Role.ADMIN}}

PERMISSIONS = {
    "risks.RiskPoint": {Action.CREATE: WRITERS, Action.CHANGE: WRITERS, Action.ARCHIVE: REGULATORS},
    "risks.ControlMeasure": {Action.CREATE: WRITERS, Action.CHANGE: WRITERS, Action.ARCHIVE: WRITERS},
    "risks.Assessment": {Action.CREATE: WRITERS, Action.CHANGE: WRITERS, Action.ARCHIVE: {Role.ADMIN}},
    "risks.Substance": ADMIN_ONLY,
    "risks.MajorHazardInstallation": {Action.CREATE: WRITERS, Action.CHANGE: WRITERS, Action.ARCHIVE: REGULATORS},
    "risks.Inventory": {Action.CREATE: WRITERS, Action.CHANGE: WRITERS, Action.ARCHIVE: WRITERS},
    # Publishing the public risk map (map/publication.py) and the grading thresholds
    # (services/rules_admin.py): the county safety office's call.
    "risks.RiskMapPublication": ADMIN_ONLY,
    "risks.MethodThreshold": ADMIN_ONLY,
}

_EVERY = dict.fromkeys(REGULATORS, EVERY_FIELD)
_ENTERPRISE_POINT = frozenset({"name", "category", "description", "enterprise_id", "place_id", "hazard_factors",
                               "accident_types", "responsible_person_ids", "control_level"})
# What the public risk map leaves out (is_sensitive) is the county safety office's call only.
_REGULATOR_POINT = _ENTERPRISE_POINT | {"area_id", "is_synthetic"}
_ENTERPRISE_UNIT = frozenset({"unit_name", "enterprise_id", "lon", "lat", "geometry"})
_REGULATOR_UNIT = _ENTERPRISE_UNIT | {"alpha_source", "alpha_entered", "alpha_reason", "is_synthetic"}


def _limit(fields: frozenset) -> FieldLimit:
    return FieldLimit(change=fields, create=fields)


FIELD_LIMITS = {
    "risks.RiskPoint": {Role.ADMIN: EVERY_FIELD, Role.DEPARTMENT: _limit(_REGULATOR_POINT),
                        Role.TOWNSHIP: _limit(_REGULATOR_POINT), Role.ENTERPRISE: _limit(_ENTERPRISE_POINT)},
    "risks.ControlMeasure": {**_EVERY, Role.ENTERPRISE: EVERY_FIELD},
    "risks.Assessment": {**_EVERY, Role.ENTERPRISE: EVERY_FIELD},
    "risks.Substance": {Role.ADMIN: EVERY_FIELD},
    "risks.MajorHazardInstallation": {Role.ADMIN: EVERY_FIELD, Role.DEPARTMENT: _limit(_REGULATOR_UNIT),
                                      Role.TOWNSHIP: _limit(_REGULATOR_UNIT), Role.ENTERPRISE: _limit(_ENTERPRISE_UNIT)},
    "risks.Inventory": {**_EVERY, Role.ENTERPRISE: EVERY_FIELD},
    "risks.RiskMapPublication": {Role.ADMIN: EVERY_FIELD},
    "risks.MethodThreshold": {Role.ADMIN: EVERY_FIELD},
}


def register() -> None:
    for label, actions in PERMISSIONS.items():
        register_permissions(label, actions)
    for label, limits in FIELD_LIMITS.items():
        register_field_limits(label, limits)
