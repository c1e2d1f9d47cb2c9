"""Background jobs of the siting app (django-tasks)."""
from django_tasks import task


@task()
def recompute_conflicts_job(note: str = "") -> dict:
    """Re-run the conflict analysis (after a place, an installation or a rule changed; nightly)."""
    from citysafe.siting.services.conflicts import recompute_conflicts

    return recompute_conflicts(note=note)


@task()
def rematch_catalogue_job(note: str = "") -> dict:
    """Re-match enterprises to the restricted / obsolete industry catalogue (an enterprise changed; nightly)."""
    from citysafe.siting.services.catalogue import rematch

    return rematch(note=note)
