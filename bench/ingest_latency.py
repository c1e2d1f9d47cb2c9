"""Benchmark: alarm latency (issue 11: from a reading's arrival to the alarm being visible,
p50/p99, goal p99 under 1 s) over HTTP on the database DATABASE_URL names — bench_ingest.py's
paced HTTP run (gunicorn, open-loop clients, a poller that sees each alarm committed) as a
matrix, side by side in the same process:

  - rate: each of --rates readings/s;
  - mode: the evaluator thread in each web worker (MONITORING_EVALUATION=deferred) vs the
    `run_alarm_evaluator` process (MONITORING_EVALUATION=process);
  - alarm path: the round (services/alarm_round.py, the default) vs the named baseline
    "per alarm" (MONITORING_ALARM_ROUND=per_alarm: alarms.apply_outcome, one Workflow.apply
    and one record_change per alarm change) — with --paths.

First the cost of one evaluation round in queries and ms (bench/ingest_rounds.py) for both
paths. Every fifth batch carries --excursions sensors × 5 readings at 60 %LEL (each a spike an
alarm opens and clears in the same batch).

    DATABASE_URL=postgres://citysafe:citysafe@127.0.0.1:5432/cs_bench_ingest .venv/bin/python bench/ingest_latency.py
"""
import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_ingest  # noqa: E402  (sets Django up)
import ingest_rounds  # noqa: E402
from django.db import connection  # noqa: E402

MODES = {"thread": "deferred", "process": "process"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sensors", type=int, default=2000)
    parser.add_argument("--batches", type=int, default=40, help="HTTP batches per run")
    parser.add_argument("--rates", default="10000,20000")
    parser.add_argument("--modes", default="thread,process")
    parser.add_argument("--paths", default="per_alarm,round")
    parser.add_argument("--excursions", type=int, default=1, help="1 → 5 alarms per excursion batch")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--round-sensors", type=int, default=200)
    args = parser.parse_args()
    paths = args.paths.split(",")
    if args.round_sensors:
        for line in ingest_rounds.table(ingest_rounds.bench_sensors(args.round_sensors), [1, 5, 20], tuple(paths)):
            print(line, flush=True)
    token, codes = bench_ingest.setup(args.sensors)
    feed = bench_ingest.Feed(codes, excursions=args.excursions)
    print(f"database: {connection.vendor}; {args.sensors} gas sensors; batches of {args.sensors * feed.per} "
          f"readings, every fifth with {args.excursions * feed.per} alarms; {args.workers} gunicorn workers, "
          f"{args.clients} clients", flush=True)
    for rate in [float(r) for r in args.rates.split(",")]:
        for mode in args.modes.split(","):
            for path in paths:
                os.environ["MONITORING_ALARM_ROUND"] = path      # inherited by gunicorn and the evaluator
                try:
                    http, (r50, r99), (a50, a99), n, (v50, v99) = bench_ingest.bench_http(
                        feed, token, args.batches, args.clients, args.workers, rate,
                        MONITORING_EVALUATION=MODES[mode])
                finally:
                    os.environ.pop("MONITORING_ALARM_ROUND", None)
                print(f"paced {rate:,.0f}/s, {mode:<7}, {path:<9}: {http:,.0f} readings/s; response p50/p99 "
                      f"{r50 * 1000:.0f}/{r99 * 1000:.0f} ms; {n} alarms: sent → row created p50/p99 "
                      f"{a50 * 1000:.0f}/{a99 * 1000:.0f} ms, → visible (committed) p50/p99 {v50 * 1000:.0f}/"
                      f"{v99 * 1000:.0f} ms; load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
