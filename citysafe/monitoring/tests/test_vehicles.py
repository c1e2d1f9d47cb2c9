"""Vehicles (两客一危): positions over HTTP with a gateway token, speeding, route and zone
alarms with the sensors' lifecycle, silence, the transport department's feed."""
import json
import secrets
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.test import Client

from citysafe.monitoring.models import (
    ACTIVE,
    AlarmStatus,
    RestrictedZone,
    Vehicle,
    VehicleAlarm,
    VehicleAlarmKind,
    VehiclePosition,
    VehicleType,
    token_digest,
)
from citysafe.monitoring.services.vehicles import sweep_silent

URL = "/api/v1/ingest/positions"
BEIJING = timezone(timedelta(hours=8))


@pytest.fixture
def truck(world):
    """A demo hazmat truck and a fresh token for its gateway."""
    from citysafe.monitoring.models import Gateway

    vehicle = Vehicle.objects.filter(vehicle_type=VehicleType.HAZMAT, gateway__isnull=False).order_by("id").first()
    raw = secrets.token_urlsafe(32)
    Gateway.objects.filter(pk=vehicle.gateway_id).update(token_digest=token_digest(raw))
    return vehicle, raw


def post(token, body):
    return Client().post(URL, data=json.dumps(body), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}")


def fix(vehicle, ts, speed, lon=None, lat=None):
    return {"device": vehicle.code, "ts": ts, "lon": vehicle.route[0][0] if lon is None else lon,
            "lat": vehicle.route[0][1] if lat is None else lat, "speed": speed}


def test_a_speeding_truck_opens_one_alarm_that_clears_when_it_slows_down(truck):
    vehicle, token = truck
    now = int(time.time()) - 300
    answer = post(token, [fix(vehicle, now, 50), fix(vehicle, now + 10, 75), fix(vehicle, now + 20, 78)]).json()
    assert (answer["stored"], answer["rejected"]) == (3, 0)
    alarm = VehicleAlarm.objects.get(vehicle=vehicle, kind=VehicleAlarmKind.SPEEDING)
    assert (alarm.status, alarm.value) == (AlarmStatus.ACTIVE_UNACK, 78)
    assert int(alarm.started_at.timestamp()) == now + 10
    post(token, [fix(vehicle, now + 30, 82)])
    assert VehicleAlarm.objects.filter(vehicle=vehicle, kind=VehicleAlarmKind.SPEEDING).count() == 1
    post(token, [fix(vehicle, now + 40, 55)])
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED_UNACK and alarm.cleared_at is not None
    vehicle.refresh_from_db()
    assert (vehicle.last_speed, int(vehicle.last_ts)) == (55, now + 40)


def test_resent_positions_are_duplicates_and_bad_ones_are_rejected_with_reasons(truck):
    vehicle, token = truck
    now = int(time.time()) - 300
    batch = [fix(vehicle, now, 40), fix(vehicle, now + 5, 41)]
    post(token, batch)
    answer = post(token, [*batch, fix(vehicle, now + 6, 400), fix(vehicle, now + 7, 40, lon=10.0),
                          {"device": "NO-SUCH", "ts": now, "lon": 103, "lat": 35, "speed": 1}, 7]).json()
    assert (answer["stored"], answer["duplicated"], answer["rejected"]) == (0, 2, 4)
    assert answer["reasons"] == {"bad_speed": 1, "bad_position": 1, "unknown_device": 1, "bad_row": 1}
    assert VehiclePosition.objects.filter(vehicle=vehicle).count() == 2


def test_a_late_position_is_stored_but_does_not_move_the_newest_position_back(truck):
    vehicle, token = truck
    now = int(time.time()) - 300
    post(token, [fix(vehicle, now + 10, 42)])
    answer = post(token, [fix(vehicle, now + 10, 42), fix(vehicle, now, 30), fix(vehicle, now + 5, 31)]).json()
    assert (answer["stored"], answer["duplicated"]) == (2, 1)
    vehicle.refresh_from_db()
    assert (int(vehicle.last_ts), vehicle.last_speed) == (now + 10, 42)
    assert VehiclePosition.objects.filter(vehicle=vehicle, ts__gte=datetime.fromtimestamp(now, UTC)).count() == 3


def test_another_gateways_token_cannot_report_the_truck(truck, world):
    from citysafe.monitoring.models import Gateway

    vehicle, _token = truck
    other = Gateway.objects.exclude(pk=vehicle.gateway_id).order_by("id").first()
    raw = secrets.token_urlsafe(32)
    Gateway.objects.filter(pk=other.pk).update(token_digest=token_digest(raw))
    answer = post(raw, [fix(vehicle, int(time.time()) - 60, 40)]).json()
    assert (answer["stored"], answer["reasons"]) == (0, {"unknown_device": 1})


