"""Who is inside a warning's area: point-in-polygon over arrays of subscriber coordinates.

Pure (numpy + shapely 2): `shapely.contains_xy` tests all points against a prepared polygon
in compiled code, after a bounding-box prefilter that discards most points with four numpy
comparisons. bench/bench_warning_targeting.py measures 1,000,000 subscribers."""
import numpy as np
import shapely


def inside_area(xs: np.ndarray, ys: np.ndarray, area) -> np.ndarray:
    """Indices of the points (xs[i], ys[i]) inside `area` (a shapely Polygon/MultiPolygon,
    boundary included), ascending."""
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    if xs.shape != ys.shape:
        raise ValueError("xs and ys must have the same shape")
    if area is None or area.is_empty or xs.size == 0:
        return np.empty(0, dtype=np.int64)
    min_x, min_y, max_x, max_y = area.bounds
    candidates = np.flatnonzero((xs >= min_x) & (xs <= max_x) & (ys >= min_y) & (ys <= max_y))
    if candidates.size == 0:
        return candidates.astype(np.int64)
    shapely.prepare(area)
    # contains_xy is strict interior; intersects_xy also keeps points on the boundary.
    hit = shapely.intersects_xy(area, xs[candidates], ys[candidates])
    return candidates[hit].astype(np.int64)


def subscribers_in_areas(subscriber_areas: np.ndarray, subscriber_ids: np.ndarray, area_ids) -> np.ndarray:
    """Subscribers (by id) who chose any of `area_ids` (membership pairs as two arrays)."""
    mask = np.isin(np.asarray(subscriber_areas), np.asarray(list(area_ids)))
    return np.unique(np.asarray(subscriber_ids)[mask])
