"""Vehicle positions (两客一危): ingestion of a batch of GPS fixes from a gateway (the same
credentials as readings), storage (idempotent on (vehicle, ts)), the newest position per
vehicle, evaluation (kernels.vehicle_rules) and the vehicle alarm lifecycle (the sensors'
workflow, workflows.ALARM_WORKFLOW). One transaction per batch, like readings.

A position is `{"device": terminal id, "ts": …, "lon": …, "lat": …, "speed": km/h}`; rejected
and counted without losing the rest: unknown device, bad time, coordinates outside China's
bounding box, speed not in 0–250 km/h.
"""
import math
import time
from datetime import UTC, datetime

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from citysafe.core.audit import record_change, snapshot
from citysafe.core.workflow.system import as_system
from citysafe.monitoring.models import ACTIVE, RestrictedZone, Vehicle, VehicleAlarm, VehicleAlarmKind, VehicleType
from citysafe.monitoring.services import storage
from citysafe.monitoring.services.ingest import (
    FUTURE_TOLERANCE_SECONDS,
    REASONS,
    Credential,
    IngestResult,
    _epoch,
    _number,
    _numbers,
)
from citysafe.monitoring.workflows import ACKNOWLEDGE, ALARM_WORKFLOW, CLEAR
from kernels import vehicle_rules

POSITION_REASONS = {
    "unknown_device": gettext_noop("车载终端不存在或不属于该网关"),
    "bad_position": gettext_noop("经纬度超出范围（经度73–136，纬度3–54）"),
    "bad_speed": gettext_noop("速度不在0–250公里/小时之间"),
}
REASONS.update(POSITION_REASONS)
CHINA_OFFSET_SECONDS = 8 * 3600   # time windows are Beijing hours; China has no daylight saving
KINDS = (VehicleAlarmKind.SPEEDING, VehicleAlarmKind.OFF_ROUTE, VehicleAlarmKind.IN_ZONE)   # kernel column order


def rows_from_json(items) -> list:
    if isinstance(items, dict):
        items = items.get("positions")
    if not isinstance(items, list):
        raise ValueError(_("请求体应为定位数组，或含 positions 数组的对象"))
    return [(i.get("device"), i.get("ts"), i.get("lon"), i.get("lat"), i.get("speed")) if isinstance(i, dict)
            else None for i in items]


def ingest_positions(credential: Credential, rows: list, *, now: float | None = None) -> IngestResult:
    now = time.time() if now is None else now
    result = IngestResult(received=len(rows))
    vehicles = Vehicle.objects.filter(archived_at__isnull=True)
    if credential.gateway_id:
        vehicles = vehicles.filter(gateway_id=credential.gateway_id)
    elif credential.sensor_id:
        vehicles = vehicles.none()
    known = dict(vehicles.values_list("code", "pk"))
    rows_ = [r if r is not None else (None,) * 5 for r in rows]
    ids = np.array([known.get(r[0], -1) if type(r[0]) is str else -1 for r in rows_], np.int64)
    t = _numbers([r[1] for r in rows_], _epoch)
    t[~np.isfinite(t)] = np.nan
    t = np.where(t > 1e11, t / 1000.0, t)
    lon, lat, speed = (_numbers([r[k] for r in rows_], _number) for k in (2, 3, 4))
    oldest = now - settings.MONITORING_RETENTION_DAYS * 86400
    with np.errstate(invalid="ignore"):
        checks = [(np.array([r is None for r in rows], bool), "bad_row"), (ids < 0, "unknown_device"),
                  (np.isnan(t), "bad_timestamp"), (t > now + FUTURE_TOLERANCE_SECONDS, "future_timestamp"),
                  (t < oldest, "too_old"),
                  (~((lon >= 73) & (lon <= 136) & (lat >= 3) & (lat <= 54)), "bad_position"),
                  (~((speed >= 0) & (speed <= 250)), "bad_speed")]
    reason = np.zeros(len(rows), np.int8)
    for code, (failed, _name) in reversed(list(enumerate(checks, start=1))):
        reason[failed] = code
    for index in np.flatnonzero(reason).tolist():
        name = checks[reason[index] - 1][1]
        result.reject(index, rows_[index][0] if name != "bad_row" else "", name)
    good = reason == 0
    v, t, lon, lat, speed = ids[good], np.round(t[good], 6), lon[good], lat[good], speed[good]
    _, first = np.unique(np.stack([v.astype(float), t]), axis=1, return_index=True)
    first.sort()
    offered = len(first)
    v, t, lon, lat, speed = v[first], t[first], lon[first], lat[first], speed[first]
    with transaction.atomic():
        _lock_vehicles(np.unique(v).tolist())
        if storage.is_postgres():   # COPY + one statement, the newest positions included
            from citysafe.monitoring.services.storage_pg import store_positions

            new = store_positions(v, t, lon, lat, speed)
            v, t, lon, lat, speed = v[new], t[new], lon[new], lat[new], speed[new]
        else:
            new = _insert_positions(v, t, lon, lat, speed)
            v, t, lon, lat, speed = v[new], t[new], lon[new], lat[new], speed[new]
            _update_latest(v, t, lon, lat, speed)
        result.alarms_changed = evaluate_positions(v, t, lon, lat, speed, now=now)
    result.stored = len(v)
    result.duplicated = offered - len(v)
    return result


