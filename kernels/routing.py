"""Routing on a road network: travel times, nearest resources, routes, matrices, isochrones (issue 13).

All searches are scipy.sparse.csgraph.dijkstra on the network's travel-time matrix
(kernels.road_network: how lines become nodes and edges, one-way and closed roads). Times are
seconds, distances metres, coordinates lon/lat WGS-84. Unreachable is `inf` in arrays and
`Unreachable` from `route`.

Snapping: a point snaps to the NEAREST NODE (junction or line end), measured straight in the
network's local metric projection (cKDTree); the distance is returned so the caller can add the
last stretch on foot or at an access speed (kernels.coverage.coverage_of_points does). Points
are not projected onto the middle of an edge: roads in a county network are split at every
junction, and a node is rarely far from where a vehicle actually leaves the road.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import shapely
from scipy.sparse import csgraph

from kernels.road_network import NetworkError, RoadNetwork, build_network, local_transformer

__all__ = [
    "ISOCHRONE_BUFFER_M", "NEAREST_SEARCH_BOUNDS_S", "NetworkError", "RoadNetwork", "Route", "Unreachable",
    "build_network", "isochrone", "matrix", "min_travel_times", "nearest", "node_indices", "route", "snap",
    "snap_many", "travel_times",
]

# Each reached road piece is widened by this many metres on each side for the map: the
# houses and yards along a road are reached when the road is.
ISOCHRONE_BUFFER_M = 100.0
# nearest(): the growing search bounds (seconds) before an unbounded search.
NEAREST_SEARCH_BOUNDS_S = (600.0, 2400.0, 9600.0)


class Unreachable(ValueError):
    """No open road leads from a to b."""


@dataclasses.dataclass
class Route:
    seconds: float
    metres: float
    nodes: list[int]
    coords: list[tuple[float, float]]  # (lon, lat) along the roads' geometry, a to b
    edges: list[int] = dataclasses.field(default_factory=list)


def node_indices(network: RoadNetwork, nodes, name: str = "nodes") -> np.ndarray:
    array = np.atleast_1d(np.asarray(nodes, dtype=np.int64))
    if array.size and (array.min() < 0 or array.max() >= network.n_nodes):
        raise ValueError(f"{name} must be node indices in 0..{network.n_nodes - 1}")
    return array


def _limit(limit_s: float | None) -> float:
    if limit_s is None:
        return np.inf
    if not float(limit_s) >= 0:  # also refuses NaN
        raise ValueError(f"a time limit must be at least 0 seconds, got {limit_s}")
    return float(limit_s)


def snap(network: RoadNetwork, lon: float, lat: float) -> tuple[int, float]:
    """The nearest node and its straight-line distance in metres."""
    nodes, metres = snap_many(network, [lon], [lat])
    return int(nodes[0]), float(metres[0])


def snap_many(network: RoadNetwork, lons, lats) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised `snap`: (node indices, metres) for arrays of lon/lat."""
    if network.n_nodes == 0:
        raise ValueError("the road network has no nodes")
    xs, ys = network.project(lons, lats)
    metres, nodes = network.node_tree.query(np.column_stack([np.atleast_1d(xs), np.atleast_1d(ys)]))
    return nodes.astype(np.int64), metres


def travel_times(network: RoadNetwork, sources: Sequence[int], *, limit_s: float | None = None,
                 reverse: bool = False) -> np.ndarray:
    """(len(sources), n_nodes) seconds from each source (to it with reverse=True); inf where
    unreachable or beyond limit_s."""
    sources = node_indices(network, sources, "sources")
    if sources.size == 0:
        return np.zeros((0, network.n_nodes))
    graph = network.reverse_graph if reverse else network.graph
    return np.atleast_2d(csgraph.dijkstra(graph, directed=True, indices=sources, limit=_limit(limit_s)))


def min_travel_times(network: RoadNetwork, sources: Sequence[int], *, limit_s: float | None = None,
                     reverse: bool = False) -> np.ndarray:
    """(n_nodes,) seconds from the nearest of the sources (one multi-source search)."""
    sources = node_indices(network, sources, "sources")
    if sources.size == 0:
        return np.full(network.n_nodes, np.inf)
    graph = network.reverse_graph if reverse else network.graph
    return csgraph.dijkstra(graph, directed=True, indices=sources, limit=_limit(limit_s), min_only=True)


def nearest(network: RoadNetwork, origin: int, targets: Sequence[int], k: int, *, reverse: bool = False,
            limit_s: float | None = None) -> list[tuple[int, float]]:
    """The k targets nearest by travel time as (index into targets, seconds), fastest first
    (ties by index), reachable ones only. reverse=False: from origin to the targets (send a
    patient to a hospital); reverse=True: from each target to origin (a team drives to the
    incident) — one search on the transposed graph, so one-way roads count the right way."""
    origin = int(node_indices(network, [origin], "origin")[0])
    targets = node_indices(network, targets, "targets")
    if k <= 0 or targets.size == 0:
        return []
    # Help is usually close: search within 10 minutes first and widen only if fewer than k
    # targets were reached. Exact: a bounded search gives the true time of every node within the
    # bound, and any target it did not reach is further away than all those it did.
    limit = _limit(limit_s)
    bounds = [b for b in NEAREST_SEARCH_BOUNDS_S if b < limit] + [limit]
    for bound in bounds:
        times = travel_times(network, [origin], limit_s=bound, reverse=reverse)[0][targets]
        if np.isfinite(times).sum() >= min(k, len(targets)):
            break
    order = np.lexsort((np.arange(len(targets)), times))
    return [(int(i), float(times[i])) for i in order[:k] if np.isfinite(times[i])]


