"""Background jobs of data sharing (django-tasks; the worker runs them)."""
from django_tasks import task

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel
from citysafe.sharing.webhooks.delivery import deliver_due
from citysafe.sharing.webhooks.fanout import fan_out


@task()
def deliver_webhooks(limit: int = 500) -> dict:
    """Periodic (every 15 s): turn new audit records into deliveries, then send what is due.
    Idempotent: any number may run at once (the cursor row is locked, deliveries are claimed)."""
    with audit_channel(AuditChannel.WORKER):
        made = 0
        while True:
            read, batch = fan_out()
            made += batch
            if read == 0:
                break
        return {"made": made, **deliver_due(limit)}
