"""The road network: import (all or nothing, the bad row named), closing roads, the cache per
version, and an unreachable route answered in words."""
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from citysafe.emergency import selectors
from citysafe.emergency.models import Incident, RescueTeam, RoadSegment
from citysafe.emergency.network import load_network
from citysafe.emergency.services import roads


def _feature(coords, **props):
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords},
            "properties": {"road_class": "tertiary", **props}}


def _collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


FAR = [[103.10, 35.40], [103.11, 35.40]]  # inside the county's box, not joined to the demo roads


def test_a_file_with_one_bad_geometry_writes_nothing_and_names_the_row(world):
    before, version = RoadSegment.objects.count(), load_network().version
    bad = _collection(_feature(FAR), _feature([[103.2, 35.5]]))  # a line of one position
    with pytest.raises(ValidationError) as refused:
        roads.import_roads(world.admin, bad, "geojson")
    assert "第2条道路" in str(refused.value)
    assert RoadSegment.objects.count() == before and load_network().version == version


def test_osm_xml_is_imported_and_the_network_version_moves_on(world):
    osm = b"""<osm version="0.6"><node id="1" lat="35.40" lon="103.10"/><node id="2" lat="35.40" lon="103.11"/>
      <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="Test"/></way></osm>"""
    version = load_network().version
    assert roads.import_roads(world.admin, osm, "osm") == 1
    assert RoadSegment.objects.filter(name="Test", road_class="residential").exists()
    assert load_network().version != version


def test_only_county_roles_change_the_road_network(world):
    with pytest.raises(PermissionDenied):
        roads.import_roads(world.township_officer, _collection(_feature(FAR)), "geojson")
    with pytest.raises(PermissionDenied):
        roads.close_road(world.grid_worker, RoadSegment.objects.first().pk, "塌方")


def test_a_team_on_a_disconnected_road_gets_unreachable_not_a_crash(client, world):
    roads.import_roads(world.admin, _collection(_feature(FAR)), "geojson")
    incident = Incident.objects.filter(township=world.township_a).first()
    team = RescueTeam.objects.filter(township=world.township_a).first()
    RescueTeam.objects.filter(pk=team.pk).update(lon=103.105, lat=35.40)
    team.refresh_from_db()
    with pytest.raises(selectors.NoRoute) as refused:
        selectors.green_channel(team, incident)
    assert "不可达" in str(refused.value)
    client.force_login(world.township_officer)
    answer = client.get(reverse("emergency:incident-route", args=[incident.pk, team.pk]))
    assert answer.status_code == 422 and answer.json()["detail"][0]["type"] == "unreachable"


def test_closing_a_road_makes_routing_avoid_it(world):
    incident = Incident.objects.filter(township=world.township_a).first()
    team = RescueTeam.objects.filter(township=world.township_a).first()
    route = selectors.green_channel(team, incident)
    loaded = load_network()
    used = set()
    if route["properties"]["metres"] > 0:
        from kernels import routing

        a, _ = routing.snap(loaded.network, team.lon, team.lat)
        b, _ = routing.snap(loaded.network, incident.lon, incident.lat)
        used = {loaded.segment_ids[int(loaded.network.edge_line[e])] for e in routing.route(loaded.network, a, b).edges}
    if not used:
        pytest.skip("team and incident snap to the same node in this county")
    for pk in used:
        roads.close_road(world.admin, pk, "山体滑坡")
    try:
        detour = selectors.green_channel(team, incident)
        assert detour["properties"]["seconds"] > route["properties"]["seconds"]
    except selectors.NoRoute as exc:
        assert "不可达" in str(exc)
    with pytest.raises(ValidationError):
        roads.close_road(world.admin, next(iter(used)), "")
    for pk in used:
        roads.reopen_road(world.admin, pk)
    assert selectors.green_channel(team, incident)["properties"]["seconds"] == route["properties"]["seconds"]


def test_the_cached_network_is_rebuilt_only_when_the_version_changes(world, django_assert_num_queries):
    first = load_network()
    with django_assert_num_queries(1):
        assert load_network() is first
    roads.close_road(world.admin, RoadSegment.objects.order_by("id").first().pk, "洪水")
    rebuilt = load_network()
    assert rebuilt is not first and rebuilt.network.closed_edges
