"""Benchmark: the SQLite ingestion path (issue 11), the previous path side by side.

"before" = the path as it was: stdlib json, the batch inserted in arrival order, roll-ups and
latest values aggregated and written inside the transaction (services/storage.py's
insert_readings/upsert_*), the connection without the cache_size / wal_autocheckpoint pragmas,
writers waiting in SQLite's busy handler. "now" = orjson, services/storage_sqlite.py (sorted,
prepared before the write lock, INSERT without RETURNING unless duplicates), the pragmas, the
flock turn between ingesting processes.
On PostgreSQL (its write path is storage_pg.py, bench_ingest.py) only the JSON parser differs.

1. Stages: where the time of a batch goes in-process (JSON parse, rows, checks, prepare, store,
   alarm evaluation, commit), ms per batch, "now" path, alarm evaluation inline.
2. Service: parse + ingest() in-process, rounds alternating before / now (the load of a shared
   machine drifts: alternating keeps the two comparable) — readings/s.
3. HTTP: bench_ingest.bench_http (gunicorn --workers, --clients posting JSON batches, the
   evaluator process), before / now alternating; "before" is put into each gunicorn worker by a
   gunicorn config file (post_worker_init) named in GUNICORN_CMD_ARGS.
4. Baseline: per-row ORM save of the same readings.

    DATABASE_URL=sqlite:////tmp/cs_bench_ingest.sqlite3 .venv/bin/python bench/ingest_sqlite.py
"""
import argparse
import collections
import contextlib
import functools
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_ingest  # noqa: E402  (django.setup, setup(), Feed, bench_http, bench_orm)
import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402

from citysafe.monitoring.services import evaluator, ingest, storage, storage_sqlite  # noqa: E402

SQLITE = connection.vendor == "sqlite"
NOW_INIT = connection.settings_dict["OPTIONS"]["init_command"] if SQLITE else ""
BEFORE_INIT = NOW_INIT.split(" PRAGMA cache_size")[0]
SAVED = {"prepare": storage_sqlite.prepare, "store": storage_sqlite.store, "parse_json": ingest.parse_json,
         "write_turn": storage_sqlite.write_turn}


def _before_prepare(s, t, v, now):
    return s, t, v, now


def _before_store(prepared):
    s, t, v, now = prepared
    s, t, v = storage.insert_readings(s, t, v)
    storage.upsert_rollups("monitoring_minuterollup", s, t, v, 60)
    storage.upsert_rollups("monitoring_hourrollup", s, t, v, 3600)
    storage.upsert_latest(s, t, v, now)
    return s, t, v


def use_path(before: bool) -> None:
    """Switch this process to the before / now path (the next connection gets its pragmas)."""
    storage_sqlite.prepare = _before_prepare if before else SAVED["prepare"]
    storage_sqlite.store = _before_store if before else SAVED["store"]
    storage_sqlite.write_turn = contextlib.nullcontext if before else SAVED["write_turn"]
    ingest.parse_json = (lambda body: json.loads(body.decode("utf-8"))) if before else SAVED["parse_json"]
    if SQLITE:
        connection.settings_dict["OPTIONS"]["init_command"] = BEFORE_INIT if before else NOW_INIT
        connection.close()


GUNICORN_CONF = f"""import sys
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})

def post_worker_init(worker):
    import ingest_sqlite
    ingest_sqlite.use_path(before=True)
"""


def bodies(feed, n):
    return [json.dumps([{"sensor": c, "ts": t, "value": v} for c, t, v in feed.batch(excursion=b % 5 == 0)]).encode()
            for b in range(n)]


def service(feed, batches):
    payload = bodies(feed, batches)
    started, n = time.perf_counter(), 0
    for body in payload:
        rows = ingest.rows_from_json(ingest.parse_json(body))
        n += ingest.ingest(ingest.Credential(), rows).stored
    return n / (time.perf_counter() - started)


