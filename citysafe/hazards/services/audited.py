"""Field writes that follow a service's audited save: the hazard loop's effects (notice number,
deadline, acceptance and re-inspection dates, closure and de-listing), the area a major hazard
raised, an inspection task marked done. Each is an UPDATE of a few fields after the record's own
audit record was written, so without a record of its own the audit trail (and the change feed
that reads it) would not show it. Here each write leaves one audit record with the before/after
of exactly the fields it wrote — none when nothing changed."""
from django.db.models import Model

from citysafe.core.audit import record_change


def update_audited(instance: Model, *, actor, action: str, values: dict) -> bool:
    """UPDATE `values` on `instance`'s row (and on `instance`), audited as `action`; True when a
    value changed. Call inside the service's transaction."""
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk)
    before = rows.values(*values).get()
    rows.update(**values)
    for key, value in values.items():
        setattr(instance, key, value)
    if all(before[key] == value for key, value in values.items()):
        return False
    record_change(actor=actor, action=action, instance=instance, before=before, after=dict(values))
    return True
