"""The one periodic job that runs every registered deadline sweep (scheduled in core.scheduler)."""
from django_tasks import task

from citysafe.core.workflow.deadlines import run_deadline_sweeps


@task()
def sweep_deadlines() -> dict:
    """Idempotent: each notice is sent once per state entry (see deadlines.run_sweep)."""
    return run_deadline_sweeps()
