from .alarms import ACTIVE, UNACKNOWLEDGED, Alarm, AlarmRule, AlarmStatus, RuleKind, RuleState
from .devices import Gateway, Sensor, SensorType, VideoPoint, token_digest
from .readings import HourRollup, LatestReading, MinuteRollup, PendingEvaluation, Reading
from .vehicles import GoodsClass, RestrictedZone, Vehicle, VehicleAlarm, VehicleAlarmKind, VehiclePosition, VehicleType

__all__ = ["ACTIVE", "UNACKNOWLEDGED", "Alarm", "AlarmRule", "AlarmStatus", "Gateway", "HourRollup", "LatestReading",
           "MinuteRollup", "PendingEvaluation", "Reading", "RuleKind", "RuleState", "Sensor", "SensorType", "VideoPoint", "token_digest",
           "GoodsClass", "RestrictedZone", "Vehicle", "VehicleAlarm", "VehicleAlarmKind", "VehiclePosition", "VehicleType"]
