"""Road files: GeoJSON and OpenStreetMap XML parsing, hostile XML, the synthetic county network."""
import json

import numpy as np
import pytest
import shapely

from kernels.road_import import network_from_roads, read_geojson_roads, read_osm_xml, synthetic_county_network
from kernels.routing import NetworkError, Unreachable, route, snap, travel_times


def feature(coords, **props):
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords}, "properties": props}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def test_geojson_roads_take_class_defaults_explicit_speeds_and_one_way_directions():
    data = collection(
        feature([[103.0, 35.0], [103.01, 35.0]], highway="primary", name="S309"),
        feature([[103.0, 35.0], [103.0, 35.01]], road_class="track", oneway="yes"),
        feature([[103.0, 35.0], [102.99, 35.0]], road_class="secondary", maxspeed="30 mph", oneway=-1),
        feature([[103.0, 35.0], [103.0, 34.99]], speed_kmh=45, closed=True),
    )
    roads = read_geojson_roads(json.dumps(data).encode())
    assert [r["speed_kmh"] for r in roads] == [50.0, 10.0, pytest.approx(48.28032), 45.0]
    assert [r["road_class"] for r in roads] == ["primary", "track", "secondary", "unclassified"]
    assert [r["oneway"] for r in roads] == [False, True, True, False]
    assert [r["closed"] for r in roads] == [False, False, False, True]
    assert roads[0]["name"] == "S309" and roads[1]["name"] == ""
    assert list(roads[2]["line"].coords) == [(102.99, 35.0), (103.0, 35.0)]  # oneway=-1 reversed
    assert all(isinstance(r["line"], shapely.LineString) for r in roads)
    net = network_from_roads(roads)
    assert net.closed_edges == net.edges_of_lines([3]) == {3}  # the closed road is kept, not routed


def test_geojson_multilinestring_gives_one_road_per_part_with_the_feature_row():
    multi = {"type": "Feature", "properties": {"highway": "tertiary"},
             "geometry": {"type": "MultiLineString", "coordinates": [[[0, 0], [0.01, 0]], [[1, 1], [1.01, 1]]]}}
    roads = read_geojson_roads(collection(feature([[2, 2], [2.01, 2]]), multi))
    assert [r["row"] for r in roads] == [0, 1, 1]


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ({"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}, "properties": {}}, "bad_geometry"),
        (feature([[0, 0]]), "too_short"),
        (feature([[0, 0], ["a", 0]]), "bad_geometry"),
        (feature([[0, 0], [0, 95]]), "bad_geometry"),
        (feature([[0, 0], [0.01, 0]], highway="footway"), "bad_road_class"),
        (feature([[0, 0], [0.01, 0]], speed_kmh=-5), "bad_speed"),
        (feature([[0, 0], [0.01, 0]], maxspeed="fast"), "bad_speed"),
        (feature([[0, 0], [0.01, 0]], oneway="sometimes"), "bad_oneway"),
    ],
)
def test_bad_geojson_rows_are_named(bad, code):
    with pytest.raises(NetworkError) as error:
        read_geojson_roads(collection(feature([[0, 0], [0.01, 0]]), bad))
    assert error.value.code == code and error.value.row == 1


def test_not_geojson_is_refused():
    for data in (b"{not json", b'{"type": "FeatureCollection", "features": [NaN]}', b"[1, 2]"):
        with pytest.raises(NetworkError) as error:
            read_geojson_roads(data)
        assert error.value.code == "bad_json" and error.value.row is None


OSM = b"""<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lon="103.00" lat="35.00"/>
  <node id="2" lon="103.01" lat="35.00"/>
  <node id="3" lon="103.02" lat="35.00"/>
  <node id="4" lon="103.01" lat="35.01"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="primary"/><tag k="name" v="\xe5\x8d\x97\xe5\xb1\xb1\xe8\xb7\xaf"/></way>
  <way id="11"><nd ref="2"/><nd ref="4"/><tag k="highway" v="footway"/></way>
  <way id="12"><nd ref="4"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="oneway" v="-1"/>
    <tag k="maxspeed" v="30 mph"/></way>
  <way id="13"><nd ref="3"/><nd ref="4"/><tag k="highway" v="motorway"/><tag k="ref" v="G75"/></way>
  <way id="14"><nd ref="1"/><nd ref="4"/><tag k="highway" v="tertiary"/><tag k="oneway" v="yes"/></way>
</osm>"""


