"""Background jobs of the notification outbox (django-tasks; the job is only a wake-up call,
the outbox rows are the work, so any task backend will do — see services._enqueue_delivery)."""
from django_tasks import task

from citysafe.notifications.delivery import deliver_due

BATCH = 500


@task(queue_name="notifications")
def deliver_notifications(limit: int = BATCH) -> dict:
    """Drain due notifications. Idempotent: any number of these may be queued or run at once
    (notify() enqueues one per call, the scheduler one every 30 s); each row is delivered by
    whichever job claims it first. A long backlog is worked off in batches so that one job
    does not hold a worker forever."""
    report = deliver_due(limit=limit)
    if report.more_due:
        deliver_notifications.enqueue(limit=limit)
    return report.as_dict()
