"""The schedule table enqueues jobs (never runs them), and twice is as good as once — on both
task backends (task_backend: the database and a real redis-server)."""
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from citysafe.core.scheduler import build_scheduler, enqueue_scheduled, schedules
from citysafe.core.tasks import prune_task_results
from citysafe.notifications.models import InboxMessage
from citysafe.notifications.services import notify
from tests.worker.queues import finish_waiting, waiting_task_paths

SWEEP_PATH = "citysafe.notifications.tasks.deliver_notifications"


def schedule_named(name):
    return next(s for s in schedules() if s.name == name)


def test_the_table_holds_the_retry_sweep_and_the_pruning(db):
    table = {s.name: s for s in schedules()}
    assert table["notification retry sweep"].task.module_path == SWEEP_PATH
    assert table["notification retry sweep"].trigger.interval == timedelta(seconds=30)
    assert table["prune finished task results"].task.module_path == "citysafe.core.tasks.prune_task_results"
    scheduler = build_scheduler()
    assert {job.name for job in scheduler.get_jobs()} == set(table)


def test_a_scheduled_run_is_enqueued_not_executed_and_not_piled_up(task_backend, world):
    [row] = notify(world.admin, kind="test", subject="调度测试")
    DBTaskResult.objects.all().delete()
    finish_waiting(SWEEP_PATH)
    sweep = schedule_named("notification retry sweep")

    assert enqueue_scheduled(sweep) is True
    # A second scheduler (or a missed tick) while the first run still waits adds nothing.
    assert enqueue_scheduled(sweep) is False
    assert waiting_task_paths().count(SWEEP_PATH) == 1
    assert not InboxMessage.objects.filter(notification=row).exists()  # the scheduler did no delivery work

    finish_waiting(SWEEP_PATH)
    assert enqueue_scheduled(sweep) is True


def test_run_scheduler_once_enqueues_every_schedule(task_backend, db, capsys):
    DBTaskResult.objects.all().delete()
    call_command("run_scheduler", "--once")
    paths = set(waiting_task_paths())
    assert paths == {SWEEP_PATH, "citysafe.core.tasks.prune_task_results", "citysafe.core.tasks.reclaim_abandoned_jobs",
                     "citysafe.core.tasks.refresh_query_statistics",
                     "citysafe.registry.io.tasks.sweep_stale_import_jobs",
                     "citysafe.core.workflow.tasks.sweep_deadlines",
                     "citysafe.risks.tasks.send_reassessment_reminders",
                     "citysafe.emergency.reminders.send_emergency_reminders",
                     "citysafe.monitoring.tasks.sweep_alarms", "citysafe.monitoring.tasks.apply_retention",
                     "citysafe.early_warning.tasks.expire_warnings_job", "citysafe.early_warning.tasks.fetch_cap_sources",
                     "citysafe.early_warning.tasks.remind_unacknowledged_job",
                     "citysafe.hazards.tasks.send_hazard_reminders",
                     "citysafe.siting.tasks.recompute_conflicts_job", "citysafe.siting.tasks.rematch_catalogue_job",
                     "citysafe.assessment.tasks.warn_overdue_targets",
                     "citysafe.enforcement.tasks.mark_overdue_cases", "citysafe.credit.tasks.expire_list_entries",
                     "citysafe.dashboard.tasks.generate_periodic_reports", "citysafe.sharing.tasks.deliver_webhooks"}


def test_pruning_removes_only_old_finished_results(db):
    DBTaskResult.objects.all().delete()
    old = prune_task_results.enqueue()
    recent = prune_task_results.enqueue()
    waiting = prune_task_results.enqueue()
    long_ago = timezone.now() - timedelta(days=30)
    DBTaskResult.objects.filter(pk=old.id).update(status="SUCCESSFUL", finished_at=long_ago)
    DBTaskResult.objects.filter(pk=recent.id).update(status="FAILED", finished_at=timezone.now())
    DBTaskResult.objects.filter(pk=waiting.id).update(enqueued_at=long_ago)

    assert prune_task_results.call() == {"deleted": 1}
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {recent.db_result.pk, waiting.db_result.pk}
    assert prune_task_results.call() == {"deleted": 0}


def test_an_app_registers_its_own_periodic_job(db):
    """Apps add periodic jobs from their AppConfig.ready(), not by editing core/scheduler.py:
    the notification sweep comes from the notifications app, and a new job shows in the table,
    the scheduler and `run_scheduler --list`."""
    import io

    import pytest
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from citysafe.core.scheduler import register_job, unregister_job

    assert schedule_named("notification retry sweep").task.module_path == SWEEP_PATH
    register_job("test: nightly pruning twice", prune_task_results, cron={"hour": 4, "minute": 5},
                 kwargs={"min_age_days": 2})
    try:
        job = schedule_named("test: nightly pruning twice")
        assert job.kwargs == {"min_age_days": 2} and str(job.trigger.timezone) == settings.TIME_ZONE
        assert "test: nightly pruning twice" in {j.name for j in build_scheduler().get_jobs()}
        out = io.StringIO()
        call_command("run_scheduler", "--list", stdout=out)
        assert "test: nightly pruning twice" in out.getvalue()
        with pytest.raises(ImproperlyConfigured):  # one name, one job
            register_job("test: nightly pruning twice", prune_task_results, every={"hours": 1})
    finally:
        unregister_job("test: nightly pruning twice")
    assert "test: nightly pruning twice" not in {s.name for s in schedules()}
