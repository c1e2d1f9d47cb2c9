from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.accounts.models import Organisation
from citysafe.core import references
from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.registry.models import Area
from citysafe.registry.services.fields import apply_fields, require_fields

ORGANISATION_FIELDS = {"kind", "code", "name", "area_id", "first_responsible_id", "direct_responsible_id", "phone"}


def _validate(actor, instance: Organisation, data: dict, errors: ErrorCollector):
    apply_fields(instance, {k: v for k, v in data.items() if k != "industry_ids"}, ORGANISATION_FIELDS, errors,
                 actor=actor)
    if errors.errors:
        return None
    if Organisation.objects.filter(code=instance.code).exclude(pk=instance.pk).exists():
        errors.add("code", _("组织编码已存在"), "unique")
    if instance.kind == Organisation.Kind.TOWNSHIP and (not instance.area_id or instance.area.level != Area.Level.TOWNSHIP):
        errors.add("area_id", _("乡镇组织必须关联一个乡镇区域"), "level")
    industries = None
    if "industry_ids" in data:
        ids = references.check_many(actor, instance, "industries", data["industry_ids"], errors, key="industry_ids")
        if ids and instance.kind != Organisation.Kind.DEPARTMENT:
            errors.add("industry_ids", _("只有县直部门可以监管行业"), "kind")
        industries = ids
    return industries


@transaction.atomic
def create_organisation(actor, data: dict) -> Organisation:
    instance = open_for_create(actor, Organisation, data)
    errors = ErrorCollector()
    require_fields(data, ["kind", "code", "name"], errors)
    industries = _validate(actor, instance, data, errors) if not errors.errors else None
    errors.raise_if_any()
    return save_record(actor, instance, action="create", before=None,
                       m2m={"industries": industries} if industries is not None else None)


@transaction.atomic
def update_organisation(actor, pk, data: dict, *, expected_version: int | None = None) -> Organisation:
    """Also edits the industry → department map (管行业必须管安全)."""
    instance = open_for_change(actor, Organisation, pk, data, expected_version=expected_version)
    before = snapshot(instance)
    errors = ErrorCollector()
    industries = _validate(actor, instance, data, errors)
    errors.raise_if_any()
    return save_record(actor, instance, action="update", before=before,
                       m2m={"industries": industries} if industries is not None else None)
