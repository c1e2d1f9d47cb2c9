"""Benchmark: the generic list of record kinds (core.kinds), for a registry kind
(enterprises) and for the test-only kind (hydrants, tests/kindapp), side by side with what the
database alone costs: the raw SQL of the same page (count + rows with the related names
joined, fetched through the cursor), the bare ORM query (count + select_related page of model
instances) and the API request (as the township officer and the admin; first and deep page).

    DATABASE_URL=sqlite:////tmp/citysafe_bench_small.sqlite3 .venv/bin/python bench/bench_kind_list.py \
        --enterprises 20000 --places 100000 --hydrants 20000 --repeat 50

Uses the test settings (the test kind's app is installed only there). The first run seeds.
"""
import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/citysafe_bench_small.sqlite3")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from citysafe.accounts.models import Role, User  # noqa: E402
from citysafe.core.kinds import get_kind  # noqa: E402
from citysafe.registry.models import Area, Enterprise  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from bench_enterprise_list import api_call, measure  # noqa: E402
from seed import seed  # noqa: E402

PAGE = 50


def seed_hydrants(n: int) -> None:
    from tests.kindapp.models import Hydrant

    have = Hydrant.objects.count()
    if have >= n:
        return
    grids = list(Area.objects.filter(level="grid").values_list("id", "township_id"))
    enterprises = list(Enterprise.objects.order_by("id").values_list("id", flat=True)[:n])
    rows = []
    for i in range(have, n):
        grid, township = grids[i % len(grids)]
        rows.append(Hydrant(code=f"XHS-{i:07d}", name=f"消防栓{i}", township_id=township, grid_id=grid,
                            enterprise_id=enterprises[i % len(enterprises)] if i % 3 == 0 else None))
    Hydrant.objects.bulk_create(rows, batch_size=5000)


def raw_call(queryset, offset):
    count_sql, count_params = queryset.order_by().values("pk").query.sql_with_params()
    page = queryset.order_by("id")[offset:offset + PAGE]
    page_sql, page_params = page.query.sql_with_params()

    def call():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({count_sql}) counted", count_params)
            cursor.fetchone()
            cursor.execute(page_sql, page_params)
            return cursor.fetchall()
    return call


def orm_call(queryset, offset):
    def call():
        return queryset.count(), list(queryset.order_by("id")[offset:offset + PAGE])
    return call


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--places", type=int, default=100_000)
    parser.add_argument("--hydrants", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    seed(args.enterprises, args.places)
    seed_hydrants(args.hydrants)
    admin = User.objects.get(username="admin")
    township_user = User.objects.filter(role=Role.TOWNSHIP).order_by("username").first()
    township_id = township_user.organisation.area_id
    print(f"database: {connection.vendor}; page of {PAGE}; p50 in ms; ratio = API / bare ORM")
    print(f"{'kind':<12} {'who':<9} {'page':<10} {'rows':>7} {'raw SQL':>8} {'ORM':>8} {'API':>8} {'API p95':>8} "
          f"{'queries':>7} {'ratio':>6}")
    for key in ("enterprises", "hydrants"):
        kind = get_kind(key)
        live = kind.model.objects.filter(archived_at__isnull=True).select_related(*kind.related)
        for who, user, queryset in (("township", township_user, live.filter(township_id=township_id)),
                                    ("admin", admin, live)):
            total = queryset.count()
            deep = (total // PAGE - 1) * PAGE
            for label, offset in (("first", 0), (f"#{deep // PAGE + 1}", deep)):
                client = Client()
                client.force_login(user)
                url = f"/api/v1/{key}?limit={PAGE}&offset={offset}"
                raw50, _, _ = measure(raw_call(queryset, offset), args.repeat)
                orm50, _, _ = measure(orm_call(queryset, offset), args.repeat)
                api50, api95, queries = measure(api_call(client, url), args.repeat)
                print(f"{key:<12} {who:<9} {label:<10} {total:7d} {raw50:8.2f} {orm50:8.2f} {api50:8.2f} {api95:8.2f} "
                      f"{queries:7d} {api50 / orm50:6.2f}")


if __name__ == "__main__":
    main()
