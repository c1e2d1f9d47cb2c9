"""What the platform needs from its task queue beyond the django-tasks API, on either backend:
the database backend (django_tasks_db, the default) or Redis (django_tasks_rq on rq).

- `is_waiting(task)`: is a run of this task already queued (the scheduler does not pile up)?
- `reclaim_abandoned()`: jobs a killed worker left RUNNING are run again. The rule: a job is
  abandoned when the worker that took it has stopped beating its heartbeat for
  TASK_HEARTBEAT_TIMEOUT_SECONDS. rq keeps that itself (each running job sits in the queue's
  StartedJobRegistry with an expiry the worker's heartbeat pushes forward; an expired entry is
  moved to the FailedJobRegistry as AbandonedJobError) and we requeue those. django_tasks_db has
  no heartbeat, so `run_worker` beats one into `core.WorkerHeartbeat` and the job is marked
  FAILED (AbandonedJob) and enqueued afresh. A job is re-run at most TASK_RECLAIM_MAX times.
  Re-running is safe because every job is idempotent (the outbox rows, not the job, are the
  work; scheduled jobs may run twice by design).
- `Worker`: the rq worker class `run_worker` uses on Redis (a configurable heartbeat).
"""
import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.base import Task

logger = logging.getLogger(__name__)

ABANDONED = "citysafe.core.taskqueue.AbandonedJob"
RQ_ABANDONED = "rq.exceptions.AbandonedJobError"


class AbandonedJob(Exception):
    """Recorded on a database job whose worker died while running it."""


def uses_redis(backend=None) -> bool:
    backend = backend or task_backends["default"]
    return type(backend).__module__.startswith("django_tasks_rq")


def queue_names() -> list[str]:
    return list(settings.TASKS["default"].get("QUEUES") or ["default"])


# --- waiting jobs ------------------------------------------------------------------------

def is_waiting(task: Task) -> bool:
    if uses_redis(task.get_backend()):
        return any(job.func_name == task.module_path for job in _rq_queue(task.queue_name).get_jobs())
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=task.module_path).exists()


def waiting_count() -> int:
    if uses_redis():
        return sum(_rq_queue(name).count for name in queue_names())
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count()


# --- reclaiming ----------------------------------------------------------------------------

def reclaim_abandoned() -> list[str]:
    """Run again the jobs whose worker died under them; returns the ids put back in a queue."""
    return _reclaim_rq() if uses_redis() else _reclaim_db()


def _reclaim_db() -> list[str]:
    from django_tasks_db.models import DBTaskResult

    from citysafe.core.models import WorkerHeartbeat

    now = timezone.now()
    silent_since = now - timedelta(seconds=settings.TASK_HEARTBEAT_TIMEOUT_SECONDS)
    beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "beat_at"))
    reclaimed = []
    for row in DBTaskResult.objects.running().order_by("started_at"):
        worker = row.worker_ids[-1] if row.worker_ids else ""
        if worker in beats:
            if beats[worker] >= silent_since:
                continue  # its worker is alive: still running
        elif row.started_at and row.started_at > now - timedelta(seconds=settings.TASK_TIMEOUT_SECONDS):
            continue  # a worker without a heartbeat (plain db_worker): only after the job timeout
        with transaction.atomic():
            # A conditional UPDATE: of two schedulers reclaiming at once only one wins the row.
            won = DBTaskResult.objects.filter(pk=row.pk, status="RUNNING").update(
                status="FAILED", finished_at=now, exception_class_path=ABANDONED,
                traceback=f"worker {worker or '?'} stopped beating its heartbeat; reclaimed at {now.isoformat()}")
            if not won:
                continue
            earlier = [other.args_kwargs for other in DBTaskResult.objects.filter(
                task_path=row.task_path, exception_class_path=ABANDONED, finished_at__gte=now - timedelta(days=1))]
            if earlier.count(row.args_kwargs) > settings.TASK_RECLAIM_MAX:
                logger.error("job %s (%s) killed its worker %d times: left failed", row.pk, row.task_path, len(earlier))
                continue
            # Enqueued on the same connection: the new job exists exactly when the old one is failed.
            again = row.task.enqueue(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        logger.warning("job %s (%s) abandoned by worker %s: enqueued again as %s", row.pk, row.task_path, worker, again.id)
        reclaimed.append(str(again.id))
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    return reclaimed


def _rq_queue(name: str):
    import django_rq
    from django_tasks_rq import Job

    return django_rq.get_queue(name, job_class=Job)


def _reclaim_rq() -> list[str]:
    from rq.exceptions import InvalidJobOperation, NoSuchJobError
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    reclaimed = []
    for name in queue_names():
        queue = _rq_queue(name)
        # rq's own rule: a started job whose heartbeat expired goes to the failed registry.
        StartedJobRegistry(queue=queue).cleanup()
        failed = FailedJobRegistry(queue=queue)
        for job_id in failed.get_job_ids():
            try:
                job = queue.fetch_job(job_id)
            except NoSuchJobError:
                continue
            if job is None or not _abandoned(job):
                continue
            times = job.meta.get("citysafe_reclaims", 0)
            if times >= settings.TASK_RECLAIM_MAX:
                continue
            job.meta["citysafe_reclaims"] = times + 1
            job.save_meta()
            try:
                failed.requeue(job_id)  # same id: the django-tasks result stays the same object
            except InvalidJobOperation:
                continue  # another scheduler requeued it first
            logger.warning("rq job %s (%s) abandoned by its worker: requeued", job_id, job.func_name)
            reclaimed.append(job_id)
    return reclaimed


def _abandoned(job) -> bool:
    classes = job.meta.get("_django_tasks_rq_exceptions") or []
    if classes and classes[-1] == RQ_ABANDONED:
        return True
    latest = job.latest_result()
    return latest is not None and "AbandonedJobError" in (latest.exc_string or "")


@functools.cache
def _rq_worker_class():
    from rq import Worker as RQWorker

    class Worker(RQWorker):
        """rq's forking worker with the platform's heartbeat: the parent beats every
        TASK_HEARTBEAT_SECONDS while a job runs, and the job's entry in the started registry
        lapses TASK_HEARTBEAT_TIMEOUT_SECONDS after the last beat (rq's own fixed 60 s grace
        is replaced so that a dead worker's job is reclaimed as quickly as on the database)."""

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("job_monitoring_interval", max(1, int(settings.TASK_HEARTBEAT_SECONDS)))
            super().__init__(*args, **kwargs)

        def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
            return max(int(settings.TASK_HEARTBEAT_TIMEOUT_SECONDS), self.job_monitoring_interval + 1)

    return Worker


def __getattr__(name):
    # `citysafe.core.taskqueue.Worker` for rqworker --worker-class, without importing rq
    # (an optional extra) when the database backend is used.
    if name == "Worker":
        return _rq_worker_class()
    raise AttributeError(name)
