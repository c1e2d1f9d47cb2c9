"""Writes of hydrants: role, scope, field rules, one transaction, audit (core.records)."""
from django.db import transaction

from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import check_location
from citysafe.registry.services.fields import apply_fields, require_fields
from tests.kindapp.models import Hydrant

FIELDS = {"code", "name", "status", "note", "township_id", "grid_id", "enterprise_id", "lon", "lat"}


def _check_location(instance, data, errors):
    # Optional; given, it is a point in the county (the picker's numbers, like an enterprise's).
    if ("lon" in data or "lat" in data) and (instance.lon is not None or instance.lat is not None):
        errors.run(check_location, instance.lon, instance.lat)


@transaction.atomic
def create_hydrant(actor, data: dict) -> Hydrant:
    instance, errors = open_for_create(actor, Hydrant, data), ErrorCollector()
    require_fields(data, ["code", "name", "township_id"], errors)
    apply_fields(instance, data, FIELDS, errors, actor=actor)
    _check_location(instance, data, errors)
    errors.raise_if_any()
    return save_record(actor, instance, action="create", before=None)


@transaction.atomic
def update_hydrant(actor, pk, data: dict, *, expected_version: int | None = None) -> Hydrant:
    instance = open_for_change(actor, Hydrant, pk, data, expected_version=expected_version)
    before, errors = snapshot(instance), ErrorCollector()
    apply_fields(instance, data, FIELDS, errors, actor=actor)
    _check_location(instance, data, errors)
    errors.raise_if_any()
    return save_record(actor, instance, action="update", before=before)
