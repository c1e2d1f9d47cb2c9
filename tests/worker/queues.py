"""The two task backends the worker tests run on: the database (django_tasks_db) and Redis
(django_tasks_rq on a real redis-server this module starts on a free port in a tmp dir —
never a system service). `use_backend` switches this process (settings override) and the
worker/scheduler processes the tests start (TASKS_BACKEND and REDIS_URL in the environment)."""
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from tests.support.brokers import RedisServer

RQ_BACKEND = "django_tasks_rq.RQBackend"
DB_BACKEND = "django_tasks_db.DatabaseBackend"


@contextmanager
def use_backend(name: str, monkeypatch, directory: Path):
    """Run the body with the task backend `name` ("database" or "redis") in this process and
    in the environment of processes started from it."""
    if name == "database":
        monkeypatch.setenv("TASKS_BACKEND", DB_BACKEND)
        yield None
        return
    server = RedisServer(directory)
    queues = {queue: {"URL": server.url, "DEFAULT_TIMEOUT": settings.TASK_TIMEOUT_SECONDS}
              for queue in settings.TASKS["default"]["QUEUES"]}
    tasks = {"default": {**settings.TASKS["default"], "BACKEND": RQ_BACKEND}}
    monkeypatch.setenv("TASKS_BACKEND", RQ_BACKEND)
    monkeypatch.setenv("REDIS_URL", server.url)
    try:
        with override_settings(TASKS=tasks, RQ_QUEUES=queues):
            yield server
    finally:
        server.stop()


def running_job_ids() -> set[str]:
    """Jobs the backend holds as running right now."""
    from citysafe.core.taskqueue import _rq_queue, queue_names, uses_redis

    if uses_redis():
        from rq.registry import StartedJobRegistry

        return {job_id for name in queue_names()
                for job_id in StartedJobRegistry(queue=_rq_queue(name)).get_job_ids(cleanup=False)}
    from django_tasks_db.models import DBTaskResult

    return {str(pk) for pk in DBTaskResult.objects.running().values_list("id", flat=True)}


def waiting_task_paths() -> list[str]:
    """The dotted paths of the jobs waiting in the queues, one per job."""
    from citysafe.core.taskqueue import _rq_queue, queue_names, uses_redis

    if uses_redis():
        return [job.func_name for name in queue_names() for job in _rq_queue(name).get_jobs()]
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.ready().values_list("task_path", flat=True))


def finish_waiting(task_path: str) -> None:
    """Take the waiting jobs of `task_path` off the queue as if a worker had run them."""
    from citysafe.core.taskqueue import _rq_queue, queue_names, uses_redis

    if uses_redis():
        for name in queue_names():
            queue = _rq_queue(name)
            for job in queue.get_jobs():
                if job.func_name == task_path:
                    queue.remove(job)
        return
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(task_path=task_path).update(status="SUCCESSFUL", finished_at=timezone.now())


def was_reclaimed(job_id: str) -> bool:
    """The job a killed worker left RUNNING was taken back: on Redis the same job ran again to
    success after rq's AbandonedJobError; on the database it is FAILED as abandoned (and a copy
    was enqueued in the same transaction)."""
    from django_tasks import task_backends

    from citysafe.core.taskqueue import ABANDONED, uses_redis

    result = task_backends["default"].get_result(job_id)
    if uses_redis():
        return result.status == "SUCCESSFUL" and any("AbandonedJobError" in (e.traceback or "") for e in result.errors)
    return result.status == "FAILED" and [e.exception_class_path for e in result.errors] == [ABANDONED]
