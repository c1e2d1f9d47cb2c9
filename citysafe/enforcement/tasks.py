"""Periodic jobs of the enforcement app (registered with core.scheduler in ready())."""
from django_tasks import task


@task()
def mark_overdue_cases():
    from citysafe.enforcement.services.deadlines import mark_overdue

    return mark_overdue()
