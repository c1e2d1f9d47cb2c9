from citysafe.emergency.models.incidents import Dispatch, Incident, IncidentLog
from citysafe.emergency.models.plans import Drill, ImprovementAction, Plan
from citysafe.emergency.models.resources import (
    Expert,
    FireStation,
    Hospital,
    Material,
    MutualAidAgreement,
    RescueTeam,
    Shelter,
    Stockpile,
    WaterSource,
)
from citysafe.emergency.models.roads import NetworkVersion, RoadSegment

__all__ = ["Dispatch", "Drill", "Expert", "FireStation", "Hospital", "ImprovementAction", "Incident", "IncidentLog",
           "Material", "MutualAidAgreement", "NetworkVersion", "Plan", "RescueTeam", "RoadSegment", "Shelter",
           "Stockpile", "WaterSource"]
