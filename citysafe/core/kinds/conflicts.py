"""The edit-conflict message of the record forms: what someone else changed meanwhile,
field by field, their value against the one this user typed."""
import json

from django import forms
from django.db import models
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.concurrency import StaleRecord


def _related_text(user, model, pks) -> str:
    # Names of related records go through the user's scope: a conflict must not reveal a
    # record the user may not see; those show as their number only.
    visible = {o.pk: str(o) for o in scope.narrow(user, model._default_manager.filter(pk__in=pks))}
    return "、".join(visible.get(pk, f"#{pk}") for pk in pks)


def _stored_text(user, instance, field) -> str:
    if field.many_to_many:
        pks = sorted(getattr(instance, field.name).values_list("pk", flat=True))
        return _related_text(user, field.related_model, pks) or _("（空）")
    value = getattr(instance, field.attname)
    if value in (None, ""):
        return _("（空）")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        return _related_text(user, field.related_model, [value])
    if isinstance(field, models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(value, (dict, list)):
        return _short(json.dumps(value, ensure_ascii=False))
    return str(value)


def _typed_text(form, key: str) -> str:
    value = form.cleaned_data.get(key)
    field = form.fields[key]
    if value in (None, "") or (hasattr(value, "exists") and not value.exists()):
        return _("（空）")
    if isinstance(field, forms.ModelMultipleChoiceField):
        return "、".join(str(o) for o in value)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (dict, list)):
        return _short(json.dumps(value, ensure_ascii=False))
    return str(value)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _form_key(form, field) -> str | None:
    for key in (field.name, f"{field.name}_id", f"{field.name.rstrip('s')}_ids"):
        if key in form.fields:
            return key
    if field.many_to_many:
        stem = field.related_model._meta.model_name
        return f"{stem}_ids" if f"{stem}_ids" in form.fields else None
    return None


def conflict_rows(user, form, exc: StaleRecord) -> list[tuple[str, str, str]]:
    """(field label, their value now, the value this user typed) for each field changed
    meanwhile that the form shows; changes to fields outside the form are listed with "—"."""
    rows = []
    opts = exc.instance._meta
    for name in exc.changed:
        field = opts.get_field(name)
        key = _form_key(form, field)
        yours = _typed_text(form, key) if key else "—"
        rows.append((str(form.fields[key].label if key else field.verbose_name),
                     _stored_text(user, exc.instance, field), yours))
    return rows


def keep_typed_values_with_new_version(form, exc: StaleRecord) -> None:
    """Re-show what the user typed, now based on the current version: saving again after
    reading the message is a deliberate choice to keep their values."""
    data = form.data.copy()
    data["version"] = str(exc.current_version)
    form.data = data
