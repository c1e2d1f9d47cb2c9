"""The other large map layers are view-aware too (issue 19): the monitoring wall's sensors and
vehicles, the underground lines and tunnels, the emergency resource map's point layers. Asked
with bbox + zoom, each answers with clusters counted through the caller's scope (zoomed out over
many rows) or the rows in the box; a township officer never sees a row or a count of another
township, a second county's users nothing of the first county, at any zoom; a bad bbox or zoom
is a named 422. The oracle is the rows' own township / id, not core.scope."""
import json
import re
from dataclasses import dataclass

import pytest
from django.db.models import F
from django.test import Client

from citysafe.accounts.models import User
from citysafe.core.roles import Role
from citysafe.emergency.models import FireStation, RescueTeam, Shelter, Stockpile
from citysafe.monitoring.models import Sensor, Vehicle
from citysafe.siting.models import UndergroundLine, UtilityTunnel
from tests.security.test_county_matrix import two  # noqa: F401 - the two-county fixture

COUNTY = "102.9,35.3,103.9,35.95"  # the demo county and its margin
ZOOMS = range(6, 19, 2)


@dataclass(frozen=True)
class Layer:
    name: str
    url: str
    models: tuple
    lon: str = "lon"
    lat: str = "lat"
    envelope: bool = False  # lines: features by envelope, clusters by the envelope's centre

    def rows(self, **lookup):
        """(model, queryset) of the live, placed rows of every model of the layer."""
        for model in self.models:
            queryset = model.objects.filter(archived_at__isnull=True, **lookup)
            if not self.envelope:
                queryset = queryset.filter(**{f"{self.lon}__isnull": False, f"{self.lat}__isnull": False})
            yield model, queryset

    def counted_in(self, queryset, bbox):
        """Rows a cluster of this view counts: the position (or the envelope's centre) in the box."""
        west, south, east, north = (float(v) for v in bbox.split(","))
        if self.envelope:
            queryset = queryset.annotate(_x=(F("min_lon") + F("max_lon")) / 2.0, _y=(F("min_lat") + F("max_lat")) / 2.0)
            lon, lat = "_x", "_y"
        else:
            lon, lat = self.lon, self.lat
        return queryset.filter(**{f"{lon}__gte": west, f"{lon}__lte": east, f"{lat}__gte": south, f"{lat}__lte": north})


LAYERS = [
    Layer("sensors", "/monitoring/wall/sensors.geojson", (Sensor,)),
    Layer("vehicles", "/monitoring/wall/vehicles.geojson", (Vehicle,), "last_lon", "last_lat"),
    Layer("underground", "/siting/underground.geojson", (UndergroundLine, UtilityTunnel), envelope=True),
    Layer("fire-stations", "/emergency/map/layers/fire-stations.geojson", (FireStation,)),
    Layer("shelters", "/emergency/map/layers/shelters.geojson", (Shelter,)),
    Layer("stockpiles", "/emergency/map/layers/stockpiles.geojson", (Stockpile,)),
    Layer("teams", "/emergency/map/layers/teams.geojson", (RescueTeam,)),
]
BY_NAME = {layer.name: layer for layer in LAYERS}
_URL_ID = re.compile(r"/(\d+)/?$")


def fetch(user, layer: Layer, **params):
    client = Client()
    client.force_login(user)
    response = client.get(layer.url, params)
    return response, (json.loads(response.content) if response.status_code in (200, 422) else None)


def keys_of(layer: Layer, data) -> set:
    """(model name, id) of each feature row sent."""
    found = set()
    for feature in data["features"]:
        props = feature["properties"]
        if props.get("cluster"):
            continue
        if layer.name == "underground":
            model = UtilityTunnel if props["record"] == "tunnel" else UndergroundLine
            found.add((model.__name__, props["id"]))
        elif "id" in props:
            found.add((layer.models[0].__name__, props["id"]))
        else:
            found.add((layer.models[0].__name__, int(_URL_ID.search(props["url"]).group(1))))
    return found


def counted(data) -> int:
    return sum(f["properties"]["count"] for f in data["features"] if f["properties"].get("cluster"))


