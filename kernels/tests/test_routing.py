"""Routing on hand-checked small networks.

All test roads lie on the equator, where 0.001° of longitude is exactly
U = 6378137 m × π/180 × 0.001 = 111.3195 m of geodesic length (WGS-84 semi-major axis), and at
36 km/h (10 m/s) a road of length U takes T = U / 10 = 11.132 s.

The network `line` (x in units of 0.001° lon, lat 0):

    A(0) ── B(1) ── C(2) ──▶ D(3)        E(10) ── F(11)
    └──── bypass A–C, 18 km/h ───┘

r0 A–B, r1 B–C, r2 C→D one-way, all 36 km/h; r3 bypass A–C is a straight two-point line that
passes over B WITHOUT a vertex there (so it does not connect to B, as a bridge would not), at
18 km/h (5 m/s): 2U / 5 = 4T; r4 E–F 36 km/h, a separate piece of network.
"""
import math

import numpy as np
import pytest
import shapely

from kernels.routing import (
    NetworkError,
    Unreachable,
    build_network,
    isochrone,
    matrix,
    min_travel_times,
    nearest,
    route,
    snap,
    snap_many,
    travel_times,
)

U = 6378137 * math.pi / 180 * 0.001
T = U / 10.0
D = 0.001  # degrees


def line_network(closed=None):
    lines = [
        [(0, 0), (D, 0)],  # r0 A–B
        [(D, 0), (2 * D, 0)],  # r1 B–C
        [(2 * D, 0), (3 * D, 0)],  # r2 C→D one-way
        [(0, 0), (2 * D, 0)],  # r3 bypass A–C, no vertex at B
        [(10 * D, 0), (11 * D, 0)],  # r4 E–F
    ]
    return build_network(lines, [36, 36, 36, 18, 36], [False, False, True, False, False], closed)


def node(network, x):
    index, metres = snap(network, x * D, 0.0)
    assert metres < 1e-6
    return index


def test_edges_and_lengths_are_geodesic_metres_and_seconds():
    net = line_network()
    assert net.n_nodes == 6  # A B C D E F: the bypass adds no node at B
    assert net.n_edges == 5
    assert list(net.edge_line) == [0, 1, 2, 3, 4]
    assert net.edge_length_m == pytest.approx([U, U, U, 2 * U, U], rel=1e-9)
    assert net.edge_time_s == pytest.approx([T, T, T, 4 * T, T], rel=1e-9)


def test_travel_times_follow_the_fastest_road_and_unreachable_is_inf():
    net = line_network()
    a, b, c, d, e, f = (node(net, x) for x in (0, 1, 2, 3, 10, 11))
    times = travel_times(net, [a])[0]
    # B = T; C = T + T via B (the bypass would take 4T); D = 2T + T; E, F are another piece.
    assert times[[a, b, c, d]] == pytest.approx([0, T, 2 * T, 3 * T])
    assert np.isinf(times[[e, f]]).all()


def test_one_way_road_is_travelled_only_along_the_line():
    net = line_network()
    a, c, d = node(net, 0), node(net, 2), node(net, 3)
    from_d = travel_times(net, [d])[0]
    assert from_d[d] == 0 and np.isinf(np.delete(from_d, d)).all()  # r2 leads into D only
    assert travel_times(net, [c])[0][d] == pytest.approx(T)
    with pytest.raises(Unreachable):
        route(net, d, a)


def test_closed_road_forces_the_detour_and_reopening_restores_the_route():
    net = line_network()
    a, c, d = node(net, 0), node(net, 2), node(net, 3)
    closed = net.with_closed(net.edges_of_lines([1]))  # close B–C (a landslide)
    assert closed.closed_edges == {1}
    # A → C now by the bypass: 4T; A → D: 4T + T.
    assert travel_times(closed, [a])[0][[c, d]] == pytest.approx([4 * T, 5 * T])
    detour = route(closed, a, d)
    assert detour.seconds == pytest.approx(5 * T)
    assert detour.metres == pytest.approx(3 * U)
    assert detour.coords == [(0.0, 0.0), (2 * D, 0.0), (3 * D, 0.0)]  # the bypass's own geometry
    assert detour.edges == [3, 2]
    reopened = closed.with_closed(set())
    assert route(reopened, a, d).seconds == pytest.approx(3 * T)


