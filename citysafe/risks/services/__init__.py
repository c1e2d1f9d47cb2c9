"""Risk writes: every function checks role and scope, validates naming each bad field, runs
in one transaction and audits (core.records). Views, API, admin and commands call these."""
from citysafe.risks.services.assessments import (
    assess_risk_point,
    create_assessment,
    transition_assessment,
    update_assessment,
)
from citysafe.risks.services.hazards import (
    create_installation,
    create_inventory,
    create_substance,
    recompute_installation,
    update_installation,
    update_inventory,
    update_substance,
)
from citysafe.risks.services.lifecycle import archive_inventory, archive_risk_point, restore_risk_point
from citysafe.risks.services.points import create_measure, create_risk_point, update_measure, update_risk_point

__all__ = [
    "assess_risk_point", "create_assessment", "update_assessment", "transition_assessment",
    "create_installation", "update_installation", "create_inventory", "update_inventory", "create_substance",
    "update_substance", "recompute_installation",
    "archive_inventory", "archive_risk_point", "restore_risk_point",
    "create_measure", "update_measure", "create_risk_point", "update_risk_point",
]
