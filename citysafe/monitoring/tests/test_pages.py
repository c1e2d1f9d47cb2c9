"""The monitoring wall and its pages: scoped like the registry, live fragment, actions."""
import time

from django.test import Client

from citysafe.monitoring.models import Alarm, AlarmStatus, Sensor
from citysafe.monitoring.services.ingest import Credential, ingest


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_wall_shows_only_the_townships_sensors_and_their_active_alarms_prominently(world):
    own = Sensor.objects.filter(township=world.township_a, sensor_type="gas").order_by("id").first()
    other = Sensor.objects.exclude(township=world.township_a).filter(sensor_type="gas").order_by("id").first()
    ingest(Credential(), [(own.code, int(time.time()) - 5, 60.0), (other.code, int(time.time()) - 5, 60.0)])
    client = client_for(world.township_officer)
    page = client.get("/monitoring/wall/")
    assert page.status_code == 200
    html = page.content.decode()
    assert own.name in html and other.name not in html
    assert 'data-unacknowledged="1"' in html and "has-alarms level-1" in html
    live = client.get("/monitoring/wall/live/").content.decode()
    assert own.name in live and other.name not in live and "<html" not in live
    features = client.get("/monitoring/wall/sensors.geojson").json()["features"]
    ids = {f["properties"]["id"] for f in features}
    assert own.pk in ids and other.pk not in ids
    assert {f["properties"]["status"] for f in features if f["properties"]["id"] == own.pk} == {1}


def test_a_sensor_chart_page_is_404_outside_the_scope_and_reads_roll_ups_through_the_api(world):
    own = Sensor.objects.filter(township=world.township_a).order_by("id").first()
    other = Sensor.objects.exclude(township=world.township_a).order_by("id").first()
    client = client_for(world.township_officer)
    assert client.get(f"/monitoring/sensors/{own.pk}/chart/").status_code == 200
    assert client.get(f"/monitoring/sensors/{other.pk}/chart/").status_code == 404
    now = int(time.time())
    ingest(Credential(), [(own.code, now - 120 + i, float(i % 5)) for i in range(60)])
    from datetime import UTC, datetime
    start = datetime.fromtimestamp(now - 3600, tz=UTC).isoformat()
    end = datetime.fromtimestamp(now + 60, tz=UTC).isoformat()
    rows = client.get(f"/api/v1/monitoring/sensors/{own.pk}/readings",
                      {"start": start, "end": end, "resolution": "minute"}).json()
    assert sum(r["count"] for r in rows) == 60
    raw = client.get(f"/api/v1/monitoring/sensors/{own.pk}/readings", {"start": start, "end": end,
                                                                          "resolution": "raw"}).json()
    assert len(raw) == 60
    assert client.get(f"/api/v1/monitoring/sensors/{other.pk}/readings",
                      {"start": start, "end": end}).status_code == 404


def test_an_officer_acknowledges_and_closes_an_alarm_from_its_page(world):
    own = Sensor.objects.filter(township=world.township_a, sensor_type="gas").order_by("id").first()
    ingest(Credential(), [(own.code, int(time.time()) - 20, 30.0), (own.code, int(time.time()) - 10, 0.0)])
    alarm = Alarm.objects.get(sensor=own)
    client = client_for(world.township_officer)
    assert client.get(f"/monitoring/alarms/{alarm.pk}/").status_code == 200
    client.post(f"/monitoring/alarms/{alarm.pk}/acknowledge/", {"version": alarm.version})
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED_ACK
    client.post(f"/monitoring/alarms/{alarm.pk}/close/", {"version": alarm.version, "note": "探头受潮，已更换"})
    alarm.refresh_from_db()
    assert (alarm.status, alarm.disposition) == (AlarmStatus.CLOSED, "探头受潮，已更换")
