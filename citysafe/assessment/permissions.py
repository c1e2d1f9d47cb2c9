"""Who may write assessment records (registered with core.scope in ready()).

Why: accidents are entered by the county office, the townships where they happen and the
industry departments (C19); targets, base figures, indicator systems, scores and the
demonstration-city checklist are the county safety committee office's (县安委办, admin);
progress on a target is reported by its responsible unit (a department or township), checked
against the target's unit in the service (scope: organisation)."""
from citysafe.core.roles import Role
from citysafe.core.scope import EVERY_FIELD, Action, FieldLimit, register_field_limits, register_permissions

OFFICE = {Role.ADMIN}
# 州（市）安委办: issues and scores the assessment of its counties (its own rows only: core.scope
# lets the prefecture write what its organisation issued); reads every county's assessment data.
PREFECTURE = {Role.PREFECTURE}
REPORTERS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
ACCIDENT_FIELDS = frozenset({"code", "kind", "occurred_on", "place", "township_id", "industry_id", "accident_type",
                             "grade", "deaths", "injuries", "direct_loss", "investigation", "summary"})


def _all(roles):
    return dict.fromkeys((Action.CREATE, Action.CHANGE, Action.ARCHIVE), roles)


PERMISSIONS = {
    "assessment.Accident": {Action.CREATE: REPORTERS, Action.CHANGE: REPORTERS, Action.ARCHIVE: OFFICE},
    "assessment.PolicyTarget": _all(OFFICE),
    "assessment.ProgressReport": {Action.CREATE: REPORTERS, Action.CHANGE: REPORTERS, Action.ARCHIVE: OFFICE},
    "assessment.BaseFigure": _all(OFFICE),
    "assessment.IndicatorSystem": _all(OFFICE | PREFECTURE),
    "assessment.Indicator": _all(OFFICE | PREFECTURE),
    "assessment.CountyResult": _all(PREFECTURE),
    "assessment.CountyItemScore": _all(PREFECTURE),
    # The office scores and submits; the leader approves (review and approval, workflows.py).
    "assessment.UnitResult": {Action.CREATE: OFFICE, Action.CHANGE: OFFICE | {Role.LEADER}, Action.ARCHIVE: OFFICE},
    "assessment.ItemScore": _all(OFFICE),
    "assessment.Interview": _all(OFFICE),
    "assessment.CityItem": _all(OFFICE),
    "assessment.CitySelfAssessment": _all(OFFICE),
    "assessment.CityItemScore": _all(OFFICE),
}


def register() -> None:
    for label, actions in PERMISSIONS.items():
        register_permissions(label, actions)
        writers = set().union(*actions.values())
        if label == "assessment.Accident":
            limits = {role: FieldLimit(change=ACCIDENT_FIELDS, create=ACCIDENT_FIELDS) for role in writers}
            limits[Role.ADMIN] = FieldLimit(change=ACCIDENT_FIELDS | {"is_synthetic"},
                                            create=ACCIDENT_FIELDS | {"is_synthetic"})
        else:
            limits = dict.fromkeys(writers, EVERY_FIELD)
        if label == "assessment.UnitResult":
            limits[Role.LEADER] = FieldLimit(change=frozenset({"status"}), create=frozenset())
        register_field_limits(label, limits)
