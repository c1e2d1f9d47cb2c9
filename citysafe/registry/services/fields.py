"""Applying submitted values to a model instance, with an error per bad field.

This is the one place every registry write path (API, pages, imports, admin) sets plain
fields, so the input rules live here: numbers are numbers (a bool is never an id or a count,
text only as a plain numeral), text is text without control or invisible characters, and the
model field's own validators (length, integer range of the database column) run too.
"""
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from citysafe.core import references
from citysafe.core.records import ErrorCollector
from citysafe.core.validation import parse_number, text_message, text_problem


def apply_fields(instance: models.Model, data: dict, allowed: set[str], errors: ErrorCollector, *, actor) -> None:
    """Set plain, choice and foreign-key (`<name>_id`) fields named in `allowed`, for `actor`
    (whose data scope limits what a foreign key may point at).

    The names applied are remembered on the instance (`submitted_fields`), so that later rules
    can tell a value the caller gave from one the record already had (see placement)."""
    unknown = set(data) - allowed
    for name in sorted(unknown):
        errors.add(name, _("不允许修改该字段"), "field_not_allowed")
    instance.submitted_fields = frozenset(allowed & set(data))
    for name in allowed & set(data):
        value = data[name]
        field = _field(instance, name)
        if isinstance(field, models.ForeignKey):
            # What a user may point a reference at is decided in core.scope (declared per model).
            references.set_reference(actor, instance, name, field, value, errors)
            continue
        value, problem = _typed(field, value)
        if problem:
            errors.add(name, *problem)
            continue
        if field.choices and value not in dict(field.choices):
            errors.add(name, _("取值无效，可选：%(choices)s") % {
                "choices": "、".join(str(label) for _, label in field.choices)}, "choice")
            continue
        if value in ("", None) and not (field.blank or field.null):
            errors.add(name, _("此字段为必填项"), "required")
            continue
        if value in ("", None) and field.null:
            value = None
        if isinstance(value, str) and field.max_length and len(value) > field.max_length:
            errors.add(name, _("长度不能超过%(n)s个字符") % {"n": field.max_length}, "max_length")
            continue
        if value not in ("", None):
            try:
                field.run_validators(value)  # model validation: e.g. the column's integer range
            except ValidationError as exc:
                for error in exc.error_list:
                    errors.add(name, str(error.message % error.params if error.params else error.message),
                               error.code or "invalid")
                continue
        setattr(instance, field.attname, value)


def _typed(field, value) -> tuple[object, tuple[str, str] | None]:
    """The value in the field's type, or a (message, code) problem."""
    if isinstance(field, (models.CharField, models.TextField)):
        if value is None:
            return ("" if not field.null else None), None
        if not isinstance(value, str):
            return value, (_("必须是文本"), "text_type")
        value = value.strip()
        problem = text_problem(value, multiline=isinstance(field, models.TextField))
        if problem:
            return value, (text_message(problem), "text_characters")
        return value, None
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            return value, (_("必须是布尔值（是/否）"), "boolean")
        return value, None
    if isinstance(field, models.FloatField):
        if value in ("", None):
            return value, None
        number = parse_number(value)
        return number, (None if number is not None else (_("必须是数字"), "number"))
    if isinstance(field, models.IntegerField):  # PositiveIntegerField is one
        if value in ("", None):
            return value, None
        number = parse_number(value, integer=True)
        if number is None:
            return value, (_("必须是整数"), "integer")
        if isinstance(field, models.PositiveIntegerField) and number < 0:
            return number, (_("不能为负数"), "min_value")
        return number, None
    return value, None


def require_fields(data: dict, names: list[str], errors: ErrorCollector) -> None:
    for name in names:
        if data.get(name) in (None, ""):
            errors.add(name, _("此字段为必填项"), "required")


def _field(instance, name: str):
    key = name[:-3] if name.endswith("_id") else name
    return instance._meta.get_field(key)
