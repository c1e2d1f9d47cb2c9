"""Alarm conditions for vehicles carrying passengers or dangerous goods (两客一危), vectorised
with numpy over a batch of positions (no Django).

Per position: *speeding* (speed above the vehicle's limit), *off route* (farther than the
*in a restricted zone* (inside a
circle or a drawn polygon, 禁行区, whose time window — hours of the day, local time — contains
the position's time).
Per vehicle: *silent* (no position for longer than a timeout).

Distances use a local equirectangular projection (metres), accurate to well under 1 % over a
county (tens of kilometres); the great-circle formula would buy nothing at this scale.
"""
from dataclasses import dataclass

import numpy as np
import shapely

EARTH_RADIUS_M = 6_371_000.0
SPEEDING, OFF_ROUTE, IN_ZONE = 0, 1, 2
CONDITIONS = 3


def _project(lon, lat, lat0):
    """(lon, lat) degrees → (x, y) metres around latitude lat0."""
    k = np.pi / 180.0 * EARTH_RADIUS_M
    return np.asarray(lon, float) * k * np.cos(np.radians(lat0)), np.asarray(lat, float) * k


def distance_m(lon1, lat1, lon2, lat2):
    lat0 = (np.asarray(lat1, float) + np.asarray(lat2, float)) / 2
    x1, y1 = _project(lon1, lat1, lat0)
    x2, y2 = _project(lon2, lat2, lat0)
    return np.hypot(x1 - x2, y1 - y2)


def distance_to_route_m(lon, lat, route) -> np.ndarray:
    """Distance of each point to a polyline `route` ([(lon, lat), …], at least one vertex)."""
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    route = np.asarray(route, float).reshape(-1, 2)
    lat0 = float(route[:, 1].mean())
    px, py = _project(lon, lat, lat0)
    rx, ry = _project(route[:, 0], route[:, 1], lat0)
    if len(route) == 1:
        return np.hypot(px - rx[0], py - ry[0])
    ax, ay, bx, by = rx[:-1], ry[:-1], rx[1:], ry[1:]          # segments
    dx, dy = bx - ax, by - ay
    length2 = np.where(dx * dx + dy * dy > 0, dx * dx + dy * dy, 1.0)
    # points × segments: the projection parameter clamped to the segment
    u = np.clip(((px[:, None] - ax) * dx + (py[:, None] - ay) * dy) / length2, 0.0, 1.0)
    return np.hypot(px[:, None] - (ax + u * dx), py[:, None] - (ay + u * dy)).min(axis=1)


def distance_to_routes_m(lon, lat, which, routes) -> np.ndarray:
    """Distance of each point to its own polyline, `routes[which[i]]` (None or empty: NaN).
    All points at once: the routes are padded to the longest with NaN segments (ignored by
    nanmin), so a batch of a thousand vehicles on a thousand routes is one array operation,
    not a thousand calls of `distance_to_route_m`."""
    lon, lat, which = np.asarray(lon, float), np.asarray(lat, float), np.asarray(which, np.int64)
    out = np.full(len(lon), np.nan)
    present = [i for i, r in enumerate(routes) if r]
    if not present or not len(lon):
        return out
    width = max(max(len(routes[i]) - 1, 1) for i in present)
    a = np.full((len(routes), width, 2), np.nan)
    b = np.full((len(routes), width, 2), np.nan)
    lat0 = np.zeros(len(routes))                       # per route: the projection's latitude
    for i in present:
        r = np.asarray(routes[i], float).reshape(-1, 2)
        lat0[i] = r[:, 1].mean()
        if len(r) == 1:
            r = np.vstack([r, r])
        a[i, :len(r) - 1], b[i, :len(r) - 1] = r[:-1], r[1:]
    has = np.isin(which, present)
    rows = np.flatnonzero(has)
    w = which[rows]
    k = np.pi / 180.0 * EARTH_RADIUS_M
    cos = np.cos(np.radians(lat0[w]))[:, None]
    px, py = (lon[rows] * k)[:, None] * cos, (lat[rows] * k)[:, None]
    ax, ay = a[w, :, 0] * k * cos, a[w, :, 1] * k
    dx, dy = b[w, :, 0] * k * cos - ax, b[w, :, 1] * k - ay
    length2 = np.where(dx * dx + dy * dy > 0, dx * dx + dy * dy, 1.0)
    u = np.clip(((px - ax) * dx + (py - ay) * dy) / length2, 0.0, 1.0)
    out[rows] = np.nanmin(np.hypot(px - (ax + u * dx), py - (ay + u * dy)), axis=1)
    return out


