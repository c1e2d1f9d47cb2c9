"""Benchmark: change-feed throughput (records/s) — a consumer reading every enterprise that
changed since cursor 0 through `sharing.feed.read_changes` (audit-id cursor), side by side in
the same process with a naive baseline: offset pagination over `updated_at`
(`WHERE updated_at > since ORDER BY updated_at, id LIMIT n OFFSET k`), both building the
same representation (the enterprise API schema) for the same caller, as the admin and as a
township officer. The baseline also cannot see archives or deletions, and misses or repeats
rows when records change while it pages; the throughput compares only the reading.

    DATABASE_URL=sqlite:////tmp/citysafe_bench_feed.sqlite3 .venv/bin/python bench/bench_change_feed.py \
        --enterprises 20000 --changes 2 --page 500

The first run seeds (enterprises by bench/seed.py, then `--changes` audit records per
enterprise written in bulk: seeding, not the code under test).
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/citysafe_bench_feed.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from citysafe.accounts.models import Role, User  # noqa: E402
from citysafe.core import scope  # noqa: E402
from citysafe.core.audit_models import AuditChainHead, AuditRecord  # noqa: E402
from citysafe.registry.models import Enterprise  # noqa: E402
from citysafe.sharing.feed import read_changes  # noqa: E402
from citysafe.sharing.resources import get_resource  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from seed import seed  # noqa: E402


def seed_changes(per_record: int) -> None:
    label = "registry.Enterprise"
    if AuditRecord.objects.filter(object_type=label).count() >= per_record * Enterprise.objects.count():
        return
    head, _ = AuditChainHead.objects.get_or_create(pk=1)
    next_id, now = head.last_id + 1, timezone.now()
    ids = list(Enterprise.objects.order_by("id").values_list("id", flat=True))
    rows = []
    for round_ in range(per_record):
        for pk in ids:
            rows.append(AuditRecord(id=next_id, at=now, actor_label="bench", channel="command", action="update",
                                    object_type=label, object_id=str(pk), object_repr="", before=None,
                                    after={"id": pk, "round": round_}, prev_hash="0", hash=f"bench-{next_id}"))
            next_id += 1
    with transaction.atomic():
        AuditRecord.objects.bulk_create(rows, batch_size=5000)
        AuditChainHead.objects.filter(pk=1).update(last_id=next_id - 1, count=head.count + len(rows))
    print(f"seeded {len(rows):,} audit records")


def by_feed(user, resource, page: int) -> int:
    cursor, seen = 0, 0
    while True:
        result = read_changes(user, resource, cursor, page)
        json.dumps(result.items, cls=DjangoJSONEncoder)  # what the API writes
        seen += len(result.items)
        cursor = result.next_cursor
        if not result.has_more:
            return seen


def by_offset(user, resource, page: int) -> int:
    """The naive baseline: changed since `since` by updated_at, paged by OFFSET."""
    since = timezone.now().replace(year=2000)
    queryset = scope.narrow(user, Enterprise.objects.filter(updated_at__gt=since)).order_by("updated_at", "id")
    offset, seen = 0, 0
    while True:
        rows = list(queryset.select_related(*resource.select)[offset:offset + page])
        documents = resource.represent(user, rows)
        json.dumps(documents, cls=DjangoJSONEncoder)
        seen += len(documents)
        if len(rows) < page:
            return seen
        offset += page


def measure(fn, *args, repeat: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = fn(*args)
        best = min(best, time.perf_counter() - started)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=20000)
    parser.add_argument("--changes", type=int, default=2, help="audit records per enterprise")
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--who", default="admin,township", help="admin, township or both")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    seed(args.enterprises, 0)
    seed_changes(args.changes)
    resource = get_resource("enterprises")
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id").first()
    township = User.objects.filter(role=Role.TOWNSHIP, is_active=True).order_by("id").first()
    print(f"database: {connection.vendor}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"page {args.page}; best of {args.repeat}; ratio = feed / offset-over-updated_at records/s")
    print(f"{'who':<9} {'records':>8} {'feed s':>8} {'feed rec/s':>11} {'offset s':>9} {'offset rec/s':>13} {'ratio':>6}")
    for who, user in (("admin", admin), ("township", township)):
        if who not in args.who.split(","):
            continue
        feed_s, feed_n = measure(by_feed, user, resource, args.page, repeat=args.repeat)
        off_s, off_n = measure(by_offset, user, resource, args.page, repeat=args.repeat)
        ratio = (feed_n / feed_s) / (off_n / off_s) if off_n and feed_s else float("nan")
        print(f"{who:<9} {feed_n:8d} {feed_s:8.2f} {feed_n / feed_s:11.0f} {off_s:9.2f} {off_n / off_s:13.0f} "
              f"{ratio:6.2f}")


if __name__ == "__main__":
    main()
