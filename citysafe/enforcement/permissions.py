"""Who may write enforcement records (registered with core.scope in ready()).

Why: enforcement is the regulators' power (行政处罚法 第十七条: by the agency with the power,
within its remit): the county office, the departments (their industries) and townships
(entrusted enforcement) record inspections and handle cases; the case's steps name their own
roles (workflows.py: opening and extensions are approved by the county office or a department).
Enterprises only read their own cases. The holiday calendar is the county office's."""
from citysafe.core.roles import Role
from citysafe.core.scope import Action, FieldLimit, register_field_limits, register_permissions

REGULATORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
ADMIN_ONLY = {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}, Action.ARCHIVE: {Role.ADMIN}}

PERMISSIONS = {
    "enforcement.Holiday": ADMIN_ONLY,
    "enforcement.InspectionRecord": {Action.CREATE: REGULATORS, Action.CHANGE: REGULATORS,
                                     Action.ARCHIVE: {Role.ADMIN}},
    "enforcement.Case": {Action.CREATE: REGULATORS, Action.CHANGE: REGULATORS, Action.ARCHIVE: {Role.ADMIN}},
    "enforcement.Evidence": {Action.CREATE: REGULATORS, Action.CHANGE: REGULATORS, Action.ARCHIVE: {Role.ADMIN}},
}

INSPECTION_FIELDS = frozenset({"enterprise_id", "inspected_at", "site", "inspectors", "present_person",
                               "findings", "result", "hazard_inspection_id", "lon", "lat"})
CASE_FIELDS = frozenset({"enterprise_id", "inspection_id", "party_person", "cause", "facts", "violated_basis"})
# Fields the case's transitions set (workflows.py), on top of the state.
CASE_WORKFLOW_FIELDS = frozenset({"status", "penalty", "fine_amount", "penalty_basis", "decision_text",
                                  "hearing_on", "perform_by", "enforcement_measure"})


def _limit(fields) -> FieldLimit:
    fields = frozenset(fields)
    return FieldLimit(change=fields, create=fields)


FIELD_LIMITS = {
    "enforcement.Holiday": {Role.ADMIN: _limit({"day", "kind", "name", "note"})},
    # is_synthetic: the demo loader's mark (as admin), as in the other apps.
    "enforcement.InspectionRecord": {role: _limit(INSPECTION_FIELDS | ({"is_synthetic"} if role == Role.ADMIN else set()))
                                     for role in REGULATORS},
    "enforcement.Case": {role: _limit(CASE_FIELDS | CASE_WORKFLOW_FIELDS | ({"is_synthetic"} if role == Role.ADMIN
                                                                            else set())) for role in REGULATORS},
    "enforcement.Evidence": {role: _limit({"kind", "title"}) for role in REGULATORS},
}


def register() -> None:
    for label, actions in PERMISSIONS.items():
        register_permissions(label, actions)
    for label, limits in FIELD_LIMITS.items():
        register_field_limits(label, limits)
