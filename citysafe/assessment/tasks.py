"""Periodic jobs of the assessment app (registered with core.scheduler in ready())."""
from django_tasks import task


@task()
def warn_overdue_targets():
    from citysafe.assessment.services.target_metrics import refresh_computed
    from citysafe.assessment.services.targets import warn_overdue

    refresh_computed()  # computed targets first, so the warnings judge today's values
    return warn_overdue()