def test_closed_at_build_time_is_kept_in_the_network_but_not_routed():
    net = line_network(closed=[False, False, False, True, False])
    assert net.n_edges == 5 and net.closed_edges == {3}
    closed_all = net.with_closed({1, 3})
    assert np.isinf(travel_times(closed_all, [node(net, 0)])[0][node(net, 2)])


def test_route_follows_the_line_geometry_and_reverses_it_when_travelled_backwards():
    net = build_network([[(0, 0), (D, 0), (D, D), (2 * D, D)]], [36], [False])
    start, end = node(net, 0), snap(net, 2 * D, D)[0]
    assert net.n_nodes == 2  # inner vertices of one road are not junctions
    forward = route(net, start, end)
    assert forward.coords == [(0.0, 0.0), (D, 0.0), (D, D), (2 * D, D)]
    back = route(net, end, start)
    assert back.coords == forward.coords[::-1]
    assert back.seconds == pytest.approx(forward.seconds) == pytest.approx(net.edge_time_s[0])
    assert route(net, start, start).nodes == [start]


def test_unreachable_across_disconnected_pieces_is_a_clear_error():
    net = line_network()
    with pytest.raises(Unreachable, match="cannot be reached"):
        route(net, node(net, 0), node(net, 10))


def test_min_travel_times_takes_the_nearest_of_several_sources_and_respects_the_limit():
    net = line_network()
    a, b, c, d, e, f = (node(net, x) for x in (0, 1, 2, 3, 10, 11))
    times = min_travel_times(net, [a, f])
    assert times[[a, b, c, d, e, f]] == pytest.approx([0, T, 2 * T, 3 * T, T, 0])
    limited = min_travel_times(net, [a, f], limit_s=1.5 * T)
    assert limited[[a, b, e, f]] == pytest.approx([0, T, T, 0])
    assert np.isinf(limited[[c, d]]).all()


def test_nearest_reverse_counts_one_way_roads_from_the_team_to_the_incident():
    net = line_network()
    a, b, d, e = node(net, 0), node(net, 1), node(net, 3), node(net, 10)
    teams = [a, b, e]
    # Teams drive TO the incident at D: B → C → D = 2T, A → B → C → D = 3T, E cannot get there.
    assert nearest(net, d, teams, 5, reverse=True) == [(1, pytest.approx(2 * T)), (0, pytest.approx(3 * T))]
    # Forward (from D to them) nothing is reachable: r2 only leads into D.
    assert nearest(net, d, teams, 5) == []
    assert nearest(net, a, teams, 1) == [(0, 0.0)]


def test_matrix_is_the_travel_time_table():
    net = line_network()
    a, b, d = node(net, 0), node(net, 1), node(net, 3)
    table = matrix(net, [a, d], [b, d])
    assert table[0] == pytest.approx([T, 3 * T])
    assert np.isinf(table[1, 0]) and table[1, 1] == 0


def test_isochrone_contains_the_reached_nodes_and_part_of_the_road_but_not_the_rest():
    net = line_network()
    area = isochrone(net, [node(net, 0)], 1.5 * T, buffer_m=10)
    # Within 1.5T: A, B and half of B–C (to x = 1.5); the bypass (5 m/s) reaches x = 0.75.
    assert area.contains(shapely.Point(0, 0)) and area.contains(shapely.Point(D, 0))
    assert area.contains(shapely.Point(1.4 * D, 0))
    assert not area.contains(shapely.Point(1.7 * D, 0))
    assert not area.contains(shapely.Point(2 * D, 0)) and not area.contains(shapely.Point(3 * D, 0))
    assert not area.contains(shapely.Point(10 * D, 0))
    both = isochrone(net, [node(net, 0), node(net, 10)], 1.5 * T, buffer_m=10)
    assert both.contains(shapely.Point(11 * D, 0))


