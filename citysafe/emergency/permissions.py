"""Who may write emergency records (registered with core.scope in EmergencyConfig.ready()).

- The county's regulators (admin, departments — the emergency management bureau first —, and
  townships for their own) keep the resources, plans and incidents.
- An enterprise officer keeps its own teams, stockpiles and materials, mutual-aid agreements,
  enterprise plans and drills (scope limits it to rows of its enterprise).
- Grid workers read what lies in their grids; they report incidents through their township.
Fields: whoever may write a kind sets every field of it (within scope; location included).
"""
from citysafe.core.roles import Role
from citysafe.core.scope import EVERY_FIELD, Action, register_field_limits, register_permissions

REGULATORS = frozenset({Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP})
WITH_ENTERPRISE = REGULATORS | {Role.ENTERPRISE}

_BY_REGULATORS = ("Expert", "Shelter", "FireStation", "WaterSource", "Hospital", "Incident")
_WITH_ENTERPRISES = ("Stockpile", "Material", "RescueTeam", "MutualAidAgreement", "Plan", "Drill",
                     "ImprovementAction")
ROAD_WRITERS = frozenset({Role.ADMIN, Role.DEPARTMENT})


def _table(roles):
    return {Action.CREATE: roles, Action.CHANGE: roles, Action.ARCHIVE: roles}


PERMISSIONS = {f"emergency.{name}": _table(REGULATORS) for name in _BY_REGULATORS}
PERMISSIONS.update({f"emergency.{name}": _table(WITH_ENTERPRISE) for name in _WITH_ENTERPRISES})
FIELD_LIMITS = {label: dict.fromkeys(table[Action.CHANGE], EVERY_FIELD) for label, table in PERMISSIONS.items()}


def register() -> None:
    for label, table in PERMISSIONS.items():
        register_permissions(label, table)
        register_field_limits(label, FIELD_LIMITS[label])
