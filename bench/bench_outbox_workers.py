"""Background work throughput on both task backends, with one and with two worker processes,
in one run: the database backend (django_tasks_db) and Redis (django_tasks_rq on a
redis-server this script starts on a free port in a tmp dir).

    .venv/bin/python bench/bench_outbox_workers.py [--messages 4000] [--jobs 300]
        [--db postgres://citysafe:citysafe@127.0.0.1:5432/cs_x | sqlite:////tmp/bench_outbox_workers.sqlite3]

For each backend × {1, 2} `manage.py run_worker` processes (started first and waited for, so
start-up is not timed):
1. outbox delivery: `--messages` SMS rows written by notify_bulk, delivered through the HTTP
   SMS gateway adapter to a fake gateway on loopback (bench_warning_fanout.Gateway): messages/s
   from the first to the last gateway request; checks every row SENT and every key received;
2. bare jobs: `--jobs` no-op jobs enqueued at once; jobs/s from enqueue to the last finished,
   the queue's own cost per job (polling a table vs a Redis list; rq forks a work horse per job).
Prints the figures, the ratios two workers ÷ one and Redis ÷ database, and the load average
(the machine is shared: on 2 cores two workers cannot double anything the database serialises).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if __name__ != "__main__":  # imported by the workers (after Django is set up): the no-op job
    from django_tasks import task

    @task()
    def noop(index: int) -> int:
        return index


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.05)


def workers_ready(count: int) -> bool:
    from citysafe.core.models import WorkerHeartbeat
    from citysafe.core.taskqueue import _rq_queue, uses_redis

    if uses_redis():
        from rq import Worker

        return len(Worker.all(queue=_rq_queue("default"))) >= count
    return WorkerHeartbeat.objects.count() >= count


def measure(backend: str, count: int, args, env: dict, run_no: int) -> dict:
    from django_tasks_db.models import DBTaskResult

    from bench.bench_outbox_workers import noop
    from bench.bench_warning_fanout import Gateway
    from citysafe.core.models import WorkerHeartbeat
    from citysafe.core.taskqueue import waiting_count
    from citysafe.notifications.models import Notification
    from citysafe.notifications.services import notify_bulk
    from citysafe.notifications.targets import Target

    Notification.objects.all().delete()
    DBTaskResult.objects.all().delete()
    WorkerHeartbeat.objects.all().delete()
    gateway = Gateway()
    worker_env = {**env, **{key: os.environ[key] for key in ("TASKS_BACKEND", "REDIS_URL") if key in os.environ},
                  "NOTIFICATION_SMS_GATEWAY": "citysafe.notifications.sms.HttpSmsGateway",
                  "NOTIFICATION_SMS_URL": gateway.url, "NOTIFICATION_CLAIM_BATCH": "50"}
    log = tempfile.NamedTemporaryFile(prefix=f"bench_outbox_{backend}_{count}_", suffix=".log", delete=False)  # noqa: SIM115
    workers = [subprocess.Popen([sys.executable, "manage.py", "run_worker", "--interval", "0.1"], cwd=ROOT,
                                env=worker_env, stdout=log, stderr=subprocess.STDOUT) for _ in range(count)]
    try:
        wait(lambda: workers_ready(count), 120, f"{count} workers to start (log {log.name})")
        # 1. outbox delivery
        from citysafe.notifications.tasks import deliver_notifications

        notify_bulk(((Target.phone(f"139{i:08d}"), "sms", {}) for i in range(args.messages)), kind="bench",
                    subject="暴雨红色预警", body="请立即转移。", dedupe_key=f"bench-outbox:{run_no}")
        for _ in range(count - 1):  # one wake-up per worker (notify_bulk queued the first)
            deliver_notifications.enqueue()
        sent = lambda: Notification.objects.filter(status=Notification.Status.SENT).count()  # noqa: E731
        wait(lambda: sent() >= args.messages, args.timeout, "every message sent")
        outbox_rate = len(gateway.keys) / (gateway.last - gateway.first)
        assert len(gateway.keys) == args.messages, "every idempotency key reached the gateway"
        # 2. bare jobs
        wait(lambda: waiting_count() == 0, args.timeout, "an empty queue")
        start = time.perf_counter()
        results = [noop.enqueue(i) for i in range(args.jobs)]
        backend_ = noop.get_backend()
        wait(lambda: all(backend_.get_result(r.id).status == "SUCCESSFUL" for r in results[-5:])
             and waiting_count() == 0, args.timeout, "every job run")
        for result in results:
            wait(lambda r=result: backend_.get_result(r.id).status == "SUCCESSFUL", args.timeout, "every job run")
        jobs_rate = args.jobs / (time.perf_counter() - start)
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        gateway.server.shutdown()
    figures = {"messages_per_s": outbox_rate, "jobs_per_s": jobs_rate, "load": load()}
    print(f"{backend:8s} {count} worker(s): outbox {outbox_rate:7,.0f} messages/s, "
          f"bare jobs {jobs_rate:6,.1f} jobs/s ({figures['load']})", flush=True)
    return figures


def run(args) -> None:
    env = {**os.environ, "DATABASE_URL": args.db, "SECRET_KEY": "bench-only-insecure-key",
           "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "PYTHONUNBUFFERED": "1",
           "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
    os.environ.update(env)
    if args.db.startswith("sqlite:///"):
        Path(args.db.removeprefix("sqlite://")).unlink(missing_ok=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)

    import django

    django.setup()
    import pytest

    from tests.worker.queues import use_backend

    print(f"start: {load()}; database {args.db.split('://')[0]}; {args.messages:,} messages, {args.jobs} jobs")
    figures = {}
    run_no = 0
    with tempfile.TemporaryDirectory(prefix="bench_redis_") as directory:
        for backend in ("database", "redis"):
            with pytest.MonkeyPatch.context() as monkeypatch, use_backend(backend, monkeypatch, Path(directory)):
                for count in (1, 2):
                    run_no += 1
                    figures[backend, count] = measure(backend, count, args, env, run_no)
    for backend in ("database", "redis"):
        one, two = figures[backend, 1], figures[backend, 2]
        print(f"{backend}: two workers ÷ one: outbox {two['messages_per_s'] / one['messages_per_s']:.2f}, "
              f"bare jobs {two['jobs_per_s'] / one['jobs_per_s']:.2f}")
    for count in (1, 2):
        db, rd = figures["database", count], figures["redis", count]
        print(f"{count} worker(s): Redis ÷ database: outbox {rd['messages_per_s'] / db['messages_per_s']:.2f}, "
              f"bare jobs {rd['jobs_per_s'] / db['jobs_per_s']:.2f}")
    print(f"end: {load()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--db", default="sqlite:////tmp/bench_outbox_workers.sqlite3")
    run(parser.parse_args())
