"""Recompute on change: a saved place, major hazard installation or rule enqueues the conflict
analysis after its transaction commits (post_save signals: the registry and risks stay unaware
of this app). The job reads the whole registry once; repeated saves in one request enqueue once.
A saved enterprise or catalogue item (an archive too) likewise re-matches the restricted /
obsolete industry catalogue (services.catalogue; an item edit through the service also re-matches at once)."""
from django.db import transaction
from django.db.models.signals import post_save

from citysafe.registry.models import Enterprise, Place
from citysafe.risks.models import MajorHazardInstallation
from citysafe.siting.models import RestrictedIndustryItem, SafetyDistanceRule
from citysafe.siting.sites import HAZARDOUS_PLACE_TYPES, SENSITIVE_PLACE_TYPES

_UID = "citysafe.siting.hooks"
_RELEVANT_TYPES = set(HAZARDOUS_PLACE_TYPES) | set(SENSITIVE_PLACE_TYPES)


def _enqueue(note: str) -> None:
    connection = transaction.get_connection()
    # One job per transaction: skip when this transaction already holds our callback (a rolled
    # back one dropped it from run_on_commit, so a stale reference never blocks the next).
    queued = getattr(connection, "_siting_recompute", None)
    if queued is not None and any(entry[1] is queued for entry in connection.run_on_commit):
        return

    def send():
        from citysafe.siting.tasks import recompute_conflicts_job

        recompute_conflicts_job.enqueue(note=note)

    connection._siting_recompute = send
    transaction.on_commit(send)


def _on_place(sender, instance, raw=False, **kwargs):
    # a type change out of the relevant set must also recompute (the old pair goes away):
    # any place that is or may have been relevant — cheap to over-trigger, one job per commit
    if not raw and (instance.place_type in _RELEVANT_TYPES or getattr(instance, "version", 1) > 1):
        _enqueue(f"registry.Place:{instance.pk}")


def _on_installation(sender, instance, raw=False, **kwargs):
    if not raw:
        _enqueue(f"risks.MajorHazardInstallation:{instance.pk}")


def _on_rule(sender, instance, raw=False, **kwargs):
    if not raw:
        _enqueue(f"siting.SafetyDistanceRule:{instance.pk}")


def _enqueue_rematch(note: str) -> None:
    connection = transaction.get_connection()
    queued = getattr(connection, "_siting_rematch", None)
    if queued is not None and any(entry[1] is queued for entry in connection.run_on_commit):
        return

    def send():
        from citysafe.siting.tasks import rematch_catalogue_job

        rematch_catalogue_job.enqueue(note=note)

    connection._siting_rematch = send
    transaction.on_commit(send)


def _on_enterprise(sender, instance, raw=False, **kwargs):
    if not raw:
        _enqueue_rematch(f"registry.Enterprise:{instance.pk}")


def _on_catalogue_item(sender, instance, raw=False, **kwargs):
    if not raw:
        _enqueue_rematch(f"siting.RestrictedIndustryItem:{instance.pk}")


def connect() -> None:
    post_save.connect(_on_place, sender=Place, dispatch_uid=f"{_UID}.place")
    post_save.connect(_on_installation, sender=MajorHazardInstallation, dispatch_uid=f"{_UID}.installation")
    post_save.connect(_on_rule, sender=SafetyDistanceRule, dispatch_uid=f"{_UID}.rule")
    post_save.connect(_on_enterprise, sender=Enterprise, dispatch_uid=f"{_UID}.enterprise")
    post_save.connect(_on_catalogue_item, sender=RestrictedIndustryItem, dispatch_uid=f"{_UID}.catalogue_item")
