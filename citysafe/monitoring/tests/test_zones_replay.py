"""Restricted zones drawn as polygons (禁行区): the entry alarm, the zones map page and its
service, and a vehicle's track replay page."""
import json
import secrets
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from citysafe.monitoring.models import (
    RestrictedZone,
    Vehicle,
    VehicleAlarm,
    VehicleAlarmKind,
    VehiclePosition,
    VehicleType,
    token_digest,
)
from citysafe.monitoring.services import zones
from citysafe.monitoring.services.ingest import Credential
from citysafe.monitoring.services.vehicles import ingest_positions


@pytest.fixture
def truck(world):
    vehicle = Vehicle.objects.filter(vehicle_type=VehicleType.HAZMAT).order_by("id").first()

    RestrictedZone.objects.update(is_enabled=False)        # only the zone the test draws
    return vehicle


def _square(lon, lat, d=0.01):
    return [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d]]


def test_a_truck_entering_a_hand_drawn_polygon_zone_raises_an_in_zone_alarm_naming_the_zone(world, truck):
    lon, lat = 103.30, 35.60
    zone = zones.create_zone(world.admin, {"name": "实验小学周边", "polygon": _square(lon, lat)})
    assert zone.radius_m > 700 and abs(zone.lon - (lon + 0.005)) < 1e-6    # centroid and reach kept
    now = time.time() - 300
    # outside the square but within its circle's reach (the corner region): no alarm
    ingest_positions(Credential(), [(truck.code, now, lon - 0.004, lat - 0.004, 30.0)])
    assert not VehicleAlarm.objects.filter(vehicle=truck, kind=VehicleAlarmKind.IN_ZONE).exists()
    ingest_positions(Credential(), [(truck.code, now + 10, lon + 0.005, lat + 0.005, 30.0)])
    alarm = VehicleAlarm.objects.get(vehicle=truck, kind=VehicleAlarmKind.IN_ZONE)
    assert (alarm.zone_id, alarm.level, alarm.is_active) == (zone.pk, 1, True)
    ingest_positions(Credential(), [(truck.code, now + 20, lon + 0.02, lat + 0.02, 30.0)])
    alarm.refresh_from_db()
    assert not alarm.is_active


def test_a_concave_zone_does_not_alarm_in_its_notch(world, truck):
    ell = [[103.3, 35.6], [103.32, 35.6], [103.32, 35.61], [103.31, 35.61], [103.31, 35.62], [103.3, 35.62]]
    zones.create_zone(world.admin, {"name": "集贸市场", "polygon": ell})
    ingest_positions(Credential(), [(truck.code, time.time() - 100, 103.315, 35.615, 20.0)])
    assert not VehicleAlarm.objects.filter(vehicle=truck, kind=VehicleAlarmKind.IN_ZONE).exists()


def test_a_zone_polygon_must_be_a_simple_ring_in_china_and_only_the_admin_draws_zones(world):
    with pytest.raises(ValidationError) as bad:
        zones.create_zone(world.admin, {"name": "自相交", "polygon": [[103.3, 35.6], [103.31, 35.61], [103.31, 35.6],
                                                                      [103.3, 35.61]]})
    assert "polygon" in bad.value.error_dict
    with pytest.raises(ValidationError) as outside:
        zones.create_zone(world.admin, {"name": "境外", "polygon": _square(10.0, 35.0)})
    assert "polygon" in outside.value.error_dict
    with pytest.raises(PermissionDenied):
        zones.create_zone(world.township_officer, {"name": "镇区", "polygon": _square(103.3, 35.6)})


def test_the_zones_page_saves_an_edited_polygon_and_shows_the_zones_to_everyone(world):
    zone = zones.create_zone(world.admin, {"name": "县城早高峰", "polygon": _square(103.3, 35.6),
                                           "start_hour": 7, "end_hour": 9})
    admin = Client()
    admin.force_login(world.admin)
    page = admin.get("/monitoring/zones/")
    assert page.status_code == 200 and "县城早高峰" in page.content.decode()
    moved = [[round(x, 7), round(y, 7)] for x, y in _square(103.31, 35.61)]
    answer = admin.post("/monitoring/zones/save/", {"zone_id": zone.pk, "version": zone.version, "name": "县城早高峰",
                                                    "polygon": json.dumps(moved), "start_hour": "7", "end_hour": "9",
                                                    "is_enabled": "on"})
    assert answer.status_code == 302
    zone.refresh_from_db()
    assert zone.polygon == moved and (zone.start_hour, zone.end_hour) == (7, 9)
    officer = Client()
    officer.force_login(world.township_officer)
    page = officer.get("/monitoring/zones/").content.decode()
    assert "县城早高峰" in page and 'id="zone-form"' not in page