def _lock_vehicles(pks) -> None:
    """Batches of one vehicle run one after the other (its alarms' first-batch race)."""
    if pks:
        list(Vehicle.objects.filter(pk__in=pks).order_by("pk").select_for_update().values_list("pk", flat=True))


def _insert_positions(v, t, lon, lat, speed) -> np.ndarray:
    """Insert, skipping stored (vehicle, ts); returns the mask of the rows that were new."""
    if not len(v):
        return np.zeros(0, bool)
    with connection.cursor() as cursor:
        if storage.is_postgres():
            cursor.execute(
                "INSERT INTO monitoring_vehicleposition (vehicle_id, ts, lon, lat, speed) SELECT a, to_timestamp(b), c, "
                "d, e FROM unnest(%s::bigint[], %s::float8[], %s::float8[], %s::float8[], %s::float8[]) AS u(a, b, c, "
                "d, e) ON CONFLICT DO NOTHING RETURNING vehicle_id, round(extract(epoch from ts)::numeric, 6)::float8",
                [v.tolist(), t.tolist(), lon.tolist(), lat.tolist(), speed.tolist()])
            new = {(a, round(b, 6)) for a, b in cursor.fetchall()}
            return np.array([(a, round(b, 6)) in new for a, b in zip(v.tolist(), t.tolist(), strict=True)], bool)
        times = storage.sqlite_times(t)
        rows = list(zip(v.tolist(), times, lon.tolist(), lat.tolist(), speed.tolist(), strict=True))
        new = set()
        for start in range(0, len(rows), 5000):
            chunk = rows[start:start + 5000]
            cursor.execute("INSERT INTO monitoring_vehicleposition (vehicle_id, ts, lon, lat, speed) VALUES "  # noqa: S608
                           + ",".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
                           + " ON CONFLICT DO NOTHING RETURNING vehicle_id, CAST(ts AS TEXT)",
                           [x for row in chunk for x in row])
            new.update(cursor.fetchall())
        return np.array([(a, b) in new for a, b in zip(v.tolist(), times, strict=True)], bool)


def _update_latest(v, t, lon, lat, speed) -> None:
    if not len(v):
        return
    order = np.lexsort((t, v))
    last = order[np.flatnonzero(np.r_[np.diff(v[order]) != 0, True])]
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE monitoring_vehicle SET last_ts = %s, last_lon = %s, last_lat = %s, last_speed = %s "
            "WHERE id = %s AND (last_ts IS NULL OR last_ts < %s)",
            [(float(t[i]), float(lon[i]), float(lat[i]), float(speed[i]), int(v[i]), float(t[i])) for i in last])


