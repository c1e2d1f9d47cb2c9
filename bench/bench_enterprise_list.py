"""Benchmark: the scoped enterprise list endpoint with 100,000 enterprises and 1,000,000
places in the database, as a township officer and as the admin.

Prints p50/p95 latency and SQL query count per request, for the API endpoint and, side by
side in the same run, for the bare ORM query that returns the same page (the baseline:
what the database alone costs), with the ratio.

    DATABASE_URL=sqlite:////tmp/citysafe_bench.sqlite3 .venv/bin/python bench/bench_enterprise_list.py
    DATABASE_URL=postgres://citysafe:citysafe@127.0.0.1:5432/citysafe_bench .venv/bin/python bench/bench_enterprise_list.py

The first run seeds the database (a few minutes); later runs reuse it.
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
os.environ.setdefault("SECRET_KEY", "bench-only-insecure")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/citysafe_bench.sqlite3")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from citysafe.accounts.models import User  # noqa: E402
from citysafe.core.roles import Role  # noqa: E402
from citysafe.registry.models import Enterprise  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from seed import seed  # noqa: E402

PAGE = 50


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def measure(fn, repeat):
    fn()  # warm caches
    times, queries = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(ctx.captured_queries))
    return statistics.median(times), percentile(times, 95), max(queries)


def api_call(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return response
    return call


def orm_call(queryset, offset):
    def call():
        total = queryset.count()
        rows = list(queryset.select_related("industry", "township", "grid", "supervising_department")
                    .order_by("id")[offset:offset + PAGE])
        return total, rows
    return call


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    seed(args.enterprises, args.places)
    vendor = connection.vendor
    admin = User.objects.get(username="admin")
    township_user = User.objects.filter(role=Role.TOWNSHIP).order_by("username").first()
    township_id = township_user.organisation.area_id
    scoped = Enterprise.objects.filter(township_id=township_id, archived_at__isnull=True)
    everything = Enterprise.objects.filter(archived_at__isnull=True)
    print(f"database: {vendor}; enterprises={Enterprise.objects.count():,}; "
          f"places={__import__('citysafe.registry.models', fromlist=['Place']).Place.objects.count():,}; "
          f"township {township_user.username} holds {scoped.count():,} enterprises")
    print(f"{'who':<10} {'request':<28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'ORM p50':>8} {'ratio':>6}")
    cases = [
        ("township", township_user, scoped, "first page", f"/api/v1/enterprises?limit={PAGE}&offset=0", 0),
        ("township", township_user, scoped, "page 40", f"/api/v1/enterprises?limit={PAGE}&offset={40 * PAGE}", 40 * PAGE),
        ("admin", admin, everything, "first page", f"/api/v1/enterprises?limit={PAGE}&offset=0", 0),
        ("admin", admin, everything, "page 1000", f"/api/v1/enterprises?limit={PAGE}&offset={1000 * PAGE}", 1000 * PAGE),
    ]
    for who, user, queryset, label, url, offset in cases:
        client = Client()
        client.force_login(user)
        p50, p95, queries = measure(api_call(client, url), args.repeat)
        base50, _, _ = measure(orm_call(queryset, offset), args.repeat)
        print(f"{who:<10} {label:<28} {p50:8.2f} {p95:8.2f} {queries:8d} {base50:8.2f} {p50 / base50:6.1f}")
    # Search and a filter, as the township officer.
    client = Client()
    client.force_login(township_user)
    for label, url in [("search q=基准企业12", f"/api/v1/enterprises?q=基准企业12&limit={PAGE}"),
                       ("filter industry", f"/api/v1/enterprises?industry_id=1&limit={PAGE}")]:
        p50, p95, queries = measure(api_call(client, url), max(10, args.repeat // 5))
        print(f"{'township':<10} {label:<28} {p50:8.2f} {p95:8.2f} {queries:8d} {'':>8} {'':>6}")


if __name__ == "__main__":
    main()
