"""Shared helpers for page tests: form payloads built from a record, audit look-ups."""
import json

from django.db.models import Model

from citysafe.core.audit_models import AuditRecord
from tests.scope_oracle import split


def form_payload(initial: dict) -> dict:
    """What a browser would submit for a form showing `initial` unchanged."""
    data = {}
    for name, value in initial.items():
        if value is None:
            data[name] = ""
        elif isinstance(value, Model):
            data[name] = str(value.pk)
        elif isinstance(value, (dict, list)) and not (isinstance(value, list) and all(isinstance(v, int) for v in value)):
            data[name] = json.dumps(value)
        else:
            data[name] = value
    return data


def outside_record(user, model):
    """A live record of `model` that `user` should not see (tests/scope_oracle.py, not core.scope)."""
    _inside, outside = split(user, model)
    return outside[0] if outside else None


def inside_record(user, model, world=None):
    """A record `user` should see (tests/scope_oracle.py); for an enterprise officer whose
    enterprise owns no place yet, one is registered for it (as the admin, through the service)."""
    inside, _outside = split(user, model)
    found = inside[0] if inside else None
    if found is None and model._meta.label == "registry.Place" and user.enterprise_id:
        from citysafe.registry.services import create_place

        ent = user.enterprise
        found = create_place(world.admin, {
            "name": f"{ent.name}厂房", "place_type": "other", "owner_enterprise_id": ent.pk,
            "geometry": {"type": "Point", "coordinates": [ent.lon, ent.lat]}})
    return found


def audits_for(obj, **filters):
    """Audit records of changes made through the pages to `obj`."""
    filters.setdefault("channel", "page")
    return AuditRecord.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk), **filters)
