"""Benchmark of safety-distance conflicts and the dig check (issue 14).

  .venv/bin/python bench/bench_safety_distance.py [--sensitive 1000000] [--hazardous 100000]
                                                  [--lines 100000] [--digs 1000] [--repeat 3]

Data, seeded: sensitive and hazardous sites as uniform random lon/lat points over the county's
bounding box (103.2–103.65°E, 35.45–35.85°N, ~40 × 45 km), 5 sensitive kinds, 4 hazardous kinds,
rules 16–500 m (the seeded table's spread). Lines: `--lines` pipeline segments, each 0.5–1.5 km
long with 2–6 vertices, and `--digs` excavation rectangles (20–80 m) checked at 5 m.

Ours: kernels.safety_distance (project_xy, then find_point_conflicts: a k-d tree per kind and a
dual-tree search per kind pair at exactly that pair's rule).
Baselines, same arrays in the same run, also from lon/lat (projection counted):
  A. geopandas buffer-and-sjoin: buffer each hazardous site by its kind's largest rule,
     sjoin(predicate="intersects"), exact distance per candidate, keep distance < rule;
  B. geopandas sjoin(predicate="dwithin", distance=largest rule) (one radius: GeoPandas takes a
     scalar or per-left-row distance), then the same filter.
Both baselines must find exactly our pairs (checked). Dig check: ours (LineIndex built once,
then one `near` per excavation) vs geopandas `lines.sindex.query(dwithin)` per excavation and
the brute-force `GeoSeries.distance(area) <= N`; identical results checked. Needs the `bench`
extra (geopandas). Prints sizes, best/median seconds and the ratio.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kernels.safety_distance import LineIndex, find_point_conflicts, local_transformer, project_xy  # noqa: E402

BBOX = (103.2, 35.45, 103.65, 35.85)
CENTRE = (103.4, 35.7)
PROJ4 = f"+proj=tmerc +lon_0={CENTRE[0]} +lat_0={CENTRE[1]} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m"
# hazardous kinds: gas station, LPG store, hazchem warehouse, major hazard grade 1
# sensitive kinds: school, hospital, market, residential, other crowded place
RULES = np.array([
    [50.0, 50.0, 25.0, 20.0, 16.0],
    [100.0, 100.0, 60.0, 45.0, 30.0],
    [80.0, 80.0, 50.0, 40.0, 30.0],
    [500.0, 500.0, 300.0, 200.0, 200.0],
])


def timed(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, min(times), statistics.median(times)


def random_points(rng, n):
    return rng.uniform(BBOX[0], BBOX[2], n), rng.uniform(BBOX[1], BBOX[3], n)


def ours(hx, hy, hk, sx, sy, sk):
    found = find_point_conflicts(project_xy(hx, hy, CENTRE), hk, project_xy(sx, sy, CENTRE), sk, RULES)
    return found.hazardous, found.sensitive


def _frames(hx, hy, hk, sx, sy, sk):
    import geopandas as gpd

    haz = gpd.GeoDataFrame({"hk": hk}, geometry=gpd.points_from_xy(hx, hy), crs="EPSG:4326").to_crs(PROJ4)
    sen = gpd.GeoDataFrame({"sk": sk}, geometry=gpd.points_from_xy(sx, sy), crs="EPSG:4326").to_crs(PROJ4)
    return haz, sen


def _filter(haz, sen, left, right):
    # exact distances for the candidates (the buffer is a polygon, circumscribed so it never misses)
    d = haz.geometry.values[left].distance(sen.geometry.values[right])
    required = RULES[haz["hk"].to_numpy()[left], sen["sk"].to_numpy()[right]]
    keep = d < required
    order = np.lexsort((right[keep], left[keep]))
    return left[keep][order], right[keep][order]


def geopandas_buffer_sjoin(hx, hy, hk, sx, sy, sk):
    import geopandas as gpd

    haz, sen = _frames(hx, hy, hk, sx, sy, sk)
    # a 32-gon inscribed in the circle falls short by r(1 - cos(π/32)) (2.4 m at 500 m): circumscribe
    radius = RULES.max(axis=1)[hk] / np.cos(np.pi / 32) + 0.01
    buffers = gpd.GeoDataFrame(geometry=haz.geometry.buffer(radius, quad_segs=8), crs=PROJ4)
    joined = gpd.sjoin(sen, buffers, how="inner", predicate="intersects")
    return _filter(haz, sen, joined["index_right"].to_numpy(), joined.index.to_numpy())


def geopandas_dwithin(hx, hy, hk, sx, sy, sk):
    import geopandas as gpd

    haz, sen = _frames(hx, hy, hk, sx, sy, sk)
    joined = gpd.sjoin(haz, sen, how="inner", predicate="dwithin", distance=RULES.max(axis=1)[hk])
    return _filter(haz, sen, joined.index.to_numpy(), joined["index_right"].to_numpy())


def random_lines(rng, n):
    transformer = local_transformer(*CENTRE)
    x0, y0 = transformer.transform(*random_points(rng, n))
    parts = rng.integers(2, 7, n)
    lines = []
    for i in range(n):
        length = rng.uniform(500, 1500)
        steps = rng.normal(0, 1, (parts[i] - 1, 2))
        steps *= (length / (parts[i] - 1)) / np.hypot(steps[:, 0], steps[:, 1])[:, None]
        coords = np.vstack([[x0[i], y0[i]], [x0[i], y0[i]] + np.cumsum(steps, axis=0)])
        lines.append(shapely.LineString(coords))
    return np.array(lines, dtype=object)


def dig_areas(rng, n):
    transformer = local_transformer(*CENTRE)
    x, y = transformer.transform(*random_points(rng, n))
    w, h = rng.uniform(20, 80, n), rng.uniform(20, 80, n)
    return shapely.box(x, y, x + w, y + h)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sensitive", type=int, default=1_000_000)
    parser.add_argument("--hazardous", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--digs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(622926)
    sx, sy = random_points(rng, args.sensitive)
    hx, hy = random_points(rng, args.hazardous)
    sk = rng.integers(0, RULES.shape[1], args.sensitive)
    hk = rng.integers(0, RULES.shape[0], args.hazardous)
    data = (hx, hy, hk, sx, sy, sk)
    print(f"conflicts: {args.sensitive:,} sensitive x {args.hazardous:,} hazardous points, "
          f"{RULES.shape[0]}x{RULES.shape[1]} rules 16-500 m, repeat {args.repeat}")
    (oh, os_), best, median = timed(lambda: ours(*data), args.repeat)
    print(f"  ours (k-d tree per kind pair): best {best:.2f} s, median {median:.2f} s, {oh.size:,} conflicts")
    for name, fn in (("geopandas buffer+sjoin", geopandas_buffer_sjoin), ("geopandas sjoin dwithin", geopandas_dwithin)):
        (gh, gs), gbest, gmedian = timed(lambda fn=fn: fn(*data), args.repeat)
        same = np.array_equal(gh, oh) and np.array_equal(gs, os_)
        print(f"  {name}: best {gbest:.2f} s, median {gmedian:.2f} s, identical: {same}, "
              f"ratio (baseline/ours, best) {gbest / best:.1f}x")

    import geopandas as gpd

    lines = random_lines(rng, args.lines)
    digs = dig_areas(rng, args.digs)
    print(f"dig check: {args.lines:,} pipeline lines (0.5-1.5 km), {args.digs:,} excavations at 5 m")
    start = time.perf_counter()
    index = LineIndex(lines)
    build = time.perf_counter() - start
    ours_found, best, median = timed(lambda: [index.near(a, 5.0)[0] for a in digs], args.repeat)
    print(f"  ours: index {build * 1000:.0f} ms, then {best / args.digs * 1e6:.0f} us per check (best), "
          f"{sum(f.size for f in ours_found):,} lines found")
    series = gpd.GeoSeries(lines)
    _ = series.sindex  # built outside the timing, as ours
    gp_found, gbest, _ = timed(lambda: [np.sort(series.sindex.query(a, predicate="dwithin", distance=5.0))
                                        for a in digs], args.repeat)
    same = all(np.array_equal(np.sort(a), b) for a, b in zip(ours_found, gp_found, strict=True))
    print(f"  geopandas sindex dwithin: {gbest / args.digs * 1e6:.0f} us per check, identical: {same}, "
          f"ratio {gbest / best:.1f}x")
    brute_n = min(args.digs, 20)
    start = time.perf_counter()
    brute = [np.flatnonzero(series.distance(a) <= 5.0) for a in digs[:brute_n]]
    per = (time.perf_counter() - start) / brute_n
    same = all(np.array_equal(np.sort(a), b) for a, b in zip(ours_found[:brute_n], brute, strict=True))
    print(f"  geopandas brute force distance (first {brute_n}): {per * 1e6:.0f} us per check, identical: {same}, "
          f"ratio {per / (best / args.digs):.0f}x")


if __name__ == "__main__":
    main()
