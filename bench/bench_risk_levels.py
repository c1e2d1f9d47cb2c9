"""Benchmark: area levels of the demo county from the database (issue 9).

1. Full recompute (`risks.services.area_levels.recompute_area_levels`): read every graded
   risk point's level and areas, kernels.area_levels.levels_per_area per area level, write
   the AreaLevel rows whose figures moved (and, second line, every row: the table emptied
   first) — best and median of --repeat runs.
2. Incremental update after one new assessment: a department confirms a 一般 assessment of a
   new risk point (the whole transition: scoring, workflow, audit, risk point re-grade, the
   four affected AreaLevel rows), and `shift_point` alone (just the area rows); each run rolled
   back so the database stays the demo. Checks the stored rows then equal a full recompute.

    DATABASE_URL=sqlite:////tmp/citysafe_bench_risks.sqlite3 .venv/bin/python bench/bench_risk_levels.py

The first run loads the demo county (load_demo + load_risk_demo, about a minute on SQLite).
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/citysafe_bench_risks.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("CITYSAFE_SYNTHETIC_DATA", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from citysafe.accounts.models import User  # noqa: E402
from citysafe.registry.models import Area, Enterprise  # noqa: E402
from citysafe.risks.models import AreaLevel, RiskPoint  # noqa: E402
from citysafe.risks.services import create_assessment, create_risk_point, transition_assessment  # noqa: E402
from citysafe.risks.services.area_levels import (  # noqa: E402
    areas_of,
    level_counts_by_area,
    recompute_area_levels,
    shift_point,
)


class Rollback(Exception):
    pass


def ensure_demo() -> None:
    call_command("migrate", verbosity=0)
    if not Area.objects.exists():
        started = time.perf_counter()
        call_command("load_demo", verbosity=0)
        call_command("load_risk_demo", verbosity=0)
        print(f"seeded the demo county in {time.perf_counter() - started:.1f} s")


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def one_assessment(department, enterprise) -> None:
    """A new risk point and a department's confirmed 一般 assessment, rolled back."""
    try:
        with transaction.atomic():
            point = create_risk_point(department, {"name": "基准测试风险点", "enterprise_id": enterprise.pk})
            a = create_assessment(department, {"risk_point_id": point.pk, "method": "lec",
                                               "inputs": {"l": 3, "e": 6, "c": 7}})
            transition_assessment(department, a.pk, "confirm", expected_version=a.version)
            raise Rollback
    except Rollback:
        pass


def cold_recompute() -> None:
    """Every row written: the AreaLevel table emptied first (rolled back)."""
    try:
        with transaction.atomic():
            AreaLevel.objects.all().delete()
            recompute_area_levels()
            raise Rollback
    except Rollback:
        pass


def one_shift(point: RiskPoint) -> None:
    try:
        with transaction.atomic():
            shift_point(areas_of(point.township_id, point.village_id, point.grid_id), point.level, 1)
            raise Rollback
    except Rollback:
        pass


def report(label: str, times: list[float]) -> None:
    print(f"{label:<62} best {min(times):9.2f} ms   median {statistics.median(times):9.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ensure_demo()
    points = RiskPoint.objects.filter(archived_at__isnull=True, level__gt=0).count()
    print(f"{points} graded risk points, {Area.objects.count()} areas, {AreaLevel.objects.count()} area level rows")

    report("full recompute from the database (recompute_area_levels)", timed(recompute_area_levels, args.repeat))
    report("full recompute writing every row (table emptied first)", timed(cold_recompute, args.repeat))

    department = User.objects.get(username="dept_yjj")
    enterprise = Enterprise.objects.filter(industry__in=department.organisation.industries.all()).order_by("id").first()
    report("one new assessment confirmed (whole transition, 4 area rows)",
           timed(lambda: one_assessment(department, enterprise), args.repeat * 4))
    sample = RiskPoint.objects.filter(level__gt=1, grid__isnull=False).order_by("id").first()
    report("incremental area update alone (shift_point, 4 area rows)", timed(lambda: one_shift(sample), args.repeat * 4))

    stored = {k: v for k, v in level_counts_by_area().items() if v[0] or any(v[1])}
    full = {k: v for k, v in recompute_area_levels().items() if v[0] or any(v[1])}
    print("stored rows equal a full recompute:", stored == full)


if __name__ == "__main__":
    main()
