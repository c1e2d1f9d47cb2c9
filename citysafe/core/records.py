"""The shared write path for registry-like records: permission, scope, field limits,
optimistic concurrency, one transaction, audit. Services of each app build and validate
the instance; this opens it for writing and saves it.

A service does, inside one transaction:
    instance = open_for_change(actor, Model, pk, data, expected_version=...)   # or
    instance = open_for_create(actor, Model, data, **defaults)
    ... apply and validate `data` ...
    save_record(actor, instance, action=..., before=...)
`save_record` refuses an instance that was not opened through one of these, so a new
service cannot skip the field limits by accident.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.concurrency import StaleRecord, changed_since, is_unchanged


class OutOfScope(PermissionDenied):
    """The record would end up outside the actor's data scope."""


_OPENED = "_citysafe_opened_for_write"


def check_field_limits(actor, instance: Model, data: dict, *, creating: bool) -> None:
    """422 naming every field in `data` the actor's role may not set (scope.FIELD_LIMITS).
    Only values that differ from the record's current ones (for a new record: its defaults)
    count, so a form re-posting an unchanged value passes."""
    allowed = scope.changeable_fields(actor, type(instance), creating=creating)
    if allowed is None:
        return
    errors = ErrorCollector()
    for name in sorted(set(data) - allowed):
        if not is_unchanged(instance, name, data[name]):
            errors.add(name, _("您的角色不能修改该字段"), "field_not_allowed")
    errors.raise_if_any()


def open_for_change(actor, model: type[Model], pk, data: dict, *, expected_version: int | None = None) -> Model:
    """The record to change, locked: role (403), scope (404), version (StaleRecord → 409 or
    the form's conflict message; None = a deliberate update without one, e.g. an import),
    field limits (422). Call inside atomic()."""
    instance = load_for_write(actor, model, pk, scope.Action.CHANGE)
    if expected_version is not None and expected_version != instance.version:
        raise StaleRecord(instance, expected_version, changed_since(instance, expected_version, data))
    check_field_limits(actor, instance, data, creating=False)
    setattr(instance, _OPENED, True)
    return instance


def open_for_create(actor, model: type[Model], data: dict, **defaults) -> Model:
    """A new, unsaved record: role (403) and field limits (422)."""
    scope.require(actor, model, scope.Action.CREATE)
    instance = model(**defaults)
    check_field_limits(actor, model(), data, creating=True)
    setattr(instance, _OPENED, True)
    return instance


def _bump_version(instance: Model) -> None:
    """Claim the next version: the row is updated only where it still has the version this
    write loaded, so even without a row lock a concurrent save cannot be overwritten."""
    claimed = type(instance)._default_manager.filter(pk=instance.pk, version=instance.version).update(
        version=F("version") + 1)
    if claimed != 1:
        current = type(instance)._default_manager.get(pk=instance.pk)
        raise StaleRecord(current, instance.version, [])
    instance.version += 1


def load_for_write(actor, model: type[Model], pk, action: str, include_archived: bool = False) -> Model:
    """Role check (403), then the record inside the actor's scope (404 outside), locked."""
    scope.require(actor, model, action)
    # of=("self",): scope filters may outer-join nullable relations (a person's enterprise),
    # which PostgreSQL refuses to lock; only the record itself needs the lock.
    queryset = scope.narrow(actor, model.objects.select_for_update(of=("self",)), include_archived=include_archived)
    return queryset.get(pk=pk)


def save_record(actor, instance: Model, *, action: str, before: dict | None, m2m: dict | None = None,
                note: str = "") -> Model:
    """Validate scope of the new state, save, set many-to-many, audit. Call inside atomic()."""
    if not getattr(instance, _OPENED, False):
        raise RuntimeError("save_record needs a record from open_for_change / open_for_create (field limits)")
    if not scope.contains(actor, instance):
        raise OutOfScope(_("保存后的记录将超出您的数据范围"))
    try:
        with transaction.atomic():
            if before is not None and hasattr(instance, "version"):
                _bump_version(instance)
            instance.save()
            for name, values in (m2m or {}).items():
                getattr(instance, name).set(values)
    except IntegrityError as exc:
        raise ValidationError({"__all__": [ValidationError(_("数据冲突：%(error)s") % {"error": exc}, code="integrity")]})
    record_change(actor=actor, action=action, instance=instance, before=before, after=snapshot(instance), note=note)
    return instance


@transaction.atomic
def archive_record(actor, model: type[Model], pk, note: str = "") -> Model:
    instance = load_for_write(actor, model, pk, scope.Action.ARCHIVE)
    before = snapshot(instance)
    instance.archived_at = timezone.now()
    instance.archived_by = actor
    instance.version += 1
    instance.save(update_fields=["archived_at", "archived_by", "version", "updated_at"])
    record_change(actor=actor, action="archive", instance=instance, before=before, after=snapshot(instance), note=note)
    return instance


@transaction.atomic
def restore_record(actor, model: type[Model], pk, note: str = "") -> Model:
    instance = load_for_write(actor, model, pk, scope.Action.PURGE, include_archived=True)
    before = snapshot(instance)
    instance.archived_at = None
    instance.archived_by = None
    instance.version += 1
    instance.save(update_fields=["archived_at", "archived_by", "version", "updated_at"])
    record_change(actor=actor, action="restore", instance=instance, before=before, after=snapshot(instance), note=note)
    return instance


@transaction.atomic
def purge_record(actor, model: type[Model], pk, note: str = "") -> None:
    """Hard deletion: admins only, audited with the full last state."""
    instance = load_for_write(actor, model, pk, scope.Action.PURGE, include_archived=True)
    before = snapshot(instance)
    label, object_id, text = instance._meta.label, str(instance.pk), str(instance)
    try:
        with transaction.atomic():
            instance.delete()
    except Exception as exc:  # ProtectedError / RestrictedError: still referenced
        raise ValidationError({"__all__": [ValidationError(
            _("该记录仍被其他数据引用，不能彻底删除：%(error)s") % {"error": exc}, code="protected")]})
    record_change(actor=actor, action="purge", object_type=label, object_id=object_id, object_repr=text,
                  before=before, after=None, note=note)


class ErrorCollector:
    """Gathers field errors so one response names every bad field at once."""

    def __init__(self):
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str):
        self.errors.setdefault(field, []).append(ValidationError(message, code=code))

    def absorb(self, exc: ValidationError):
        for field, errors in exc.error_dict.items():
            self.errors.setdefault(field, []).extend(errors)

    def run(self, check, *args, **kwargs):
        """Run a validator that raises ValidationError; return its value or None."""
        try:
            return check(*args, **kwargs)
        except ValidationError as exc:
            self.absorb(exc)
            return None

    def raise_if_any(self):
        if self.errors:
            raise ValidationError(self.errors)