def in_window(hour, start, end):
    """Hour of day (float) inside [start, end); a window may wrap midnight (22 → 6);
    start == end means all day."""
    hour, start, end = np.asarray(hour, float), np.asarray(start, float), np.asarray(end, float)
    return np.where(start == end, True,
                    np.where(start < end, (hour >= start) & (hour < end), (hour >= start) | (hour < end)))


def in_polygon(lon, lat, ring) -> np.ndarray:
    """Points inside a polygon given as one ring [[lon, lat], …] (closed or not; planar in
    degrees, which is exact enough for a zone a few km across). shapely's vectorised
    contains_xy (GEOS), boundary points counted inside."""
    polygon = shapely.Polygon(ring)
    if not polygon.is_valid:
        polygon = shapely.make_valid(polygon)
    return shapely.contains_xy(polygon, lon, lat) | shapely.intersects_xy(polygon.boundary, lon, lat)


def zone_hits(lon, lat, hour, zones, polygons=None) -> np.ndarray:
    """Index of the first restricted zone each point is inside during its window, or -1.
    `zones` is (k, 5): lon, lat, radius (m), start hour, end hour; `polygons` (optional, k
    items): a zone's ring [[lon, lat], …] replaces its circle, None keeps the circle."""
    zones = np.asarray(zones, float).reshape(-1, 5)
    lon, lat, hour = np.asarray(lon, float), np.asarray(lat, float), np.asarray(hour, float)
    if not len(zones) or not len(lon):
        return np.full(len(lon), -1)
    inside = distance_m(lon[:, None], lat[:, None], zones[:, 0], zones[:, 1]) <= zones[:, 2]
    for k, ring in enumerate(polygons or []):
        if ring is not None and len(ring) >= 3:
            inside[:, k] = in_polygon(lon, lat, ring)
    inside &= in_window(hour[:, None], zones[:, 3], zones[:, 4])
    return np.where(inside.any(axis=1), inside.argmax(axis=1), -1)


@dataclass
class VehicleOutcome:
    """Per (vehicle, condition) — arrays of shape (vehicles, CONDITIONS)."""

    active: np.ndarray       # bool: the condition holds at the vehicle's newest position
    first_at: np.ndarray     # time of the first position in the batch where it held (NaN: never)
    last_at: np.ndarray      # time of the newest position
    worst: np.ndarray        # the worst value where it held: speed (km/h), distance (m), zone index


def evaluate(vehicle, t, lon, lat, speed, hour, *, limit, routes, tolerance, zones, polygons=None) -> VehicleOutcome:
    """`vehicle` indexes per-vehicle arrays: `limit` (km/h, NaN none), `routes` (list of
    polylines or None), `tolerance` (m). `hour` is each position's local hour of day. Every
    vehicle index in 0..len(limit)-1; vehicles without positions come back inactive."""
    vehicle = np.asarray(vehicle, np.int64)
    t, speed = np.asarray(t, float), np.asarray(speed, float)
    n = len(limit)
    held = np.zeros((len(vehicle), CONDITIONS), bool)
    value = np.full((len(vehicle), CONDITIONS), np.nan)
    with np.errstate(invalid="ignore"):
        held[:, SPEEDING] = speed > np.asarray(limit, float)[vehicle]
    value[:, SPEEDING] = speed
    off = distance_to_routes_m(lon, lat, vehicle, routes)
    with np.errstate(invalid="ignore"):
        held[:, OFF_ROUTE] = off > np.asarray(tolerance, float)[vehicle]
    value[:, OFF_ROUTE] = off
    zone = zone_hits(lon, lat, hour, zones, polygons)
    held[:, IN_ZONE] = zone >= 0
    value[:, IN_ZONE] = zone

    active = np.zeros((n, CONDITIONS), bool)
    first_at, last_at = np.full((n, CONDITIONS), np.nan), np.full(n, np.nan)
    worst = np.full((n, CONDITIONS), np.nan)
    order = np.lexsort((t, vehicle))
    vehicle, t, held, value = vehicle[order], t[order], held[order], value[order]
    newest = np.flatnonzero(np.r_[np.diff(vehicle) != 0, True]) if len(vehicle) else np.zeros(0, int)
    active[vehicle[newest]] = held[newest]
    last_at[vehicle[newest]] = t[newest]
    for c in range(CONDITIONS):
        rows = np.flatnonzero(held[:, c])
        if not len(rows):
            continue
        # the first held row per vehicle (rows are in time order within a vehicle)
        firsts = rows[np.r_[True, np.diff(vehicle[rows]) != 0]]
        first_at[vehicle[firsts], c] = t[firsts]
        np.fmax.at(worst[:, c], vehicle[rows], value[rows, c])
    return VehicleOutcome(active, first_at, np.repeat(last_at[:, None], CONDITIONS, axis=1), worst)