def busiest_township_officer(layer: Layer):
    """The township officer of the township holding most of the layer's rows (others exist)."""
    tally = {}
    for _, queryset in layer.rows():
        for township_id in queryset.values_list("township_id", flat=True):
            tally[township_id] = tally.get(township_id, 0) + 1
    assert len(tally) >= 2, f"{layer.name}: the demo must place rows in two townships at least"
    township_id = max(tally, key=lambda t: (tally[t], -t))
    return User.objects.get(role=Role.TOWNSHIP, organisation__area_id=township_id), township_id


@pytest.fixture(autouse=True)
def vehicles_on_the_road(db):
    """The demo's vehicles have reported no position yet: each stands at its site (or operator)."""
    for vehicle in Vehicle.objects.select_related("enterprise").order_by("id"):
        lon = vehicle.lon if vehicle.lon is not None else getattr(vehicle.enterprise, "lon", None)
        lat = vehicle.lat if vehicle.lat is not None else getattr(vehicle.enterprise, "lat", None)
        Vehicle.objects.filter(pk=vehicle.pk).update(last_lon=lon, last_lat=lat)


@pytest.fixture
def always_cluster(settings):
    # The small demo county has a few rows per layer: cluster whenever a view is zoomed out.
    settings.MAP_FEATURE_LIMIT = 0


@pytest.mark.parametrize("name", BY_NAME)
def test_township_officers_clusters_count_only_its_own_rows(world, always_cluster, name):
    layer = BY_NAME[name]
    officer, township_id = busiest_township_officer(layer)
    response, data = fetch(officer, layer, bbox=COUNTY, zoom=9)
    assert response.status_code == 200
    assert data["mode"] == "clusters"
    own = sum(layer.counted_in(q, COUNTY).count() for _, q in layer.rows(township_id=township_id))
    everyone = sum(layer.counted_in(q, COUNTY).count() for _, q in layer.rows())
    assert counted(data) == data["total"] == own
    assert 0 < own < everyone


@pytest.mark.parametrize("name", BY_NAME)
def test_no_out_of_scope_feature_or_count_appears_at_any_zoom(world, always_cluster, name):
    layer = BY_NAME[name]
    officer, township_id = busiest_township_officer(layer)
    own = {(m.__name__, pk) for m, q in layer.rows(township_id=township_id) for pk in q.values_list("id", flat=True)}
    own_in_county = sum(layer.counted_in(q, COUNTY).count() for _, q in layer.rows(township_id=township_id))
    for zoom in ZOOMS:
        _, data = fetch(officer, layer, bbox=COUNTY, zoom=zoom)
        assert keys_of(layer, data) <= own, zoom
        if data["mode"] == "clusters":
            assert counted(data) == own_in_county, zoom
        else:
            assert keys_of(layer, data) == own, zoom
    # Closely around a row of another township: nothing of it, at any zoom.
    model, others = next((m, q.exclude(township_id=township_id)) for m, q in layer.rows()
                         if q.exclude(township_id=township_id).exists())
    other = others.order_by("id").first()
    if layer.envelope:
        x, y = (other.min_lon + other.max_lon) / 2, (other.min_lat + other.max_lat) / 2
    else:
        x, y = getattr(other, layer.lon), getattr(other, layer.lat)
    tight = f"{x - 0.0005},{y - 0.0005},{x + 0.0005},{y + 0.0005}"
    for zoom in ZOOMS:
        _, data = fetch(officer, layer, bbox=tight, zoom=zoom)
        assert (model.__name__, other.id) not in keys_of(layer, data)
        assert keys_of(layer, data) <= own
        assert counted(data) == sum(layer.counted_in(q, tight).count() for _, q in layer.rows(township_id=township_id))


@pytest.mark.parametrize("name", BY_NAME)
def test_a_second_countys_users_see_nothing_of_the_first_county_at_any_zoom(two, always_cluster, name):  # noqa: F811
    layer = BY_NAME[name]
    first = {(m.__name__, pk) for m, q in layer.rows() for pk in q.filter(pk__lte=two.before[m._meta.label])
             .values_list("id", flat=True)}
    assert first, "the first county has rows on this layer"
    for role in ("admin", "leader", "department", "township"):
        user = two.b[role]
        for zoom in ZOOMS:
            response, data = fetch(user, layer, bbox=COUNTY, zoom=zoom)
            assert response.status_code == 200
            assert not keys_of(layer, data) & first, (role, zoom)
            # Every count is of the second county's own rows (none of them lie in the first county's box).
            assert counted(data) == sum(layer.counted_in(q.filter(pk__gt=two.before[m._meta.label]), COUNTY).count()
                                        for m, q in layer.rows()), (role, zoom)
    # The first county's admin, for contrast, gets them.
    _, data = fetch(two.a["admin"], layer, bbox=COUNTY, zoom=9)
    assert counted(data) > 0