def _edge_coords(network: RoadNetwork, edge: int, start_m: float = 0.0, end_m: float | None = None) -> np.ndarray:
    """The edge's geometry from start_m to end_m metres after its u end (interpolated cuts)."""
    first, last = network.edge_first[edge], network.edge_last[edge]
    coords = network.vertex_lonlat[first:last + 1]
    along = network.vertex_m[first:last + 1] - network.vertex_m[first]
    end_m = along[-1] if end_m is None else min(end_m, along[-1])
    start_m = max(start_m, 0.0)
    if start_m <= 0 and end_m >= along[-1]:
        return coords
    inside = (along > start_m) & (along < end_m)
    cut = [np.interp(start_m, along, coords[:, 0]), np.interp(start_m, along, coords[:, 1])]
    end = [np.interp(end_m, along, coords[:, 0]), np.interp(end_m, along, coords[:, 1])]
    return np.vstack([cut, coords[inside], end])


def route(network: RoadNetwork, a: int, b: int) -> Route:
    """The fastest route from node a to node b over open roads; raises Unreachable."""
    a, b = (int(x) for x in node_indices(network, [a, b]))
    times, predecessors = csgraph.dijkstra(network.graph, directed=True, indices=a, return_predecessors=True)
    if not np.isfinite(times[b]):
        raise Unreachable(f"node {b} cannot be reached from node {a} over open roads")
    nodes = [b]
    while nodes[-1] != a:
        nodes.append(int(predecessors[nodes[-1]]))
    nodes.reverse()
    graph = network.graph
    coords = [tuple(map(float, network.node_lonlat[a]))]
    edges, metres = [], 0.0
    for tail, head in zip(nodes[:-1], nodes[1:], strict=True):
        lo, hi = graph.indptr[tail], graph.indptr[tail + 1]
        entry = lo + int(np.flatnonzero(graph.indices[lo:hi] == head)[0])
        edge = int(network.arc_edge[entry])
        piece = _edge_coords(network, edge)
        if network.edge_u[edge] != tail:  # travelled against the line's direction
            piece = piece[::-1]
        coords.extend(tuple(map(float, p)) for p in piece[1:])
        edges.append(edge)
        metres += float(network.edge_length_m[edge])
    return Route(seconds=float(times[b]), metres=metres, nodes=nodes, coords=coords, edges=edges)


def matrix(network: RoadNetwork, origins: Sequence[int], destinations: Sequence[int]) -> np.ndarray:
    """(len(origins), len(destinations)) travel-time matrix in seconds, inf where unreachable."""
    destinations = node_indices(network, destinations, "destinations")
    return travel_times(network, origins)[:, destinations]


def isochrone(network: RoadNetwork, source_or_sources, seconds: float, *,
              buffer_m: float = ISOCHRONE_BUFFER_M) -> shapely.Geometry:
    """The area reached within `seconds` from the nearest source, as a lon/lat geometry for the
    map: every road reached in time, a partly reached road cut where the time runs out (from
    either end), and the sources themselves, each widened by `buffer_m` metres, united."""
    sources = node_indices(network, source_or_sources, "sources")
    if not (np.isfinite(seconds) and seconds >= 0):
        raise ValueError(f"seconds must be a finite number ≥ 0, got {seconds}")
    times = min_travel_times(network, sources, limit_s=seconds)
    reached = times <= seconds
    open_edge = ~network.edge_closed
    u, v = network.edge_u, network.edge_v
    speed = network.edge_length_m / np.maximum(network.edge_time_s, 1e-9)  # metres per second
    with np.errstate(invalid="ignore"):
        from_u = np.where(open_edge & reached[u], (seconds - times[u]) * speed, 0.0)
        from_v = np.where(open_edge & ~network.edge_oneway & reached[v], (seconds - times[v]) * speed, 0.0)
    pieces = []
    for edge in np.flatnonzero((from_u > 0) | (from_v > 0)):
        length = network.edge_length_m[edge]
        if from_u[edge] + from_v[edge] >= length:
            pieces.append(_edge_coords(network, edge))
            continue
        if from_u[edge] > 0:
            pieces.append(_edge_coords(network, edge, 0.0, from_u[edge]))
        if from_v[edge] > 0:
            pieces.append(_edge_coords(network, edge, length - from_v[edge], length))
    transformer = local_transformer(*network.origin)
    geometries = [shapely.points(np.column_stack(transformer.transform(*network.node_lonlat[reached].T)))]
    if pieces:
        lines = shapely.linestrings(np.column_stack(transformer.transform(*np.vstack(pieces).T)),
                                    indices=np.repeat(np.arange(len(pieces)), [len(p) for p in pieces]))
        geometries.append(lines)
    area = shapely.union_all(shapely.buffer(np.concatenate(geometries), buffer_m))
    if area.is_empty:
        return area
    return shapely.transform(area, lambda xy: np.column_stack(transformer.transform(*xy.T, direction="INVERSE")))
