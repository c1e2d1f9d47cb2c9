"""The production topology on one machine under a mixed load (issue 19, closing note):
nginx (deploy/nginx, HTTPS) → `--web` gunicorn processes, `--workers` task workers, the
scheduler, `--ingest` MQTT ingest processes on Mosquitto, all on PostgreSQL.

    .venv/bin/python bench/cluster_mixed_load.py [--db postgres://citysafe:citysafe@127.0.0.1:5432/cs_deploy]
        [--seconds 60] [--clients 6] [--web 2] [--web-workers 1] [--workers 2] [--ingest 1]
        [--tasks db|redis] [--share citysafe] [--reuse]

The database is dropped and built again (migrate, the small demo county, its sensors) unless
--reuse. For `--seconds` the bench process then runs, side by side:
- `--clients` HTTPS clients (persistent connections through nginx) with API tokens: scoped list
  reads as a township officer (GET /api/v1/enterprises, random pages), and writes: every fifth
  request creates an enterprise through POST /api/v1/enterprises as a county admin token;
- an MQTT publisher: readings of the demo sensors (distinct (sensor, ts)), QoS 1, 100 per message;
- a warning every `--warning-every` seconds, published through the warning workflow's service
  (submit → review → approve → publish, as the platform's admin and leader): the publish enqueues
  the fan-out job, the workers write the outbox rows and deliver them (inbox + SMS to a file).
Afterwards it waits until the workers and ingest processes have caught up, stops everything and
checks: every enterprise the API acknowledged is there once (and no other), every published
reading is stored once (rows and the minute roll-ups' counts), every notification was sent once
(one inbox message each; every SMS key in the gateway file), `manage.py verify_audit` passes.
Prints requests/s per web process (nginx's access log names the upstream), readings/s, jobs/s
(per worker), with the load average; exit code 1 when a check fails.

Switching after the merge of the other issue-19 branches:
- `--tasks redis`: TASKS_BACKEND and the worker command come from TASK_MODES["redis"] below
  (fill in the Redis backend's class and worker command when it lands); a redis-server is started
  on a free port and REDIS_URL passed to every process. Jobs/s per worker are read from the
  database backend's table, so with Redis only the total (from the fan-out's outcome) is printed.
- `--ingest 2`: two mqtt_ingest processes; they subscribe in the shared group `--share`
  ($share/<group>/…, MQTT 5) so the broker splits the messages.
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cluster.load import WRITE_PREFIX, Clients, Publisher, job_burst, publish_warning, wait_for  # noqa: E402
from bench.cluster.setup import prepare_database, seed, setup_django  # noqa: E402
from tests.deploy.stack import Nginx, free_port, kill_group, platform_env, spawn, start_gunicorn, wait_http  # noqa: E402
from tests.support.brokers import Mosquitto, RedisServer  # noqa: E402

TASK_MODES = {
    "db": {"backend": "django_tasks_db.DatabaseBackend",
           "worker": ["db_worker", "--queue-name", "*", "--no-reload", "--no-startup-delay", "--interval", "0.2"]},
    # The Redis backend (django-tasks-rq): a redis-server on a free port, rq workers via run_worker.
    "redis": {"backend": "django_tasks_rq.RQBackend", "worker": ["run_worker"]},
}


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgres://citysafe:citysafe@127.0.0.1:5432/cs_deploy")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--web", type=int, default=2, help="gunicorn processes behind nginx")
    parser.add_argument("--web-workers", type=int, default=1, help="gunicorn workers per web process")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ingest", type=int, default=1)
    parser.add_argument("--share", default="citysafe", help="shared-subscription group when --ingest > 1")
    parser.add_argument("--tasks", choices=sorted(TASK_MODES), default="db")
    parser.add_argument("--warning-every", type=float, default=10)
    parser.add_argument("--mqtt-backlog", type=int, default=20, help="unanswered MQTT messages at most")
    parser.add_argument("--job-burst", type=int, default=1000,
                        help="after the load: this many fan-out jobs (repeats, no new rows) drained by the workers")
    parser.add_argument("--drain-timeout", type=float, default=300)
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    return parser.parse_args()


def main() -> int:  # noqa: C901, PLR0915 (a script: one timeline, read top to bottom)
    args = arguments()
    mode = TASK_MODES[args.tasks]
    tmp = Path(tempfile.mkdtemp(prefix="cluster-"))
    processes: list[subprocess.Popen] = []
    extra = {"TASKS_BACKEND": mode["backend"]}
    if args.tasks == "redis":
        redis = RedisServer(tmp)
        processes.append(redis.process)
        extra["REDIS_URL"] = redis.url
    # This process enqueues too (the warnings it publishes fan out): the same backend as the workers.
    os.environ.update({k: str(v) for k, v in extra.items()})
    prepare_database(args.db, args.reuse)
    setup_django(args.db)
    data = seed(args.reuse)
    data["offset"] = random.randrange(0, 10_000_000)   # fresh USCCs on a reused database
    from django.db.models import Sum
    from django_tasks_db.models import DBTaskResult

    from citysafe.core import taskqueue
    from citysafe.monitoring.models import MinuteRollup, Reading
    from citysafe.notifications.models import InboxMessage, Notification
    from citysafe.registry.models import Enterprise

    sms_file = tmp / "sms.jsonl"
    extra.update({"NOTIFICATION_SMS_FILE": sms_file, "MEDIA_ROOT": tmp / "media",
                  "STATIC_ROOT": tmp / "static", "DB_CONN_MAX_AGE": "60"})
    env = platform_env(args.db, **extra)
    manage = [sys.executable, "manage.py"]
    broker = Mosquitto(tmp, unlimited_queues=True)
    broker_port = broker.port
    processes.append(broker.process)
    try:
        web_ports = [free_port() for _ in range(args.web)]
        webs = [start_gunicorn(port, env, tmp / f"web{port}.log", workers=args.web_workers) for port in web_ports]
        processes += webs
        (tmp / "static").mkdir()
        (tmp / "media").mkdir()
        nginx = Nginx(tmp / "nginx", [f"127.0.0.1:{port}" for port in web_ports], tmp / "static", tmp / "media")
        nginx.render()
        checked = nginx.check()
        if checked.returncode:
            sys.exit(checked.stderr)
        nginx.start()
        processes.append(nginx.process)
        for i in range(args.workers):
            processes.append(spawn([*manage, *mode["worker"], *(["--worker-id", f"bench-{i}"]
                                                               if args.tasks == "db" else [])],
                                   tmp / f"worker{i}.log", env))
        processes.append(spawn([*manage, "run_scheduler"], tmp / "scheduler.log", env))
        for i in range(args.ingest):
            share = ["--share", args.share] if args.ingest > 1 else []
            processes.append(spawn([*manage, "mqtt_ingest", "--port", str(broker_port), "--client-id",
                                    f"bench-ingest-{i}", *share], tmp / f"ingest{i}.log", env))
        wait_http(nginx.url("/healthz"), 120, processes)
        time.sleep(3)   # the ingest processes subscribe
        start_ts = int(time.time()) - 10 * 86400
        readings_before = Reading.objects.count()
        notifications_before = set(Notification.objects.values_list("pk", flat=True))
        enterprises_before = Enterprise.objects.filter(name__startswith=WRITE_PREFIX).count()
        load_before = os.getloadavg()
        print(f"running {args.seconds:.0f} s: {args.web} web × {args.web_workers} gunicorn workers, "
              f"{args.workers} {args.tasks} workers, {args.ingest} ingest, {args.clients} clients "
              f"(logs in {tmp})", flush=True)

        clients, publisher = Clients(nginx.https_port, data, args.clients), Publisher(broker_port, data, start_ts, args.mqtt_backlog)
        from django.utils import timezone

        started, started_at = time.perf_counter(), timezone.now()
        clients.start()
        publisher.start()
        warnings, next_warning = [], started
        while time.perf_counter() - started < args.seconds:
            if time.perf_counter() >= next_warning:
                warnings.append(publish_warning(data["townships"][len(warnings) % len(data["townships"])]))
                next_warning += args.warning_every
            time.sleep(0.2)
        clients.finish()
        publisher.stop.set()
        publisher.join(timeout=90)
        load_seconds = time.perf_counter() - started
        load_during = os.getloadavg()
        readings_in_load = Reading.objects.count() - readings_before

        def caught_up():
            if Reading.objects.count() - readings_before < publisher.published:
                return False
            pending = Notification.objects.exclude(pk__in=notifications_before).exclude(status="sent")
            return not pending.exists() and not taskqueue.waiting_count() and \
                not DBTaskResult.objects.filter(status="RUNNING").exists()

        wait_for(caught_up, args.drain_timeout, "workers and ingest to catch up")
        drained_seconds = time.perf_counter() - started
        if args.tasks == "redis":   # rq keeps finished jobs in its registry (results_ttl); no per-worker split
            from rq.registry import FinishedJobRegistry

            job_count = sum(FinishedJobRegistry(queue=taskqueue._rq_queue(name)).count
                            for name in taskqueue.queue_names())
            per_worker, job_kinds = Counter(), Counter()
        else:
            load_jobs = DBTaskResult.objects.filter(finished_at__isnull=False, enqueued_at__gte=started_at)
            job_count = load_jobs.count()
            per_worker = Counter(w for ids in load_jobs.values_list("worker_ids", flat=True) for w in ids[-1:])
            job_kinds = Counter(path.rsplit(".", 1)[-1] for path in load_jobs.values_list("task_path", flat=True))
        burst = job_burst(args.job_burst, warnings) if args.tasks == "db" and warnings else None
        time.sleep(2)   # a late duplicate would show now
        publisher.close()
    finally:
        for process in reversed(processes):
            kill_group(process, signal.SIGTERM)

    # ---- checks ---------------------------------------------------------------------------
    failures = []
    created = Counter(clients.created)
    stored = Enterprise.objects.filter(name__startswith=WRITE_PREFIX).count() - enterprises_before
    if any(n > 1 for n in created.values()) or stored != len(created) or \
            Enterprise.objects.filter(pk__in=list(created)).count() != len(created):
        failures.append(f"enterprises: {len(created)} acknowledged, {stored} stored")
    readings = Reading.objects.count() - readings_before
    rolled = MinuteRollup.objects.filter(sensor__gateway__code=data["gateway"]).aggregate(n=Sum("count"))["n"] or 0
    if readings != publisher.published:
        failures.append(f"readings: {publisher.published} published, {readings} stored")
    new = Notification.objects.exclude(pk__in=notifications_before)
    by_status = Counter(new.values_list("status", flat=True))
    inbox_new = new.filter(channel="inbox")
    inbox_messages = InboxMessage.objects.filter(notification__in=inbox_new).count()
    sms_keys = Counter(json.loads(line)["id"] for line in sms_file.read_text().splitlines()) if sms_file.exists() else Counter()
    sms_expected = {n.idempotency_key for n in new.filter(channel="sms")}
    if set(by_status) - {"sent"}:
        failures.append(f"notifications not all sent: {dict(by_status)}")
    if inbox_messages != inbox_new.count():
        failures.append(f"inbox: {inbox_new.count()} notifications, {inbox_messages} messages")
    if set(sms_keys) != sms_expected:
        failures.append(f"sms: {len(sms_expected)} notifications, {len(sms_keys)} keys at the gateway")
    verify = subprocess.run([*manage, "verify_audit"], cwd=ROOT, env=env, capture_output=True, text=True)
    if verify.returncode:
        failures.append("audit: " + verify.stdout.strip())

    # ---- figures --------------------------------------------------------------------------
    served = Counter()
    for line in nginx.access_log.read_text().splitlines():
        if "/api/v1/enterprises" in line and "upstream=127" in line:
            served[line.split("upstream=")[1].split()[0]] += 1
    statuses = dict(sorted((f"{m} {s}", n) for (m, s), n in clients.statuses.items()))
    lat = sorted(clients.latencies) or [0]
    print(f"\nload average before {load_before[0]:.2f}, at the end of the load {load_during[0]:.2f} "
          f"(1-minute; this 2-core machine is shared)")
    print(f"HTTP answers: {statuses}; p50 {lat[len(lat) // 2] * 1000:.0f} ms, p95 {lat[int(len(lat) * .95)] * 1000:.0f} ms")
    for upstream, n in sorted(served.items()):
        print(f"  web process {upstream}: {n} requests, {n / load_seconds:.1f} requests/s")
    print(f"  all web processes: {sum(served.values()) / load_seconds:.1f} requests/s "
          f"({len(created)} enterprises written)")
    print(f"readings: {publisher.published} published in {publisher.messages} MQTT messages, {readings} stored "
          f"once ({rolled} in roll-ups); {readings_in_load / load_seconds:.0f} readings/s during the load "
          f"({args.ingest} ingest process{'es' if args.ingest > 1 else ''}, at most {args.mqtt_backlog} messages "
          f"unanswered); broker outcomes {dict(publisher.outcomes)}")
    print(f"jobs during the load and drain: {job_count} finished in {drained_seconds:.0f} s "
          f"({job_count / drained_seconds:.1f} jobs/s, demand-bound); per worker "
          + ", ".join(f"{w}: {n}" for w, n in sorted(per_worker.items())) + f"; {dict(job_kinds.most_common(5))}")
    if burst:
        print(f"job burst (capacity): {burst['jobs']} fan-out jobs in {burst['seconds']:.1f} s = "
              f"{burst['jobs'] / burst['seconds']:.1f} jobs/s with {args.workers} workers; per worker "
              + ", ".join(f"{w}: {n / burst['seconds']:.1f}/s" for w, n in sorted(burst["per_worker"].items())))
    print(f"warnings published: {len(warnings)}; notifications {dict(by_status)}, inbox messages {inbox_messages}, "
          f"SMS keys {len(sms_keys)} (gateway lines {sum(sms_keys.values())})")
    print(verify.stdout.strip())
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    print("\nall checks passed: every record, reading and message once; audit chain verified")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
