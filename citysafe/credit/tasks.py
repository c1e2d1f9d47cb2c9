"""Periodic jobs of the credit app (registered with core.scheduler in ready())."""
from django_tasks import task


@task()
def expire_list_entries():
    from citysafe.credit.services.entries import expire_entries

    return expire_entries()
