"""Major hazard installations (GB 18218-2018): the substance catalogue, units and their
inventories, and the recomputation of S, α, R and the grade (kernels.major_hazard) whenever
an inventory, a substance row or a nearby place changes. A unit that is major gets a risk
point of at least the MajorHazardLevelRule's level (grading.regrade_point)."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from citysafe.core.audit import record_change, snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import check_geometry, check_location, parse_number
from citysafe.registry.models import Place
from citysafe.registry.services.fields import apply_fields, require_fields
from citysafe.registry.services.placement import relocate
from citysafe.risks.models import Inventory, MajorHazardInstallation, RiskPoint, Substance

SUBSTANCE_FIELDS = {"name", "cas", "hazard_class", "critical_quantity", "beta", "source"}
UNIT_FIELDS = {"unit_name", "enterprise_id", "alpha_source", "alpha_entered", "alpha_reason", "is_sensitive",
               "is_synthetic"}
RADIUS_METRES = 500


def _positive(data: dict, name: str, errors: ErrorCollector, *, allow_zero: bool) -> None:
    if name not in data:
        return
    value = parse_number(data[name])
    if value is None or value < 0 or (value == 0 and not allow_zero):
        errors.add(name, _("须为%(rule)s的数值（吨）") % {"rule": _("不小于0") if allow_zero else _("大于0")},
                   "min_value")


# ---- substances --------------------------------------------------------------------------

@transaction.atomic
def create_substance(actor, data: dict) -> Substance:
    substance, errors = open_for_create(actor, Substance, data), ErrorCollector()
    require_fields(data, ["name", "critical_quantity"], errors)
    _positive(data, "critical_quantity", errors, allow_zero=False)
    apply_fields(substance, data, SUBSTANCE_FIELDS, errors, actor=actor)
    errors.raise_if_any()
    return save_record(actor, substance, action="create", before=None)


@transaction.atomic
def update_substance(actor, pk, data: dict, *, expected_version: int | None = None) -> Substance:
    substance = open_for_change(actor, Substance, pk, data, expected_version=expected_version)
    before, errors = snapshot(substance), ErrorCollector()
    _positive(data, "critical_quantity", errors, allow_zero=False)
    apply_fields(substance, data, SUBSTANCE_FIELDS, errors, actor=actor)
    errors.raise_if_any()
    saved = save_record(actor, substance, action="update", before=before)
    if before.get("critical_quantity") != saved.critical_quantity or before.get("beta") != saved.beta:
        units = Inventory.objects.filter(substance=saved, archived_at__isnull=True).values_list(
            "installation_id", flat=True).distinct()
        for unit in sorted(set(units)):
            recompute_installation(actor, unit, note=_("危险化学品参数变更：%(name)s") % {"name": saved.name})
    return saved


# ---- units ---------------------------------------------------------------------------------

def _place_unit(unit: MajorHazardInstallation, data: dict, errors: ErrorCollector) -> None:
    point = None
    if "geometry" in data and data["geometry"] is not None:
        geom = errors.run(check_geometry, data["geometry"])
        if geom is not None:
            unit.geometry = data["geometry"]
            point = geom.representative_point()
    elif "lon" in data or "lat" in data:
        point = errors.run(check_location, data.get("lon", unit.lon), data.get("lat", unit.lat))
    if point is None and unit.lon is None and unit.enterprise_id and not errors.errors:
        unit.lon, unit.lat = unit.enterprise.lon, unit.enterprise.lat
        unit.township_id, unit.village_id, unit.grid_id = (unit.enterprise.township_id, unit.enterprise.village_id,
                                                           unit.enterprise.grid_id)
        return
    if point is not None:
        unit.lon, unit.lat = point.x, point.y
        relocate(unit, {}, point, errors)


def _check_alpha(unit: MajorHazardInstallation, errors: ErrorCollector) -> None:
    if unit.alpha_source == MajorHazardInstallation.AlphaSource.ENTERED:
        if unit.alpha_entered is None:
            errors.add("alpha_entered", _("人工填报α时须填写α（0.5–2.0）"), "required")
        if not (unit.alpha_reason or "").strip():
            errors.add("alpha_reason", _("人工填报α时须说明理由"), "required")


@transaction.atomic
def create_installation(actor, data: dict) -> MajorHazardInstallation:
    unit, errors = open_for_create(actor, MajorHazardInstallation, data), ErrorCollector()
    require_fields(data, ["unit_name", "enterprise_id"], errors)
    apply_fields(unit, {k: v for k, v in data.items() if k not in {"lon", "lat", "geometry"}}, UNIT_FIELDS, errors,
                 actor=actor)
    if not errors.errors:
        _place_unit(unit, data, errors)
        _check_alpha(unit, errors)
    errors.raise_if_any()
    saved = save_record(actor, unit, action="create", before=None)
    return recompute_installation(actor, saved.pk)


@transaction.atomic
def update_installation(actor, pk, data: dict, *, expected_version: int | None = None) -> MajorHazardInstallation:
    unit = open_for_change(actor, MajorHazardInstallation, pk, data, expected_version=expected_version)
    before, errors = snapshot(unit), ErrorCollector()
    apply_fields(unit, {k: v for k, v in data.items() if k not in {"lon", "lat", "geometry"}}, UNIT_FIELDS, errors,
                 actor=actor)
    if not errors.errors:
        _place_unit(unit, data, errors)
        _check_alpha(unit, errors)
    errors.raise_if_any()
    saved = save_record(actor, unit, action="update", before=before)
    return recompute_installation(actor, saved.pk)


# ---- inventories ----------------------------------------------------------------------------

def _inventory_fields(actor, inventory: Inventory, data: dict, errors: ErrorCollector) -> None:
    if "max_quantity" in data:
        value = parse_number(data["max_quantity"])
        if value is None or value < 0:
            errors.add("max_quantity", _("最大存在量须为不小于0的数值（吨）"), "min_value")
    apply_fields(inventory, data, {"installation_id", "substance_id", "max_quantity", "is_synthetic"}, errors,
                 actor=actor)
    if not errors.errors and Inventory.objects.filter(
            installation_id=inventory.installation_id, substance_id=inventory.substance_id,
            archived_at__isnull=True).exclude(pk=inventory.pk).exists():
        errors.add("substance_id", _("该单元已登记此危险化学品，请修改原记录"), "unique")


@transaction.atomic
def create_inventory(actor, data: dict) -> Inventory:
    inventory, errors = open_for_create(actor, Inventory, data), ErrorCollector()
    require_fields(data, ["installation_id", "substance_id", "max_quantity"], errors)
    _inventory_fields(actor, inventory, data, errors)
    errors.raise_if_any()
    saved = save_record(actor, inventory, action="create", before=None)
    recompute_installation(actor, saved.installation_id, note=_("危险化学品存量变更"))
    return saved


@transaction.atomic
def update_inventory(actor, pk, data: dict, *, expected_version: int | None = None) -> Inventory:
    inventory = open_for_change(actor, Inventory, pk, data, expected_version=expected_version)
    before, errors = snapshot(inventory), ErrorCollector()
    old_unit = inventory.installation_id
    _inventory_fields(actor, inventory, data, errors)
    errors.raise_if_any()
    saved = save_record(actor, inventory, action="update", before=before)
    for unit in sorted({old_unit, saved.installation_id}):
        recompute_installation(actor, unit, note=_("危险化学品存量变更"))
    return saved


# ---- computation --------------------------------------------------------------------------

def people_near(unit: MajorHazardInstallation) -> int:
    """People present in registry places within 500 m of the unit (kernels.major_hazard.people_within)."""
    from kernels.major_hazard import people_within

    where = shape(unit.geometry) if unit.geometry else (unit.lon, unit.lat)
    # A coarse box first (0.01° ≈ 1.1 km at this latitude), then the kernel's exact distance.
    box = 0.01
    places = [((shape(p.geometry) if p.geometry else (p.lon, p.lat)), p.people_present or 0)
              for p in Place.objects.filter(archived_at__isnull=True, people_present__gt=0,
                                            lon__range=(unit.lon - box, unit.lon + box),
                                            lat__range=(unit.lat - box, unit.lat + box)).only(
                  "geometry", "lon", "lat", "people_present")]
    return int(people_within(where, places, metres=RADIUS_METRES)) if places else 0


@transaction.atomic
def recompute_installation(actor, pk, *, note: str = "") -> MajorHazardInstallation:
    """S, α (computed or entered), R and the grade; the unit's risk point follows. Audited
    when a figure changes."""
    from kernels import major_hazard as mh

    unit = MajorHazardInstallation.objects.select_for_update().get(pk=pk)
    before = snapshot(unit)
    holdings = [mh.Holding(q, critical, beta) for q, critical, beta in Inventory.objects.filter(
        installation=unit, archived_at__isnull=True).values_list(
        "max_quantity", "substance__critical_quantity", "substance__beta")]
    unit.people_nearby = people_near(unit)
    if unit.alpha_source == MajorHazardInstallation.AlphaSource.ENTERED and unit.alpha_entered is not None:
        unit.alpha = unit.alpha_entered
    else:
        unit.alpha = float(mh.alpha_for_people(unit.people_nearby))
    unit.s_value = round(float(mh.s_value(holdings)), 6) if holdings else 0.0
    unit.is_major = bool(holdings) and bool(mh.is_major(holdings))
    unit.r_value = round(float(mh.r_value(holdings, unit.alpha)), 6) if holdings else 0.0
    unit.grade = int(mh.grade_r(unit.r_value)) if unit.is_major else 0
    after = snapshot(unit)
    figures = ("people_nearby", "alpha", "s_value", "is_major", "r_value", "grade")
    if any(before.get(k) != after.get(k) for k in figures):
        unit.computed_at = timezone.now()
        unit.version += 1
        unit.save()
        record_change(actor=actor, action="recompute", instance=unit, before=before, after=snapshot(unit), note=note)
    _sync_risk_point(actor, unit)
    return unit


def _sync_risk_point(actor, unit: MajorHazardInstallation) -> None:
    """A major unit has a risk point (created once, attached to its enterprise); its level is
    at least the rule's minimum. A unit that stops being major keeps the point, without the minimum."""
    from citysafe.risks.services.grading import regrade_point

    if unit.risk_point_id is None:
        if not unit.is_major:
            return
        enterprise = unit.enterprise
        point = RiskPoint(name=_("重大危险源：%(unit)s") % {"unit": unit.unit_name}, enterprise=enterprise,
                          category=RiskPoint.Category.FACILITY, accident_types=["fire", "other_explosion", "poisoning"],
                          is_synthetic=unit.is_synthetic)
        from citysafe.risks.services.placement import inherit_location

        inherit_location(point)
        point.lon, point.lat = unit.lon, unit.lat
        point.save()
        record_change(actor=actor, action="create", instance=point, before=None, after=snapshot(point),
                      note=_("重大危险源自动建立风险点"))
        MajorHazardInstallation.objects.filter(pk=unit.pk).update(risk_point=point)
        unit.risk_point = point
    regrade_point(actor, unit.risk_point_id, note=_("重大危险源分级：%(grade)s") % {"grade": unit.get_grade_display()})


def refuse_unknown_substance(name: str) -> ValidationError:
    return ValidationError({"substance_id": [ValidationError(_("未知的危险化学品：%(name)s") % {"name": name},
                                                             code="not_found")]})
