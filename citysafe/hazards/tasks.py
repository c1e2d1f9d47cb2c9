"""Periodic jobs of the hazards app (registered with core.scheduler in HazardsConfig.ready())."""
from django_tasks import task


@task()
def send_hazard_reminders():
    from citysafe.hazards.services.deadlines import send_grouped_reminders

    return send_grouped_reminders()
