"""Coverage planning on a hand-checked street.

A straight two-way street on the equator with nodes 0..6 at x = 0..6 × 0.001° lon; each block is
U = 111.3195 m, at 36 km/h T = U / 10 = 11.132 s (see test_routing.py for U).
"""
import math

import numpy as np
import pytest

from kernels.coverage import (
    FIRE_STATION_CLASSES,
    SHELTER_TYPES,
    coverage_of_points,
    covered_nodes,
    greedy_sites,
    shelter_deficits,
)
from kernels.routing import build_network, snap

U = 6378137 * math.pi / 180 * 0.001
T = U / 10.0
D = 0.001


@pytest.fixture
def street():
    lines = [[(i * D, 0), ((i + 1) * D, 0)] for i in range(6)]
    net = build_network(lines, [36] * 6, [False] * 6)
    nodes = [snap(net, i * D, 0)[0] for i in range(7)]
    return net, nodes


def test_covered_nodes_are_those_within_the_response_time(street):
    net, nodes = street
    covered = covered_nodes(net, [nodes[0], nodes[6]], seconds=2.5 * T)
    # From x=0: x=0,1,2 (2T ≤ 2.5T); from x=6: x=4,5,6. x=3 is 3T from either.
    assert [bool(covered[n]) for n in nodes] == [True, True, True, False, True, True, True]


def test_a_point_off_the_road_adds_its_access_time(street):
    net, nodes = street
    # A point 50 m off node x=1: T to the node, then 50 m at 18 km/h (5 m/s) = 10 s → T + 10 s.
    args = (net, [nodes[0]], [nodes[1]], [50.0])
    assert coverage_of_points(*args, seconds=T + 10.5, access_speed_kmh=18).tolist() == [True]
    assert coverage_of_points(*args, seconds=T + 9.5, access_speed_kmh=18).tolist() == [False]


def test_greedy_picks_the_sites_that_add_the_most_uncovered_weight(street):
    net, nodes = street
    candidates = [nodes[1], nodes[3], nodes[5], nodes[2]]
    weights = [1, 1, 1, 1, 1, 1, 1]
    # Within 1.5T a site covers itself and its neighbours: 1 → {0,1,2}, 3 → {2,3,4}, 5 → {4,5,6},
    # 2 → {1,2,3}, 3 each. Step 1: a tie, the lowest index wins: site x=1 (+3). Step 2: x=5 adds
    # {4,5,6} = 3, x=3 only {3,4} = 2. Step 3: x=3 and x=2 each add {3} = 1, x=3 has the lower index.
    chosen = greedy_sites(net, candidates, nodes, weights, seconds=1.5 * T, k=3)
    assert chosen == [(0, 3.0), (2, 3.0), (1, 1.0)]
    # With a station at x=6 already (covers 5, 6): x=1 (+3) then x=3 (+2: 3, 4) beat x=5 (+1).
    chosen = greedy_sites(net, candidates, nodes, weights, seconds=1.5 * T, k=5, existing_nodes=[nodes[6]])
    assert chosen == [(0, 3.0), (1, 2.0)]  # then nothing is left uncovered: it stops early


def test_greedy_follows_the_weights(street):
    net, nodes = street
    weights = [0, 0, 0, 0, 0, 10, 0]  # all the population at x=5
    assert greedy_sites(net, [nodes[1], nodes[3], nodes[5]], nodes, weights, seconds=1.5 * T) == [(2, 10.0)]
    with pytest.raises(ValueError, match="non-negative"):
        greedy_sites(net, [nodes[1]], nodes, [-1, 0, 0, 0, 0, 0, 0])


def test_shelter_deficit_is_missing_effective_area():
    # 1000 people × 2 m² = 2000 m² needed, 1500 held → 500 m² short; 100 × 2 = 200 ≤ 300 → 0.
    deficits = shelter_deficits([1000, 100], [1500, 300], SHELTER_TYPES["short_term"].per_capita_m2)
    assert deficits.tolist() == [500.0, 0.0]
    with pytest.raises(ValueError):
        shelter_deficits([1], [1], 0)


def test_standards_tables_match_standards_md():
    assert [(s.per_capita_m2, s.radius_m) for s in SHELTER_TYPES.values()] == [
        (0.5, 500), (2.0, 1000), (3.0, 1500), (4.5, 2500)]
    assert all(s.min_site_m2 == 2000 for s in SHELTER_TYPES.values())
    assert {k: c.max_district_km2 for k, c in FIRE_STATION_CLASSES.items()} == {
        "class_1": 7, "class_2": 4, "small": 2, "suburban": 15}
    assert np.all([c.response_s == 300 for c in FIRE_STATION_CLASSES.values()])


def test_greedy_sees_candidates_beyond_the_first_search_chunk(street):
    net, nodes = street
    candidates = [nodes[1]] * 65 + [nodes[5]]  # the second site sits in the second chunk of 64
    chosen = greedy_sites(net, candidates, nodes, [1] * 7, seconds=1.5 * T, k=2)
    assert chosen == [(0, 3.0), (65, 3.0)]
