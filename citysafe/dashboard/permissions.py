"""Who may generate reports (registered with core.scope in ready()).

Why: the county office, the leader, townships and departments each report on what they answer
for (the subject must lie in their scope: services check `scope.contains`); grid workers and
enterprises have no reporting duty (C22). Subscribing is each user's own choice (owner scope)."""
from citysafe.core.roles import Role
from citysafe.core.scope import Action, FieldLimit, register_field_limits, register_permissions

REPORTERS = {Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.TOWNSHIP}


def register() -> None:
    register_permissions("dashboard.Report", {Action.CREATE: REPORTERS, Action.ARCHIVE: {Role.ADMIN}})
    register_permissions("dashboard.Subscription", {Action.CREATE: REPORTERS, Action.CHANGE: REPORTERS,
                                                    Action.ARCHIVE: REPORTERS})
    register_field_limits("dashboard.Report", {})
    register_field_limits("dashboard.Subscription", {
        role: FieldLimit(change=frozenset({"monthly", "annual"}), create=frozenset({"monthly", "annual"}))
        for role in REPORTERS})
