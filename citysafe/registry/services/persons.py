from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.roles import Role
from citysafe.core.validation import check_id_number, check_phone
from citysafe.registry.models import Person
from citysafe.registry.services.fields import apply_fields, require_fields
from citysafe.registry.services.placement import place_in_areas

PERSON_FIELDS = {"name", "phone", "id_number", "title", "organisation_id", "enterprise_id", "township_id",
                 "grid_id", "is_synthetic"}
REQUIRED = ["name", "phone"]


def id_number_unavailable() -> str:
    return _("该身份证号码不能使用：已登记或无权使用")


def _validate(actor, instance: Person, data: dict, errors: ErrorCollector) -> None:
    data = dict(data)
    if "phone" in data:
        data["phone"] = errors.run(check_phone, data["phone"]) or data["phone"]
    if data.get("id_number"):
        data["id_number"] = errors.run(check_id_number, data["id_number"]) or data["id_number"]
    apply_fields(instance, data, PERSON_FIELDS, errors, actor=actor)
    if errors.errors:
        return
    if instance.id_number and Person.objects.filter(id_number=instance.id_number).exclude(pk=instance.pk).exists():
        # Same wording inside and outside the actor's scope (see enterprises.uscc_unavailable).
        errors.add("id_number", id_number_unavailable(), "unique")
    # Defaults that keep a new person inside the creator's own scope.
    if instance.pk is None:
        if actor.role == Role.ENTERPRISE and not instance.enterprise_id:
            instance.enterprise_id = actor.enterprise_id
        if actor.role in (Role.TOWNSHIP, Role.DEPARTMENT) and not (
            instance.organisation_id or instance.township_id or instance.enterprise_id or instance.grid_id
        ):
            instance.organisation_id = actor.organisation_id
    if instance.enterprise_id and not instance.township_id and not instance.grid_id:
        instance.township_id = instance.enterprise.township_id
        instance.grid_id = instance.enterprise.grid_id
    if "grid_id" in data or "township_id" in data or instance.grid_id and not instance.township_id:
        place_in_areas(instance, errors, None, township_required=False)


@transaction.atomic
def create_person(actor, data: dict) -> Person:
    instance = open_for_create(actor, Person, data)
    errors = ErrorCollector()
    require_fields(data, REQUIRED, errors)
    if not errors.errors:
        _validate(actor, instance, data, errors)
    errors.raise_if_any()
    return save_record(actor, instance, action="create", before=None)


@transaction.atomic
def update_person(actor, pk, data: dict, *, expected_version: int | None = None) -> Person:
    instance = open_for_change(actor, Person, pk, data, expected_version=expected_version)
    before = snapshot(instance)
    errors = ErrorCollector()
    _validate(actor, instance, data, errors)
    errors.raise_if_any()
    return save_record(actor, instance, action="update", before=before)