def evaluate_positions(v, t, lon, lat, speed, *, now: float) -> int:
    if not len(v):
        return 0
    pks = np.unique(v).tolist()
    vehicles = {x.pk: x for x in Vehicle.objects.filter(pk__in=pks).only(
        "pk", "plate", "vehicle_type", "speed_limit", "route", "route_tolerance_m", "township_id", "enterprise_id",
        "version")}
    index = np.searchsorted(np.array(pks), v)
    zones = list(RestrictedZone.objects.filter(is_enabled=True, archived_at__isnull=True).order_by("pk"))
    zone_rows = np.array([(z.lon, z.lat, z.radius_m, z.start_hour, z.end_hour) for z in zones], float).reshape(-1, 5)
    hazmat = np.array([vehicles[p].vehicle_type == VehicleType.HAZMAT for p in pks])
    hour = ((t + CHINA_OFFSET_SECONDS) % 86400) / 3600.0
    outcome = vehicle_rules.evaluate(
        index, t, lon, lat, speed, hour, limit=np.array([vehicles[p].speed_limit or np.nan for p in pks], float),
        routes=[vehicles[p].route or None for p in pks],
        tolerance=np.array([vehicles[p].route_tolerance_m for p in pks], float), zones=zone_rows,
        polygons=[z.polygon or None for z in zones])
    # a zone binds hazmat trucks, or every vehicle when the zone says so
    if zones:
        applies = np.array([z.applies_to_all for z in zones])
        worst_zone = np.nan_to_num(outcome.worst[:, 2], nan=0).astype(int)
        binds = hazmat | applies[worst_zone]
        outcome.active[:, 2] &= binds
        outcome.first_at[~binds, 2] = np.nan
    # Only the (vehicle, kind) pairs that open, clear or carry an alarm reach the lifecycle:
    # the active alarms of the batch's vehicles are read once (the vehicles are locked).
    open_alarms = {(a.vehicle_id, a.kind): a for a in
                   VehicleAlarm.objects.filter(vehicle_id__in=pks, status__in=ACTIVE)}
    changed, still = 0, []
    for k, pk in enumerate(pks):
        silent = open_alarms.get((pk, VehicleAlarmKind.SILENT))
        if silent is not None:
            changed += _settle(vehicles[pk], VehicleAlarmKind.SILENT, held=False, first_at=math.nan,
                               last_at=outcome.last_at[k, 0], value=None, now=now, alarm=silent)
        for c, kind in enumerate(KINDS):
            alarm, held, first_at = open_alarms.get((pk, kind)), bool(outcome.active[k, c]), outcome.first_at[k, c]
            if alarm is None and first_at != first_at:       # NaN: nothing happened
                continue
            if alarm is not None and held:                   # still going on: value and time only
                value = outcome.worst[k, c]
                still.append((None if kind == VehicleAlarmKind.IN_ZONE or value != value else float(value),
                              _at(outcome.last_at[k, c]), alarm.pk))
                continue
            zone = zones[int(outcome.worst[k, c])] if kind == VehicleAlarmKind.IN_ZONE and first_at == first_at \
                else None
            changed += _settle(vehicles[pk], kind, held=held, first_at=first_at, last_at=outcome.last_at[k, c],
                               value=outcome.worst[k, c] if zone is None else None, zone=zone, now=now, alarm=alarm)
    if still:
        with connection.cursor() as cursor:
            cursor.executemany("UPDATE monitoring_vehiclealarm SET value = %s, last_at = %s WHERE id = %s", still)
    return changed


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def _settle(vehicle, kind, *, held: bool, first_at: float, last_at: float, value, now: float, zone=None,
            alarm=...) -> int:
    """Open, update or clear the (vehicle, kind) alarm (`alarm`: the active one, when the
    caller has read it under the vehicle's lock). A condition that held only in the middle of
    the batch opens an alarm that is cleared at once (it happened; someone looks)."""
    if alarm is ...:
        alarm = VehicleAlarm.objects.select_for_update().filter(vehicle=vehicle, kind=kind, status__in=ACTIVE).first()
    value = None if value is None or value != value else float(value)
    with as_system() as actor:
        if alarm is None:
            if first_at != first_at:      # NaN: never held in this batch
                return 0
            alarm = VehicleAlarm.objects.create(vehicle=vehicle, kind=kind, value=value, zone=zone,
                                                level=1 if kind == VehicleAlarmKind.IN_ZONE else 2,
                                                started_at=_at(first_at), last_at=_at(last_at), entered_at=timezone.now())
            record_change(actor=actor, action="create", instance=alarm, after=snapshot(alarm))
            _notify(alarm)
            if not held:
                _clear(actor, alarm, _at(last_at))
            return 1
        if not held:
            _clear(actor, alarm, _at(last_at))
            return 1
        VehicleAlarm.objects.filter(pk=alarm.pk).update(value=value, last_at=_at(last_at))
        return 0