def test_a_truck_entering_a_school_zone_in_school_hours_is_a_level_one_alarm_but_not_after(truck):
    vehicle, token = truck
    lon, lat = vehicle.route[0]
    zone = RestrictedZone.objects.create(name="测试学校禁行区", lon=lon + 0.01, lat=lat, radius_m=300,
                                         start_hour=7, end_hour=9)
    today = datetime.now(BEIJING).replace(hour=8, minute=0, second=0, microsecond=0)
    if today.timestamp() + 2 * 3600 > time.time():
        today -= timedelta(days=1)
    morning, later = int(today.timestamp()), int(today.timestamp()) + 2 * 3600
    post(token, [fix(vehicle, morning, 30, lon=lon + 0.01, lat=lat)])
    alarm = VehicleAlarm.objects.get(vehicle=vehicle, kind=VehicleAlarmKind.IN_ZONE)
    assert (alarm.level, alarm.zone_id, alarm.status) == (1, zone.pk, AlarmStatus.ACTIVE_UNACK)
    post(token, [fix(vehicle, later, 30, lon=lon + 0.01, lat=lat)])       # 10:00: outside the window
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED_UNACK


def test_leaving_the_approved_route_opens_an_alarm(truck):
    vehicle, token = truck
    lon, lat = vehicle.route[0]
    post(token, [fix(vehicle, int(time.time()) - 60, 40, lon=lon, lat=lat + 0.05)])   # 5.5 km north of its start
    alarm = VehicleAlarm.objects.get(vehicle=vehicle, kind=VehicleAlarmKind.OFF_ROUTE, status__in=ACTIVE)
    assert alarm.value > 4000            # metres to the nearest point of the route (it bends north-east)


def test_a_silent_vehicle_gets_an_alarm_that_its_next_position_clears(truck):
    vehicle, token = truck
    now = int(time.time())
    post(token, [fix(vehicle, now - 3600, 40)])
    assert sweep_silent(now=now) >= 1
    alarm = VehicleAlarm.objects.get(vehicle=vehicle, kind=VehicleAlarmKind.SILENT)
    assert alarm.status == AlarmStatus.ACTIVE_UNACK
    assert sweep_silent(now=now) == 0 or VehicleAlarm.objects.filter(vehicle=vehicle, kind="silent").count() == 1
    post(token, [fix(vehicle, now - 10, 40)])
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED_UNACK


def test_the_transport_feed_shows_positions_within_the_readers_scope_and_alarms_are_handled(truck, world):
    from citysafe.accounts.models import ApiToken  # noqa: F401 (the API accepts a session too)

    vehicle, token = truck
    post(token, [fix(vehicle, int(time.time()) - 60, 95)])
    admin = Client()
    admin.force_login(world.admin)
    feed = {row["plate"]: row for row in admin.get("/api/v1/monitoring/vehicles/positions").json()}
    assert feed[vehicle.plate]["speed"] == 95 and feed[vehicle.plate]["alarms"] == ["speeding"]
    outsider = Client()
    officer = world.other_township_officer if vehicle.township_id == world.township_a.pk else world.township_officer
    outsider.force_login(officer)
    assert vehicle.plate not in {row["plate"] for row in outsider.get("/api/v1/monitoring/vehicles/positions").json()}
    alarm = VehicleAlarm.objects.get(vehicle=vehicle, kind=VehicleAlarmKind.SPEEDING)
    answer = admin.post(f"/api/v1/monitoring/vehicle-alarms/{alarm.pk}/acknowledge",
                        data={"version": alarm.version}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == AlarmStatus.ACTIVE_ACK
    assert vehicle.plate in admin.get("/monitoring/wall/live/").content.decode()
    geo = admin.get("/monitoring/wall/vehicles.geojson").json()
    assert any(f["properties"]["name"] == vehicle.plate and f["properties"]["status"] == 2 for f in geo["features"])


def test_a_vehicle_without_an_operator_enterprise_is_refused_naming_the_field(world):
    body = {"code": "GPS-NO-ENT", "name": "无主车辆", "plate": "甘N00001", "vehicle_type": VehicleType.COACH}
    client = Client()
    client.force_login(world.admin)
    response = client.post("/api/v1/vehicles", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert any(item["loc"][-1] == "enterprise_id" for item in response.json()["detail"])
    assert not Vehicle.objects.filter(code="GPS-NO-ENT").exists()
