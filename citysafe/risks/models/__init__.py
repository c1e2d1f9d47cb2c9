"""Risk grading and control (REQUIREMENTS.md C7): models in one package, split by subject."""
from citysafe.risks.models.areas import AreaLevel, AreaRaise
from citysafe.risks.models.assessments import Assessment
from citysafe.risks.models.gatherings import Gathering
from citysafe.risks.models.hazards import Inventory, MajorHazardInstallation, Substance
from citysafe.risks.models.levels import (
    GRADED_LEVELS,
    LEVEL_COLOURS,
    LEVEL_HEX,
    METHOD_FACTORS,
    AccidentType,
    ControlLevel,
    HazardGrade,
    Method,
    RiskLevel,
)
from citysafe.risks.models.points import ControlMeasure, RiskPoint
from citysafe.risks.models.publication import RiskMapPublication
from citysafe.risks.models.rules import (
    IdentificationRound,
    LevelRule,
    MajorHazardLevelRule,
    MethodScale,
    MethodThreshold,
    ReviewRule,
)

__all__ = [
    "GRADED_LEVELS", "LEVEL_COLOURS", "LEVEL_HEX", "METHOD_FACTORS",
    "AccidentType", "AreaLevel", "Gathering", "RiskMapPublication", "AreaRaise", "Assessment", "ControlLevel", "ControlMeasure", "HazardGrade",
    "IdentificationRound", "Inventory", "LevelRule", "MajorHazardInstallation", "MajorHazardLevelRule", "Method",
    "MethodScale", "MethodThreshold", "ReviewRule", "RiskLevel", "RiskPoint", "Substance",
]
