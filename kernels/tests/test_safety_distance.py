"""Conflict kernel against distances measured by hand (3-4-5 triangles, axis-aligned offsets)."""
import math

import numpy as np
import pyproj
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from kernels.safety_distance import LineIndex, find_conflicts, lines_near, to_metres

GAS, WAREHOUSE = 0, 1          # hazardous kinds
SCHOOL, HOME = 0, 1            # sensitive kinds
RULES = np.array([[50.0, 16.0],   # gas station: 50 m to a school, 16 m to a home
                  [np.nan, 30.0]])  # warehouse: no school rule, 30 m to a home


def conflicts(hazardous, hk, sensitive, sk, rules=RULES):
    return find_conflicts(np.array(hazardous, dtype=object), np.array(hk), np.array(sensitive, dtype=object),
                          np.array(sk), rules)


def test_point_pair_on_a_3_4_5_triangle_is_40_metres_and_10_short():
    found = conflicts([Point(0, 0)], [GAS], [Point(24, 32)], [SCHOOL])  # √(24²+32²) = 40
    assert found.hazardous.tolist() == [0] and found.sensitive.tolist() == [0]
    assert found.distance_m.tolist() == [40.0]
    assert found.required_m.tolist() == [50.0]
    assert found.shortfall_m.tolist() == [10.0]


def test_a_pair_exactly_at_the_rule_distance_is_not_a_conflict():
    # 30-40-50: exactly 50 m from the station to the school complies (the rule is a minimum).
    assert len(conflicts([Point(0, 0)], [GAS], [Point(30, 40)], [SCHOOL])) == 0
    # a millimetre closer is a conflict
    found = conflicts([Point(0, 0)], [GAS], [Point(30, 39.999)], [SCHOOL])
    assert len(found) == 1 and found.distance_m[0] < 50


def test_the_convention_holds_for_polygons_and_lines_too():
    # the school yard's west edge exactly 50 m east of the station: complies; 49.5 m: a conflict
    assert len(conflicts([Point(0, 0)], [GAS], [box(50, -10, 90, 10)], [SCHOOL])) == 0
    assert len(conflicts([Point(0, 0)], [GAS], [box(49.5, -10, 90, 10)], [SCHOOL])) == 1
    assert len(conflicts([LineString([(0, -5), (0, 5)])], [GAS], [Point(50, 0)], [SCHOOL])) == 0


def test_distance_to_a_polygon_is_to_its_nearest_edge_and_zero_inside():
    school_yard = box(100, -20, 160, 20)  # its west edge is 100 m east of the station
    station_near = Point(60, 0)           # 40 m from the edge
    station_far = Point(40, 0)            # 60 m: complies
    station_inside = Point(130, 0)        # inside the yard: 0 m
    found = conflicts([station_near, station_far, station_inside], [GAS] * 3, [school_yard], [SCHOOL])
    assert found.hazardous.tolist() == [0, 2]
    assert found.distance_m.tolist() == [40.0, 0.0]
    assert found.shortfall_m.tolist() == [10.0, 50.0]


def test_distance_to_a_line_is_to_its_nearest_segment():
    # an L-shaped row of homes: the corner (20, 20) is nearest to the warehouse at (20+12, 20+16) → 20 m
    homes = LineString([(0, 20), (20, 20), (20, 100)])
    found = conflicts([Point(32, 4)], [WAREHOUSE], [homes], [HOME])  # to segment x=20: 12 m… y=4<20: corner
    assert found.distance_m[0] == pytest.approx(20.0)  # √(12² + 16²)
    assert found.required_m.tolist() == [30.0]


def test_polygon_to_polygon_between_facing_edges():
    depot = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)])
    block = Polygon([(35, 0), (45, 0), (45, 10), (35, 10)])  # 25 m gap, rule 30
    found = conflicts([depot], [WAREHOUSE], [block], [HOME])
    assert found.distance_m.tolist() == [25.0]


def test_a_kind_pair_without_a_rule_is_never_a_conflict():
    # the warehouse has no school rule however close the school is
    assert len(conflicts([Point(0, 0)], [WAREHOUSE], [Point(1, 0)], [SCHOOL])) == 0


