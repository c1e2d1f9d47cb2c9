"""Benchmark of area levels: risk points into grid polygons, highest level and counts per grid.

  .venv/bin/python bench/bench_area_levels.py [--grids 10000] [--points 1000000] [--repeat 3]

Grids: the real county outline (../shared/data/geo) split like the demo county — townships,
then villages, then grids, each a Voronoi partition (kernels.partition) of the level above —
so grids tile the county with shared edges and follow its real boundary. Points: uniform in
the county's bounding box (about a third fall outside the county), levels 1..4 at random.

Ours: kernels.area_levels.area_levels (lattice + exact tests near edges, numpy bincount).
Baseline, same data in the same process: geopandas.sjoin(points, grids, predicate="within")
+ groupby (min level, counts per level). Both are timed from plain arrays and the polygon
list (building the GeoDataFrames and the spatial index counts). Best and median of --repeat.
The results are compared: they must be identical. Then the same for 1,000 grids + 20,000 points.
Needs the `bench` extra (geopandas); the app never imports it.
"""
import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kernels.area_levels import area_levels  # noqa: E402
from kernels.partition import partition  # noqa: E402

OUTLINE = ROOT.parent / "shared" / "data" / "geo" / "dongxiang-county-outline.geojson"
if not OUTLINE.exists():
    OUTLINE = Path("/work/shared/data/geo/dongxiang-county-outline.geojson")


def county_grids(n_grids: int, seed: int = 622926) -> list:
    """About n_grids grid polygons tiling the county: townships × villages × grids (Voronoi)."""
    with open(OUTLINE, encoding="utf-8") as handle:
        outline = shapely.geometry.shape(json.load(handle)["features"][0]["geometry"]).buffer(0)
    rng = np.random.default_rng(seed)
    townships = 25 if n_grids >= 10_000 else 10  # 25 × 20 × 20 = 10,000; 10 × 10 × 10 = 1,000
    per_level = max(1, round(math.sqrt(n_grids / townships)))
    grids = []
    for township in partition(outline, townships, rng):
        for village in partition(township, per_level, rng):
            grids.extend(partition(village, per_level, rng))
    return grids


def geopandas_levels(xs, ys, levels, polygons):
    import geopandas as gpd
    import pandas as pd

    points = gpd.GeoDataFrame({"level": levels}, geometry=gpd.points_from_xy(xs, ys), crs="EPSG:4326")
    grids = gpd.GeoDataFrame(geometry=list(polygons), crs="EPSG:4326")
    joined = gpd.sjoin(points, grids, how="inner", predicate="within")
    counts = pd.crosstab(joined["index_right"], joined["level"]).reindex(
        index=range(len(polygons)), columns=[1, 2, 3, 4], fill_value=0)
    highest = joined.groupby("index_right")["level"].min().reindex(range(len(polygons)), fill_value=0)
    return highest.to_numpy(dtype=np.int8), counts.to_numpy(dtype=np.int64)


def timed(fn, polygons, repeat):
    """Best and median of fn(fresh copies of polygons): a fresh copy carries no prepared state."""
    times, result = [], None
    for _ in range(repeat):
        fresh = list(shapely.from_wkb(shapely.to_wkb(polygons)))
        start = time.perf_counter()
        result = fn(fresh)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def run(n_grids: int, n_points: int, repeat: int, seed: int = 7) -> None:
    start = time.perf_counter()
    grids = county_grids(n_grids)
    built = time.perf_counter() - start
    min_x, min_y, max_x, max_y = shapely.total_bounds(grids)
    rng = np.random.default_rng(seed)
    xs = rng.uniform(min_x, max_x, n_points)
    ys = rng.uniform(min_y, max_y, n_points)
    levels = rng.choice([1, 2, 3, 4], size=n_points, p=[0.02, 0.08, 0.3, 0.6]).astype(np.int8)
    print(f"\n{len(grids):,} grids (Voronoi partition of the county outline, built in {built:.1f} s), "
          f"{n_points:,} points")

    ours_best, ours_median, ours = timed(lambda g: area_levels(xs, ys, levels, g), grids, repeat)
    gpd_best, gpd_median, theirs = timed(lambda g: geopandas_levels(xs, ys, levels, g), grids, repeat)
    same = np.array_equal(ours[0], theirs[0]) and np.array_equal(ours[1], theirs[1])
    print(f"  kernels.area_levels     best {ours_best * 1000:8.1f} ms   median {ours_median * 1000:8.1f} ms")
    print(f"  geopandas sjoin+groupby best {gpd_best * 1000:8.1f} ms   median {gpd_median * 1000:8.1f} ms")
    print(f"  ratio (geopandas / ours, best) {gpd_best / ours_best:.1f}x   identical results: {same}")
    print(f"  points in a grid: {int(ours[1].sum()):,}; grids by highest level 0/1/2/3/4: "
          f"{np.bincount(ours[0], minlength=5).tolist()}")
    if not same:
        raise SystemExit("results differ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run(args.grids, args.points, args.repeat)
    run(1_000, 20_000, max(args.repeat, 5))


if __name__ == "__main__":
    main()
