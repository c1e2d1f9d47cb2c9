"""Who may write gathering applications (core.scope tables).

- The organiser (enterprise officer, its own enterprise and venues), the township where it
  takes place and the county office draft, change and submit applications (条例第十三条).
- The licensing public security organ (a department, and only the one the application names:
  scope `organisation="authority"`; any other department does not see it — 404) changes only
  the state and its decision note, through the transitions (条例第十四条).
"""
from citysafe.core.roles import Role
from citysafe.core.scope import EVERY_FIELD, Action, FieldLimit, register_field_limits, register_permissions

APPLICANTS = {Role.ADMIN, Role.TOWNSHIP, Role.ENTERPRISE}
DECISION_FIELDS = frozenset({"status", "decision_note"})

PERMISSIONS = {"risks.Gathering": {Action.CREATE: APPLICANTS, Action.CHANGE: APPLICANTS | {Role.DEPARTMENT},
                                   Action.ARCHIVE: {Role.ADMIN}}}
FIELD_LIMITS = {"risks.Gathering": {**dict.fromkeys(APPLICANTS, EVERY_FIELD),
                                    Role.DEPARTMENT: FieldLimit(change=DECISION_FIELDS, create=frozenset())}}


def register() -> None:
    for label, actions in PERMISSIONS.items():
        register_permissions(label, actions)
    for label, limits in FIELD_LIMITS.items():
        register_field_limits(label, limits)
