"""Benchmark of the 双随机 draw (issue 16, C17): 100,000 enterprises, 2,000 inspectors, avoidance.

    .venv/bin/python bench/bench_random_draw.py [--enterprises 100000] [--inspectors 2000]
                                                [--targets 5000] [--repeat 5] [--no-service]

1. Kernel alone (no database), the same inputs in the same process:
   ours      kernels.random_draw.draw: `random.Random(seed)`, the free candidates counted (so an
             impossible pick is an error), then rejection sampling: `rng.choice` again while the
             pick is avoided;
   others    A. the k-th free candidate by bisect: one `randrange` per pick (our first version);
             B. naive filtering: the eligible list rebuilt for every target (list comprehension).
   Inputs: every enterprise avoids the two inspectors drawn last time (random), 10% also a
   registered relation; 20% of the roster holds the required qualification. Each baseline's
   result is checked for avoidance and qualification (their draws differ from ours: they use
   the random stream differently — one reason ours records a single algorithm with the seed).
2. The whole service on SQLite (`--no-service` skips it): citysafe.supervision.services.draws.
   run_draw over a seeded database (its own file, /tmp/citysafe_bench_draw.sqlite3, seeded on
   the first run: the demo county's areas, N enterprises by bench/seed.py, one department
   supervising every industry, classes, M inspectors, relations, one earlier draw), timed twice
   (the second avoids the first's inspectors); then verify_draw (re-run from the record).
Prints best / median seconds and the ratios.
"""
import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bisect import bisect_left  # noqa: E402

from kernels.random_draw import DrawInputs, draw  # noqa: E402


