"""Who writes early-warning records (core.scope's tables, registered in ready()).

Departments and the county office draft warnings (every content field); the county leader
takes workflow steps only (approve, publish, return): the state and the publication stamp.
Townships, grid workers and enterprises read; residents subscribe on the public pages.
The prefecture office (州（市）安委办) drafts, approves and publishes warnings for its whole area
(core.scope lets it write only the warnings its own organisation issued)."""
from citysafe.core.roles import Role
from citysafe.core.scope import EVERY_FIELD, Action, FieldLimit, register_field_limits, register_permissions

DRAFTERS = {Role.ADMIN, Role.DEPARTMENT}
STEP_ONLY = FieldLimit(change=frozenset({"status", "identifier", "sent_at"}), create=frozenset())

PERMISSIONS = {
    "early_warning.Warning": {Action.CREATE: DRAFTERS | {Role.PREFECTURE},
                              Action.CHANGE: DRAFTERS | {Role.LEADER, Role.PREFECTURE},
                              Action.ARCHIVE: {Role.ADMIN}},
    "early_warning.DangerReport": {Action.CHANGE: {Role.ADMIN}, Action.ARCHIVE: {Role.ADMIN}},
}
FIELD_LIMITS = {
    "early_warning.Warning": {Role.ADMIN: EVERY_FIELD, Role.DEPARTMENT: EVERY_FIELD, Role.LEADER: STEP_ONLY,
                              Role.PREFECTURE: EVERY_FIELD},
}


def register() -> None:
    for label, actions in PERMISSIONS.items():
        register_permissions(label, actions)
    for label, limits in FIELD_LIMITS.items():
        register_field_limits(label, limits)
