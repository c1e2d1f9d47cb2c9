"""Reads of the monitoring app, always through core.scope.narrow (a reading, roll-up or alarm
is visible exactly where its sensor is)."""
from datetime import datetime

from django.db.models import Prefetch

from citysafe.core import scope
from citysafe.core.models import WorkflowEvent
from citysafe.monitoring.models import ACTIVE, Alarm, HourRollup, MinuteRollup, Reading, Sensor

RESOLUTIONS = {"raw": Reading, "minute": MinuteRollup, "hour": HourRollup}
MAX_POINTS = 20000


def visible_sensors(user):
    return scope.narrow(user, Sensor.objects.all())


def sensor_for(user, pk: int) -> Sensor:
    return visible_sensors(user).get(pk=pk)


def readings(user, sensor_id: int, start: datetime, end: datetime, resolution: str = "minute") -> list[dict]:
    sensor_for(user, sensor_id)   # 404 outside the scope
    model = RESOLUTIONS[resolution]
    if model is Reading:
        rows = Reading.objects.filter(sensor_id=sensor_id, ts__gte=start, ts__lt=end).order_by("ts")
        return [{"ts": r.ts, "value": r.value} for r in rows[:MAX_POINTS]]
    rows = model.objects.filter(sensor_id=sensor_id, bucket__gte=start, bucket__lt=end).order_by("bucket")
    return [{"ts": r.bucket, "count": r.count, "mean": r.mean, "min": r.vmin, "max": r.vmax} for r in rows[:MAX_POINTS]]


def alarms(user, *, active_only: bool = False, status: str | None = None):
    queryset = scope.narrow(user, Alarm.objects.select_related("sensor", "rule").order_by("level", "-raised_at"))
    if active_only:
        queryset = queryset.filter(status__in=ACTIVE)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def alarm_for(user, pk: int) -> Alarm:
    return alarms(user).get(pk=pk)


def alarm_events(alarm: Alarm):
    return WorkflowEvent.objects.filter(object_type=Alarm._meta.label, object_id=alarm.pk).order_by("at", "pk")


def wall(user):
    """Every visible sensor with its latest value and its worst active alarm level."""
    active = Alarm.objects.filter(status__in=ACTIVE).order_by("level")
    sensors = (visible_sensors(user).select_related("latest", "township")
               .prefetch_related(Prefetch("alarms", queryset=active, to_attr="active_alarms")).order_by("code"))
    return sensors


__all__ = ["alarm_events", "alarm_for", "alarms", "readings", "sensor_for", "visible_sensors", "wall"]


def vehicles_on_map(user):
    """Visible vehicles with a position, each with its active alarms (`active_alarms`)."""
    from citysafe.monitoring.models import Vehicle, VehicleAlarm

    return scope.narrow(user, Vehicle.objects.filter(archived_at__isnull=True, last_lon__isnull=False)).prefetch_related(
        Prefetch("alarms", queryset=VehicleAlarm.objects.filter(status__in=ACTIVE).order_by("level"),
                 to_attr="active_alarms")).order_by("plate")


def vehicle_alarms(user, *, active_only: bool = False):
    from citysafe.monitoring.models import VehicleAlarm

    queryset = scope.narrow(user, VehicleAlarm.objects.select_related("vehicle", "zone").order_by("level", "-raised_at"))
    return queryset.filter(status__in=ACTIVE) if active_only else queryset


def zones():
    """Restricted zones in force or not (public: every user sees where trucks may not go)."""
    from citysafe.monitoring.models import RestrictedZone

    return RestrictedZone.objects.filter(archived_at__isnull=True).order_by("name")


def vehicle_for(user, pk: int):
    from citysafe.monitoring.models import Vehicle

    return scope.narrow(user, Vehicle.objects.all()).get(pk=pk)


TRACK_LIMIT = 20_000


def vehicle_track(vehicle, start: datetime, end: datetime) -> list:
    """[[epoch s, lat, lon, speed], …] in time order, at most TRACK_LIMIT positions (the vehicle
    is already checked against the user's scope: vehicle_for)."""
    from citysafe.monitoring.models import VehiclePosition

    rows = (VehiclePosition.objects.filter(vehicle=vehicle, ts__gte=start, ts__lte=end).order_by("ts")
            .values_list("ts", "lat", "lon", "speed")[:TRACK_LIMIT])
    return [[round(ts.timestamp(), 3), lat, lon, speed] for ts, lat, lon, speed in rows]


def vehicle_alarms_between(vehicle, start: datetime, end: datetime):
    from citysafe.monitoring.models import VehicleAlarm

    return (VehicleAlarm.objects.filter(vehicle=vehicle, started_at__lte=end).exclude(cleared_at__lt=start)
            .select_related("zone").order_by("started_at"))
