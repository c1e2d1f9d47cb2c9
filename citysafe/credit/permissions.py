"""Who may write credit records (registered with core.scope in ready()).

Why: the county office (admin) keeps the rules — list criteria, the premium rule and base
rates, the agency directory with departments; townships and departments propose list entries
for their area or industries, and departments or the office approve them (never the proposer:
a guard in workflows.py); an enterprise applies for credit repair of its own entry (status and
the application's fields only), registers its own insurance policies and claims, records and
evaluates the services it received. The leader reads."""
from citysafe.core.roles import Role
from citysafe.core.scope import EVERY_FIELD, Action, FieldLimit, register_field_limits, register_permissions

OFFICE = {Role.ADMIN}
GOVERNMENT = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
OWNERS = {Role.ADMIN, Role.DEPARTMENT, Role.ENTERPRISE}
REPAIR_FIELDS = frozenset({"status", "repair_reason", "repair_applied_on"})


def _all(roles):
    return dict.fromkeys((Action.CREATE, Action.CHANGE, Action.ARCHIVE), roles)


PERMISSIONS = {
    "credit.Criterion": _all(OFFICE),
    "credit.ListEntry": {Action.CREATE: GOVERNMENT, Action.CHANGE: GOVERNMENT | {Role.ENTERPRISE},
                         Action.ARCHIVE: OFFICE},
    "credit.PremiumRule": _all(OFFICE),
    "credit.IndustryBaseRate": _all(OFFICE),
    "credit.InsurancePolicy": {Action.CREATE: OWNERS, Action.CHANGE: OWNERS, Action.ARCHIVE: OFFICE},
    "credit.Claim": {Action.CREATE: OWNERS, Action.CHANGE: OWNERS, Action.ARCHIVE: OFFICE},
    "credit.ServiceAgency": _all({Role.ADMIN, Role.DEPARTMENT}),
    "credit.AgencyQualification": _all({Role.ADMIN, Role.DEPARTMENT}),
    "credit.AgencyService": {Action.CREATE: OWNERS, Action.CHANGE: OWNERS, Action.ARCHIVE: OFFICE},
    "credit.AgencyEvaluation": {Action.CREATE: GOVERNMENT | {Role.ENTERPRISE},
                                Action.CHANGE: GOVERNMENT | {Role.ENTERPRISE}, Action.ARCHIVE: OFFICE},
}


def register() -> None:
    for label, actions in PERMISSIONS.items():
        register_permissions(label, actions)
        limits = dict.fromkeys(set().union(*actions.values()), EVERY_FIELD)
        if label == "credit.ListEntry":
            limits[Role.ENTERPRISE] = FieldLimit(change=REPAIR_FIELDS, create=frozenset())
        register_field_limits(label, limits)
