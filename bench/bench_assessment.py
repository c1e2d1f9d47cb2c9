"""Benchmark (issue 17): scoring every township and department for a year with N hazards
(1,000,000 by default) and M inspection tasks (100,000) in the database — time and query
count of `score_system` (one grouped query per metric) against a baseline run side by side in
the same process: the straightforward per-unit loop (one COUNT pair per unit and metric).

    DATABASE_URL=sqlite:////tmp/citysafe_bench_assessment.sqlite3 .venv/bin/python bench/bench_assessment.py
    DATABASE_URL=postgres://citysafe:citysafe@127.0.0.1:5432/cs_assess_bench .venv/bin/python bench/bench_assessment.py
"""
import argparse
import datetime
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/citysafe_bench_assessment.sqlite3")

from bench_hazards import _flush, seed_hazards, timed  # noqa: E402  (sets Django up)
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from seed import _columns, seed  # noqa: E402

from citysafe.accounts.models import Organisation, User  # noqa: E402
from citysafe.assessment.models import Indicator, IndicatorSystem, ItemScore, UnitResult  # noqa: E402
from citysafe.assessment.services import metrics, scoring, systems  # noqa: E402
from citysafe.hazards.inspection_models import ChecklistTemplate, InspectionTask  # noqa: E402
from citysafe.registry.models import Place  # noqa: E402

INDICATORS = [{"code": f"A{n}", "name": m.label, "weight": w, "metric": m.value}
              for n, (m, w) in enumerate(zip(metrics.Metric, (30, 15, 20, 15, 10, 10), strict=True))]


def seed_inspections(n: int) -> None:
    have = InspectionTask.objects.count()
    if have >= n:
        return
    places = list(Place.objects.filter(grid__isnull=False).values_list("id", "township_id", "grid_id")[:5000])
    users = list(User.objects.filter(role__in=["township", "department", "grid"]).values_list("id", flat=True))
    template = ChecklistTemplate.objects.order_by("id").first().pk
    sql = _columns(InspectionTask, ["template", "place", "assignee", "due_on", "status", "township", "grid",
                                    "is_synthetic", "version", "created_at", "updated_at"])
    rng, now, today = random.Random(17), timezone.now(), timezone.localdate()
    rows = []
    for i in range(have, n):
        p = places[i % len(places)]
        rows.append((template, p[0], users[i % len(users)], today - datetime.timedelta(days=rng.randint(0, 700)),
                     "done" if rng.random() < 0.8 else "open", p[1], p[2], True, 1, now, now))
        if len(rows) == 5000:
            _flush(sql, rows)
    _flush(sql, rows)


def per_unit_loop(system, period):
    """Baseline: what a first version would write — for each unit and metric, count its due and
    met records with two queries."""
    units = Organisation.objects.filter(kind=system.unit_kind, archived_at__isnull=True)
    out = {}
    for unit in units:
        key = scoring.unit_key(system, unit)
        for indicator in Indicator.objects.filter(system=system):
            d = metrics.DEFINITIONS[indicator.metric]
            path = d.keys.get(system.unit_kind)
            if path is None:
                continue
            rows = d.rows(period).filter(**{path: key})
            out[(unit.pk, indicator.metric)] = (rows.filter(d.met(period)).count(), rows.count())
    return len(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--inspections", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=20_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    seed(2_000, args.places)
    seed_hazards(args.hazards, 1_000)
    seed_inspections(args.inspections)
    admin = User.objects.get(username="admin")
    year = timezone.localdate().year
    print(f"load average: {os.getloadavg()}")
    for kind in ("township", "department"):
        for old in IndicatorSystem.objects.filter(year=year, unit_kind=kind):  # an earlier run's: children first
            ItemScore.objects.filter(result__system=old).delete()
            UnitResult.objects.filter(system=old).delete()
            Indicator.objects.filter(system=old).delete()
            old.delete()
        system = systems.create_indicator_system(admin, year=year, unit_kind=kind, title=f"bench {kind}",
                                                 indicators=INDICATORS)
        units, ms, queries = timed(lambda s=system: scoring.score_system(admin, s.pk))
        print(f"score_system {kind:<10} units={units:>3} {ms:8.0f} ms {queries:>4} queries")
        units, ms, queries = timed(lambda s=system: scoring.score_system(admin, s.pk))
        print(f"score_system {kind:<10} again      {ms:8.0f} ms {queries:>4} queries")
        period = metrics.Period.of_year(year)
        n, base_ms, base_queries = timed(lambda s=system, p=period: per_unit_loop(s, p))
        print(f"baseline per-unit loop {kind:<10} {base_ms:8.0f} ms {base_queries:>4} queries "
              f"(ratio baseline/ours {base_ms / ms:.1f}x)")
    print(f"database: {os.environ['DATABASE_URL'].split(':')[0]}; hazards={args.hazards:,} "
          f"inspections={args.inspections:,}; load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
