"""Benchmark: the four-colour map's GeoJSON for 1,000 grids + 20,000 risk points (issue 9).

Seeds (once) the demo county's areas (1,008 grids) and 20,000 graded risk points attached to
grids, inside them, then AreaLevel rows by the full recompute. Measures, as the admin (whole
county) and as a township officer: each layer endpoint's body (build time, bytes, gzip bytes)
— grids with their levels, points — and the server-rendered county map (PNG and PDF).
Figures are printed, never asserted.

    DATABASE_URL=sqlite:////tmp/citysafe_bench_riskmap.sqlite3 .venv/bin/python bench/bench_risk_map.py
"""
import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/citysafe_bench_riskmap.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("CITYSAFE_SYNTHETIC_DATA", "1")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from shapely.geometry import shape  # noqa: E402

from citysafe.accounts.models import User  # noqa: E402
from citysafe.core.roles import Role  # noqa: E402
from citysafe.registry.demo.county import DemoSize, _scatter, build_county  # noqa: E402
from citysafe.registry.models import Area  # noqa: E402
from citysafe.risks.map import layers  # noqa: E402
from citysafe.risks.map.printing import render_for  # noqa: E402
from citysafe.risks.models import RiskPoint  # noqa: E402
from citysafe.risks.services.area_levels import recompute_area_levels  # noqa: E402

POINTS = 20_000
LEVEL_SHARES = (0.03, 0.12, 0.45, 0.40)  # 重大, 较大, 一般, 低


def seed(points: int) -> None:
    call_command("migrate", verbosity=0)
    if not Area.objects.exists():
        build_county(DemoSize(enterprises=0, places=0), verbose=None)
    have = RiskPoint.objects.count()
    if have >= points:
        return
    nrng = np.random.default_rng(9)
    grids = list(Area.objects.filter(level="grid").order_by("id").values_list("id", "township_id", "parent_id",
                                                                               "geometry"))
    cells = [(g, shape(g[3])) for g in grids]
    idx, xy = _scatter(points - have, cells, nrng)
    levels = nrng.choice([1, 2, 3, 4], size=len(idx), p=LEVEL_SHARES)
    rows = []
    for n, (g, (lon, lat), level) in enumerate(zip(idx, xy, levels, strict=True)):
        grid_id, township_id, village_id, _geometry = grids[g]
        rows.append(RiskPoint(name=f"风险点{have + n + 1}", category="site", area_id=grid_id, lon=float(lon),
                              lat=float(lat), township_id=township_id, village_id=village_id, grid_id=grid_id,
                              level=int(level), assessed_level=int(level), level_basis="assessment",
                              is_synthetic=True))
    RiskPoint.objects.bulk_create(rows, batch_size=2000)
    recompute_area_levels()


def measure(viewer, layer: str, filters: dict, repeat: int) -> tuple[float, int, int]:
    times, body = [], ""
    for _ in range(repeat):
        cache.clear()
        started = time.perf_counter()
        body = layers.layer_json(viewer, layer, filters)
        times.append(time.perf_counter() - started)
    raw = body.encode()
    return statistics.median(times), len(raw), len(gzip.compress(raw, 6))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=POINTS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    seed(args.points)
    print(f"database: {os.environ['DATABASE_URL'].split(':')[0]}; grids "
          f"{Area.objects.filter(level='grid').count():,}, risk points {RiskPoint.objects.count():,} "
          f"(ready in {time.perf_counter() - started:.1f} s)")
    admin = User.objects.filter(role=Role.ADMIN).order_by("id").first()
    township = User.objects.filter(role=Role.TOWNSHIP).order_by("username").first()
    print(f"{'viewer':<10}{'layer':<14}{'features':>9}{'time ms':>10}{'bytes':>12}{'gzip':>10}")
    for label, user in (("admin", admin), ("township", township)):
        viewer = layers.Viewer(user=user)
        for layer in ("grids", "townships", "points"):
            count = len(layers.layer_features(viewer, layer, {}))
            seconds, size, packed = measure(viewer, layer, {}, args.repeat)
            print(f"{label:<10}{layer:<14}{count:>9,}{seconds * 1000:>10.1f}{size:>12,}{packed:>10,}")
    for fmt in ("png", "pdf"):
        started = time.perf_counter()
        content, _name = render_for(admin, fmt=fmt, filters={}, township=None)
        print(f"county map {fmt.upper()}: {time.perf_counter() - started:.2f} s, {len(content):,} bytes")


if __name__ == "__main__":
    main()