def _clear(actor, alarm, when) -> None:
    VehicleAlarm.objects.filter(pk=alarm.pk).update(cleared_at=when)
    ALARM_WORKFLOW.apply(actor, VehicleAlarm, alarm.pk, CLEAR[alarm.status], expected_version=alarm.version,
                         note=_("车辆恢复正常，系统自动解除"))


def _notify(alarm) -> None:
    from django.contrib.auth import get_user_model

    from citysafe.core.roles import Role
    from citysafe.notifications.models import Priority
    from citysafe.notifications.services import notify_many, sms_copies

    vehicle = alarm.vehicle
    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    targets = users.filter(role=Role.TOWNSHIP, organisation__area_id=vehicle.township_id)
    if vehicle.enterprise_id:
        targets = targets | users.filter(role=Role.ENTERPRISE, enterprise_id=vehicle.enterprise_id)
    targets = list(targets.distinct())
    if targets:
        message = {"kind": "monitoring_vehicle_alarm", "body": _("请核实车辆运行情况"), "link": "/monitoring/wall/",
                   "subject": _("车辆报警：%(plate)s %(kind)s") % {"plate": vehicle.plate,
                                                              "kind": alarm.get_kind_display()},
                   "dedupe_key": f"vehicle-alarm:{alarm.pk}",
                   "priority": Priority.URGENT if alarm.level == 1 else Priority.HIGH}
        notify_many(targets, **message)
        if alarm.level <= 2:  # level 1/2 also by SMS, when the SMS channel is configured
            sms_copies(targets, **message)


def sweep_silent(now: float | None = None) -> int:
    """Periodic: a vehicle whose last position is older than its silent time gets a 失联 alarm
    (cleared by its next position). Vehicles that never reported are not new alarms."""
    now = time.time() if now is None else now
    opened = 0
    for vehicle in Vehicle.objects.filter(archived_at__isnull=True, last_ts__isnull=False):
        if now - vehicle.last_ts > vehicle.silent_minutes * 60:
            with transaction.atomic():
                _lock_vehicles([vehicle.pk])
                opened += _settle(vehicle, VehicleAlarmKind.SILENT, held=True, first_at=vehicle.last_ts,
                                  last_at=vehicle.last_ts, value=(now - vehicle.last_ts) / 60.0, now=now)
    return opened


@transaction.atomic
def acknowledge_vehicle_alarm(actor, pk, *, expected_version: int, note: str = ""):
    alarm = VehicleAlarm.objects.get(pk=pk)
    alarm = ALARM_WORKFLOW.apply(actor, VehicleAlarm, pk, ACKNOWLEDGE.get(alarm.status, "acknowledge"),
                                 expected_version=expected_version, note=note)
    VehicleAlarm.objects.filter(pk=pk).update(acknowledged_at=timezone.now())
    return alarm


@transaction.atomic
def close_vehicle_alarm(actor, pk, *, expected_version: int, note: str):
    return ALARM_WORKFLOW.apply(actor, VehicleAlarm, pk, "close", expected_version=expected_version, note=note,
                                changes={"disposition": note})
