"""Optimistic concurrency for record edits, and comparing submitted values with stored ones.

Every editable record has an integer `version` (core.models.VersionedModel). A page form
or an API PATCH carries the version it was made on; if the record has moved on since,
the write path (core.records.open_for_change) raises `StaleRecord` instead of silently
overwriting the other person's change. What changed meanwhile is read back from the audit
trail (each audited snapshot carries the version), so the conflict can say which fields
someone else changed.

Hand-written rather than django-concurrency: that library raises on a stale save but does
not know our services (which take a version as a plain argument), the audit trail or the
field labels a conflict message must show; the check itself is one comparison under the
row lock plus a conditional UPDATE.
"""
import json
import math

from django.db import models
from django.utils.translation import gettext as _

# Bookkeeping columns: never shown as "changed meanwhile".
BOOKKEEPING = {"id", "version", "entered_at", "created_at", "updated_at", "archived_by", "min_lon", "min_lat", "max_lon", "max_lat"}
# How far back to look in the audit trail for the version an editor read.
AUDIT_LOOKBACK = 200


def service_field(model: type[models.Model], key: str):
    """The model field a service key names: `x_id` a foreign key, `x_ids` a many-to-many,
    otherwise the field itself; None if there is none."""
    opts = model._meta
    if key.endswith("_ids"):
        stem = key[:-4]
        for field in opts.many_to_many:
            if field.name.startswith(stem) or field.related_model._meta.model_name == stem:
                return field
        return None
    try:
        field = opts.get_field(key[:-3] if key.endswith("_id") else key)
    except Exception:  # FieldDoesNotExist: an unknown key is never "unchanged"
        return None
    return field if getattr(field, "concrete", False) or field.many_to_many else None


def current_value(instance: models.Model, field):
    if field.many_to_many:
        return sorted(getattr(instance, field.name).values_list("pk", flat=True)) if instance.pk else []
    return getattr(instance, field.attname)


def _canonical(value):
    """JSON with floats rounded (1e-9 degrees is well below survey precision), for geometry."""
    def rounded(v):
        if isinstance(v, float):
            return round(v, 9)
        if isinstance(v, list):
            return [rounded(i) for i in v]
        if isinstance(v, dict):
            return {k: rounded(i) for k, i in v.items()}
        return v
    return json.dumps(rounded(value), sort_keys=True)


def same_value(field, stored, submitted) -> bool:
    if isinstance(submitted, models.Model):
        submitted = submitted.pk
    if submitted in ("", None) or stored in ("", None):
        if field.many_to_many:
            return not stored and not submitted
        return submitted in ("", None) and stored in ("", None)
    try:
        if field.many_to_many:
            return sorted({int(i) for i in submitted}) == sorted(stored)
        if isinstance(field, models.ForeignKey):
            return str(stored) == str(getattr(submitted, "pk", submitted))
        if isinstance(field, models.JSONField):
            return _canonical(stored) == _canonical(submitted)
        if isinstance(field, models.BooleanField):
            return isinstance(submitted, bool) and submitted == stored
        if isinstance(field, models.FloatField):
            return math.isclose(float(submitted), float(stored), rel_tol=0, abs_tol=1e-9)
        if isinstance(field, models.IntegerField):
            return int(submitted) == int(stored)
    except (TypeError, ValueError):
        return False
    return str(submitted).strip() == str(stored).strip()


def is_unchanged(instance: models.Model, key: str, submitted) -> bool:
    """Would setting service key `key` to `submitted` leave `instance` as it is?"""
    field = service_field(type(instance), key)
    if field is None:
        return False
    return same_value(field, current_value(instance, field), submitted)


def changed_since(instance: models.Model, version: int, data: dict) -> list[str]:
    """Names of the fields changed since `version`: the audited snapshot taken at that version
    against the record now; failing that (history older than versions, a bulk update), the
    submitted fields whose stored value differs."""
    from citysafe.core.audit import snapshot
    from citysafe.core.audit_models import AuditRecord

    befores = AuditRecord.objects.filter(
        object_type=instance._meta.label, object_id=str(instance.pk),
    ).order_by("-id").values_list("before", flat=True)[:AUDIT_LOOKBACK]
    then = next((b for b in befores if isinstance(b, dict) and b.get("version") == version), None)
    fields = {f.attname: f for f in instance._meta.concrete_fields}
    fields.update({f.name: f for f in instance._meta.many_to_many})
    if then is not None:
        now = snapshot(instance)
        return [fields[key].name for key in now
                if key in fields and fields[key].name not in BOOKKEEPING and key in then and now[key] != then[key]]
    names = []
    for key, value in data.items():
        field = service_field(type(instance), key)
        if field is not None and field.name not in BOOKKEEPING and not same_value(field, current_value(instance, field), value):
            names.append(field.name)
    return names


class StaleRecord(Exception):
    """The record changed since the caller read it: nothing was written."""

    def __init__(self, instance: models.Model, expected_version: int, changed: list[str]):
        self.instance = instance
        self.expected_version = expected_version
        self.current_version = instance.version
        self.changed = changed
        super().__init__(self.message())

    def labels(self) -> list[str]:
        return [str(self.instance._meta.get_field(name).verbose_name) for name in self.changed]

    def message(self) -> str:
        text = _("记录已被他人修改：您编辑的是第%(yours)s版，当前是第%(current)s版。请重新读取后再保存。") % {
            "yours": self.expected_version, "current": self.current_version}
        if self.changed:
            text += _("已变更：%(fields)s") % {"fields": "、".join(self.labels())}
        return text
