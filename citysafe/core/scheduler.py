"""Periodic jobs: a table of schedules, and the APScheduler that enqueues them.

The scheduler only *enqueues* django-tasks jobs; workers run them. So the scheduler holds no
state worth keeping and any number may run (two by accident, or one per machine): every
scheduled task is idempotent, and a job that is already waiting in the queue is not queued
a second time, so a stopped worker does not come back to a pile of identical jobs.
"""
import logging
from dataclasses import dataclass, field

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.db import close_old_connections
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from citysafe.core.tasks import prune_task_results
from citysafe.core.workflow.tasks import sweep_deadlines
from citysafe.notifications.tasks import deliver_notifications
from citysafe.registry.io.tasks import sweep_stale_import_jobs

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    name: str
    trigger: BaseTrigger
    task: Task
    kwargs: dict = field(default_factory=dict)


def schedules() -> list[Schedule]:
    """The table. Add a row for each new periodic job (its task lives in <app>/tasks.py)."""
    zone = settings.TIME_ZONE
    return [
        Schedule("notification retry sweep", IntervalTrigger(seconds=30, timezone=zone), deliver_notifications),
        Schedule("workflow deadline sweep", IntervalTrigger(minutes=5, timezone=zone), sweep_deadlines),
        Schedule("prune finished task results", CronTrigger(hour=3, minute=17, timezone=zone), prune_task_results),
        Schedule("stale import job sweep", IntervalTrigger(minutes=5, timezone=zone), sweep_stale_import_jobs),
    ]


def is_waiting(task: Task) -> bool:
    return DBTaskResult.objects.ready().filter(task_path=task.module_path).exists()


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
