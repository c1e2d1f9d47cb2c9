"""Benchmark (issue 10): the scoped hazard list through the API (township officer and admin,
first and deep page) and the overdue / escalation scan, with N hazards (1,000,000 by default)
attached to the seeded places. Prints p50/p95 in ms and the query count.

    DATABASE_URL=sqlite:////tmp/citysafe_bench_hazards.sqlite3 .venv/bin/python bench/bench_hazards.py
    DATABASE_URL=postgres://citysafe:citysafe@127.0.0.1:5432/cs_hazards_bench .venv/bin/python bench/bench_hazards.py

Seeding (first run) writes hazards with executemany, copying each place's keys as the services
do; about 85 % closed, 10 % rectifying with a future deadline, `--overdue` (1,000) rectifying past
their deadline, the rest registered. The scan runs the real DeadlineSweep (overdue flag +
escalation notices through the outbox) as the scheduler would, then again (nothing new to send).
"""
import argparse
import dataclasses
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/citysafe_bench_hazards.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from citysafe.accounts.models import Role, User  # noqa: E402
from citysafe.core.workflow.deadlines import run_sweep  # noqa: E402
from citysafe.hazards.models import Hazard  # noqa: E402
from citysafe.hazards.services.deadlines import HAZARD_DEADLINES, overdue_scan, send_escalations  # noqa: E402
from citysafe.registry.models import Place  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from bench_enterprise_list import api_call, measure  # noqa: E402
from seed import BATCH, _columns, seed  # noqa: E402

PAGE = 50


def seed_hazards(n: int, overdue: int) -> None:
    have = Hazard.objects.count()
    if have >= n:
        return
    started = time.perf_counter()
    places = list(Place.objects.filter(grid__isnull=False).order_by("id").values_list(
        "id", "lon", "lat", "township_id", "village_id", "grid_id", "industry_id", "owner_enterprise_id",
        "supervising_department_id"))
    names = ["code", "source", "category", "description", "place", "found_at", "status", "grade", "grade_reason",
             "lon", "lat", "township", "village", "grid", "industry", "owner_enterprise", "supervising_department",
             "responsible_unit", "responsible_person", "measures", "rectification_deadline", "notice_number",
             "reinspection_result", "fixed_on_spot", "is_overdue", "escalation", "plan_measures", "plan_person",
             "plan_emergency", "stop_production", "is_listed", "listing_authority", "is_synthetic", "version",
             "created_at", "updated_at", "entered_at", "due_at", "closed_at"]
    sql = _columns(Hazard, names)
    rng, now, today = random.Random(10), timezone.now(), timezone.localdate()
    rows = []
    for i in range(have, n):
        p = places[i % len(places)]
        found = now - datetime.timedelta(days=rng.randint(1, 700))
        roll = rng.random()
        if i - have < overdue:
            status, deadline = "rectifying", today - datetime.timedelta(days=rng.randint(1, 20))
        elif roll < 0.85:
            status, deadline = "closed", (found + datetime.timedelta(days=30)).date()
        elif roll < 0.95:
            status, deadline = "rectifying", today + datetime.timedelta(days=rng.randint(5, 60))
        else:
            status, deadline = "registered", None
        due = timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(23, 59, 59))) \
            if deadline and status == "rectifying" else None
        rows.append((f"YH{i:09d}", "inspection", "fire", "疏散通道堆放杂物", p[0], found, status,
                     "" if status == "registered" else "general", "", p[1], p[2], *p[3:], "责任单位", "责任人",
                     "清理", deadline, "", "pass" if status == "closed" else "", False, False, "", "", "", "", False,
                     False, "", True, 1, found, found, found, due, found + datetime.timedelta(days=20)
                     if status == "closed" else None))
        if len(rows) == BATCH:
            _flush(sql, rows)
    _flush(sql, rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"seeded {Hazard.objects.count():,} hazards in {time.perf_counter() - started:.0f} s")


def _flush(sql, rows):
    if rows:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        rows.clear()


def timed(fn):
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        result = fn()
        elapsed = (time.perf_counter() - started) * 1000
    return result, elapsed, len(ctx.captured_queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--overdue", type=int, default=1_000)
    parser.add_argument("--places", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--skip-lists", action="store_true", help="only the overdue/escalation scan")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    seed(2_000, args.places)
    seed_hazards(args.hazards, args.overdue)
    admin = User.objects.get(username="admin")
    township_user = User.objects.filter(role=Role.TOWNSHIP).order_by("username").first()
    visible = Hazard.objects.filter(township_id=township_user.organisation.area_id, archived_at__isnull=True).count()
    total = Hazard.objects.count()
    print(f"database: {connection.vendor}; {total:,} hazards; page of {PAGE}; p50 / p95 in ms")
    lists = () if args.skip_lists else (("township", township_user, visible), ("admin", admin, total))
    for who, user, rows in lists:
        client = Client()
        client.force_login(user)
        for label, offset, extra in (("first", 0, ""), ("deep", (rows // PAGE - 1) * PAGE, ""),
                                     ("rectifying", 0, "&status=rectifying")):
            p50, p95, queries = measure(api_call(client, f"/api/v1/hazards?limit={PAGE}&offset={offset}{extra}"),
                                        args.repeat)
            print(f"list {who:<9} {label:<11} rows={rows:>9,} p50={p50:8.1f} p95={p95:8.1f} queries={queries}")
    flagged, ms, queries = timed(overdue_scan)
    print(f"overdue flag (one UPDATE): {flagged:,} hazards in {ms:.1f} ms, {queries} queries")
    # Escalation, side by side: the baseline is core's record-at-a-time path (the same sweep with
    # `send` = one hazard per call, which is what the app did before), then the set-based path
    # (`send_batch`, what the scheduler runs). Each starts from the same state.
    per_record = dataclasses.replace(HAZARD_DEADLINES, name="hazard_rectification_per_record", send_batch=None,
                                     send=lambda hazard, step: send_escalations([hazard], step))
    figures = {}
    for label, sweep in (("baseline per record", per_record), ("set-based (send_batch)", HAZARD_DEADLINES)):
        _reset(sweep)
        sent, ms, queries = timed(lambda sweep=sweep: run_sweep(sweep))
        figures[label] = (sent, ms, queries)
        print(f"escalation sweep, {label:<23} first run: {sent:,} notices in {ms:8.0f} ms, {queries:,} queries "
              f"({queries / max(sent, 1):.2f} per notice), {_messages():,} messages")
        sent, ms, queries = timed(lambda sweep=sweep: run_sweep(sweep))
        print(f"escalation sweep, {label:<23} again:     {sent:,} notices in {ms:8.0f} ms, {queries:,} queries")
        _reset(sweep)
    (_, base_ms, base_q), (_, new_ms, new_q) = figures.values()
    print(f"set-based vs per record: {base_ms / max(new_ms, 1e-9):.1f}x faster, {base_q / max(new_q, 1):.0f}x fewer queries")
    Hazard.objects.filter(is_overdue=True).update(is_overdue=False, escalation="")


def _messages() -> int:
    from citysafe.notifications.models import Notification

    return Notification.objects.filter(kind="hazard_overdue").count()


def _reset(sweep) -> None:
    """The notices, messages and flags of a run removed, so the next run starts alike."""
    from citysafe.core.models import DeadlineNotice
    from citysafe.notifications.models import Notification

    DeadlineNotice.objects.filter(sweep=sweep.name).delete()
    Notification.objects.filter(kind="hazard_overdue").delete()
    Hazard.objects.filter(escalation__gt="").update(escalation="")


if __name__ == "__main__":
    main()
