"""Who may write emergency records (registered with core.scope in EmergencyConfig.ready()).

- The county's regulators (admin, the emergency management bureau 应急管理局 and townships for
  their own) keep the resources, plans, incidents and the road network. Among the departments
  only the organisations named in settings.EMERGENCY_WRITING_DEPARTMENTS (organisation kinds:
  codes without a county prefix, core.scope.organisation_kind, so every county's bureau;
  default the bureau "yjj") write; every other department reads the whole county's records
  (scope all_rows_for) and gets 403 on any write (core.scope ORGANISATION_LIMITS).
- An enterprise officer keeps its own teams, stockpiles and materials, mutual-aid agreements,
  enterprise plans and drills (scope limits it to rows of its enterprise).
- Grid workers read what lies in their grids; they report incidents through their township.
Fields: whoever may write a kind sets every field of it (within scope; location included).
"""
from django.conf import settings

from citysafe.core.roles import Role
from citysafe.core.scope import EVERY_FIELD, Action, register_field_limits, register_permissions

REGULATORS = frozenset({Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP})
WITH_ENTERPRISE = REGULATORS | {Role.ENTERPRISE}

_BY_REGULATORS = ("Expert", "Shelter", "FireStation", "WaterSource", "Hospital", "Incident")
_WITH_ENTERPRISES = ("Stockpile", "Material", "RescueTeam", "MutualAidAgreement", "Plan", "Drill",
                     "ImprovementAction")
ROAD_WRITERS = frozenset({Role.ADMIN, Role.DEPARTMENT})
ROADS = "emergency.RoadSegment"
WRITING_DEPARTMENTS = frozenset(getattr(settings, "EMERGENCY_WRITING_DEPARTMENTS", ("yjj",)))
ORGANISATIONS = {Role.DEPARTMENT: WRITING_DEPARTMENTS}


def _table(roles):
    return {Action.CREATE: roles, Action.CHANGE: roles, Action.ARCHIVE: roles}


PERMISSIONS = {f"emergency.{name}": _table(REGULATORS) for name in _BY_REGULATORS}
PERMISSIONS.update({f"emergency.{name}": _table(WITH_ENTERPRISE) for name in _WITH_ENTERPRISES})
# The road network: imported, closed and reopened as a whole (services/roads.py), no field edits.
PERMISSIONS[ROADS] = {Action.CREATE: ROAD_WRITERS, Action.CHANGE: ROAD_WRITERS}
FIELD_LIMITS = {label: dict.fromkeys(table[Action.CHANGE], EVERY_FIELD) for label, table in PERMISSIONS.items()}


def register() -> None:
    for label, table in PERMISSIONS.items():
        register_permissions(label, table, organisations=ORGANISATIONS)
        register_field_limits(label, FIELD_LIMITS[label])