def test_the_replay_page_shows_the_track_of_the_chosen_range_only_to_users_who_see_the_vehicle(world, truck):
    now = time.time() - 3600
    ingest_positions(Credential(), [(truck.code, now + 60 * i, 103.3 + 0.001 * i, 35.6, 40.0 + i) for i in range(30)])
    client = Client()
    client.force_login(world.admin)
    page = client.get(f"/monitoring/vehicles/{truck.pk}/replay/")
    assert page.status_code == 200
    config = page.context["replay_config"]
    assert len(config["track"]) == 30 and config["track"][0][2] == pytest.approx(103.3)
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    start = datetime.fromtimestamp(now + 60 * 10 - 1, tz=ZoneInfo("Asia/Shanghai"))
    part = client.get(f"/monitoring/vehicles/{truck.pk}/replay/", {
        "start": start.strftime("%Y-%m-%dT%H:%M:%S"), "end": (start + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S")})
    assert len(part.context["replay_config"]["track"]) == 5
    outsider = Client()
    outsider.force_login(world.other_township_officer if truck.township_id == world.township_a.pk
                         else world.township_officer)
    assert outsider.get(f"/monitoring/vehicles/{truck.pk}/replay/").status_code == 404


def test_positions_published_over_mqtt_are_stored_and_evaluated(transactional_world, tmp_path):
    """The real Mosquitto broker: a gateway publishes positions to citysafe/v1/positions/<code>;
    the subscriber stores them (QoS 1, acknowledged after the commit) and a speeding alarm opens."""
    import shutil
    import threading

    if shutil.which("mosquitto") is None:
        pytest.skip("needs the mosquitto broker")
    import paho.mqtt.client as mqtt
    from django.db import connection

    from citysafe.monitoring.models import Gateway
    from citysafe.monitoring.mqtt_ingest import Subscriber
    from citysafe.notifications.tests.test_mqtt import free_port

    vehicle = Vehicle.objects.filter(vehicle_type=VehicleType.HAZMAT, gateway__isnull=False).order_by("id").first()
    gateway = Gateway.objects.get(pk=vehicle.gateway_id)
    raw = secrets.token_urlsafe(32)
    Gateway.objects.filter(pk=gateway.pk).update(token_digest=token_digest(raw))
    port = free_port()
    config = tmp_path / "mosquitto.conf"
    config.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\n")
    import socket
    import subprocess

    broker = subprocess.Popen(["mosquitto", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        subscriber = Subscriber("127.0.0.1", port, "test-positions")
        subscribed = threading.Event()
        subscriber.client.on_subscribe = lambda *args: subscribed.set()

        def run():
            try:
                subscriber.run(max_messages=1)
            finally:
                connection.close()
        thread = threading.Thread(target=run)
        thread.start()
        assert subscribed.wait(10)
        now = time.time() - 120
        lon, lat = vehicle.route[0]
        body = {"token": raw, "positions": [{"device": vehicle.code, "ts": now + i, "lon": lon, "lat": lat,
                                              "speed": 95.0} for i in range(3)]}
        publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="test-gw")
        publisher.connect("127.0.0.1", port)
        publisher.loop_start()
        publisher.publish(f"citysafe/v1/positions/{gateway.code}", json.dumps(body), qos=1).wait_for_publish(5)
        thread.join(30)
        publisher.loop_stop()
        assert not thread.is_alive()
    finally:
        broker.terminate()
        broker.wait(timeout=10)
    assert VehiclePosition.objects.filter(vehicle=vehicle).count() >= 3
    assert VehicleAlarm.objects.filter(vehicle=vehicle, kind=VehicleAlarmKind.SPEEDING).exists()


def test_the_vehicle_simulator_drives_positions_every_vehicle_accepts_with_speeding_and_detours(world):
    from citysafe.monitoring.simulator import SimVehicle, VehicleSimulator

    vehicles = list(Vehicle.objects.filter(archived_at__isnull=True).exclude(route=[]))
    simulator = VehicleSimulator([SimVehicle(v.code, v.route, v.speed_limit) for v in vehicles], seed=5)
    start, rejected, stored = time.time() - 3 * 3600, 0, 0
    for k in range(200):
        result = ingest_positions(Credential(), simulator.tick(start + 5 * k, 5.0))
        rejected, stored = rejected + result.rejected, stored + result.stored
    assert rejected == 0 and stored > 150 * len(vehicles)
    kinds = set(VehicleAlarm.objects.filter(vehicle__in=vehicles).values_list("kind", flat=True))
    assert {VehicleAlarmKind.SPEEDING, VehicleAlarmKind.OFF_ROUTE} <= kinds
