from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import check_geometry
from citysafe.registry.models import Area, Industry
from citysafe.registry.services.fields import apply_fields, require_fields
from kernels.geometry import POLYGON_TYPES

AREA_FIELDS = {"code", "name", "level", "parent_id", "population", "is_synthetic"}
PARENT_LEVEL = {
    Area.Level.PROVINCE: None,
    Area.Level.PREFECTURE: {Area.Level.PROVINCE},
    Area.Level.COUNTY: {Area.Level.PREFECTURE, Area.Level.PROVINCE},
    Area.Level.TOWNSHIP: {Area.Level.COUNTY},
    Area.Level.VILLAGE: {Area.Level.TOWNSHIP},
    Area.Level.GRID: {Area.Level.VILLAGE, Area.Level.TOWNSHIP},
}


ABOVE_TOWNSHIP = {Area.Level.PROVINCE, Area.Level.PREFECTURE, Area.Level.COUNTY}


def _validate(actor, instance: Area, data: dict, errors: ErrorCollector) -> None:
    apply_fields(instance, {k: v for k, v in data.items() if k != "geometry"}, AREA_FIELDS, errors, actor=actor)
    if errors.errors:
        return
    if Area.objects.filter(code=instance.code).exclude(pk=instance.pk).exists():
        errors.add("code", _("区划代码已存在"), "unique")
    allowed_parents = PARENT_LEVEL[instance.level]
    # Above the township the parent is optional for a county (a one-county deployment has none).
    parent_optional = instance.level == Area.Level.COUNTY
    if allowed_parents is None:
        if instance.parent_id:
            errors.add("parent_id", _("省级区域不能有上级区域"), "parent_level")
        instance.township_id = None
    elif parent_optional and not instance.parent_id:
        instance.township_id = None
    else:
        if not instance.parent_id or instance.parent.level not in allowed_parents:
            errors.add("parent_id", _("上级区域层级不正确"), "parent_level")
            return
        if instance.level in (Area.Level.PREFECTURE, Area.Level.COUNTY):
            instance.township_id = None
        else:
            instance.township_id = instance.pk if instance.level == Area.Level.TOWNSHIP else instance.parent.township_id
    instance.derive_county()
    if "geometry" in data and data["geometry"] is not None:
        # The county outline itself is the boundary everything else is checked against.
        geom = errors.run(check_geometry, data["geometry"], allowed=POLYGON_TYPES,
                          inside_county=instance.level not in ABOVE_TOWNSHIP)
        if geom is not None:
            instance.geometry = data["geometry"]
            instance.min_lon, instance.min_lat, instance.max_lon, instance.max_lat = geom.bounds


def _fix_township_self(instance: Area) -> None:
    # A township is its own township, a county its own county; the id is known only after the first save.
    if instance.level == Area.Level.TOWNSHIP and instance.township_id != instance.pk:
        Area.objects.filter(pk=instance.pk).update(township_id=instance.pk)
        instance.township_id = instance.pk
    if instance.level == Area.Level.COUNTY and instance.county_id != instance.pk:
        Area.objects.filter(pk=instance.pk).update(county_id=instance.pk)
        instance.county_id = instance.pk


@transaction.atomic
def create_area(actor, data: dict) -> Area:
    instance = open_for_create(actor, Area, data)
    errors = ErrorCollector()
    require_fields(data, ["code", "name", "level"], errors)
    if not errors.errors:
        _validate(actor, instance, data, errors)
    errors.raise_if_any()
    instance.save()
    _fix_township_self(instance)
    return save_record(actor, instance, action="create", before=None)


@transaction.atomic
def update_area(actor, pk, data: dict, *, expected_version: int | None = None) -> Area:
    instance = open_for_change(actor, Area, pk, data, expected_version=expected_version)
    before = snapshot(instance)
    errors = ErrorCollector()
    if "level" in data and data["level"] != instance.level:
        errors.add("level", _("区域层级创建后不能修改"), "immutable")
    _validate(actor, instance, data, errors)
    errors.raise_if_any()
    _fix_township_self(instance)
    return save_record(actor, instance, action="update", before=before)


@transaction.atomic
def create_industry(actor, data: dict) -> Industry:
    instance = open_for_create(actor, Industry, data)
    errors = ErrorCollector()
    require_fields(data, ["code", "name"], errors)
    apply_fields(instance, data, {"code", "name", "description"}, errors, actor=actor)
    if instance.code and Industry.objects.filter(code=instance.code).exists():
        errors.add("code", _("行业代码已存在"), "unique")
    errors.raise_if_any()
    return save_record(actor, instance, action="create", before=None)


@transaction.atomic
def update_industry(actor, pk, data: dict, *, expected_version: int | None = None) -> Industry:
    instance = open_for_change(actor, Industry, pk, data, expected_version=expected_version)
    before = snapshot(instance)
    errors = ErrorCollector()
    apply_fields(instance, data, {"code", "name", "description"}, errors, actor=actor)
    if Industry.objects.filter(code=instance.code).exclude(pk=instance.pk).exists():
        errors.add("code", _("行业代码已存在"), "unique")
    errors.raise_if_any()
    return save_record(actor, instance, action="update", before=before)