def make_inputs(enterprises: int, inspectors: int, targets: int, seed: int = 11) -> DrawInputs:
    rng = random.Random(seed)
    pool = tuple(range(1, enterprises + 1))
    roster = tuple(range(1, inspectors + 1))
    qualified = frozenset(rng.sample(roster, inspectors // 5))
    avoid = {}
    for e in pool:
        ids = set(rng.sample(roster, 2))
        if rng.random() < 0.1:
            ids.add(rng.choice(roster))
        avoid[e] = frozenset(ids)
    return DrawInputs(seed=20260101, targets=targets, enterprises=pool, inspectors=roster, qualified=qualified,
                      avoid=avoid)


def _kth_free(rng, candidates, blocked, extra=None):
    positions = sorted(p for p in (bisect_left(candidates, b) for b in {*blocked, extra} if b is not None)
                       if p < len(candidates) and candidates[p] in blocked | {extra})
    k = rng.randrange(len(candidates) - len(positions))
    for p in positions:
        if p <= k:
            k += 1
        else:
            break
    return candidates[k]


def kth_free_draw(inputs: DrawInputs) -> list[dict]:
    """Alternative A: one `randrange` per pick over the free candidates, the k-th free one found
    by stepping over the avoided positions (bisect). Our first version of the kernel."""
    rng = random.Random(inputs.seed)  # noqa: S311
    pool, roster = sorted(inputs.enterprises), sorted(inputs.inspectors)
    qualified = sorted(inputs.qualified)
    result = []
    for e in rng.sample(pool, inputs.targets):
        avoid = inputs.avoid.get(e, frozenset())
        first = _kth_free(rng, qualified, avoid)
        second = _kth_free(rng, roster, avoid, first)
        result.append({"enterprise": e, "inspectors": [first, second]})
    return result


def filtering_draw(inputs: DrawInputs) -> list[dict]:
    """Baseline B: build the eligible lists for every target, then choose."""
    rng = random.Random(inputs.seed)  # noqa: S311
    pool, roster = sorted(inputs.enterprises), sorted(inputs.inspectors)
    qualified = sorted(inputs.qualified)
    result = []
    for e in rng.sample(pool, inputs.targets):
        avoid = inputs.avoid.get(e, frozenset())
        first = rng.choice([i for i in qualified if i not in avoid])
        second = rng.choice([i for i in roster if i not in avoid and i != first])
        result.append({"enterprise": e, "inspectors": [first, second]})
    return result


def check(inputs: DrawInputs, result: list[dict]) -> None:
    assert len(result) == inputs.targets and len({r["enterprise"] for r in result}) == inputs.targets
    for row in result:
        first, second = row["inspectors"]
        assert first in inputs.qualified and first != second
        assert not {first, second} & inputs.avoid.get(row["enterprise"], frozenset())


def timed(function, *args, repeat: int):
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function(*args)
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times), value


def bench_kernel(args) -> None:
    inputs = make_inputs(args.enterprises, args.inspectors, args.targets)
    print(f"kernel: {args.enterprises:,} enterprises, {args.inspectors:,} inspectors "
          f"({len(inputs.qualified):,} qualified), {sum(map(len, inputs.avoid.values())):,} avoidances, "
          f"{args.targets:,} targets, best/median of {args.repeat}")
    rows = []
    for name, function in (("ours (kernels.random_draw)", draw), ("A. k-th free by bisect", kth_free_draw),
                           ("B. filter per target", filtering_draw)):
        best, median, result = timed(function, inputs, repeat=args.repeat)
        check(inputs, result)
        rows.append((name, best, median))
        print(f"  {name:<28} best {best * 1000:8.1f} ms   median {median * 1000:8.1f} ms")
    ours = rows[0][1]
    for name, best, _median in rows[1:]:
        print(f"  {name} / ours: {best / ours:.2f}x")
    assert draw(inputs) == draw(inputs), "not reproducible"


def bench_service(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-insecure")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DRAW_DATABASE_URL", "sqlite:////tmp/citysafe_bench_draw.sqlite3")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from bench.seed import seed
    from citysafe.accounts.models import Organisation
    from citysafe.core.roles import Role
    from citysafe.registry.models import Enterprise, Industry
    from citysafe.supervision.models import EnterpriseClass, Inspector, InspectorLink, RandomDraw
    from citysafe.supervision.services import draws

    call_command("migrate", verbosity=0)
    seed(args.enterprises, 0)
    year, rng = timezone.localdate().year, random.Random(5)
    department, created = Organisation.objects.get_or_create(
        code="bench_draw", defaults={"kind": Organisation.Kind.DEPARTMENT, "name": "基准测试执法部门"})
    if created:
        department.industries.set(Industry.objects.all())
    users = get_user_model().objects
    admin = users.get(username="admin")
    if not EnterpriseClass.objects.filter(year=year).exists():
        now = timezone.now()
        EnterpriseClass.objects.bulk_create(
            [EnterpriseClass(enterprise_id=pk, year=year, computed_class=rng.choice("ABCD"), score=0, computed_at=now)
             for pk in Enterprise.objects.values_list("pk", flat=True)], batch_size=5000)
    if not Inspector.objects.filter(department=department).exists():
        made = users.bulk_create([users.model(username=f"bench_insp_{n}", role=Role.DEPARTMENT,
                                              organisation=department, last_name=f"检查员{n}")
                                  for n in range(args.inspectors)], batch_size=2000)
        made = list(users.filter(username__startswith="bench_insp_").order_by("id"))
        Inspector.objects.bulk_create([Inspector(user=u, department=department, name=u.last_name,
                                                 qualification="hazchem" if n % 5 == 0 else "general",
                                                 certificate_number=f"B{n:07d}") for n, u in enumerate(made)])
        ids, inspector_ids = list(Enterprise.objects.values_list("pk", flat=True)), \
            list(Inspector.objects.filter(department=department).values_list("pk", flat=True))
        InspectorLink.objects.bulk_create([InspectorLink(inspector_id=rng.choice(inspector_ids), enterprise_id=e,
                                                         relation="kin") for e in rng.sample(ids, len(ids) // 10)],
                                          ignore_conflicts=True, batch_size=5000)
    kwargs = {"title": "基准测试抽查", "year": year, "classes": ["A", "B", "C", "D"], "required_qualification": "hazchem",
              "targets": args.targets, "due_on": timezone.localdate() + timedelta(days=30),
              "department_id": department.pk, "create_tasks": False}
    pool = EnterpriseClass.objects.filter(year=year).count()
    print(f"service on SQLite: {pool:,} enterprises in the pool, "
          f"{Inspector.objects.filter(department=department).count():,} inspectors, "
          f"{InspectorLink.objects.count():,} relations, {args.targets:,} targets")
    for label in ("first draw", "second draw (avoids the first's inspectors)"):
        started = time.perf_counter()
        record = draws.run_draw(admin, **kwargs)
        total = time.perf_counter() - started
        inputs = draws.inputs_from_dict(record.inputs)
        best, _median, _ = timed(draw, inputs, repeat=1)
        print(f"  {label:<44} {total:6.2f} s  (kernel {best * 1000:.0f} ms, "
              f"{sum(map(len, inputs.avoid.values())):,} avoidances)")
    started = time.perf_counter()
    same = draws.verify_draw(RandomDraw.objects.get(pk=record.pk))["same"]
    print(f"  verify_draw (re-run from the stored record)  {time.perf_counter() - started:6.2f} s  same={same}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--inspectors", type=int, default=2_000)
    parser.add_argument("--targets", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-service", action="store_true")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    bench_kernel(args)
    if not args.no_service:
        bench_service(args)


if __name__ == "__main__":
    main()
