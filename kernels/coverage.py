"""Coverage planning: fire-station response coverage, new-station sites, shelter deficits (issue 13).

Standards are data here (../shared/STANDARDS.md, "Emergency response planning"):
`FIRE_STATION_CLASSES` (district areas, 5-minute response) and `SHELTER_TYPES` (per-capita
effective area and service radius). Stations drive TO the places they cover, so coverage uses
travel times from the stations along the roads' one-way directions.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from kernels.road_network import RoadNetwork
from kernels.routing import min_travel_times, node_indices, travel_times

_CHUNK = 64  # candidate searches per csgraph call in greedy_sites
RESPONSE_SECONDS = 300.0  # fire stations: reach the edge of the district within 5 minutes of dispatch


@dataclasses.dataclass(frozen=True)
class FireStationClass:
    key: str
    label: str
    max_district_km2: float
    response_s: float = RESPONSE_SECONDS


# 城市消防站建设标准 (建标 152-2017), as quoted in STANDARDS.md: district area per station class.
FIRE_STATION_CLASSES: dict[str, FireStationClass] = {
    c.key: c
    for c in (
        FireStationClass("class_1", "一级普通消防站", 7.0),
        FireStationClass("class_2", "二级普通消防站", 4.0),
        FireStationClass("small", "小型普通消防站", 2.0),
        FireStationClass("suburban", "近郊区普通消防站", 15.0),
    )
}


@dataclasses.dataclass(frozen=True)
class ShelterType:
    key: str
    label: str
    per_capita_m2: float  # effective area per person
    radius_m: float  # service radius
    min_site_m2: float = 2000.0  # a site's effective area must exceed this


# GB 21734-2008 / GB 51143-2015, the widely cited values quoted in STANDARDS.md.
SHELTER_TYPES: dict[str, ShelterType] = {
    s.key: s
    for s in (
        ShelterType("emergency", "紧急避难场所", 0.5, 500.0),
        ShelterType("short_term", "短期固定避难场所", 2.0, 1000.0),
        ShelterType("mid_term", "中期固定避难场所", 3.0, 1500.0),
        ShelterType("long_term", "长期固定避难场所", 4.5, 2500.0),
    )
}


def covered_nodes(network: RoadNetwork, station_nodes: Sequence[int], seconds: float = RESPONSE_SECONDS) -> np.ndarray:
    """(n_nodes,) bool: reached from some station within `seconds` (one multi-source search
    bounded by `seconds`, so the work is proportional to the covered area)."""
    return min_travel_times(network, station_nodes, limit_s=seconds) <= seconds


def coverage_of_points(network: RoadNetwork, station_nodes: Sequence[int], point_nodes: Sequence[int],
                       point_snap_m: Sequence[float], seconds: float = RESPONSE_SECONDS, *,
                       access_speed_kmh: float = 20.0) -> np.ndarray:
    """(len(points),) bool. A demand point (a place, a grid centre) is covered when the network
    time from the nearest station to the point's snapped node PLUS the snap distance driven or
    walked at `access_speed_kmh` (20 km/h: a fire engine on a yard or lane off the network) is
    at most `seconds`. point_nodes / point_snap_m are what routing.snap_many returns."""
    if access_speed_kmh <= 0:
        raise ValueError("access_speed_kmh must be positive")
    point_nodes = node_indices(network, point_nodes, "point_nodes")
    snap_m = np.asarray(point_snap_m, dtype=float)
    if snap_m.shape != point_nodes.shape:
        raise ValueError("point_nodes and point_snap_m must have the same length")
    times = min_travel_times(network, station_nodes, limit_s=seconds)[point_nodes]
    return times + snap_m / (access_speed_kmh / 3.6) <= seconds


def greedy_sites(network: RoadNetwork, candidate_nodes: Sequence[int], demand_nodes: Sequence[int],
                 weights: Sequence[float], *, seconds: float = RESPONSE_SECONDS, k: int = 1,
                 existing_nodes: Sequence[int] = ()) -> list[tuple[int, float]]:
    """Up to k new station sites, in the order chosen, as (index into candidate_nodes, weight it
    adds): each step takes the candidate covering the most demand weight (population) not yet
    covered by the existing stations or the sites already chosen; ties go to the lower index.
    Stops early when no candidate adds anything.

    Why greedy: choosing k sites to cover the most weight is the maximum-coverage problem
    (NP-hard); the greedy choice is guaranteed to cover at least (1 - 1/e) ≈ 63 % of the best
    possible k sites (Nemhauser, Wolsey & Fisher 1978), and no polynomial algorithm does better
    in general. For a county's handful of new stations it is also what planners can follow."""
    candidates = node_indices(network, candidate_nodes, "candidate_nodes")
    demand = node_indices(network, demand_nodes, "demand_nodes")
    weight = np.asarray(weights, dtype=float)
    if weight.shape != demand.shape:
        raise ValueError("demand_nodes and weights must have the same length")
    if not np.isfinite(weight).all() or (weight < 0).any():
        raise ValueError("weights must be finite and non-negative")
    uncovered = weight.copy()
    if len(existing_nodes):
        uncovered[covered_nodes(network, existing_nodes, seconds)[demand]] = 0.0
    if candidates.size == 0 or demand.size == 0:
        return []
    # (candidates, demand) bool, in chunks: a full (candidates, n_nodes) float matrix of a large
    # network would not fit in memory (1,000 candidates × 100,000 nodes = 800 MB).
    reach = np.vstack([travel_times(network, candidates[i:i + _CHUNK], limit_s=seconds)[:, demand] <= seconds
                       for i in range(0, len(candidates), _CHUNK)])
    chosen: list[tuple[int, float]] = []
    for _ in range(k):
        gains = reach @ uncovered
        best = int(np.argmax(gains))  # first maximum: the lower index wins a tie
        if gains[best] <= 0:
            break
        chosen.append((best, float(gains[best])))
        uncovered[reach[best]] = 0.0
    return chosen


def shelter_deficits(population: Sequence[float], capacity_m2: Sequence[float], per_capita_m2: float) -> np.ndarray:
    """Per area: the effective shelter area still missing, in m² — population × per-capita area
    minus the effective area of the shelters serving the area, never below zero. Divide by
    per_capita_m2 for the number of people without a place."""
    if not (np.isfinite(per_capita_m2) and per_capita_m2 > 0):
        raise ValueError("per_capita_m2 must be a positive number")
    people = np.asarray(population, dtype=float)
    capacity = np.asarray(capacity_m2, dtype=float)
    if people.shape != capacity.shape:
        raise ValueError("population and capacity_m2 must have the same length")
    if (people < 0).any() or (capacity < 0).any():
        raise ValueError("population and capacity_m2 must be non-negative")
    return np.maximum(people * per_capita_m2 - capacity, 0.0)
