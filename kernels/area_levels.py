"""Area levels: which polygon holds each point, and each area's highest risk level and counts.

The hot path of the four-colour map: a million risk points into ten thousand grids. Instead of
testing every point against polygons (what geopandas.sjoin does through an STRtree), a regular
lattice is laid over the polygons' extent:

1. every polygon edge is rasterised conservatively into the lattice (each edge is cut into
   pieces shorter than a cell, and every cell a piece's bounding box touches, widened by a
   small epsilon, is marked) — so an unmarked cell, as a closed square, meets no boundary;
2. the unmarked cells are labelled into 4-connected regions (scipy.ndimage.label); a region
   touches no boundary, so it lies wholly inside one and the same set of polygons, found by
   testing one cell centre per region;
3. a point in an unmarked cell gets its region's polygon by arithmetic (two floors and a
   lookup); only points in marked cells are tested with shapely against the STRtree's
   bounding-box candidates (prepared polygons, `intersects_xy`).

Boundary rule: a point belongs to the lowest-index polygon that covers it (interior or
boundary). A point on an edge shared by polygons 3 and 7 goes to 3; a point on the county's
outer edge goes to the grid it bounds. geopandas' `predicate="within"` would leave both
unassigned; for points off every boundary the two agree (bench/bench_area_levels.py checks it).
Overlapping polygons are allowed (lowest index wins); holes and MultiPolygons are handled.

Note: the polygons are prepared in place (shapely.prepare), which speeds up later tests on them.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
from scipy import ndimage

from kernels.risk_scoring import LEVELS, NO_RISK

NONE = -1  # "in no polygon"
_BOUNDARY = -2  # a lattice cell that some polygon edge touches: its points are tested exactly
# Widening of every edge piece, in cell widths: a point in an unmarked cell is at least this far
# from every edge, far more than the rounding of the cell arithmetic (~1e-10 cells for lon/lat).
_EPSILON = 1e-6
# Lattice size: cells per polygon and per point (more cells, fewer points left to test exactly,
# but a longer build); capped so the lattice stays a few tens of MB.
_CELLS_PER_POLYGON = 400
_CELLS_PER_POINT = 4
_MIN_CELLS, _MAX_CELLS = 1024, 8_000_000
# Edge pieces at most half a cell long: their bounding boxes hug the edge more tightly (about 10 %
# fewer points left to test exactly than with whole-cell pieces).
_PIECE = 0.5


class _Lattice:
    def __init__(self, bounds: tuple[float, float, float, float], n_cells: int):
        min_x, min_y, max_x, max_y = bounds
        width, height = max(max_x - min_x, 0.0), max(max_y - min_y, 0.0)
        # Square cells; never thinner than extent / n_cells, so a long thin extent cannot ask for
        # more than about 3 × n_cells cells.
        side = max(math.sqrt(width * height / n_cells), width / n_cells, height / n_cells)
        self.size = side if side > 0 else 1.0
        self.x0, self.y0 = min_x, min_y
        # One more cell than the extent needs, so points on the max edge fall inside the lattice.
        self.nx = int(width / self.size) + 1
        self.ny = int(height / self.size) + 1

    def cells(self, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(column, row, inside) of each point; points outside the lattice or NaN are not inside."""
        u = (xs - self.x0) / self.size
        v = (ys - self.y0) / self.size
        inside = (u >= 0) & (u < self.nx) & (v >= 0) & (v < self.ny)  # NaN compares False
        col = np.zeros(len(xs), dtype=np.int64)
        row = np.zeros(len(xs), dtype=np.int64)
        col[inside] = u[inside].astype(np.int64)
        row[inside] = v[inside].astype(np.int64)
        return col, row, inside

    def mark_edges(self, polygons: np.ndarray) -> np.ndarray:
        """Boolean (ny, nx) mask of the cells any polygon edge touches (conservative)."""
        marked = np.zeros((self.ny, self.nx), dtype=bool)
        parts = shapely.get_parts(polygons)
        rings = shapely.get_rings(parts)
        if len(rings) == 0:
            return marked
        coords, ring_of = shapely.get_coordinates(rings, return_index=True)
        same_ring = ring_of[1:] == ring_of[:-1]
        u = (coords[:, 0] - self.x0) / self.size
        v = (coords[:, 1] - self.y0) / self.size
        ua, va, ub, vb = u[:-1][same_ring], v[:-1][same_ring], u[1:][same_ring], v[1:][same_ring]
        # Cut each segment into k pieces no longer than _PIECE cells along either axis.
        k = np.maximum(np.ceil(np.maximum(np.abs(ub - ua), np.abs(vb - va)) / _PIECE).astype(np.int64), 1)
        seg = np.repeat(np.arange(len(k)), k)
        step = np.arange(len(seg)) - np.repeat(np.cumsum(k) - k, k)
        t0 = step / k[seg]
        t1 = (step + 1) / k[seg]
        du, dv = (ub - ua)[seg], (vb - va)[seg]
        pu0, pu1 = ua[seg] + t0 * du, ua[seg] + t1 * du
        pv0, pv1 = va[seg] + t0 * dv, va[seg] + t1 * dv
        lo_u = np.floor(np.minimum(pu0, pu1) - _EPSILON).astype(np.int64)
        hi_u = np.floor(np.maximum(pu0, pu1) + _EPSILON).astype(np.int64)
        lo_v = np.floor(np.minimum(pv0, pv1) - _EPSILON).astype(np.int64)
        hi_v = np.floor(np.maximum(pv0, pv1) + _EPSILON).astype(np.int64)
        # A piece spans at most 3 cells per axis (at most 1 cell long, plus epsilon either side).
        for di in range(3):
            for dj in range(3):
                col, row = lo_u + di, lo_v + dj
                ok = (col <= hi_u) & (row <= hi_v) & (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
                marked[row[ok], col[ok]] = True
        return marked

    def centres(self, flat_cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        row, col = np.divmod(flat_cells, self.nx)
        return self.x0 + (col + 0.5) * self.size, self.y0 + (row + 0.5) * self.size


def _lowest_covering(geoms: np.ndarray, tree: shapely.STRtree, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Index of the lowest-index polygon covering each point, -1 if none (exact shapely tests)."""
    found = np.full(len(xs), NONE, dtype=np.int64)
    if len(xs) == 0:
        return found
    point_of, poly_of = tree.query(shapely.points(xs, ys))
    hit = shapely.intersects_xy(geoms[poly_of], xs[point_of], ys[point_of])
    point_of, poly_of = point_of[hit], poly_of[hit]
    if len(point_of):
        best = np.full(len(xs), len(geoms), dtype=np.int64)
        np.minimum.at(best, point_of, poly_of)
        found = np.where(best < len(geoms), best, NONE)
    return found


def assign_points(xs: np.ndarray, ys: np.ndarray, polygons: Sequence, *, cells: int | None = None) -> np.ndarray:
    """Index of the polygon containing each point (x = lon, y = lat, or any planar pair); -1 if none.

    A point on a boundary goes to the lowest-index polygon covering it (see the module's note).
    `cells` overrides the lattice size (by default from the numbers of polygons and points); it
    changes only the speed, never the answer.
    """
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    if xs.shape != ys.shape or xs.ndim != 1:
        raise ValueError("xs and ys must be 1-d arrays of the same length")
    result = np.full(len(xs), NONE, dtype=np.int64)
    geoms = np.asarray(polygons, dtype=object)
    if len(xs) == 0 or len(geoms) == 0:
        return result
    present = ~shapely.is_empty(geoms)
    if not present.any():
        return result
    shapely.prepare(geoms)
    tree = shapely.STRtree(geoms)

    n_cells = cells or min(max(_CELLS_PER_POLYGON * len(geoms), _MIN_CELLS),
                           max(_CELLS_PER_POINT * len(xs), _MIN_CELLS), _MAX_CELLS)
    lattice = _Lattice(tuple(shapely.total_bounds(geoms[present])), n_cells)
    marked = lattice.mark_edges(geoms[present])

    # Regions of unmarked cells: each lies inside one fixed set of polygons; test one cell of each.
    labels, n_regions = ndimage.label(~marked)
    flat = labels.ravel()
    members = np.flatnonzero(flat)
    one_cell = np.zeros(n_regions + 1, dtype=np.int64)
    one_cell[flat[members]] = members  # any member will do
    cx, cy = lattice.centres(one_cell[1:])
    polygon_of_region = np.empty(n_regions + 1, dtype=np.int64)
    polygon_of_region[0] = _BOUNDARY
    polygon_of_region[1:] = _lowest_covering(geoms, tree, cx, cy)

    col, row, inside = lattice.cells(xs, ys)
    result[inside] = polygon_of_region[labels[row[inside], col[inside]]]
    exact = np.flatnonzero(result == _BOUNDARY)
    result[exact] = _lowest_covering(geoms, tree, xs[exact], ys[exact])
    return result


def levels_per_area(area_index: np.ndarray, levels: np.ndarray, n_areas: int) -> tuple[np.ndarray, np.ndarray]:
    """(highest level per area, 0 if none; counts per area and level, shape (n_areas, 4) for levels 1..4).

    Points with area -1 or level 0 (no risk point) are left out. The highest level is the first
    level with a non-zero count (取最高级), so both come from one bincount.
    """
    area_index = np.asarray(area_index)
    levels = np.asarray(levels)
    if area_index.shape != levels.shape:
        raise ValueError("area_index and levels must have the same length")
    if n_areas < 0:
        raise ValueError("n_areas must not be negative")
    if len(levels) and (levels.min() < NO_RISK or levels.max() > LEVELS[-1]):
        raise ValueError("levels must be 0 (none) or 1–4")
    if len(area_index) and (area_index.min() < NONE or area_index.max() >= n_areas):
        raise ValueError("area_index must be -1 or an index below n_areas")
    counted = (area_index >= 0) & (levels > NO_RISK)
    slot = area_index[counted].astype(np.int64) * len(LEVELS) + (levels[counted].astype(np.int64) - 1)
    counts = np.bincount(slot, minlength=n_areas * len(LEVELS)).reshape(n_areas, len(LEVELS))
    has_any = counts.any(axis=1)
    highest = np.where(has_any, counts.astype(bool).argmax(axis=1) + 1, NO_RISK).astype(np.int8)
    return highest, counts


def area_levels(xs: np.ndarray, ys: np.ndarray, levels: np.ndarray, polygons: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """assign_points then levels_per_area: (highest level per polygon, counts (n, 4))."""
    return levels_per_area(assign_points(xs, ys, polygons), np.asarray(levels), len(polygons))
