"""Benchmark (issue 18): the dashboard's first load with 1,000,000 hazards, 100,000 alarms and
100,000 risk points — time and query count for the leader (county) and a township officer,
side by side with a naive baseline in the same process: one COUNT per number, rankings by a
loop over the townships and departments, trends by a loop over the months and days (what a
first version would write). Prints p50/p95 in ms and the query count; no timed asserts.

    DATABASE_URL=sqlite:////tmp/citysafe_bench_dashboard.sqlite3 .venv/bin/python bench/bench_dashboard.py

Seeding (first run): the hazards as bench/bench_hazards.py writes them (executemany), risk
points and sensors with bulk_create, alarms with executemany (2 % active, one per sensor and
rule as the unique constraint wants; the rest cleared or closed, spread over 60 days).
"""
import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/citysafe_bench_dashboard.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from bench_enterprise_list import measure  # noqa: E402
from bench_hazards import seed_hazards  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from seed import BATCH, _columns, _flush, seed  # noqa: E402

from citysafe.accounts.models import Organisation, Role, User  # noqa: E402
from citysafe.core import scope  # noqa: E402
from citysafe.dashboard import overview  # noqa: E402
from citysafe.dashboard.selectors.trends import CLOSED_ON_TIME  # noqa: E402
from citysafe.early_warning.models import Warning  # noqa: E402
from citysafe.emergency.models import Incident  # noqa: E402
from citysafe.hazards.models import OPEN_STATES, Hazard, Inspection, Status  # noqa: E402
from citysafe.monitoring.models import Alarm, AlarmRule, Sensor  # noqa: E402
from citysafe.monitoring.models.alarms import ACTIVE  # noqa: E402
from citysafe.registry.models import Area  # noqa: E402
from citysafe.risks.models import MajorHazardInstallation, RiskPoint  # noqa: E402


def seed_risk_points(n: int) -> None:
    have = RiskPoint.objects.count()
    if have >= n:
        return
    started = time.perf_counter()
    grids = list(Area.objects.filter(level="grid").order_by("id").values_list("id", "township_id", "parent_id"))
    rng = random.Random(3)
    rows = []
    for i in range(have, n):
        grid, township, village = grids[i % len(grids)]
        level = rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 4, 4])
        rows.append(RiskPoint(name=f"风险点{i}", category="site", area_id=grid, lon=103.5, lat=35.0,
                              township_id=township, village_id=village, grid_id=grid, level=level,
                              assessed_level=level, level_basis="assessment", is_synthetic=True))
        if len(rows) == BATCH:
            RiskPoint.objects.bulk_create(rows, batch_size=2000)
            rows.clear()
    RiskPoint.objects.bulk_create(rows, batch_size=2000)
    print(f"seeded {RiskPoint.objects.count():,} risk points in {time.perf_counter() - started:.0f} s")


