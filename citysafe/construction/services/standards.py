"""Changing the standards tables (scale thresholds, permit rules, gas limits): the county
office's administrators, validated by the model's own fields, audited; rows are never deleted."""
from django.core.exceptions import ValidationError
from django.db import transaction

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot


@transaction.atomic
def save_standard(actor, model, pk, data: dict, expected_version=None):
    scope.require(actor, model, scope.Action.CREATE if pk is None else scope.Action.CHANGE)
    row = model() if pk is None else model.objects.select_for_update().get(pk=pk)
    before = None if pk is None else snapshot(row)
    for key, value in data.items():
        setattr(row, key, value)
    try:
        row.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    row.save()
    record_change(actor=actor, action="create" if pk is None else "update", instance=row, before=before,
                  after=snapshot(row))
    return row
