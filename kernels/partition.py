"""Split a polygon into n cells without gaps or overlaps (Voronoi of seeded points, clipped).

Used by the demo-county generator to lay townships, villages and grids inside the real
county outline. Deterministic for a given seed.
"""
import numpy as np
import shapely
from shapely import MultiPoint, Polygon, voronoi_polygons
from shapely.geometry.base import BaseGeometry


def random_points_inside(polygon: BaseGeometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """n points drawn uniformly inside polygon (vectorised rejection sampling on its bounds)."""
    min_x, min_y, max_x, max_y = polygon.bounds
    shapely.prepare(polygon)
    chunks, total = [], 0
    while total < n:
        draw = max(64, 2 * (n - total))
        xs = rng.uniform(min_x, max_x, size=draw)
        ys = rng.uniform(min_y, max_y, size=draw)
        inside = shapely.contains_xy(polygon, xs, ys)
        chunk = np.column_stack([xs[inside], ys[inside]])
        chunks.append(chunk)
        total += len(chunk)
    return np.concatenate(chunks)[:n]


def largest_polygon(geom: BaseGeometry) -> Polygon:
    if geom.geom_type == "Polygon":
        return geom
    polys = [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"]
    for g in getattr(geom, "geoms", []):
        polys.extend(p for p in getattr(g, "geoms", []) if p.geom_type == "Polygon")
    return max(polys, key=lambda p: p.area)


def partition(polygon: BaseGeometry, n: int, rng: np.random.Generator) -> list[BaseGeometry]:
    """n cells covering polygon exactly; each cell is the polygon ∩ one Voronoi region."""
    if n <= 1:
        return [polygon]
    seeds = random_points_inside(polygon, n, rng)
    regions = voronoi_polygons(MultiPoint(seeds), extend_to=polygon.envelope.buffer(1.0))
    cells = []
    for region in regions.geoms:
        cell = region.intersection(polygon)
        if not cell.is_empty and cell.area > 0:
            cells.append(_polygonal(cell))
    # Keep seed order stable: sort cells by the seed they contain.
    order = []
    for x, y in seeds:
        for i, cell in enumerate(cells):
            if i not in order and cell.covers(MultiPoint([(x, y)]).geoms[0]):
                order.append(i)
                break
    order += [i for i in range(len(cells)) if i not in order]
    return [cells[i] for i in order]


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    from shapely import MultiPolygon

    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)
