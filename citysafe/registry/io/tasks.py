"""Background jobs (django-tasks, database backend; worker: `manage.py db_worker`)."""
from django_tasks import task

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel
from citysafe.registry.io import jobs


@task()
def run_import_job(job_id: int) -> dict:
    with audit_channel(AuditChannel.IMPORT):
        return jobs.run_import(job_id)


@task()
def run_export_job(job_id: int) -> dict:
    with audit_channel(AuditChannel.WORKER):
        return jobs.run_export(job_id)


@task()
def sweep_stale_import_jobs() -> int:
    """Periodic (core/scheduler.py): imports left 处理中 by a killed worker end as failed."""
    with audit_channel(AuditChannel.WORKER):
        return jobs.sweep_stale_imports()
