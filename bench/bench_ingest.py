"""Benchmark: sensor ingestion (issue 11) into the database DATABASE_URL names.

1. Service: `services.ingest.ingest` in-process, batches of --batch readings over --sensors
   sensors (5 readings per sensor per batch, gas sensors: the alarm rules are evaluated), with
   occasional excursions that open alarms — readings/s, counted until the evaluator thread has
   evaluated every batch. Side by side in the same process, the named baseline "before": the
   previous path (PostgreSQL: unnest arrays + separate roll-up/latest statements; both
   databases: alarm evaluation inside the ingestion transaction).
2. HTTP: gunicorn (--workers) serving POST /api/v1/ingest/readings, --clients threads posting
   pre-encoded JSON batches — sustained readings/s; alarm latency = from sending a batch that
   carries an excursion to the alarm row's creation (`raised_at`, set in the evaluator's
   transaction) and to the alarm being visible (its commit, seen by a poller on its own
   connection every 20 ms), p50/p99 over every alarm the excursions opened. First as fast as
   the server answers, then paced at --rate readings/s (open loop, the goal load) twice, side by
   side: "before" with the alarm follow-ups (area raise, notifications) inside the evaluation
   transaction (MONITORING_FOLLOW_UPS=inline), "now" with them after its commit.
3. Baseline: the same readings saved one by one with the ORM (`Reading(...).save()`, each in its
   own autocommit transaction), on a sample of --orm-rows — readings/s.
4. MQTT: mosquitto on a free port + `manage.py mqtt_ingest`, --mqtt-messages messages of
   --mqtt-size readings — readings/s until all are stored.
5. Disk: bytes of the raw reading table (and indexes) per million readings; roll-ups beside.

    DATABASE_URL=sqlite:////tmp/cs_bench_ingest.sqlite3 .venv/bin/python bench/bench_ingest.py
    DATABASE_URL=postgres://citysafe:citysafe@127.0.0.1:5432/cs_bench_ingest .venv/bin/python bench/bench_ingest.py

The database is emptied of readings first; the demo county (small) is loaded if absent.
"""
import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from citysafe.monitoring.models import (  # noqa: E402
    Alarm,
    Gateway,
    HourRollup,
    LatestReading,
    MinuteRollup,
    Reading,
    RuleState,
    Sensor,
    token_digest,
)
from citysafe.monitoring.services.ingest import Credential, ingest  # noqa: E402
from citysafe.registry.models import Area  # noqa: E402


def setup(n_sensors: int):
    call_command("migrate", verbosity=0)
    if not Area.objects.exists():
        from citysafe.registry.demo.county import DemoSize, build_county
        build_county(DemoSize.small(), verbose=lambda *a: None)
    for model in (Alarm, RuleState, LatestReading, MinuteRollup, HourRollup):
        model.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM monitoring_reading")
    Sensor.objects.filter(code__startswith="B-").delete()
    townships = list(Area.objects.filter(level="township").values_list("pk", flat=True))
    gateway, _ = Gateway.objects.get_or_create(code="B-GW", defaults={"name": "bench", "township_id": townships[0]})
    raw = secrets.token_urlsafe(32)
    Gateway.objects.filter(pk=gateway.pk).update(token_digest=token_digest(raw))
    Sensor.objects.bulk_create([Sensor(code=f"B-{i}", name=f"bench {i}", sensor_type="gas", unit="%LEL", range_min=0,
                                       range_max=100, township_id=townships[i % len(townships)], gateway=gateway)
                                for i in range(n_sensors)])
    return raw, [f"B-{i}" for i in range(n_sensors)]


class Feed:
    """Distinct readings: every call gives the next batch (5 per sensor, 1 s apart)."""

    def __init__(self, codes, per_sensor=5, start=None, excursions=3):
        self.codes, self.per, self.t = codes, per_sensor, (start or time.time() - 6 * 86400)
        self.excursions = excursions    # sensors set to 60 %LEL per instant of an excursion batch
        self.rng = np.random.default_rng(1)

    def batch(self, excursion=False):
        rows = []
        for k in range(self.per):
            values = self.rng.uniform(0, 10, len(self.codes))
            if excursion:
                values[self.rng.integers(0, len(self.codes), self.excursions)] = 60.0
            rows += [(c, self.t + k, float(v)) for c, v in zip(self.codes, values, strict=True)]
        self.t += self.per
        return rows


