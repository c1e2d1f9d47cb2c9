from django.db import transaction

from citysafe.core import references
from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import check_geometry
from citysafe.registry.counties import acting_county_id
from citysafe.registry.models import Place
from citysafe.registry.services.departments import apply_default_department
from citysafe.registry.services.fields import apply_fields, require_fields
from citysafe.registry.services.placement import relocate

PLACE_FIELDS = {
    "name", "place_type", "address", "capacity", "people_present", "owner_enterprise_id", "industry_id",
    "township_id", "grid_id", "supervising_department_id", "is_synthetic",
}
REQUIRED = ["name", "place_type", "geometry"]


def _validate(actor, instance: Place, data: dict, errors: ErrorCollector) -> list | None:
    fields = {k: v for k, v in data.items() if k not in {"geometry", "responsible_person_ids"}}
    apply_fields(instance, fields, PLACE_FIELDS, errors, actor=actor)
    point = None
    if "geometry" in data:
        geom = errors.run(check_geometry, data["geometry"], county=acting_county_id(actor))  # the actor's county
        if geom is not None:
            instance.geometry = data["geometry"]
            rep = geom.representative_point()
            instance.lon, instance.lat = rep.x, rep.y
            point = rep
    relocate(instance, data, point, errors)
    if instance.owner_enterprise_id and not instance.industry_id:
        instance.industry_id = instance.owner_enterprise.industry_id
    apply_default_department(instance)
    persons = None
    if "responsible_person_ids" in data:
        persons = references.check_many(actor, instance, "responsible_persons", data["responsible_person_ids"], errors,
                                         key="responsible_person_ids")
    return persons


@transaction.atomic
def create_place(actor, data: dict) -> Place:
    instance = open_for_create(actor, Place, data, lon=0, lat=0)
    errors = ErrorCollector()
    require_fields(data, REQUIRED, errors)
    persons = None
    if not errors.errors:
        persons = _validate(actor, instance, data, errors)
    errors.raise_if_any()
    return save_record(actor, instance, action="create", before=None,
                       m2m={"responsible_persons": persons} if persons is not None else None)


@transaction.atomic
def update_place(actor, pk, data: dict, *, expected_version: int | None = None) -> Place:
    instance = open_for_change(actor, Place, pk, data, expected_version=expected_version)
    before = snapshot(instance)
    errors = ErrorCollector()
    persons = _validate(actor, instance, data, errors)
    errors.raise_if_any()
    return save_record(actor, instance, action="update", before=before,
                       m2m={"responsible_persons": persons} if persons is not None else None)
