import numpy as np

from kernels.vehicle_rules import (
    IN_ZONE,
    OFF_ROUTE,
    SPEEDING,
    distance_m,
    distance_to_route_m,
    evaluate,
    in_window,
    zone_hits,
)


def test_a_point_beside_a_straight_route_is_as_far_as_its_perpendicular():
    route = [(103.0, 35.0), (103.1, 35.0)]
    d = distance_to_route_m([103.05, 103.2], [35.001, 35.0], route)
    assert abs(d[0] - 111.2) < 1.0                       # 0.001° of latitude ≈ 111 m
    assert abs(d[1] - distance_m(103.2, 35.0, 103.1, 35.0)) < 1e-6   # beyond the end: to the end vertex


def test_time_windows_wrap_midnight_and_equal_bounds_mean_all_day():
    assert in_window([7.5, 9.0, 23.0, 3.0], [7, 7, 22, 22], [9, 9, 6, 6]).tolist() == [True, False, True, True]
    assert bool(in_window(12.0, 0, 0))


def test_a_zone_is_hit_only_inside_its_radius_during_its_hours():
    zones = [(103.0, 35.0, 200.0, 7, 9)]
    hits = zone_hits([103.0, 103.0, 103.01], [35.001, 35.001, 35.0], [8.0, 10.0, 8.0], zones)
    assert hits.tolist() == [0, -1, -1]


def test_speeding_holds_at_the_newest_position_and_reports_the_first_time_and_the_worst_speed():
    out = evaluate([0, 0, 0, 1], [10.0, 20.0, 30.0, 10.0], [103.0] * 4, [35.0] * 4, [70.0, 95.0, 90.0, 50.0],
                   [12.0] * 4, limit=np.array([80.0, 80.0]), routes=[None, None], tolerance=np.array([500.0, 500.0]),
                   zones=np.zeros((0, 5)))
    assert out.active[:, SPEEDING].tolist() == [True, False]
    assert out.first_at[0, SPEEDING] == 20.0 and out.worst[0, SPEEDING] == 95.0
    assert not out.active[:, OFF_ROUTE].any() and not out.active[:, IN_ZONE].any()


def test_leaving_the_route_is_an_alarm_and_returning_clears_it():
    route = [(103.0, 35.0), (103.1, 35.0)]
    args = {"limit": np.array([np.nan]), "routes": [route], "tolerance": np.array([300.0]), "zones": np.zeros((0, 5))}
    away = evaluate([0], [5.0], [103.05], [35.01], [40.0], [12.0], **args)      # ~1.1 km off
    back = evaluate([0, 0], [5.0, 6.0], [103.05, 103.05], [35.01, 35.0], [40.0, 40.0], [12.0, 12.0], **args)
    assert away.active[0, OFF_ROUTE] and away.worst[0, OFF_ROUTE] > 1000
    assert not back.active[0, OFF_ROUTE] and back.first_at[0, OFF_ROUTE] == 5.0


def test_distances_to_many_routes_at_once_match_one_route_at_a_time():
    from kernels.vehicle_rules import distance_to_routes_m

    routes = [[(103.0, 35.0), (103.1, 35.0), (103.1, 35.1)], None, [(104.0, 36.0)], [(103.5, 35.5), (103.6, 35.6)]]
    rng = np.random.default_rng(3)
    which = np.array([0, 0, 1, 2, 3, 3, 0])
    lon, lat = rng.uniform(103, 104, len(which)), rng.uniform(35, 36, len(which))
    got = distance_to_routes_m(lon, lat, which, routes)
    for i, w in enumerate(which):
        if routes[w] is None:
            assert np.isnan(got[i])
        else:
            assert abs(got[i] - distance_to_route_m([lon[i]], [lat[i]], routes[w])[0]) < 1e-6


def test_a_polygon_zone_replaces_its_circle_and_counts_its_boundary_inside():
    from kernels.vehicle_rules import zone_hits

    square = [[103.0, 35.0], [103.01, 35.0], [103.01, 35.01], [103.0, 35.01]]
    zones = np.array([[103.005, 35.005, 1.0, 0, 0], [104.0, 36.0, 100.0, 7, 9]])  # a 1 m circle, then elsewhere
    lon = np.array([103.005, 103.02, 103.0, 103.009])
    lat = np.array([35.005, 35.005, 35.003, 35.0001])
    hits = zone_hits(lon, lat, np.full(4, 12.0), zones, [square, None])
    assert hits.tolist() == [0, -1, 0, 0]
    # an L-shaped (concave) zone: the notch is outside
    ell = [[103.0, 35.0], [103.02, 35.0], [103.02, 35.01], [103.01, 35.01], [103.01, 35.02], [103.0, 35.02]]
    notch = zone_hits(np.array([103.015, 103.005]), np.array([35.015, 35.015]), np.full(2, 12.0), zones[:1], [ell])
    assert notch.tolist() == [-1, 0]


def test_a_polygon_zone_binds_only_inside_its_hours():
    from kernels.vehicle_rules import zone_hits

    square = [[103.0, 35.0], [103.01, 35.0], [103.01, 35.01], [103.0, 35.01]]
    zones = np.array([[0, 0, 0, 7, 9]], float)
    hits = zone_hits(np.full(2, 103.005), np.full(2, 35.005), np.array([8.0, 12.0]), zones, [square])
    assert hits.tolist() == [0, -1]
