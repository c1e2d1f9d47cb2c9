"""Background jobs of early warnings (django-tasks): fan-out of a published version to its
recipients, the expiry sweep, fetching configured CAP sources."""
from django_tasks import task


@task(queue_name="notifications")
def fan_out_warning(warning_id: int) -> dict:
    """Recipients of a published version → outbox rows (idempotent: per-recipient dedupe keys)."""
    from citysafe.early_warning.delivery import fan_out

    return fan_out(warning_id)


@task()
def expire_warnings_job() -> dict:
    from citysafe.early_warning.services import expire_warnings

    return {"expired": expire_warnings()}


@task()
def fetch_cap_sources() -> dict:
    from citysafe.early_warning.cap_import import fetch_all_sources

    return fetch_all_sources()


@task()
def remind_unacknowledged_job() -> dict:
    from citysafe.early_warning.delivery import remind_unacknowledged

    return {"reminded": remind_unacknowledged()}
