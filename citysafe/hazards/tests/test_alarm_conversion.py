"""A monitoring alarm becomes a registered hazard through the converter hazards registers."""
import time

import pytest
from django.test import Client

from citysafe.hazards.models import Hazard, Source, Status
from citysafe.monitoring.models import Alarm, Sensor
from citysafe.monitoring.services.ingest import Credential, ingest


@pytest.fixture
def gas_alarm(world):
    sensor = Sensor.objects.filter(sensor_type="gas").order_by("id").first()
    start = int(time.time()) - 100
    ingest(Credential(), [(sensor.code, start, 30)])
    return Alarm.objects.get(sensor=sensor)


def test_an_alarm_converted_through_the_monitoring_api_becomes_a_registered_hazard_linked_to_it(world, gas_alarm):
    client = Client()
    client.force_login(world.admin)
    answer = client.post(f"/api/v1/monitoring/alarms/{gas_alarm.pk}/hazard", {"note": "阀门法兰处泄漏"},
                         content_type="application/json")
    assert answer.status_code == 201, answer.content
    hazard = Hazard.objects.get(pk=answer.json()["hazard_id"])
    sensor = gas_alarm.sensor
    assert (hazard.alarm_id, hazard.source, hazard.status, hazard.category) == (
        gas_alarm.pk, Source.ALARM, Status.REGISTERED, "gas")
    assert hazard.code and "阀门法兰处泄漏" in hazard.description and sensor.name in hazard.description
    site = {"risk_point_id": hazard.risk_point_id, "place_id": hazard.place_id, "enterprise_id": hazard.enterprise_id}
    assert site == {"risk_point_id": sensor.risk_point_id,
                    "place_id": None if sensor.risk_point_id else sensor.place_id,
                    "enterprise_id": None if sensor.risk_point_id or sensor.place_id else
                    (sensor.enterprise_id or sensor.installation.enterprise_id)}
    assert (hazard.lon, hazard.lat) == (sensor.lon, sensor.lat)
    assert hazard.township_id == sensor.township_id
    assert hazard.finder_id == world.admin.pk
    # The hazard's own API shows it (the hazard is in the hazards list like any other).
    listed = client.get(f"/api/v1/hazards/{hazard.pk}")
    assert listed.status_code == 200, listed.content


def test_an_alarm_already_behind_an_open_hazard_is_not_converted_twice(world, gas_alarm):
    client = Client()
    client.force_login(world.admin)
    url = f"/api/v1/monitoring/alarms/{gas_alarm.pk}/hazard"
    assert client.post(url, {"note": ""}, content_type="application/json").status_code == 201
    again = client.post(url, {"note": ""}, content_type="application/json")
    assert again.status_code in (409, 422), again.content
    assert Hazard.objects.filter(alarm=gas_alarm).count() == 1


def test_an_alarm_without_a_site_becomes_a_hazard_of_the_sensors_area(world, gas_alarm):
    from citysafe.hazards.services.alarms import convert_alarm

    sensor = gas_alarm.sensor
    Sensor.objects.filter(pk=sensor.pk).update(risk_point=None, place=None, enterprise=None, installation=None)
    gas_alarm.refresh_from_db()
    hazard = convert_alarm(world.admin, gas_alarm, "")
    assert hazard.area_id == (sensor.grid_id or sensor.township_id)
    assert hazard.township_id == sensor.township_id