def seed_alarms(n: int, sensors: int = 5_000) -> None:
    have = Alarm.objects.count()
    if have >= n:
        return
    started = time.perf_counter()
    townships = list(Area.objects.filter(level="township").values_list("pk", flat=True))
    if Sensor.objects.filter(code__startswith="BD-").count() < sensors:
        Sensor.objects.bulk_create([Sensor(code=f"BD-{i}", name=f"bench {i}", sensor_type="gas", unit="%LEL",
                                           range_min=0, range_max=100, township_id=townships[i % len(townships)],
                                           is_synthetic=True) for i in range(sensors)], batch_size=2000)
    sensor_ids = list(Sensor.objects.filter(code__startswith="BD-").order_by("id").values_list("pk", flat=True))
    rule = AlarmRule.objects.order_by("id").first()
    names = ["sensor", "rule", "status", "level", "peak_level", "value", "started_at", "last_at", "raised_at",
             "cleared_at", "escalations", "notifications", "disposition", "area_raised", "version", "created_at",
             "updated_at"]
    sql = _columns(Alarm, names)
    rng, now, rows = random.Random(5), timezone.now(), []
    active = min(len(sensor_ids), n // 50)
    for i in range(have, n):
        at = now - datetime.timedelta(minutes=rng.randint(1, 60 * 24 * 60))
        level = rng.choice([1, 2, 2, 3, 3, 3])
        status = rng.choice(list(ACTIVE)) if i - have < active else rng.choice(["cleared_ack", "closed"])
        sensor = sensor_ids[(i - have) % len(sensor_ids)]
        rows.append((sensor, rule.pk, status, level, level, 60.0, at, at, at, None if status in ACTIVE else at,
                     0, 0, "", False, 1, at, at))
        if len(rows) == BATCH:
            _flush(sql, rows)
    _flush(sql, rows)
    print(f"seeded {Alarm.objects.count():,} alarms in {time.perf_counter() - started:.0f} s")


def naive(user) -> dict:
    """The baseline: every number its own COUNT, rankings and trends by Python loops."""
    def visible(model, **filters):
        return scope.narrow(user, model.objects.filter(**filters))

    out = {f"risk_{lvl}": visible(RiskPoint, level=lvl).count() for lvl in (1, 2, 3, 4)}
    out["installations"] = visible(MajorHazardInstallation, is_major=True).count()
    out["open"] = visible(Hazard, status__in=OPEN_STATES).count()
    out["overdue"] = visible(Hazard, is_overdue=True).count()
    out["major"] = visible(Hazard, status__in=OPEN_STATES, grade="major").count()
    out["alarms"] = {lvl: visible(Alarm, status__in=ACTIVE, level=lvl).count() for lvl in (1, 2, 3)}
    out["warnings"] = visible(Warning, status="published").count()
    out["incidents"] = visible(Incident).exclude(status="closed").count()
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    out["inspections"] = visible(Inspection, inspected_at__gte=start).count()
    ranking = []
    for township in scope.narrow(user, Area.objects.filter(level="township")):
        rows = visible(Hazard, township=township)
        ranking.append((township.name, rows.filter(status__in=OPEN_STATES).count(), rows.filter(is_overdue=True).count(),
                        rows.filter(status=Status.CLOSED).count(),
                        rows.filter(Q(status=Status.CLOSED) & CLOSED_ON_TIME).count()))
    for department in Organisation.objects.filter(kind="department"):
        rows = visible(Hazard, supervising_department=department)
        ranking.append((department.name, rows.filter(status__in=OPEN_STATES).count(),
                        rows.filter(is_overdue=True).count(), rows.filter(status=Status.CLOSED).count(),
                        rows.filter(Q(status=Status.CLOSED) & CLOSED_ON_TIME).count()))
    month = start.date()
    for _m in range(12):
        first = timezone.make_aware(datetime.datetime.combine(month, datetime.time()))
        after = (month + datetime.timedelta(days=32)).replace(day=1)
        until = timezone.make_aware(datetime.datetime.combine(after, datetime.time()))
        visible(Hazard, found_at__gte=first, found_at__lt=until).count()
        visible(Hazard, status=Status.CLOSED, closed_at__gte=first, closed_at__lt=until).count()
        visible(Hazard, status=Status.CLOSED, closed_at__gte=first, closed_at__lt=until).filter(CLOSED_ON_TIME).count()
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    today = timezone.localdate()
    for d in range(30):
        day = today - datetime.timedelta(days=d)
        first = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        visible(Alarm, started_at__gte=first, started_at__lt=first + datetime.timedelta(days=1)).count()
    out["ranking"] = ranking
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--alarms", type=int, default=100_000)
    parser.add_argument("--risk-points", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    seed(2_000, 20_000)
    seed_hazards(args.hazards, 1_000)
    seed_risk_points(args.risk_points)
    seed_alarms(args.alarms)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    leader = User.objects.filter(role=Role.LEADER).order_by("username").first()
    township = User.objects.filter(role=Role.TOWNSHIP).order_by("username").first()
    print(f"database: {connection.vendor}; hazards {Hazard.objects.count():,}, alarms {Alarm.objects.count():,}, "
          f"risk points {RiskPoint.objects.count():,}; load average {os.getloadavg()[0]:.1f}; p50 / p95 in ms")
    figures = {}
    for who, user in (("leader", leader), ("township", township)):
        client = Client()
        client.force_login(user)

        def page(client=client):
            response = client.get("/dashboard/")
            assert response.status_code == 200, response.status_code
        rows = (("page /dashboard/", page), ("data.json (big screen)", lambda client=client: client.get(
                "/dashboard/data.json")), ("selectors (overview)", lambda user=user: overview.overview(user)),
                ("naive baseline", lambda user=user: naive(user)))
        for label, fn in rows:
            p50, p95, queries = measure(fn, args.repeat)
            figures[(who, label)] = p50
            print(f"{who:<9} {label:<24} p50={p50:9.1f} p95={p95:9.1f} queries={queries}")
        ratio = figures[(who, "naive baseline")] / max(figures[(who, "selectors (overview)")], 1e-9)
        print(f"{who:<9} selectors vs naive baseline: {ratio:.1f}x faster; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
