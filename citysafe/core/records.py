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
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.concurrency import StaleRecord, changed_since, is_unchanged

logger = logging.getLogger(__name__)


class OutOfScope(ValidationError):
    """The record would end up outside the actor's data scope. A bad value, not a missing
    permission: the role may save such records, just not there. So it is a ValidationError on
    the field that places the record (a township officer: `township_id`), naming the user's own
    area — pages re-show the form with what was typed, the API answers 422, imports report it
    on the row. Raised in one place, `save_record`."""

    def __init__(self, actor, instance: Model):
        field, message = out_of_scope_problem(actor, type(instance))
        super().__init__({field or "__all__": [ValidationError(message, code="out_of_scope")]})


def out_of_scope_problem(actor, model: type[Model]) -> tuple[str | None, str]:
    """The field and the words of an out-of-area save: the one wording for pages, the API and
    both import paths (the enterprise bulk import checks scope without save_record)."""
    area = scope.area_of(actor)
    message = (_("保存后该记录将位于您的管辖范围（%(area)s）之外：请检查位置和所属区域") % {"area": area}
               if area else _("保存后的记录将超出您的数据范围"))
    return scope.placing_field(actor, model), message


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
    queryset = scope.narrow(actor, model.objects.select_for_update(of=("self",)), include_archived=include_archived,
                            for_write=True)
    return queryset.get(pk=pk)


def save_record(actor, instance: Model, *, action: str, before: dict | None, m2m: dict | None = None,
                note: str = "") -> Model:
    """Validate scope of the new state, save, set many-to-many, audit. Call inside atomic()."""
    if not getattr(instance, _OPENED, False):
        raise RuntimeError("save_record needs a record from open_for_change / open_for_create (field limits)")
    if not scope.may_write(actor, instance):
        raise OutOfScope(actor, instance)
    try:
        with transaction.atomic():
            if before is not None and hasattr(instance, "version"):
                _bump_version(instance)
            instance.save()
            for name, values in (m2m or {}).items():
                getattr(instance, name).set(values)
    except IntegrityError as exc:
        # The services check uniqueness and references first; this is what slips between that
        # check and the save (a concurrent save). The database's own text names tables and
        # constraints, so it goes to the log only; the user is told which field, if we can tell.
        logger.warning("integrity error saving %s %s: %s", instance._meta.label, instance.pk, exc)
        raise integrity_problem(instance) from None
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
    except (ProtectedError, RestrictedError) as exc:  # still referenced (PROTECT / RESTRICT)
        blockers = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        raise ValidationError({"__all__": [ValidationError(
            _("该记录仍被其他数据引用，不能彻底删除：%(error)s") % {"error": describe_references(blockers)},
            code="protected")]}) from None
    record_change(actor=actor, action="purge", object_type=label, object_id=object_id, object_repr=text,
                  before=before, after=None, note=note)


def integrity_problem(instance: Model) -> ValidationError:
    """A user-facing error for a save the database refused: the fields whose value another
    record holds (one neutral wording: it does not say which record, or where), else a general
    message. Call after the failed savepoint was rolled back."""
    clashes: set[str] = set()
    for check in (instance.validate_unique, instance.validate_constraints):
        try:
            check()
        except ValidationError as exc:
            clashes |= set(getattr(exc, "error_dict", {})) - {"__all__"}
    errors = ErrorCollector()
    for name in sorted(clashes):
        errors.add(name, _("该值不能使用：已被其他记录使用或无权使用"), "unique")
    if not clashes:
        errors.add("__all__", _("保存失败：与其他记录冲突（如编码重复），或所引用的记录已不存在；请检查后重试"),
                   "integrity")
    return ValidationError(errors.errors)


def describe_references(blockers, examples: int = 3) -> str:
    """What still refers to a record, per kind: "企业2条（甲、乙）、人员1条（丙）"."""
    by_kind: dict[str, list[str]] = {}
    for obj in sorted(blockers, key=lambda o: (o._meta.label, o.pk)):
        by_kind.setdefault(str(obj._meta.verbose_name), []).append(str(obj))
    return "、".join(
        _("%(kind)s%(count)d条（%(names)s）") % {
            "kind": kind, "count": len(names), "names": "、".join(names[:examples]) + ("…" if len(names) > examples else "")}
        for kind, names in by_kind.items())


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
