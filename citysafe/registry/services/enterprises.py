from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import check_location, check_uscc
from citysafe.registry.counties import acting_county_id
from citysafe.registry.models import Enterprise
from citysafe.registry.services.departments import apply_default_department
from citysafe.registry.services.fields import apply_fields, require_fields
from citysafe.registry.services.placement import relocate

ENTERPRISE_FIELDS = {
    "name", "uscc", "industry_id", "scale", "address", "lon", "lat", "township_id", "grid_id",
    "supervising_department_id", "legal_representative", "safety_officer_id", "standardisation_grade",
    "is_synthetic",
}
REQUIRED = ["name", "uscc", "industry_id", "lon", "lat"]


def uscc_unavailable() -> str:
    return _("该统一社会信用代码不能使用：已登记或无权使用")


def _validate(actor, instance: Enterprise, data: dict, errors: ErrorCollector) -> None:
    if "uscc" in data:
        data = {**data, "uscc": errors.run(check_uscc, data["uscc"]) or data["uscc"]}
    apply_fields(instance, data, ENTERPRISE_FIELDS, errors, actor=actor)
    if "uscc" in data and not errors.errors.get("uscc"):
        clash = Enterprise.objects.filter(uscc=instance.uscc).exclude(pk=instance.pk).exists()
        if clash:
            # One wording whether the holder is inside the actor's scope or not: the reply must
            # not confirm that an enterprise exists in another township (docs/architecture.md).
            errors.add("uscc", uscc_unavailable(), "unique")
    point = None
    if "lon" in data or "lat" in data or instance.pk is None:
        # Inside the acting user's own county (the prefecture office: any of the deployment's).
        point = errors.run(check_location, instance.lon, instance.lat, county=acting_county_id(actor))
    relocate(instance, data, point, errors)
    apply_default_department(instance)
    if instance.safety_officer_id and instance.pk and instance.safety_officer.enterprise_id not in (None, instance.pk):
        errors.add("safety_officer_id", _("安全管理负责人须为本企业人员"), "enterprise_mismatch")


@transaction.atomic
def create_enterprise(actor, data: dict) -> Enterprise:
    instance = open_for_create(actor, Enterprise, data, lon=data.get("lon") or 0, lat=data.get("lat") or 0)
    errors = ErrorCollector()
    require_fields(data, REQUIRED, errors)
    if not errors.errors:
        _validate(actor, instance, data, errors)
    errors.raise_if_any()
    return save_record(actor, instance, action="create", before=None)


@transaction.atomic
def update_enterprise(actor, pk, data: dict, *, expected_version: int | None = None) -> Enterprise:
    """`expected_version`: the version the edit was made on (pages, API); None for deliberate
    updates without one (imports, commands), which still move the version on."""
    instance = open_for_change(actor, Enterprise, pk, data, expected_version=expected_version)
    before = snapshot(instance)
    errors = ErrorCollector()
    _validate(actor, instance, data, errors)
    errors.raise_if_any()
    return save_record(actor, instance, action="update", before=before)


def transition_enterprise(actor, pk, transition: str, *, expected_version: int, note: str = "", attachments=(),
                          payload: dict | None = None, changes: dict | None = None):
    """Operating status (relocation / closure tracking, C6) through the workflow toolkit:
    the version read with the record is required; attachments must be this enterprise's own."""
    from citysafe.registry.workflows import ENTERPRISE_STATUS

    return ENTERPRISE_STATUS.apply(
        actor, Enterprise, pk, transition, expected_version=expected_version, note=note, attachments=attachments,
        payload=payload, changes=changes,
    )
