"""Who writes monitoring records (core.scope tables), registered in MonitoringConfig.ready().

Devices are installed at sites the regulators own: admin, departments and townships register
and change sensors, gateways and video points within their scope (the site decides the scope).
Alarm rules are thresholds from standards: county configuration, admin only. Alarms are
handled (acknowledge, assign, close) by the same regulators and by enterprise officers for
their own sites (core.workflow checks the roles per transition)."""
from citysafe.core.roles import Role
from citysafe.core.scope import EVERY_FIELD, Action, register_field_limits, register_permissions

REGULATORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
HANDLERS = REGULATORS | {Role.ENTERPRISE}


def register() -> None:
    for label in ("monitoring.Sensor", "monitoring.Gateway", "monitoring.VideoPoint", "monitoring.Vehicle"):
        register_permissions(label, dict.fromkeys((Action.CREATE, Action.CHANGE, Action.ARCHIVE), REGULATORS))
        register_field_limits(label, dict.fromkeys(REGULATORS, EVERY_FIELD))
    register_permissions("monitoring.AlarmRule", dict.fromkeys((Action.CREATE, Action.CHANGE, Action.ARCHIVE),
                                                               {Role.ADMIN}))
    register_field_limits("monitoring.AlarmRule", {Role.ADMIN: EVERY_FIELD})
    register_permissions("monitoring.RestrictedZone", dict.fromkeys((Action.CREATE, Action.CHANGE, Action.ARCHIVE),
                                                                    {Role.ADMIN}))
    register_field_limits("monitoring.RestrictedZone", {Role.ADMIN: EVERY_FIELD})
    for label in ("monitoring.Alarm", "monitoring.VehicleAlarm"):
        register_permissions(label, {Action.CHANGE: HANDLERS})
        register_field_limits(label, dict.fromkeys(HANDLERS, EVERY_FIELD))
