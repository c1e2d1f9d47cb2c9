"""Who may write supervision records (core.scope's tables). The county safety office (admin) and
the departments (each for its own organisation: the services check the department) plan, classify
and draw; the classification rule is the county's (admin)."""
from citysafe.core import scope
from citysafe.core.roles import Role

_REGULATORS = {Role.ADMIN, Role.DEPARTMENT}
_LABELS = ("supervision.EnterpriseClass", "supervision.EnforcementPlan", "supervision.Inspector",
           "supervision.InspectorLink", "supervision.RandomDraw")


def register() -> None:
    actions = (scope.Action.CREATE, scope.Action.CHANGE, scope.Action.ARCHIVE)
    for label in _LABELS:
        scope.register_permissions(label, dict.fromkeys(actions, _REGULATORS))
        scope.register_field_limits(label, dict.fromkeys(_REGULATORS, scope.EVERY_FIELD))
    scope.register_permissions("supervision.ClassificationRule", dict.fromkeys(actions, {Role.ADMIN}))
    scope.register_field_limits("supervision.ClassificationRule", {Role.ADMIN: scope.EVERY_FIELD})
