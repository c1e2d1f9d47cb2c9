"""Monitoring endpoints beside the record kinds' routers (sensors, gateways, video points,
alarm rules come from kinds.py through core.kinds):

- `POST /api/v1/ingest/readings` — a batch of readings from a gateway or a device, with its
  own bearer token (not a user's): JSON (`[{"sensor": code, "ts": …, "value": …}]` or
  `{"readings": [...]}`) or CSV (`text/csv`, header sensor,ts,value). Bounded by
  MONITORING_INGEST_MAX_BYTES and MONITORING_INGEST_MAX_READINGS (413). Answers the counts:
  stored, duplicated, rejected and why (services/ingest.py).
- `/api/v1/monitoring/…` — readings and roll-ups of a sensor by time range, latest values,
  alarms and their transitions, alarm actions, device tokens.
"""
import json
from datetime import datetime
from typing import Literal, Optional

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from citysafe.accounts.auth import changers_of
from citysafe.core import keyset
from citysafe.core.kinds.api import ERRORS
from citysafe.core.kinds.types import Id, IdParam, MultilineText, Version
from citysafe.core.schema_types import ErrorOut
from citysafe.monitoring import selectors
from citysafe.monitoring.models import Alarm, Gateway, Sensor
from citysafe.monitoring.services import alarms as alarm_services
from citysafe.monitoring.services import devices, ingest


class DeviceTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        try:
            return ingest.credential_for(token)
        except ingest.BadCredential:
            raise AuthenticationError() from None


ingest_router = Router(tags=["ingest"], auth=DeviceTokenAuth())


def _error(status, loc, msg, kind):
    return JsonResponse({"detail": [{"loc": loc, "msg": msg, "type": kind}]}, status=status)


@ingest_router.post("/readings", operation_id="ingest_readings", summary="批量上报监测数据（JSON或CSV）",
                    response={200: dict, 401: ErrorOut, 413: ErrorOut, 422: ErrorOut})
def ingest_readings(request):
    body = request.body
    if len(body) > settings.MONITORING_INGEST_MAX_BYTES:
        return _error(413, ["body"], _("请求体过大"), "too_large")
    try:
        if request.content_type in ("text/csv", "application/csv"):
            rows = ingest.rows_from_csv(body.decode("utf-8"))
        else:
            rows = ingest.rows_from_json(ingest.parse_json(body))
    except UnicodeDecodeError:
        return _error(422, ["body"], _("请求体必须是UTF-8编码"), "encoding")
    except (ValueError, RecursionError) as exc:
        return _error(422, ["body"], str(exc) if str(exc) and not isinstance(exc, json.JSONDecodeError)
                      else _("请求体不是有效的JSON"), "json_invalid")
    if len(rows) > settings.MONITORING_INGEST_MAX_READINGS:
        return _error(413, ["body"], _("一次最多上报%(n)d条") % {"n": settings.MONITORING_INGEST_MAX_READINGS}, "too_many")
    return ingest.ingest(request.auth, rows).as_dict()


monitoring_router = Router(tags=["monitoring"])


class PointOut(Schema):
    ts: datetime
    value: Optional[float] = None
    count: Optional[int] = None
    mean: Optional[float] = None
    min: Optional[float] = None
    max: Optional[float] = None


@monitoring_router.get("/sensors/{int:sensor_id}/readings", response={200: list[PointOut], **ERRORS},
                       operation_id="list_sensor_readings", url_name="sensor_readings", summary="传感器数据（原始/分钟/小时）")
def sensor_readings(request, sensor_id: IdParam, start: datetime, end: datetime,
                    resolution: Literal["raw", "minute", "hour"] = "minute"):
    return selectors.readings(request.auth, sensor_id, start, end, resolution)


class LatestOut(Schema):
    sensor_id: int
    code: str
    name: str
    sensor_type: str
    unit: str
    ts: Optional[datetime]
    value: Optional[float]
    alarm_level: int


@monitoring_router.get("/latest", response={200: list[LatestOut], **ERRORS}, operation_id="list_latest_readings")
def latest(request):
    out = []
    for sensor in selectors.wall(request.auth):
        latest = getattr(sensor, "latest", None)
        out.append({"sensor_id": sensor.pk, "code": sensor.code, "name": sensor.name, "sensor_type": sensor.sensor_type,
                    "unit": sensor.unit, "ts": latest.ts if latest else None, "value": latest.value if latest else None,
                    "alarm_level": sensor.active_alarms[0].level if sensor.active_alarms else 0})
    return out


class AlarmOut(Schema):
    id: int
    version: int
    sensor_id: int
    sensor_name: str
    rule_id: int
    rule_name: str
    status: str
    level: int
    peak_level: int
    value: float
    started_at: datetime
    last_at: datetime
    raised_at: datetime
    cleared_at: Optional[datetime]
    acknowledged_at: Optional[datetime]
    assignee_id: Optional[int]
    escalations: int
    notifications: int
    disposition: str

    @staticmethod
    def resolve_sensor_name(obj):
        return obj.sensor.name

    @staticmethod
    def resolve_rule_name(obj):
        return obj.rule.name


