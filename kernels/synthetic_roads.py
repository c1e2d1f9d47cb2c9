"""A plausible synthetic road network for the demo county (issue 13). Deterministic per seed.

- Township seats are joined by the minimum spanning tree of their Delaunay triangulation —
  trunk roads from the first seat (the county seat), primary roads between the others — plus the
  shortest remaining Delaunay links as secondary roads, so most seats have a second way in
  (closing one road leaves a detour).
- Each village gets a tertiary road to its nearest seat; some villages also an unclassified
  road to their nearest neighbouring village.
- The first three seats get a one-way pair: an eastbound street from the seat, a westbound
  street 80 m north of it, two-way connectors at both ends.
- Roads wind a little (a smooth sideways bend plus noise) but stay straight when bending
  would leave the county outline.
- Where two roads cross, both get a shared vertex at the crossing (build_network joins roads
  only at shared vertices, as OSM does; here every crossing is a junction).

Names are Chinese road reference codes: G trunk, S primary, X secondary (县道), Y tertiary
(乡道), C village roads (村道), Z the seats' one-way streets.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import Delaunay, cKDTree

from kernels.road_network import local_transformer

_PREFIX = {"trunk": "G", "primary": "S", "secondary": "X", "tertiary": "Y", "unclassified": "C", "residential": "Z"}
_SPEED = {"trunk": 60.0, "primary": 50.0, "secondary": 40.0, "tertiary": 30.0, "unclassified": 20.0,
          "residential": 20.0}
_COUPLET_M, _COUPLET_GAP_M = 500.0, 80.0
_MIN_ROAD_M = 5.0


def _seat_links(seats: np.ndarray) -> list[tuple[int, int, str]]:
    n = len(seats)
    if n < 2:
        return []
    if n < 3 or np.linalg.matrix_rank(seats[1:] - seats[0]) < 2:
        pairs = {(i, i + 1) for i in range(n - 1)}
    else:
        pairs = set()
        for simplex in Delaunay(seats).simplices:
            for a, b in ((0, 1), (1, 2), (0, 2)):
                pairs.add(tuple(sorted((int(simplex[a]), int(simplex[b])))))
    pairs = sorted(pairs)
    length = np.array([np.hypot(*(seats[a] - seats[b])) for a, b in pairs])
    rows, cols = zip(*pairs, strict=True)
    tree = minimum_spanning_tree(coo_matrix((length, (rows, cols)), shape=(n, n))).tocoo()
    in_tree = {tuple(sorted((int(a), int(b)))) for a, b in zip(tree.row, tree.col, strict=True)}
    links = [(a, b, "trunk" if 0 in (a, b) else "primary") for a, b in pairs if (a, b) in in_tree]
    median = float(np.median([length[i] for i, p in enumerate(pairs) if p in in_tree]))
    extra = sorted((length[i], p) for i, p in enumerate(pairs) if p not in in_tree and length[i] <= 1.5 * median)
    links += [(a, b, "secondary") for _, (a, b) in extra[: max(1, n // 2)]]
    return links


def _winding(p: np.ndarray, q: np.ndarray, rng: np.random.Generator, county) -> np.ndarray:
    length = float(np.hypot(*(q - p)))
    n_mid = int(np.clip(length // 800, 1, 8))
    t = np.arange(1, n_mid + 1) / (n_mid + 1)
    normal = np.array([-(q - p)[1], (q - p)[0]]) / max(length, 1e-9)
    offset = rng.normal(0, 0.08) * length * np.sin(np.pi * t) + rng.normal(0, 0.01 * length, n_mid)
    coords = np.vstack([p, p + np.outer(t, q - p) + np.outer(offset, normal), q])
    if county.covers(shapely.LineString(coords)) or not county.covers(shapely.LineString([p, q])):
        return coords
    return np.vstack([p, q])


def _with_crossings(lines: list[np.ndarray]) -> list[np.ndarray]:
    """Insert a shared vertex into both roads wherever two roads cross."""
    if not lines:
        return lines
    geoms = [shapely.LineString(c) for c in lines]
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    extra: list[list[np.ndarray]] = [[] for _ in lines]
    for i, j in zip(left, right, strict=True):
        if i < j:
            points = shapely.get_coordinates(shapely.intersection(geoms[i], geoms[j]))
            extra[i].append(points)
            extra[j].append(points)
    result = []
    for coords, geom, points in zip(lines, geoms, extra, strict=True):
        if not points:
            result.append(coords)
            continue
        points = np.vstack(points)
        at = shapely.line_locate_point(geom, shapely.points(points))
        inner = (at > 1e-6) & (at < geom.length - 1e-6)  # crossings at the ends are shared already
        along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(coords, axis=0).T))])
        merged = np.vstack([coords, points[inner]])
        order = np.argsort(np.concatenate([along, at[inner]]), kind="stable")
        result.append(merged[order])
    return result


def synthetic_county_network(outline, seats: Sequence[tuple[float, float]],
                             villages: Sequence[tuple[float, float]], seed: int = 0) -> list[dict]:
    """Road rows (as kernels.road_import returns them) connecting seats and villages inside
    `outline` (a lon/lat Polygon/MultiPolygon); see the module docstring."""
    rng = np.random.default_rng(seed)
    centre = outline.centroid
    transformer = local_transformer(round(centre.x, 6), round(centre.y, 6))

    def to_xy(points) -> np.ndarray:
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        return np.column_stack(transformer.transform(points[:, 0], points[:, 1]))

    county = shapely.transform(outline, to_xy).buffer(50.0)
    seat_xy, village_xy = to_xy(seats), to_xy(villages)
    roads: list[tuple[np.ndarray, str, bool]] = []

    def connect(p: np.ndarray, q: np.ndarray, road_class: str) -> None:
        if np.hypot(*(q - p)) >= _MIN_ROAD_M:  # a village at its seat (or a repeated point) needs no road
            roads.append((_winding(p, q, rng, county), road_class, False))

    for a, b, road_class in _seat_links(seat_xy):
        connect(seat_xy[a], seat_xy[b], road_class)
    if len(seat_xy) and len(village_xy):
        _, nearest_seat = cKDTree(seat_xy).query(village_xy)
        for village, seat in zip(village_xy, nearest_seat, strict=True):
            connect(village, seat_xy[seat], "tertiary")
    if len(village_xy) > 1:
        _, neighbour = cKDTree(village_xy).query(village_xy, k=2)
        for i, j in enumerate(neighbour[:, 1]):
            if i < j and rng.random() < 0.4:
                connect(village_xy[i], village_xy[j], "unclassified")
    for seat in seat_xy[:3]:
        east, north = np.array([_COUPLET_M, 0.0]), np.array([0.0, _COUPLET_GAP_M])
        corners = [seat, seat + east, seat + east + north, seat + north]
        if not county.covers(shapely.Polygon(corners)):
            continue
        roads += [(np.vstack([seat, seat + east]), "residential", True),
                  (np.vstack([seat + east + north, seat + north]), "residential", True),
                  (np.vstack([seat, seat + north]), "residential", False),
                  (np.vstack([seat + east, seat + east + north]), "residential", False)]
    lines = _with_crossings([coords for coords, _, _ in roads])
    counters: dict[str, int] = {}
    rows = []
    for row, (coords, (_, road_class, oneway)) in enumerate(zip(lines, roads, strict=True)):
        counters[road_class] = counters.get(road_class, 0) + 1
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1], direction="INVERSE")
        rows.append({"line": shapely.LineString(np.column_stack([lon, lat])), "speed_kmh": _SPEED[road_class],
                     "oneway": oneway, "closed": False, "road_class": road_class,
                     "name": f"{_PREFIX[road_class]}{counters[road_class]:03d}", "row": row})
    return rows
