"""Periodic jobs: a table of schedules the apps fill, and the APScheduler that enqueues them.

Each app registers its own periodic jobs in its AppConfig.ready() with `register_job` (the
task itself lives in <app>/tasks.py), so adding one never edits this module.

The scheduler only *enqueues* django-tasks jobs; workers run them. So the scheduler holds no
state worth keeping and any number may run (two by accident, or one per machine): every
scheduled task is idempotent, and a job that is already waiting in the queue is not queued
a second time, so a stopped worker does not come back to a pile of identical jobs.
The same holds on both task backends (database or Redis, settings.TASKS): enqueueing goes
through the django-tasks API, and "already waiting" is asked of the backend (core/taskqueue.py).
"""
import logging
from dataclasses import dataclass, field

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections
from django_tasks.base import Task

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    name: str
    trigger: BaseTrigger
    task: Task
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    """A registered periodic job: `every` (IntervalTrigger arguments, e.g. {"seconds": 30}) or
    `cron` (CronTrigger arguments, e.g. {"hour": 3, "minute": 17}), in settings.TIME_ZONE."""

    name: str
    task: Task
    every: dict | None = None
    cron: dict | None = None
    kwargs: dict = field(default_factory=dict)

    def trigger(self) -> BaseTrigger:
        zone = settings.TIME_ZONE
        return IntervalTrigger(**self.every, timezone=zone) if self.every else CronTrigger(**self.cron, timezone=zone)


_JOBS: dict[str, Job] = {}


def register_job(name: str, task: Task, *, every: dict | None = None, cron: dict | None = None,
                 kwargs: dict | None = None) -> None:
    """Add a periodic job to the table; call from the owning app's AppConfig.ready(). The task
    must be idempotent (two schedulers may run, a missed run runs once)."""
    if (every is None) == (cron is None):
        raise ImproperlyConfigured(f"periodic job {name!r}: give exactly one of every= and cron=")
    job = Job(name, task, every=every, cron=cron, kwargs=kwargs or {})
    if name in _JOBS and _JOBS[name] != job:
        raise ImproperlyConfigured(f"periodic job {name!r} registered twice, differently")
    _JOBS[name] = job


def unregister_job(name: str) -> None:
    """Remove a job from the table (tests that register one of their own clean up with it)."""
    _JOBS.pop(name, None)


def schedules() -> list[Schedule]:
    """The table: every registered job, with its trigger in the configured time zone."""
    return [Schedule(job.name, job.trigger(), job.task, job.kwargs) for job in _JOBS.values()]


def is_waiting(task: Task) -> bool:
    # On either task backend (the database's job table or the Redis queue): core/taskqueue.py.
    from citysafe.core.taskqueue import is_waiting as waiting

    return waiting(task)


def enqueue_scheduled(schedule: Schedule) -> bool:
    """Enqueue one run of `schedule` unless one is already waiting; True if enqueued."""
    if is_waiting(schedule.task):
        logger.info("schedule %r: a run is already waiting, not enqueued again", schedule.name)
        return False
    result = schedule.task.enqueue(**schedule.kwargs)
    logger.info("schedule %r: enqueued %s", schedule.name, result.id)
    return True


def _run_from_scheduler(schedule: Schedule) -> None:
    # The scheduler is long-lived: drop a connection the database closed since the last tick,
    # as Django does around each request.
    close_old_connections()
    try:
        enqueue_scheduled(schedule)
    finally:
        close_old_connections()


def build_scheduler(table: list[Schedule] | None = None) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
    for schedule in table if table is not None else schedules():
        scheduler.add_job(
            _run_from_scheduler, schedule.trigger, args=[schedule], id=schedule.name, name=schedule.name,
            # A missed run (scheduler down, machine asleep) runs once when it can, not once per miss.
            coalesce=True, max_instances=1, misfire_grace_time=None,
        )
    return scheduler