def test_each_pair_uses_its_own_rule_not_the_largest_of_the_kind():
    # the gas station queries at 50 m (its school rule); a home at 20 m is fine (rule 16 m)
    found = conflicts([Point(0, 0)], [GAS], [Point(20, 0), Point(0, 45), Point(0, -15)], [HOME, SCHOOL, HOME])
    assert found.sensitive.tolist() == [1, 2]
    assert found.distance_m.tolist() == [45.0, 15.0]


def test_agrees_with_brute_force_on_random_sites():
    rng = np.random.default_rng(14)
    haz = shapely.points(rng.uniform(0, 2000, (300, 2)))
    sen = shapely.points(rng.uniform(0, 2000, (3000, 2)))
    hk, sk = rng.integers(0, 2, 300), rng.integers(0, 2, 3000)
    found = conflicts(haz, hk, sen, sk)
    expected = set()
    for i in range(300):
        for j in range(3000):
            rule = RULES[hk[i], sk[j]]
            if np.isfinite(rule) and haz[i].distance(sen[j]) < rule:
                expected.add((i, j))
    assert set(zip(found.hazardous.tolist(), found.sensitive.tolist(), strict=True)) == expected
    assert len(expected) > 20


def test_mixed_geometries_agree_with_brute_force():
    rng = np.random.default_rng(15)
    haz = list(shapely.points(rng.uniform(0, 1000, (60, 2))))
    haz[::4] = [Point(x, y).buffer(rng.uniform(2, 20)) for x, y in rng.uniform(0, 1000, (15, 2))]
    sen = list(shapely.points(rng.uniform(0, 1000, (600, 2))))
    sen[::5] = [LineString([(x, y), (x + 30, y + 10)]) for x, y in rng.uniform(0, 1000, (120, 2))]
    hk, sk = rng.integers(0, 2, 60), rng.integers(0, 2, 600)
    found = conflicts(haz, hk, sen, sk)
    expected = {(i, j) for i in range(60) for j in range(600)
                if np.isfinite(RULES[hk[i], sk[j]]) and haz[i].distance(sen[j]) < RULES[hk[i], sk[j]]}
    assert set(zip(found.hazardous.tolist(), found.sensitive.tolist(), strict=True)) == expected
    assert len(expected) > 5
    for i, j, d in zip(found.hazardous, found.sensitive, found.distance_m, strict=True):
        assert d == pytest.approx(haz[i].distance(sen[j]))


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="kind outside"):
        conflicts([Point(0, 0)], [5], [Point(1, 1)], [SCHOOL])
    with pytest.raises(ValueError, match="2 kinds"):
        conflicts([Point(0, 0)], [GAS, GAS], [Point(1, 1)], [SCHOOL])
    assert len(conflicts([], [], [Point(1, 1)], [SCHOOL])) == 0


def test_projected_distance_matches_the_geodesic_near_the_county():
    geod = pyproj.Geod(ellps="WGS84")
    lon, lat = 103.39, 35.66
    lon2, lat2, _ = geod.fwd(lon, lat, 37.0, 48.0)  # 48 m away on the ellipsoid
    a, b = to_metres([Point(lon, lat), Point(lon2, lat2)], (103.4, 35.7))
    assert a.distance(b) == pytest.approx(48.0, abs=0.005)
    far, _, _ = geod.fwd(lon, lat, 90.0, 30_000.0)  # 30 km east: still within 0.01 %
    c, d = to_metres([Point(lon, lat), Point(far, lat)], (103.4, 35.7))
    assert abs(c.distance(d) - geod.inv(lon, lat, far, lat)[2]) < 3.0


def test_dig_check_lists_lines_within_n_metres_nearest_first():
    trench = box(0, 0, 10, 10)
    lines = [LineString([(15, -50), (15, 50)]),    # 5 m east
             LineString([(-50, 13), (50, 13)]),    # 3 m north
             LineString([(30, -50), (30, 50)]),    # 20 m: outside a 5 m check
             LineString([(-50, 5), (50, 5)])]      # crosses the trench: 0 m
    found, distance = lines_near(trench, np.array(lines, dtype=object), 5.0)
    assert found.tolist() == [3, 1, 0]   # 5 m exactly is reported (inclusive)
    assert distance.tolist() == [0.0, 3.0, 5.0]
    index = LineIndex(np.array(lines, dtype=object))
    assert index.near(trench, 25.0)[0].tolist() == [3, 1, 0, 2]
    with pytest.raises(ValueError):
        index.near(trench, -1)
    assert math.isclose(index.near(trench, 0.0)[1][0], 0.0)
