"""Benchmark: deep-page latency of the enterprise list API, keyset (cursor) against offset
pagination, on 100,000 enterprises, on SQLite and on PostgreSQL in the same run (one child
process per database, as Django binds one database per process; the keyset/offset ratio is
measured side by side inside each child).

    .venv/bin/python bench/bench_keyset.py --enterprises 100000 --repeat 30 \
        --sqlite sqlite:////tmp/citysafe_bench_keyset.sqlite3 \
        --postgres postgres://citysafe:citysafe@127.0.0.1:5432/cs_pgscale

Per database and ordering (id, name): page 1 and the last full page, each read by offset
(`?offset=N`) and by cursor (`?cursor=…` of the row before it), p50 in ms, for the whole API
request (which also counts the matching rows — the same cost for both) and for the page
query alone (core.kinds.listing.page_rows). ratio = offset / keyset. The first run seeds.
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = 50


def child(args) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from bench_enterprise_list import api_call, measure
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from seed import seed

    from citysafe.accounts.models import User
    from citysafe.core import keyset
    from citysafe.core.kinds import get_kind, selectors
    from citysafe.core.kinds.listing import page_rows

    call_command("migrate", verbosity=0)
    seed(args.enterprises, 0)
    admin = User.objects.get(username="admin")
    kind = get_kind("enterprises")
    client = Client()
    client.force_login(admin)
    results = []
    for ordering in ("id", "name"):
        columns = keyset.columns_for(ordering)
        queryset = keyset.order(selectors.list_records(admin, kind, ordering=ordering, related=False), columns)
        total = queryset.count()
        deep = (total // PAGE - 1) * PAGE
        for label, offset in (("page 1", 0), (f"page {deep // PAGE + 1}", deep)):
            row = {"database": connection.vendor, "ordering": ordering, "page": label, "rows": total}
            if offset:
                before = queryset.values_list("pk", flat=True)[offset - 1]
                cursor = keyset.cursor_after(queryset, before, columns)
                after = keyset.after(queryset, columns, keyset.decode(cursor, kind.model, columns))
                cursor_url = f"/api/v1/enterprises?limit={PAGE}&ordering={ordering}&cursor={cursor}"
                # the two must answer the same rows, or the comparison means nothing
                assert [r["id"] for r in page_rows(admin, kind, after, 0, PAGE)] == \
                       [r["id"] for r in page_rows(admin, kind, queryset, offset, PAGE)]
            else:
                after, cursor_url = queryset, f"/api/v1/enterprises?limit={PAGE}&ordering={ordering}"
            offset_url = f"/api/v1/enterprises?limit={PAGE}&ordering={ordering}&offset={offset}"
            row["api_offset"] = measure(api_call(client, offset_url), args.repeat)[0]
            row["api_keyset"] = measure(api_call(client, cursor_url), args.repeat)[0]
            row["page_offset"] = measure(lambda q=queryset, o=offset: page_rows(admin, kind, q, o, PAGE), args.repeat)[0]
            row["page_keyset"] = measure(lambda q=after: page_rows(admin, kind, q, 0, PAGE), args.repeat)[0]
            results.append(row)
    print("RESULT " + json.dumps(results))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--sqlite", default="sqlite:////tmp/citysafe_bench_keyset.sqlite3")
    parser.add_argument("--postgres", default="postgres://citysafe:citysafe@127.0.0.1:5432/cs_pgscale")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    load = os.getloadavg()
    rows = []
    for url in (args.sqlite, args.postgres):
        done = subprocess.run([sys.executable, __file__, "--child", "--enterprises", str(args.enterprises),
                               "--repeat", str(args.repeat)], env={**os.environ, "DATABASE_URL": url},
                              capture_output=True, text=True, check=True)
        rows += json.loads(next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))[7:])
    print(f"enterprise list API, {PAGE} per page, admin (all rows); p50 ms over {args.repeat}; "
          f"ratio = offset / keyset; load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
          f"at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'database':<11}{'order':<6}{'page':<11}{'rows':>7} | {'API offset':>10} {'API keyset':>10} {'ratio':>6} "
          f"| {'page offset':>11} {'page keyset':>11} {'ratio':>6}")
    for r in rows:
        print(f"{r['database']:<11}{r['ordering']:<6}{r['page']:<11}{r['rows']:7d} | {r['api_offset']:10.2f} "
              f"{r['api_keyset']:10.2f} {r['api_offset'] / r['api_keyset']:6.2f} | {r['page_offset']:11.2f} "
              f"{r['page_keyset']:11.2f} {r['page_offset'] / r['page_keyset']:6.2f}")


if __name__ == "__main__":
    main()
