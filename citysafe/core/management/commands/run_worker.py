"""Run a background worker for the configured task backend (settings.TASKS):
- database (django_tasks_db, the default): django-tasks-db's `db_worker` on every queue, plus a
  heartbeat thread writing `core.WorkerHeartbeat`, so that a job this worker leaves RUNNING
  when killed is reclaimed (core/taskqueue.py);
- Redis (django_tasks_rq): django-rq's `rqworker` on every queue with django-tasks-rq's job
  class and the platform's worker class (its heartbeat), rq's scheduler included (delayed jobs).
Any number of workers may run, on any machines: each job is taken by one of them."""
import logging
import os
import socket
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.db.utils import DatabaseError
from django.utils import timezone
from django.utils.crypto import get_random_string

from citysafe.core.taskqueue import queue_names, uses_redis

logger = logging.getLogger(__name__)


def beat(worker_id: str, stop: threading.Event) -> None:
    from citysafe.core.models import WorkerHeartbeat

    host, pid = socket.gethostname()[:255], os.getpid()
    try:
        while True:
            try:
                close_old_connections()
                WorkerHeartbeat.objects.update_or_create(
                    worker_id=worker_id, defaults={"host": host, "pid": pid, "beat_at": timezone.now()})
            except DatabaseError:  # a busy SQLite file: the next beat will do
                logger.warning("worker %s: heartbeat not written", worker_id, exc_info=True)
            if stop.wait(settings.TASK_HEARTBEAT_SECONDS):
                break
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()  # a clean stop
    finally:
        connection.close()


class Command(BaseCommand):
    help = "Run a background worker on every queue, for the configured task backend (database or Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Database backend: seconds between polls when the queue is empty.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")

    def handle(self, *args, interval=1.0, batch=False, verbosity=1, **options):
        if uses_redis():
            call_command("rqworker", *queue_names(), job_class="django_tasks_rq.Job",
                         worker_class="citysafe.core.taskqueue.Worker", with_scheduler=True, burst=batch,
                         verbosity=verbosity)
            return
        worker_id = f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"
        stop = threading.Event()
        heart = threading.Thread(target=beat, args=(worker_id, stop), name="heartbeat", daemon=True)
        heart.start()
        try:
            call_command("db_worker", queue_name="*", interval=interval, batch=batch, reload=False,
                         startup_delay=False, worker_id=worker_id, verbosity=verbosity)
        finally:
            stop.set()
            heart.join(timeout=5)