def legacy_positions(v, t, lon, lat, speed):
    """The PostgreSQL write path of positions before COPY (unnest arrays, one UPDATE per vehicle)."""
    from citysafe.monitoring.services import vehicles

    new = vehicles._insert_positions(v, t, lon, lat, speed)
    vehicles._update_latest(v[new], t[new], lon[new], lat[new], speed[new])
    return new


def bench_positions(n_vehicles, batches, per_vehicle=5, before=False):
    """Vehicle positions (两客一危) in-process: --vehicles trucks on a route, 5 fixes each per
    batch, every 10th vehicle speeding — positions/s with the vehicle rules evaluated.
    `before` (PostgreSQL): the write path before COPY."""
    from citysafe.monitoring.models import Vehicle, VehicleAlarm, VehiclePosition
    from citysafe.monitoring.services import storage_pg
    from citysafe.monitoring.services.vehicles import ingest_positions

    if before:
        saved, storage_pg.store_positions = storage_pg.store_positions, legacy_positions
        try:
            return bench_positions(n_vehicles, batches, per_vehicle)
        finally:
            storage_pg.store_positions = saved
    from citysafe.registry.models import Enterprise

    VehicleAlarm.objects.filter(vehicle__code__startswith="B-V-").delete()
    VehiclePosition.objects.filter(vehicle__code__startswith="B-V-").delete()
    Vehicle.objects.filter(code__startswith="B-V-").delete()
    firm = Enterprise.objects.exclude(township=None).order_by("id").first()
    lon, lat = firm.lon or 103.4, firm.lat or 35.6
    Vehicle.objects.bulk_create([Vehicle(code=f"B-V-{i}", name=f"bench {i}", plate=f"B{i:06d}", vehicle_type="hazmat",
                                         goods_class="3", speed_limit=60, route=[[lon, lat], [lon + 0.1, lat]],
                                         enterprise=firm, township_id=firm.township_id) for i in range(n_vehicles)])
    codes = [f"B-V-{i}" for i in range(n_vehicles)]
    rng, t0, n = np.random.default_rng(2), time.time() - 86400, 0
    started = time.perf_counter()
    for b in range(batches):
        rows = []
        for k in range(per_vehicle):
            speed = rng.uniform(30, 58, n_vehicles)
            speed[::10] = 75.0
            rows += [(c, t0 + b * per_vehicle + k, lon + 0.05, lat + 0.001, float(s))
                     for c, s in zip(codes, speed, strict=True)]
        n += ingest_positions(Credential(), rows).stored
    return n / (time.perf_counter() - started)


def legacy_store(sensor, t, v, received):
    """The PostgreSQL write path before COPY (kept in services/storage.py for SQLite)."""
    from citysafe.monitoring.services import storage

    sensor, t, v = storage.insert_readings(sensor, t, v)
    storage.upsert_rollups("monitoring_minuterollup", sensor, t, v, 60)
    storage.upsert_rollups("monitoring_hourrollup", sensor, t, v, 3600)
    storage.upsert_latest(sensor, t, v, received)
    return sensor, t, v


class EvaluatorProcess:
    """`manage.py run_alarm_evaluator` for the length of a run (MONITORING_EVALUATION=process)."""

    def __enter__(self):
        self.process = subprocess.Popen([sys.executable, "manage.py", "run_alarm_evaluator"], cwd=ROOT,
                                        env=env(MONITORING_EVALUATION="process", PYTHONUNBUFFERED="1"),
                                        stdout=subprocess.PIPE, text=True, start_new_session=True)
        while "ready" not in (line := self.process.stdout.readline()):   # started: the clock may run
            if not line:
                raise RuntimeError("run_alarm_evaluator exited")
        return self

    def drained(self, timeout=600):
        from citysafe.monitoring.services.evaluator_process import pending

        deadline = time.monotonic() + timeout
        while pending() and time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("run_alarm_evaluator exited")
            time.sleep(0.01)

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)


