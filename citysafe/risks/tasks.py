"""Background jobs of the risks app (django-tasks), registered with the scheduler in ready()."""
from django_tasks import task


@task()
def send_reassessment_reminders() -> int:
    """Daily: tell the responsible users about risk points whose reassessment is due within
    30 days or overdue, through the notification outbox (once per point, due date and stage)."""
    from citysafe.risks.services.reminders import remind_reassessments

    return remind_reassessments()
