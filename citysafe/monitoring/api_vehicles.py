"""Vehicle API (两客一危), on the monitoring app's routers (mounted by api.py):

- `POST /api/v1/ingest/positions` — a batch of GPS fixes from a gateway, with its bearer token:
  `[{"device": terminal id, "ts": …, "lon": …, "lat": …, "speed": km/h}]` or
  `{"positions": [...]}`; answers stored, duplicated, rejected and why (services/vehicles.py).
- `GET /api/v1/monitoring/vehicles/positions` — the feed the transport department reads: the
  newest position of every visible vehicle with its active alarms.
- `GET /api/v1/monitoring/vehicles/{id}/track` — positions between two times (replay).
- `GET /api/v1/monitoring/vehicle-alarms`, `POST …/{id}/acknowledge|close`.
"""
import json
from datetime import UTC, datetime
from typing import Optional

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Schema

from citysafe.core import scope
from citysafe.core.kinds.api import ERRORS
from citysafe.core.kinds.types import IdParam
from citysafe.core.schema_types import ErrorOut
from citysafe.monitoring.api import ActionIn, _error, ingest_router, monitoring_router
from citysafe.monitoring.models import ACTIVE, Vehicle, VehicleAlarm, VehiclePosition
from citysafe.monitoring.services import vehicles as services

MAX_TRACK_POINTS = 20000


@ingest_router.post("/positions", operation_id="ingest_positions", summary="批量上报车辆定位（两客一危）",
                    response={200: dict, 401: ErrorOut, 413: ErrorOut, 422: ErrorOut})
def ingest_positions(request):
    body = request.body
    if len(body) > settings.MONITORING_INGEST_MAX_BYTES:
        return _error(413, ["body"], _("请求体过大"), "too_large")
    try:
        rows = services.rows_from_json(json.loads(body.decode("utf-8")))
    except UnicodeDecodeError:
        return _error(422, ["body"], _("请求体必须是UTF-8编码"), "encoding")
    except (ValueError, RecursionError) as exc:
        return _error(422, ["body"], str(exc) if str(exc) and not isinstance(exc, json.JSONDecodeError)
                      else _("请求体不是有效的JSON"), "json_invalid")
    if len(rows) > settings.MONITORING_INGEST_MAX_READINGS:
        return _error(413, ["body"], _("一次最多上报%(n)d条") % {"n": settings.MONITORING_INGEST_MAX_READINGS}, "too_many")
    return services.ingest_positions(request.auth, rows).as_dict()


class VehiclePositionOut(Schema):
    id: int
    plate: str
    vehicle_type: str
    goods_class: str
    enterprise_id: Optional[int]
    ts: Optional[datetime]
    lon: Optional[float]
    lat: Optional[float]
    speed: Optional[float]
    alarms: list[str]


@monitoring_router.get("/vehicles/positions", response={200: list[VehiclePositionOut], **ERRORS},
                       operation_id="list_vehicle_positions", summary="两客一危车辆最新位置（交通运输部门数据接口）")
def vehicle_positions(request):
    vehicles = scope.narrow(request.auth, Vehicle.objects.filter(archived_at__isnull=True).order_by("plate"))
    active = {}
    for vehicle_id, kind in VehicleAlarm.objects.filter(status__in=ACTIVE).values_list("vehicle_id", "kind"):
        active.setdefault(vehicle_id, []).append(kind)
    return [{"id": v.pk, "plate": v.plate, "vehicle_type": v.vehicle_type, "goods_class": v.goods_class,
             "enterprise_id": v.enterprise_id, "ts": datetime.fromtimestamp(v.last_ts, tz=UTC) if v.last_ts else None,
             "lon": v.last_lon, "lat": v.last_lat, "speed": v.last_speed, "alarms": sorted(active.get(v.pk, []))}
            for v in vehicles]


class TrackPointOut(Schema):
    ts: datetime
    lon: float
    lat: float
    speed: float


@monitoring_router.get("/vehicles/{int:vehicle_id}/track", response={200: list[TrackPointOut], **ERRORS},
                       operation_id="vehicle_track", summary="车辆轨迹（回放）")
def vehicle_track(request, vehicle_id: IdParam, start: datetime, end: datetime):
    scope.narrow(request.auth, Vehicle.objects.all()).get(pk=vehicle_id)   # 404 outside the scope
    rows = VehiclePosition.objects.filter(vehicle_id=vehicle_id, ts__gte=start, ts__lt=end).order_by("ts")
    return [{"ts": r.ts, "lon": r.lon, "lat": r.lat, "speed": r.speed} for r in rows[:MAX_TRACK_POINTS]]


class VehicleAlarmOut(Schema):
    id: int
    version: int
    vehicle_id: int
    plate: str
    kind: str
    status: str
    level: int
    value: Optional[float]
    zone_id: Optional[int]
    started_at: datetime
    last_at: datetime
    cleared_at: Optional[datetime]
    acknowledged_at: Optional[datetime]
    disposition: str

    @staticmethod
    def resolve_plate(obj):
        return obj.vehicle.plate


def _alarms(user):
    return scope.narrow(user, VehicleAlarm.objects.select_related("vehicle").order_by("level", "-raised_at"))


@monitoring_router.get("/vehicle-alarms", response={200: list[VehicleAlarmOut], **ERRORS},
                       operation_id="list_vehicle_alarms")
def list_vehicle_alarms(request, active: bool = False, limit: int = 200):
    alarms = _alarms(request.auth)
    if active:
        alarms = alarms.filter(status__in=ACTIVE)
    return list(alarms[:max(1, min(limit, 1000))])


@monitoring_router.post("/vehicle-alarms/{int:alarm_id}/acknowledge",
                        response={200: VehicleAlarmOut, 409: ErrorOut, **ERRORS}, operation_id="acknowledge_vehicle_alarm")
def acknowledge_vehicle_alarm(request, alarm_id: IdParam, payload: ActionIn):
    _alarms(request.auth).get(pk=alarm_id)
    services.acknowledge_vehicle_alarm(request.auth, alarm_id, expected_version=payload.version, note=payload.note)
    return _alarms(request.auth).get(pk=alarm_id)


@monitoring_router.post("/vehicle-alarms/{int:alarm_id}/close",
                        response={200: VehicleAlarmOut, 409: ErrorOut, **ERRORS}, operation_id="close_vehicle_alarm")
def close_vehicle_alarm(request, alarm_id: IdParam, payload: ActionIn):
    _alarms(request.auth).get(pk=alarm_id)
    services.close_vehicle_alarm(request.auth, alarm_id, expected_version=payload.version, note=payload.note)
    return _alarms(request.auth).get(pk=alarm_id)
