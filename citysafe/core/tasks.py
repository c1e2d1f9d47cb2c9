"""Housekeeping jobs of the platform itself (django-tasks)."""
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def prune_task_results(min_age_days: int | None = None) -> dict:
    """Delete finished (successful or failed) job rows older than the retention period.
    Idempotent: a second run finds nothing older to delete."""
    days = min_age_days if min_age_days is not None else getattr(settings, "TASK_RESULT_RETENTION_DAYS", 14)
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return {"deleted": deleted}


@task()
def reclaim_abandoned_jobs() -> dict:
    """Run again the jobs a killed worker left RUNNING (the rule: core/taskqueue.py). Idempotent:
    a job is reclaimed by one run only (a conditional update / rq's atomic requeue)."""
    from citysafe.core.taskqueue import reclaim_abandoned

    return {"reclaimed": reclaim_abandoned()}


@task()
def refresh_query_statistics() -> dict:
    """SQLite: refresh the query planner's statistics (ANALYZE, sampled). Without them SQLite
    picks the archived_at index for a map view or a list by name and reads every row (a province
    map view 10 s instead of 5 s, a street view 2.4 s instead of 24 ms: bench/README.md).
    PostgreSQL's autovacuum keeps its statistics itself, so there is nothing to do there."""
    if connection.vendor != "sqlite":
        return {"analyzed": False, "reason": connection.vendor}
    with connection.cursor() as cursor:
        # A bounded sample per index keeps the run short on a large database (sqlite.org/lang_analyze.html).
        cursor.execute("PRAGMA analysis_limit=2000")
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM sqlite_stat1")
        rows = cursor.fetchone()[0]
    return {"analyzed": True, "statistics_rows": rows}
