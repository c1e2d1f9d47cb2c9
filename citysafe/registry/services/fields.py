"""Applying submitted values to a model instance, with an error per bad field."""
from django.db import models
from django.utils.translation import gettext as _

from citysafe.core import references
from citysafe.core.records import ErrorCollector


def apply_fields(instance: models.Model, data: dict, allowed: set[str], errors: ErrorCollector, *, actor) -> None:
    """Set plain, choice and foreign-key (`<name>_id`) fields named in `allowed`, for `actor`
    (whose data scope limits what a foreign key may point at)."""
    unknown = set(data) - allowed
    for name in sorted(unknown):
        errors.add(name, _("不允许修改该字段"), "field_not_allowed")
    for name in allowed & set(data):
        value = data[name]
        field = _field(instance, name)
        if isinstance(field, models.ForeignKey):
            # What a user may point a reference at is decided in core.scope (declared per model).
            references.set_reference(actor, instance, name, field, value, errors)
            continue
        if isinstance(value, str):
            value = value.strip()
        if field.choices and value not in dict(field.choices):
            errors.add(name, _("取值无效，可选：%(choices)s") % {
                "choices": "、".join(str(label) for _, label in field.choices)}, "choice")
            continue
        if isinstance(field, (models.FloatField,)):
            try:
                value = float(value)
            except (TypeError, ValueError):
                errors.add(name, _("必须是数字"), "number")
                continue
        if isinstance(field, (models.IntegerField, models.PositiveIntegerField)) and value not in ("", None):
            try:
                value = int(value)
            except (TypeError, ValueError):
                errors.add(name, _("必须是整数"), "integer")
                continue
            if isinstance(field, models.PositiveIntegerField) and value < 0:
                errors.add(name, _("不能为负数"), "min_value")
                continue
        if value in ("", None) and not (field.blank or field.null):
            errors.add(name, _("此字段为必填项"), "required")
            continue
        if value in ("", None) and field.null:
            value = None
        if isinstance(value, str) and field.max_length and len(value) > field.max_length:
            errors.add(name, _("长度不能超过%(n)s个字符") % {"n": field.max_length}, "max_length")
            continue
        setattr(instance, field.attname, value)


def require_fields(data: dict, names: list[str], errors: ErrorCollector) -> None:
    for name in names:
        if data.get(name) in (None, ""):
            errors.add(name, _("此字段为必填项"), "required")


def _field(instance, name: str):
    key = name[:-3] if name.endswith("_id") else name
    return instance._meta.get_field(key)
