"""Issue 19, map layers that were still sent whole: the road network (the resource map's road
layer and the roads page) showed every county's segments to everybody; now each user is shown
its own county's (the prefecture office: all of its counties'), while routing keeps the whole
network (emergency/network.py). The dashboard's and monitoring wall's sensor layer
(/monitoring/wall/sensors.geojson) is walked the same way: it reads through core.scope."""
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from citysafe.emergency.models import RoadSegment
from citysafe.monitoring.models import Sensor
from citysafe.registry.models import Area
from tests.security.county_paths_world import body_of, fresh

ROAD_A, ROAD_B = "东乡测试封闭路", "广河测试封闭路"
SENSOR_A, SENSOR_B = "东乡测试传感器", "广河测试传感器"
LINE = {"type": "LineString", "coordinates": [[103.3, 35.6], [103.31, 35.61]]}


@pytest.fixture
def layers(two):
    """A closed road and a sensor in each county (the first county's road as imported before
    there were counties: no county, the home county's)."""
    county_b = Area.objects.get(level="county", pk__gt=two.before["registry.Area"])
    now = timezone.now()
    for name, county in ((ROAD_A, None), (ROAD_B, county_b)):
        RoadSegment.objects.create(name=name, geometry=LINE, speed_kmh=30, closed=True, closed_reason="测试",
                                   closed_at=now, county=county)
    township_a = Area.objects.filter(level="township", county__code="622926").order_by("code")[0]
    township_b = Area.objects.filter(level="township", county=county_b).order_by("code")[0]
    for code, name, township in (("T-A-1", SENSOR_A, township_a), ("T-B-1", SENSOR_B, township_b)):
        Sensor.objects.create(code=code, name=name, township=township, sensor_type=Sensor._meta.get_field(
            "sensor_type").choices[0][0], unit="%LEL", range_min=0, range_max=100, lon=103.3, lat=35.6)
    return two


def _read(user, url) -> str:
    client = Client()
    client.force_login(fresh(user))
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = body_of(response)
    return json.dumps(json.loads(body), ensure_ascii=False) if body.startswith("{") else body  # \uXXXX → text


URLS = {"road layer": "emergency:roads-layer", "roads page": "emergency:roads", "sensors": "monitoring:sensors-geojson"}
MINE = {"road layer": (ROAD_A, ROAD_B), "roads page": (ROAD_A, ROAD_B), "sensors": (SENSOR_A, SENSOR_B)}


@pytest.mark.parametrize("what", sorted(URLS))
@pytest.mark.parametrize("role", ["admin", "leader", "department", "township"])
def test_a_county_user_is_shown_its_own_countys_roads_and_sensors_only(layers, what, role):
    url, (a_name, b_name) = reverse(URLS[what]), MINE[what]
    for user, own, other in ((layers.a[role], a_name, b_name), (layers.b[role], b_name, a_name)):
        body = _read(user, url)
        assert other not in body, (what, user.username)
        if role in ("admin", "leader") or what != "sensors":  # a township's sensors: another township's
            assert own in body, (what, user.username)


@pytest.mark.parametrize("what", sorted(URLS))
def test_the_prefecture_office_is_shown_every_countys(layers, what):
    body = _read(layers.prefecture, reverse(URLS[what]))
    assert all(name in body for name in MINE[what]), what