def bench_service(feed, batches, *, before=False, process=False):
    """readings/s until stored and evaluated; `before`: the previous path (see the docstring);
    `process`: evaluation in `run_alarm_evaluator` (counted until its queue is empty)."""
    from citysafe.monitoring.services import storage_pg
    from citysafe.monitoring.services.evaluator import wait_all

    saved = storage_pg.store_batch, os.environ.get("MONITORING_EVALUATION")
    if before:
        storage_pg.store_batch, os.environ["MONITORING_EVALUATION"] = legacy_store, "inline"
    if process:
        os.environ["MONITORING_EVALUATION"] = "process"
    try:
        with EvaluatorProcess() if process else contextlib.nullcontext() as evaluator:
            started, n = time.perf_counter(), 0
            for b in range(batches):
                n += ingest(Credential(), feed.batch(excursion=b % 5 == 0)).stored
            returned = time.perf_counter() - started
            evaluator.drained() if process else wait_all(600)
            return n / (time.perf_counter() - started), n / returned
    finally:
        storage_pg.store_batch = saved[0]
        os.environ.pop("MONITORING_EVALUATION", None)
        if saved[1] is not None:
            os.environ["MONITORING_EVALUATION"] = saved[1]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def env(**extra):
    return {**os.environ, "DEBUG": "0", "LOG_LEVEL": "WARNING", **extra}


class AlarmWatcher(threading.Thread):
    """Polls the alarm table on its own connection every 20 ms: the moment an alarm row is
    first seen committed is when a user's page could show it (arrival → visible)."""

    def __init__(self, after_pk):
        super().__init__(daemon=True)
        self.after, self.seen, self.stop = after_pk, {}, threading.Event()

    def run(self):
        from django.db import connections
        try:
            while not self.stop.is_set():
                now = time.time()
                for pk, started_at in Alarm.objects.filter(pk__gt=self.after).values_list("pk", "started_at"):
                    self.seen.setdefault(pk, (now, started_at.timestamp()))
                time.sleep(0.02)
        finally:
            connections.close_all()


def bench_http(feed, token, batches, clients, workers, rate=None, **environ):
    """`rate` (readings/s): batches are sent on a fixed schedule (open loop, the load a set of
    gateways offers) instead of as fast as the server answers. MONITORING_EVALUATION=process in
    `environ`: a `run_alarm_evaluator` process evaluates beside the web workers."""
    process = environ.get("MONITORING_EVALUATION") == "process"
    evaluator = EvaluatorProcess() if process else contextlib.nullcontext()
    with evaluator:
        return _bench_http(feed, token, batches, clients, workers, rate, evaluator if process else None, **environ)


