"""Benchmark: the cost of one alarm evaluation round (issue 11, alarm latency) — queries and
milliseconds of `evaluation.evaluate_batch` with K alarm changes, per kind of change, for the
round path (services/alarm_round.py: bulk insert, one bulk update, core.workflow's
`apply_system_steps`, the audit records in one `record_changes` per audit action) and, side by
side in the same process, the named baseline "per alarm" (MONITORING_ALARM_ROUND=per_alarm:
`alarms.apply_outcome` per alarm, each change through `Workflow.apply` and `record_change`).

Each round is one batch of one reading per sensor (two for a spike) evaluated in its own
transaction with the follow-ups deferred (as the evaluator thread and process do), counted with
django.test.utils.CaptureQueriesContext.

    DATABASE_URL=postgres://citysafe:citysafe@127.0.0.1:5432/cs_bench_ingest .venv/bin/python bench/ingest_rounds.py
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/cs_bench_ingest.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("CITYSAFE_SYNTHETIC_DATA", "1")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# (kind, values per changed sensor): the readings that make K sensors change that way, from the
# state the previous kind left (gas rule: level 2 at 25 %LEL, level 1 at 50, deadband 3)
KINDS = [("open", [60.0]), ("level", [30.0]), ("same level", [31.0]), ("clear", [5.0]), ("spike", [60.0, 5.0])]


class Rounds:
    def __init__(self, sensor_ids, start):
        self.ids, self.t = np.asarray(sensor_ids, np.int64), float(start)

    def run(self, changed: int, values: list[float]):
        """One round: every sensor reads 5 %LEL except the first `changed`, which read `values`
        (one reading each 1 s apart). Returns (queries, ms, alarms changed)."""
        from citysafe.monitoring.services.evaluation import evaluate_batch

        n = len(self.ids)
        sensor = np.repeat(self.ids, len(values))
        t = np.tile(self.t + np.arange(len(values), dtype=float), n)
        v = np.full((n, len(values)), 5.0)
        v[:changed] = values
        self.t += len(values)
        later = []
        connection.queries_log.clear()      # the log keeps 9,000 queries: count from empty
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            with transaction.atomic():
                done = evaluate_batch(sensor, t, v.ravel(), now=time.time(), later=later)
            ms = (time.perf_counter() - started) * 1000
        return len(captured.captured_queries), ms, done


def measure(sensor_ids, sizes, path: str) -> dict:
    """{(kind, K): (queries, ms, changed)} for the path ("round" or "per_alarm")."""
    from citysafe.monitoring.models import Alarm, RuleState

    os.environ["MONITORING_ALARM_ROUND"] = path
    results = {}
    try:
        for k in sizes:
            Alarm.objects.filter(sensor_id__in=sensor_ids).delete()
            RuleState.objects.filter(sensor_id__in=sensor_ids).delete()
            rounds = Rounds(sensor_ids, time.time() - 86400 + 1000 * k)
            rounds.run(0, [5.0])                     # the tracks' memory exists
            for kind, values in KINDS:
                results[kind, k] = rounds.run(k, values)
    finally:
        os.environ.pop("MONITORING_ALARM_ROUND", None)
    return results


def bench_sensors(n: int) -> list[int]:
    from citysafe.monitoring.models import Alarm, RuleState, Sensor
    from citysafe.registry.models import Area

    if not Area.objects.exists():
        from citysafe.registry.demo.county import DemoSize, build_county
        build_county(DemoSize.small(), verbose=lambda *a: None)
    township = Area.objects.filter(level="township").order_by("pk").values_list("pk", flat=True).first()
    Alarm.objects.filter(sensor__code__startswith="R-").delete()
    RuleState.objects.filter(sensor__code__startswith="R-").delete()
    Sensor.objects.filter(code__startswith="R-").delete()
    Sensor.objects.bulk_create([Sensor(code=f"R-{i}", name=f"round {i}", sensor_type="gas", unit="%LEL", range_min=0,
                                       range_max=100, township_id=township) for i in range(n)])
    from citysafe.monitoring.services import cache
    cache.forget()
    return list(Sensor.objects.filter(code__startswith="R-").order_by("pk").values_list("pk", flat=True))


def table(sensor_ids, sizes, paths=("per_alarm", "round"), repeat: int = 3) -> list[str]:
    """The paths measured in turn `repeat` times (the load of a shared machine drifts); each
    cell is the median time (the query count does not vary)."""
    runs = [{path: measure(sensor_ids, sizes, path) for path in paths} for _ in range(repeat)]
    figures = {path: {key: (runs[0][path][key][0], float(np.median([r[path][key][1] for r in runs])))
                      for key in runs[0][path]} for path in paths}
    lines = [f"one evaluation round of {len(sensor_ids)} gas sensors, K alarm changes (queries / median ms of "
             f"{repeat}); load average {os.getloadavg()[0]:.1f}"]
    for kind, _values in KINDS:
        cells = []
        for k in sizes:
            cells.append(f"K={k}: " + " vs ".join(f"{figures[p][kind, k][0]}q {figures[p][kind, k][1]:.0f}ms"
                                                   for p in paths))
        lines.append(f"  {kind:<10} ({' vs '.join(paths)}) " + "; ".join(cells))
    return lines


def main():
    from django.core.management import call_command

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sensors", type=int, default=200)
    parser.add_argument("--sizes", default="1,5,20,50")
    parser.add_argument("--paths", default="per_alarm,round")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    ids = bench_sensors(args.sensors)
    print(f"database: {connection.vendor}")
    for line in table(ids, [int(s) for s in args.sizes.split(",")], tuple(args.paths.split(",")), args.repeat):
        print(line)


if __name__ == "__main__":
    main()