class EventOut(Schema):
    transition: str
    from_state: str
    to_state: str
    note: str
    at: datetime
    actor_id: Optional[int]


class AlarmDetailOut(AlarmOut):
    events: list[EventOut]


@monitoring_router.get("/alarms", response={200: list[AlarmOut], **ERRORS}, operation_id="list_alarms")
def list_alarms(request, response: HttpResponse, active: bool = False, limit: int = 200,
                cursor: str = Query("", max_length=2000, description=keyset.CURSOR_HELP)):
    items, token = keyset.page(selectors.alarms(request.auth, active_only=active), cursor=cursor,
                               limit=max(1, min(limit, 1000)))
    keyset.link_header(response, request, token)  # the next page, as an RFC 8288 Link header
    return items


@monitoring_router.get("/alarms/{int:alarm_id}", response={200: AlarmDetailOut, **ERRORS}, operation_id="get_alarm")
def get_alarm(request, alarm_id: IdParam):
    alarm = selectors.alarm_for(request.auth, alarm_id)
    alarm.events = list(selectors.alarm_events(alarm))
    return alarm


class ActionIn(Schema):
    version: Version
    note: MultilineText = ""


class AssignIn(Schema):
    version: Version
    assignee_id: Optional[Id] = None


# The alarm actions open the alarm for change (workflow engine / open_for_change): the role and
# the alarm's write scope are checked before the body is read (403/404, never a 422 about it).
ALARM_CHANGERS = changers_of(Alarm, key="alarm_id")


def _alarm(request, alarm_id):
    alarm = selectors.alarm_for(request.auth, alarm_id)
    alarm.events = list(selectors.alarm_events(alarm))
    return alarm


@monitoring_router.post("/alarms/{int:alarm_id}/acknowledge", response={200: AlarmDetailOut, 409: ErrorOut, **ERRORS},
                        auth=ALARM_CHANGERS,
                        operation_id="acknowledge_alarm")
def acknowledge(request, alarm_id: IdParam, payload: ActionIn):
    alarm_services.acknowledge_alarm(request.auth, alarm_id, expected_version=payload.version, note=payload.note)
    return _alarm(request, alarm_id)


@monitoring_router.post("/alarms/{int:alarm_id}/clear", response={200: AlarmDetailOut, 409: ErrorOut, **ERRORS},
                        auth=ALARM_CHANGERS,
                        operation_id="clear_alarm")
def clear(request, alarm_id: IdParam, payload: ActionIn):
    alarm_services.clear_alarm(request.auth, alarm_id, expected_version=payload.version, note=payload.note)
    return _alarm(request, alarm_id)


@monitoring_router.post("/alarms/{int:alarm_id}/close", response={200: AlarmDetailOut, 409: ErrorOut, **ERRORS},
                        auth=ALARM_CHANGERS,
                        operation_id="close_alarm")
def close(request, alarm_id: IdParam, payload: ActionIn):
    alarm_services.close_alarm(request.auth, alarm_id, expected_version=payload.version, note=payload.note)
    return _alarm(request, alarm_id)


@monitoring_router.post("/alarms/{int:alarm_id}/assign", response={200: AlarmDetailOut, 409: ErrorOut, **ERRORS},
                        auth=ALARM_CHANGERS,
                        operation_id="assign_alarm")
def assign(request, alarm_id: IdParam, payload: AssignIn):
    alarm_services.assign_alarm(request.auth, alarm_id, payload.assignee_id, expected_version=payload.version)
    return _alarm(request, alarm_id)


class TokenOut(Schema):
    token: str
    prefix: str


@monitoring_router.post("/sensors/{int:sensor_id}/token", response={201: TokenOut, **ERRORS},
                        operation_id="issue_sensor_token", summary="签发设备令牌（只显示一次）")
def sensor_token(request, sensor_id: IdParam):
    raw = devices.issue_device_token(request.auth, Sensor, sensor_id)
    return Status(201, {"token": raw, "prefix": raw[:8]})


@monitoring_router.post("/gateways/{int:gateway_id}/token", response={201: TokenOut, **ERRORS},
                        operation_id="issue_gateway_token", summary="签发网关令牌（只显示一次）")
def gateway_token(request, gateway_id: IdParam):
    raw = devices.issue_device_token(request.auth, Gateway, gateway_id)
    return Status(201, {"token": raw, "prefix": raw[:8]})


class HazardIn(Schema):
    note: MultilineText = ""


class HazardOut(Schema):
    hazard_id: int


@monitoring_router.post("/alarms/{int:alarm_id}/hazard", response={201: HazardOut, **ERRORS},
                        auth=ALARM_CHANGERS,
                        operation_id="convert_alarm_to_hazard", summary="报警转为隐患（由隐患模块登记）")
def to_hazard(request, alarm_id: IdParam, payload: HazardIn):
    selectors.alarm_for(request.auth, alarm_id)
    hazard = alarm_services.convert_to_hazard(request.auth, alarm_id, payload.note)
    return Status(201, {"hazard_id": hazard.pk})


from citysafe.monitoring import api_vehicles  # noqa: E402,F401  (registers the vehicle endpoints on these routers)
