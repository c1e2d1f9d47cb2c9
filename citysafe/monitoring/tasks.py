"""Periodic monitoring jobs (registered in MonitoringConfig.ready()): the alarm sweep
(evaluations and alarm follow-ups lost with a killed process, escalation, repeated
notification, offline) every minute and the retention of raw readings daily."""
from django_tasks import task


@task()
def sweep_alarms() -> dict:
    from citysafe.monitoring.services.alarms import reconcile_follow_ups, sweep_unacknowledged
    from citysafe.monitoring.services.evaluator import catch_up
    from citysafe.monitoring.services.offline import sweep_offline
    from citysafe.monitoring.services.vehicles import sweep_silent

    return {"caught_up": catch_up(), "followed_up": reconcile_follow_ups(), "notified": sweep_unacknowledged(),
            "offline": sweep_offline(), "vehicles_silent": sweep_silent()}


@task()
def apply_retention() -> int:
    from citysafe.monitoring.services.partitions import apply_retention as retain

    return retain()
