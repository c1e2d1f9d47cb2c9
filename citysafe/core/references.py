"""Setting references (foreign keys, many-to-many) on behalf of a user — one rule for every
write path (services through apply_fields, pages, API, imports, admin).

`core.scope.reference_targets` says what a user may point a field at (declared per model in
`references`, see scope_fields.Ref). Here it is applied:

- a new value must be one of those targets; a field without a declaration cannot be set;
- an unchanged value is kept whatever it points at: a link set by someone with a wider scope
  (an admin) survives when a township officer edits other fields of the record;
- one message, whether the target does not exist, is archived, is of the wrong kind or lies
  outside the user's scope, so a reply never confirms that a record exists elsewhere.
"""
from django.db import models
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.validation import parse_number


def unavailable_message(field, ids: list[str] | None = None) -> str:
    if ids:
        return _("所选的%(field)s不存在、类型不符或不在您的数据范围内：%(ids)s") % {
            "field": field.verbose_name, "ids": "、".join(ids)}
    return _("所选的%(field)s不存在、类型不符或不在您的数据范围内") % {"field": field.verbose_name}


# Database keys are signed 64-bit: a larger number names no record (and must not reach the driver).
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """An id as submitted: an integer, or a string of digits; never a boolean (True is not 1)."""
    if isinstance(value, models.Model):
        return value.pk
    number = parse_number(value, integer=True)
    return number if number is not None and 1 <= number <= MAX_ID else None


def is_id_like(value) -> bool:
    """Whole numbers (even outside the key range) are ids that name no record; anything else
    (a boolean, a fraction, text) is not an id at all."""
    return isinstance(value, models.Model) or parse_number(value, integer=True) is not None


def set_reference(actor, instance: models.Model, key: str, field: models.ForeignKey, value, errors) -> None:
    """Set foreign key `field` (submitted under `key`) on `instance` for `actor`, or add an error."""
    if value in ("", None):
        if not field.null:
            errors.add(key, _("此字段为必填项"), "required")
            return
        setattr(instance, field.attname, None)
        return
    if not is_id_like(value):
        errors.add(key, _("必须是整数编号"), "integer")
        return
    pk = parse_id(value)
    if pk is not None and instance.pk is not None and getattr(instance, field.attname) == pk:
        return  # unchanged
    model = type(instance)
    if scope.reference_rule(model, field.name) is None:
        errors.add(key, _("不允许修改该字段"), "field_not_allowed")
        return
    target = None if pk is None else scope.reference_targets(actor, model, field.name).filter(pk=pk).first()
    if target is None:
        errors.add(key, unavailable_message(field), "not_found")
        return
    setattr(instance, field.name, target)


def check_many(actor, instance: models.Model, name: str, values, errors, key: str | None = None) -> list[int] | None:
    """Ids for many-to-many `name` of `instance`, each new one allowed for `actor`; None on error.
    Ids already linked stay allowed (see the module docstring)."""
    key = key or name
    field = instance._meta.get_field(name)
    ids, bad = [], []
    for value in values or []:
        pk = parse_id(value)
        if pk is None:
            bad.append(str(value))
        elif pk not in ids:
            ids.append(pk)
    current = set(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else set()
    new = [pk for pk in ids if pk not in current]
    if new and scope.reference_rule(type(instance), name) is None:
        errors.add(key, _("不允许修改该字段"), "field_not_allowed")
        return None
    allowed = allowed_ids(actor, type(instance), name, new)
    bad += [str(pk) for pk in new if pk not in allowed]
    if bad:
        errors.add(key, unavailable_message(field, bad), "not_found")
        return None
    return ids


def allowed_ids(actor, model: type[models.Model], name: str, ids) -> set[int]:
    """Which of `ids` `actor` may point `model.name` at — one query, for batch paths (imports)."""
    ids = {parse_id(pk) for pk in ids} - {None}
    if not ids:
        return set()
    return set(scope.reference_targets(actor, model, name).filter(pk__in=ids).values_list("pk", flat=True))
