"""Periodic jobs of the assessment app (registered with core.scheduler in ready())."""
from django_tasks import task


@task()
def warn_overdue_targets():
    from citysafe.assessment.services.targets import warn_overdue

    return warn_overdue()
