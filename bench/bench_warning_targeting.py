"""Targeting: recipients inside a warning polygon among 1,000,000 subscribers (goal < 100 ms).

    .venv/bin/python bench/bench_warning_targeting.py [n]

Subscribers are spread over the county's bounding box; the warning is a township-sized
irregular polygon (a 64-gon with a wobbling radius of about 8 km). Prints the time of
kernels.targeting.inside_area (bounding-box prefilter + shapely.intersects_xy) against
shapely.contains_xy over all points without the prefilter, and checks they agree."""
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Polygon

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kernels.targeting import inside_area  # noqa: E402


def main(n: int = 1_000_000) -> None:
    rng = np.random.default_rng(12)
    xs = rng.uniform(103.156, 103.748, n)
    ys = rng.uniform(35.495, 35.928, n)
    angles = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    radius = 0.08 * (1 + 0.3 * np.sin(5 * angles))
    area = Polygon(np.c_[103.45 + radius * np.cos(angles), 35.70 + 0.8 * radius * np.sin(angles)])
    times, found = [], None
    for _ in range(7):
        start = time.perf_counter()
        found = inside_area(xs, ys, area)
        times.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    plain = np.flatnonzero(shapely.intersects_xy(area, xs, ys))
    plain_ms = (time.perf_counter() - start) * 1000
    assert np.array_equal(found, plain)
    print(f"subscribers: {n:,}; inside the polygon: {found.size:,}")
    print(f"kernels.targeting.inside_area: median {statistics.median(times):.1f} ms, best {min(times):.1f} ms "
          f"(goal < 100 ms)")
    print(f"shapely.intersects_xy over every point (no prefilter): {plain_ms:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