def _bench_http(feed, token, batches, clients, workers, rate, evaluator, **environ):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w",
                               str(workers), "--timeout", "120", "--log-level", "warning"], cwd=ROOT, env=env(**environ),
                              start_new_session=True)
    wait_port(port)
    # warm-up: each worker loads the URL conf, the API schema and the sensor cache on its first
    # request (seconds under load); steady state is what is measured
    for _ in range(4 * workers):
        warm = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/ingest/readings", data=b"[]", headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        urllib.request.urlopen(warm, timeout=120).read()  # noqa: S310 (our server)
    bodies, starts = [], []
    for b in range(batches):
        starts.append(feed.t)
        bodies.append((json.dumps([{"sensor": c, "ts": t, "value": v} for c, t, v in feed.batch(excursion=b % 5 == 0)])
                       .encode(), b % 5 == 0))
    stored, latencies, lock, queue = [0], [], threading.Lock(), list(range(len(bodies)))
    sent_at = {}
    first_alarm = Alarm.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def client():
        while True:
            with lock:
                if not queue:
                    return
                i = queue.pop(0)
            body, probe = bodies[i]
            if rate:
                delay = t_zero + i * interval - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            sent = time.perf_counter()
            sent_at[i] = time.time()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/ingest/readings", data=body,
                                             headers={"Authorization": f"Bearer {token}",
                                                      "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (our server)
                answer = json.loads(response.read())
            with lock:
                stored[0] += answer["stored"]
                if probe:
                    latencies.append(time.perf_counter() - sent)   # sent → response (readings committed)

    interval = feed.per * len(feed.codes) / rate if rate else 0.0
    watcher = AlarmWatcher(first_alarm)
    watcher.start()
    try:
        started = t_zero = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        if evaluator is not None:
            evaluator.drained()
        time.sleep(3)   # let the workers' evaluator threads finish before the server stops
    finally:
        watcher.stop.set()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    # alarm latency: batch sent → alarm row created (the batch is found by the alarm's start time)
    watcher.join(timeout=5)
    alarm_latency, visible_latency = [], []
    for pk, started_at, raised_at in Alarm.objects.filter(pk__gt=first_alarm).values_list("pk", "started_at",
                                                                                         "raised_at"):
        i = int(np.searchsorted(starts, started_at.timestamp(), "right")) - 1
        if 0 <= i < len(bodies) and bodies[i][1]:
            alarm_latency.append(raised_at.timestamp() - sent_at[i])
            if pk in watcher.seen:
                visible_latency.append(watcher.seen[pk][0] - sent_at[i])
    return (stored[0] / elapsed, percentiles(latencies), percentiles(alarm_latency), len(alarm_latency),
            percentiles(visible_latency))


def percentiles(values):
    if not values:
        return float("nan"), float("nan")
    values = sorted(values)
    return statistics.median(values), values[min(len(values) - 1, int(0.99 * len(values)))]


def bench_orm(feed, rows):
    sensors = dict(Sensor.objects.filter(code__startswith="B-").values_list("code", "pk"))
    sample = feed.batch()[:rows]
    from datetime import UTC, datetime
    started = time.perf_counter()
    for code, t, v in sample:
        Reading(sensor_id=sensors[code], ts=datetime.fromtimestamp(t, tz=UTC), value=v).save(force_insert=True)
    return len(sample) / (time.perf_counter() - started)


def bench_mqtt(feed, token, messages, size):
    if shutil.which("mosquitto") is None:
        return None
    port = free_port()
    config = Path("/tmp") / f"cs-bench-mosquitto-{port}.conf"
    config.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n")
    broker = subprocess.Popen(["mosquitto", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port)
    import paho.mqtt.client as mqtt
    subscriber = subprocess.Popen([sys.executable, "manage.py", "mqtt_ingest", "--port", str(port), "--client-id",
                                   "bench"], cwd=ROOT, env=env())
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-pub")
    publisher.connect("127.0.0.1", port)
    publisher.loop_start()
    ready = []
    watcher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-watch")
    watcher.on_message = lambda c, u, m: ready.append(1)
    watcher.connect("127.0.0.1", port)
    watcher.subscribe("citysafe/v1/results/#", qos=0)
    watcher.loop_start()
    try:
        # the subscriber's persistent session exists once it answers a first (empty) message
        while not ready:
            publisher.publish("citysafe/v1/readings/B-GW", json.dumps({"token": token, "readings": []}), qos=1)
            time.sleep(1)
        payloads = []
        while len(payloads) < messages:
            rows = feed.batch()
            for start in range(0, len(rows), size):
                payloads.append(json.dumps({"token": token, "readings": [
                    {"sensor": c, "ts": t, "value": v} for c, t, v in rows[start:start + size]]}))
        payloads = payloads[:messages]
        sent = sum(len(json.loads(p)["readings"]) for p in payloads)
        expected = Reading.objects.count() + sent
        started = time.perf_counter()
        for payload in payloads:
            publisher.publish("citysafe/v1/readings/B-GW", payload, qos=1)
        while Reading.objects.count() < expected:
            time.sleep(0.2)
            if subscriber.poll() is not None:
                raise RuntimeError("mqtt_ingest exited")
        return sent / (time.perf_counter() - started)
    finally:
        watcher.loop_stop()
        publisher.loop_stop()
        subscriber.terminate()
        subscriber.wait(timeout=30)
        broker.terminate()
        broker.wait(timeout=10)
        config.unlink()


def disk_per_million():
    readings = Reading.objects.count()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_inherits i "
                           "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
                           "WHERE p.relname = 'monitoring_reading'")
            raw = cursor.fetchone()[0]
            cursor.execute("SELECT pg_total_relation_size('monitoring_minuterollup') "
                           "+ pg_total_relation_size('monitoring_hourrollup')")
            rollups = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name IN ('monitoring_reading', 'reading_ts', "
                           "'sqlite_autoindex_monitoring_reading_1')")
            raw = cursor.fetchone()[0] or 0
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'monitoring_%rollup%'")
            rollups = cursor.fetchone()[0] or 0
    return readings, float(raw) * 1e6 / max(readings, 1), float(rollups) * 1e6 / max(readings, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sensors", type=int, default=2000)
    parser.add_argument("--service-batches", type=int, default=20)
    parser.add_argument("--http-batches", type=int, default=40)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--orm-rows", type=int, default=3000)
    parser.add_argument("--mqtt-messages", type=int, default=100)
    parser.add_argument("--mqtt-size", type=int, default=1000)
    parser.add_argument("--vehicles", type=int, default=1000)
    parser.add_argument("--vehicle-batches", type=int, default=10)
    parser.add_argument("--excursions", type=int, default=3,
                        help="sensors at 60 %%LEL per instant of every fifth batch (each a one-reading spike: "
                             "an alarm opened and cleared); 3 → 15 alarms per excursion batch")
    parser.add_argument("--rate", type=float, default=50_000,
                        help="readings/s offered in the second, paced HTTP run (the goal load); 0: skip it")
    args = parser.parse_args()
    token, codes = setup(args.sensors)
    feed = Feed(codes, excursions=args.excursions)
    batch = args.sensors * feed.per
    print(f"database: {connection.vendor}; {args.sensors} gas sensors; batches of {batch} readings, every fifth "
          f"with {args.excursions * feed.per} alarms; "
          f"load average {os.getloadavg()[0]:.1f} (2 cores shared)")
    if args.service_batches:
        before, before_returned = bench_service(feed, args.service_batches, before=True)
        service, returned = bench_service(feed, args.service_batches)
        separate, separate_returned = bench_service(feed, args.service_batches, process=True)
        print(f"service (in-process ingest, alarms evaluated): before {before:,.0f} readings/s; "
              f"default mode ({'thread' if connection.vendor == 'postgresql' else 'inline'}) {service:,.0f} "
              f"readings/s (ingest() returns at {returned:,.0f}/s) = {service / before:.2f}× the before path; "
              f"evaluator process {separate:,.0f} readings/s evaluated (ingest() returns at "
              f"{separate_returned:,.0f}/s) = {separate / before:.2f}×; load average {os.getloadavg()[0]:.1f}")
    if args.vehicles:
        positions_before = bench_positions(args.vehicles, args.vehicle_batches, before=True) \
            if connection.vendor == "postgresql" else float("nan")
        positions = bench_positions(args.vehicles, args.vehicle_batches)
        print(f"vehicle positions (in-process, {args.vehicles} trucks × 5 fixes per batch, rules evaluated): "
              f"{positions:,.0f} positions/s" + (f"; before (unnest + an UPDATE per vehicle) {positions_before:,.0f}/s "
                                                f"= {positions / positions_before:.2f}×" if positions_before > 0 else ""))
    # the paced run twice, side by side: "before" = the evaluator thread inside each web worker
    # (MONITORING_EVALUATION=deferred); "now" = the run_alarm_evaluator process
    paced = f"paced at {args.rate:,.0f} readings/s"
    process = {"MONITORING_EVALUATION": "process"}
    runs = [("as fast as answered, evaluator process", None, process)] + ([
        (f"{paced}, before: evaluator thread in each web worker", args.rate, {"MONITORING_EVALUATION": "deferred"}),
        (f"{paced}, now: evaluator process", args.rate, process)] if args.rate else [])
    fastest = float("nan")
    for label, rate, environ in runs:
        http, (r50, r99), (a50, a99), n_alarms, (v50, v99) = bench_http(
            feed, token, args.http_batches, max(args.clients, 4) if rate else args.clients, args.workers, rate,
            **environ)
        print(f"HTTP ({args.workers} gunicorn workers, {label}): {http:,.0f} readings/s; "
              f"response to a {batch // 1000}k batch p50 {r50 * 1000:.0f} ms, p99 {r99 * 1000:.0f} ms; alarm latency "
              f"({n_alarms} alarms) batch sent → alarm row created p50 {a50 * 1000:.0f} ms, p99 {a99 * 1000:.0f} ms; "
              f"→ alarm visible (committed, seen by a poller every 20 ms) p50 {v50 * 1000:.0f} ms, "
              f"p99 {v99 * 1000:.0f} ms; load average {os.getloadavg()[0]:.1f}")
        if rate is None:
            fastest = http
    orm = bench_orm(feed, args.orm_rows)
    print(f"baseline, per-row ORM save: {orm:,.0f} readings/s ({fastest / orm:.0f}× slower than HTTP batches)")
    mqtt = bench_mqtt(feed, token, args.mqtt_messages, args.mqtt_size) if args.mqtt_messages else None
    print("MQTT: skipped" if mqtt is None else
          f"MQTT ({args.mqtt_messages} messages of {args.mqtt_size}, one subscriber): {mqtt:,.0f} readings/s")
    readings, raw, rollups = disk_per_million()
    print(f"disk: {readings:,} raw readings; {raw / 1e6:.1f} MB per million readings (table + indexes); "
          f"roll-ups {rollups / 1e6:.1f} MB per million readings")
    print(f"alarms opened: {Alarm.objects.count()}; load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