def test_osm_ways_become_roads_with_one_way_rules_and_the_footway_skipped():
    roads = read_osm_xml(OSM)
    assert [r["row"] for r in roads] == [0, 2, 3, 4]  # way index in the file; the footway (1) skipped
    assert roads[0]["name"] == "南山路" and roads[0]["speed_kmh"] == 50.0 and not roads[0]["oneway"]
    assert list(roads[1]["line"].coords) == [(103.01, 35.0), (103.01, 35.01)]  # oneway=-1: 2 → 4
    assert roads[1]["oneway"] and roads[1]["speed_kmh"] == pytest.approx(48.28032)
    assert roads[2]["oneway"] and roads[2]["name"] == "G75"  # a motorway is one-way by default
    assert roads[3]["oneway"] and roads[3]["speed_kmh"] == 30.0
    net = network_from_roads(roads)
    two, four = snap(net, 103.01, 35.0)[0], snap(net, 103.01, 35.01)[0]
    assert np.isfinite(travel_times(net, [two])[0][four])  # 2 → 4 is the residential's direction
    # Every road at 4 leads into it (residential 2→4, motorway 3→4, tertiary 1→4): a dead end.
    with pytest.raises(Unreachable):
        route(net, four, two)


def test_osm_way_with_a_missing_node_is_a_row_error():
    data = OSM.replace(b'<nd ref="4"/><nd ref="2"/>', b'<nd ref="4"/><nd ref="99"/>')
    with pytest.raises(NetworkError) as error:
        read_osm_xml(data)
    assert error.value.row == 2 and error.value.code == "bad_geometry" and "99" in str(error.value)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE osm [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<osm><way id="1"><tag k="name" v="&lol9;"/></way></osm>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE osm [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<osm><way id="1"><tag k="name" v="&xxe;"/></way></osm>"""

DTD_ONLY = b"""<?xml version="1.0"?>
<!DOCTYPE osm SYSTEM "http://example.invalid/osm.dtd">
<osm/>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, DTD_ONLY])
def test_hostile_xml_is_refused(data):
    with pytest.raises(NetworkError) as error:
        read_osm_xml(data)
    assert error.value.code == "hostile_xml"


def test_broken_or_foreign_xml_is_refused():
    for data in (b"<osm><node", b"<gpx/>"):
        with pytest.raises(NetworkError) as error:
            read_osm_xml(data)
        assert error.value.code == "bad_xml"


def test_synthetic_county_network_connects_every_seat_and_village_inside_the_outline():
    outline = shapely.Polygon([(103.0, 35.0), (103.3, 35.0), (103.35, 35.25), (103.1, 35.3), (102.95, 35.15)])
    rng = np.random.default_rng(4)
    points = [p for p in zip(rng.uniform(102.95, 103.35, 400), rng.uniform(35.0, 35.3, 400), strict=True)
              if outline.contains(shapely.Point(p))]
    seats, villages = points[:5], points[5:35]
    rows = synthetic_county_network(outline, seats, villages, seed=1)
    again = synthetic_county_network(outline, seats, villages, seed=1)
    assert [r["line"].wkb for r in rows] == [r["line"].wkb for r in again]  # deterministic per seed
    classes = {r["road_class"] for r in rows}
    assert {"trunk", "tertiary"} <= classes
    assert sum(r["oneway"] for r in rows) >= 2  # the one-way pairs in the seats
    assert all(outline.buffer(0.001).covers(r["line"]) for r in rows)
    net = network_from_roads(rows)
    nodes = [snap(net, *p)[0] for p in seats + villages]
    assert [snap(net, *p)[1] for p in seats + villages] == pytest.approx([0] * len(nodes), abs=0.01)
    times = travel_times(net, nodes[:1])[0]
    back = travel_times(net, nodes[:1], reverse=True)[0]
    assert np.isfinite(times[nodes]).all() and np.isfinite(back[nodes]).all()  # both ways, everywhere


def test_synthetic_network_tolerates_a_village_at_its_seat_and_repeated_seats():
    outline = shapely.box(103.0, 35.0, 103.2, 35.2)
    seats = [(103.05, 35.05), (103.15, 35.15), (103.15, 35.15)]
    villages = [(103.05, 35.05), (103.06, 35.12), (103.14, 35.06)]
    rows = synthetic_county_network(outline, seats, villages)
    net = network_from_roads(rows)
    nodes = [snap(net, *p)[0] for p in seats + villages]
    assert np.isfinite(travel_times(net, nodes[:1])[0][nodes]).all()