def test_a_cluster_of_sensors_takes_the_worst_active_alarm_level_inside(world, always_cluster):
    import time

    from citysafe.monitoring.services.ingest import Credential, ingest

    gas = Sensor.objects.filter(sensor_type="gas", lon__isnull=False).order_by("id").first()
    now = int(time.time()) - 600
    ingest(Credential(), [(gas.code, now + 10 * i, v) for i, v in enumerate([5, 60, 61])])  # 50 %LEL: level 1
    _, data = fetch(world.admin, BY_NAME["sensors"], bbox=COUNTY, zoom=8)
    assert data["mode"] == "clusters"
    assert min(f["properties"]["level"] or 9 for f in data["features"]) == 1
    box = f"{gas.lon - 0.001},{gas.lat - 0.001},{gas.lon + 0.001},{gas.lat + 0.001}"
    _, data = fetch(world.admin, BY_NAME["sensors"], bbox=box, zoom=17)
    assert data["mode"] == "features"
    assert {f["properties"]["id"]: f["properties"]["status"] for f in data["features"]}[gas.id] == 1


def test_zoomed_out_lines_are_simplified_and_zoomed_in_sent_as_stored(world):
    from shapely.geometry import shape

    from citysafe.siting.services.underground import create_line

    layer = BY_NAME["underground"]
    start = shape(world.township_a.geometry).representative_point()
    # 500 m east along 51 vertices that wander 0.1 m off the straight line.
    wiggly = {"type": "LineString", "coordinates": [[round(start.x + i * 1e-4, 7), round(start.y + (i % 2) * 1e-6, 7)]
                                                    for i in range(51)]}
    line = create_line(world.admin, {"code": "WIGGLY-1", "line_kind": "water", "geometry": wiggly})
    box = f"{line.min_lon - 0.001},{line.min_lat - 0.001},{line.max_lon + 0.001},{line.max_lat + 0.001}"
    _, near = fetch(world.admin, layer, bbox=box, zoom=17)
    assert near["mode"] == "features"
    drawn = {f["properties"]["id"]: f["geometry"] for f in near["features"] if f["properties"]["record"] == "line"}
    assert drawn[line.id] == line.geometry
    _, far = fetch(world.admin, layer, bbox=COUNTY, zoom=10)
    assert far["mode"] == "features"  # a few lines: sent, not counted
    drawn = {f["properties"]["id"]: f["geometry"] for f in far["features"] if f["properties"]["record"] == "line"}
    assert len(drawn[line.id]["coordinates"]) == 2  # a tenth of a metre is far below half a pixel at z10
    assert drawn[line.id]["coordinates"][0] == line.geometry["coordinates"][0]


@pytest.mark.parametrize("name", BY_NAME)
@pytest.mark.parametrize("params, field", [
    ({"bbox": "1,2,3", "zoom": "9"}, "bbox"),
    ({"bbox": "104,35,103,36", "zoom": "9"}, "bbox"),
    ({"bbox": COUNTY}, "zoom"),
    ({"zoom": "9"}, "bbox"),
    ({"bbox": COUNTY, "zoom": "23"}, "zoom"),
])
def test_bad_bbox_or_zoom_is_a_422_naming_the_field_in_chinese(world, name, params, field):
    response, data = fetch(world.admin, BY_NAME[name], **params)
    assert response.status_code == 422
    detail = data["detail"][0]
    assert detail["loc"] == ["query", field]
    assert field in detail["msg"] and any("\u4e00" <= ch <= "\u9fff" for ch in detail["msg"])


@pytest.mark.parametrize("name", BY_NAME)
def test_without_bbox_and_zoom_the_layer_is_whole_as_before(world, name):
    layer = BY_NAME[name]
    _, data = fetch(world.admin, layer)
    assert "mode" not in data or data["mode"] == "features"
    assert len(keys_of(layer, data)) == sum(q.count() for _, q in layer.rows())