def stages(feed, batches):
    """ms per batch of each stage of the now path (wrappers around the service functions)."""
    spent = collections.Counter()

    def timed(label, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - began
        return wrapper

    patches = [(ingest, "parse_json", "JSON parse (orjson)"), (ingest, "rows_from_json", "rows from JSON"),
               (storage_sqlite, "prepare", "prepare (sort, times, roll-ups; no lock)"),
               (storage_sqlite, "store", "store: INSERT + roll-ups + latest (locked)"),
               (evaluator, "after_store", "alarm evaluation (inline, locked)"),
               (ingest, "_allowed", "sensor lookup (cache check)")]
    saved = [(module, name, getattr(module, name)) for module, name, _ in patches]
    for module, name, label in patches:
        setattr(module, name, timed(label, getattr(module, name)))
    connection.ensure_connection()
    commit = connection._commit
    connection._commit = timed("commit", commit)
    payload = bodies(feed, batches)
    try:
        total = 0.0
        for body in payload:
            began = time.perf_counter()
            rows = ingest.rows_from_json(ingest.parse_json(body))
            middle = time.perf_counter()
            ingest.ingest(ingest.Credential(), rows)
            spent["ingest() total"] += time.perf_counter() - middle
            total += time.perf_counter() - began
            spent["stdlib json.loads, for comparison (not in total)"] += _stdlib(body)
    finally:
        for module, name, function in saved:
            setattr(module, name, function)
        del connection._commit
    inside = sum(spent[k] for k in spent if k.startswith(("prepare", "store", "alarm", "sensor", "commit")))
    spent["checks (validation, de-duplication)"] = spent["ingest() total"] - inside
    return total, {k: v / batches for k, v in spent.items()}


def _stdlib(body):
    began = time.perf_counter()
    json.loads(body.decode("utf-8"))
    return time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sensors", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=10, help="batches per round (5 readings per sensor each)")
    parser.add_argument("--rounds", type=int, default=3, help="before/now rounds of the service figure")
    parser.add_argument("--http-batches", type=int, default=40)
    parser.add_argument("--http-rounds", type=int, default=1, help="0: no HTTP runs")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--orm-rows", type=int, default=2000)
    parser.add_argument("--excursions", type=int, default=3,
                        help="sensors at 60 %%LEL per instant of every fifth batch (0: no alarms)")
    args = parser.parse_args()
    os.environ.setdefault("MONITORING_EVALUATION", "inline")
    token, codes = bench_ingest.setup(args.sensors)
    feed = bench_ingest.Feed(codes, excursions=args.excursions)
    batch = args.sensors * feed.per
    print(f"{connection.vendor}; {args.sensors} gas sensors, batches of {batch} readings (every fifth with "
          f"{args.excursions * feed.per} alarms); "
          f"load average {os.getloadavg()[0]:.1f} (2 cores shared)")
    use_path(before=False)
    service(feed, 2)                                   # warm: sensor cache, rules, URL conf
    total, per = stages(feed, args.batches) if SQLITE else (1.0, {})
    if per:
        print(f"stages, now path, ms per {batch}-reading batch ({args.batches} batches, "
              f"{args.batches * batch / total:,.0f} readings/s incl. parsing):")
    for label, seconds in sorted(per.items(), key=lambda kv: -kv[1]):
        print(f"  {label:52s} {seconds * 1000:7.1f}")
    figures = {"before": [], "now": []}
    for _ in range(args.rounds):
        for label in ("before", "now"):
            use_path(before=label == "before")
            figures[label].append(service(feed, args.batches))
    use_path(before=False)
    b, n = np.median(figures["before"]), np.median(figures["now"])
    print(f"service (parse + ingest(), alarms evaluated inline), median of {args.rounds} alternating rounds: "
          f"before {b:,.0f} readings/s, now {n:,.0f} readings/s = {n / b:.2f}×  "
          f"(before {', '.join(f'{x:,.0f}' for x in figures['before'])}; now {', '.join(f'{x:,.0f}' for x in figures['now'])}); "
          f"load average {os.getloadavg()[0]:.1f}")
    http = {"before": [], "now": []}
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as conf:
        conf.write(GUNICORN_CONF)
    try:
        for _ in range(args.http_rounds):
            for label in ("before", "now"):
                extra = {"GUNICORN_CMD_ARGS": f"--config {conf.name}"} if label == "before" else {}
                rate, (r50, r99), (a50, a99), n_alarms, _visible = bench_ingest.bench_http(
                    feed, token, args.http_batches, args.clients, args.workers, None,
                    MONITORING_EVALUATION="process", DB_CONN_MAX_AGE="60", **extra)
                http[label].append(rate)
                print(f"HTTP {label} ({args.workers} gunicorn workers, {args.clients} clients, evaluator process, "
                      f"DB_CONN_MAX_AGE=60): {rate:,.0f} readings/s; response p50 {r50 * 1000:.0f} ms "
                      f"p99 {r99 * 1000:.0f} ms; alarm row p50 {a50 * 1000:.0f} ms p99 {a99 * 1000:.0f} ms "
                      f"({n_alarms} alarms); load average {os.getloadavg()[0]:.1f}")
    finally:
        os.unlink(conf.name)
    orm = bench_ingest.bench_orm(feed, args.orm_rows)
    best = max(http["now"] or [n])
    print(f"baseline, per-row ORM save: {orm:,.0f} readings/s; now {best:,.0f} readings/s = {best / orm:.0f}× "
          f"the baseline; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
