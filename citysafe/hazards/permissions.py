"""Who may write hazard records, and which fields (registered with core.scope in ready()).

Why:
- Hazards: everyone who finds them registers them — the regulators (admin, department,
  township) on inspections, the grid worker on patrol, the enterprise on its self-check
  (自查自报). The closed loop's transitions name their own roles (workflows.py); plain edits
  of a registered hazard are the finder's corrections (description, category, location).
  Grading, notices, listing and closing are transitions or services, never field edits.
- Public reports are written by the public form (system actor) and triaged by the county
  office and townships; reward rules are the county office's configuration, rewards are
  proposed by triage and approved/paid by the county office.
"""
from citysafe.core.roles import Role
from citysafe.core.scope import Action, FieldLimit, register_field_limits, register_permissions

REGULATORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
FINDERS = REGULATORS | {Role.GRID, Role.ENTERPRISE}
ADMIN_ONLY = {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}, Action.ARCHIVE: {Role.ADMIN}}

PERMISSIONS = {
    "hazards.Hazard": {Action.CREATE: FINDERS, Action.CHANGE: FINDERS, Action.ARCHIVE: {Role.ADMIN}},
    "hazards.PublicReport": {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN, Role.TOWNSHIP},
                             Action.ARCHIVE: {Role.ADMIN}},
    "hazards.RewardRule": ADMIN_ONLY,
    "hazards.Reward": ADMIN_ONLY,
    # Checklists are the county's standard forms: the county office and the departments keep them.
    "hazards.ChecklistTemplate": {Action.CREATE: {Role.ADMIN, Role.DEPARTMENT},
                                  Action.CHANGE: {Role.ADMIN, Role.DEPARTMENT}, Action.ARCHIVE: {Role.ADMIN}},
    # Regulators assign inspections of places in their own scope (services/inspections.assign_task).
    "hazards.InspectionTask": {Action.CREATE: REGULATORS, Action.CHANGE: REGULATORS, Action.ARCHIVE: {Role.ADMIN}},
}

_FINDER_FIELDS = frozenset({"source", "category", "description", "enterprise_id", "place_id", "area_id",
                            "risk_point_id", "found_at", "lon", "lat", "coordinate_system"})
_WORKFLOW_FIELDS = frozenset({"status", "grade", "grade_reason", "responsible_unit", "responsible_person",
                              "measures", "rectification_deadline", "reinspection_result"})
_PLAN_FIELDS = frozenset({"plan_measures", "plan_funds", "plan_person", "plan_deadline", "plan_emergency",
                          "stop_production", "reported_to_department_at", "reported_to_congress_at"})
_LISTING = frozenset({"is_listed", "listing_authority", "listing_deadline"})


def _limit(fields) -> FieldLimit:
    fields = frozenset(fields)
    return FieldLimit(change=fields, create=fields)


FIELD_LIMITS = {
    "hazards.Hazard": {
        Role.ADMIN: _limit(_FINDER_FIELDS | _WORKFLOW_FIELDS | _PLAN_FIELDS | _LISTING | {"is_synthetic"}),
        Role.DEPARTMENT: _limit(_FINDER_FIELDS | _WORKFLOW_FIELDS | _PLAN_FIELDS | _LISTING),
        Role.TOWNSHIP: _limit(_FINDER_FIELDS | _WORKFLOW_FIELDS | _PLAN_FIELDS | _LISTING),
        Role.GRID: _limit(_FINDER_FIELDS | {"status"}),
        Role.ENTERPRISE: _limit(_FINDER_FIELDS | _PLAN_FIELDS | {"status"}),
    },
    "hazards.PublicReport": {Role.ADMIN: _limit({"status", "triage_note", "category", "is_synthetic"}),
                             Role.TOWNSHIP: _limit({"status", "triage_note", "category"})},
    "hazards.RewardRule": {Role.ADMIN: _limit({"grade", "amount", "basis"})},
    "hazards.Reward": {Role.ADMIN: _limit({"amount", "status", "payment_reference"})},
    "hazards.ChecklistTemplate": {Role.ADMIN: _limit({"name", "place_type", "items"}),
                                  Role.DEPARTMENT: _limit({"name", "place_type", "items"})},
}


def register() -> None:
    for label, actions in PERMISSIONS.items():
        register_permissions(label, actions)
    for label, limits in FIELD_LIMITS.items():
        register_field_limits(label, limits)
