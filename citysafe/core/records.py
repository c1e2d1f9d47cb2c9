"""The shared write path for registry-like records: permission, scope, one transaction,
audit. Services of each app build and validate the instance; this saves it."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot


class OutOfScope(PermissionDenied):
    """The record would end up outside the actor's data scope."""


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
    if not scope.contains(actor, instance):
        raise OutOfScope(_("保存后的记录将超出您的数据范围"))
    try:
        with transaction.atomic():
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
    instance.save(update_fields=["archived_at", "archived_by", "updated_at"])
    record_change(actor=actor, action="archive", instance=instance, before=before, after=snapshot(instance), note=note)
    return instance


@transaction.atomic
def restore_record(actor, model: type[Model], pk, note: str = "") -> Model:
    instance = load_for_write(actor, model, pk, scope.Action.PURGE, include_archived=True)
    before = snapshot(instance)
    instance.archived_at = None
    instance.archived_by = None
    instance.save(update_fields=["archived_at", "archived_by", "updated_at"])
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