def test_a_junction_inside_a_line_splits_it_and_close_vertices_snap_together():
    lines = [
        [(0, 0), (D, 0), (2 * D, 0)],  # a vertex at (D, 0) ...
        [(D, 0.000004), (D, D)],  # ... and a road starting 0.44 m from it: the same junction
    ]
    net = build_network(lines, [36, 36], [False, False])
    assert net.n_nodes == 4 and list(net.edge_line) == [0, 0, 1]
    top = snap(net, D, D)[0]
    assert travel_times(net, [node(net, 0)])[0][top] == pytest.approx(T + net.edge_length_m[2] / 10)


def test_snap_many_returns_nearest_nodes_and_metres():
    net = line_network()
    nodes, metres = snap_many(net, [0.0, 2.9 * D], [0.0, 0.0])
    assert list(nodes) == [node(net, 0), node(net, 3)]
    assert metres == pytest.approx([0.0, 0.1 * U], rel=1e-3)


def nan_line():
    with np.errstate(invalid="ignore"):  # shapely warns while building it; the test is what we do with it
        return shapely.LineString([(0, 0), (math.nan, 0)])


@pytest.mark.parametrize(
    ("lines", "speeds", "code", "row"),
    [
        ([[(0, 0), (D, 0)], shapely.Point(0, 0)], [36, 36], "bad_geometry", 1),
        ([[(0, 0), (math.nan, 0)]], [36], "bad_geometry", 0),
        ([[(0, 0), (200, 0)]], [36], "bad_geometry", 0),
        ([[(0, 0), (0, 0)]], [36], "too_short", 0),
        ([[(0, 0), (D, 0)], [(0, 0), (0.000001, 0)]], [36, 36], "too_short", 1),
        ([shapely.LineString([(0, 0), (D, 0)]), nan_line()], [36, 36],
         "bad_geometry", 1),  # all shapely: the vectorised path names the same rows
        ([shapely.LineString([(0, 0), (D, 0)]), shapely.LineString([(0, 0), (0, 0)])], [36, 36], "too_short", 1),
        ([shapely.LineString([(0, 0), (D, 0)]), shapely.LineString()], [36, 36], "bad_geometry", 1),
        ([shapely.LineString([(0, 0), (D, 0)]), shapely.LineString([(0, 0), (0, 91)])], [36, 36], "bad_geometry", 1),
        ([[(0, 0), (D, 0)]], [0], "bad_speed", 0),
        ([[(0, 0), (D, 0)]], [math.inf], "bad_speed", 0),
    ],
)
def test_bad_input_is_a_network_error_naming_the_row(lines, speeds, code, row):
    with pytest.raises(NetworkError) as error:
        build_network(lines, speeds, [False] * len(lines))
    assert error.value.code == code and error.value.row == row


def test_mismatched_lengths_are_refused():
    with pytest.raises(NetworkError) as error:
        build_network([[(0, 0), (D, 0)]], [36, 36], [False])
    assert error.value.code == "length_mismatch"


def test_nearest_widens_its_search_for_far_targets_and_stays_exact():
    # x = 0 → 1 at 36 km/h: T; 1 → 10 (9U = 1002 m) at 5 km/h: 9U / (5 / 3.6) = 721 s, beyond the
    # first 600 s search bound, so the second target is found only by widening the search.
    net = build_network([[(0, 0), (D, 0)], [(D, 0), (10 * D, 0)]], [36, 5], [False, False])
    a, b, far = node(net, 0), node(net, 1), node(net, 10)
    slow = 9 * U / (5 / 3.6)
    assert nearest(net, a, [far, b], 2) == [(1, pytest.approx(T)), (0, pytest.approx(T + slow))]
    assert nearest(net, a, [far, b], 1) == [(1, pytest.approx(T))]
    assert nearest(net, a, [far], 1, limit_s=600) == []


def test_negative_or_nan_time_limits_are_refused():
    net = line_network()
    for bad in (-1.0, math.nan):
        with pytest.raises(ValueError, match="at least 0"):
            travel_times(net, [0], limit_s=bad)
        with pytest.raises(ValueError, match="finite"):
            isochrone(net, [0], bad)
    assert isochrone(net, [], 60).is_empty
    with pytest.raises(ValueError, match="node indices"):
        travel_times(net, [net.n_nodes])
