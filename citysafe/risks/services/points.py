"""Writes of risk points and control measures (core.records: role, scope, field limits,
version, one transaction, audit)."""
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core import references
from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import text_message, text_problem
from citysafe.registry.services.fields import apply_fields, require_fields
from citysafe.risks.models import AccidentType, ControlMeasure, RiskPoint
from citysafe.risks.services.placement import attachment_problem, inherit_location

POINT_FIELDS = {"name", "category", "description", "enterprise_id", "place_id", "area_id", "control_level",
                "is_sensitive", "is_synthetic"}
MAX_FACTORS, MAX_FACTOR_LENGTH = 50, 200


def _text_list(data: dict, name: str, errors: ErrorCollector) -> list[str] | None:
    value = data[name]
    if not isinstance(value, list) or len(value) > MAX_FACTORS:
        errors.add(name, _("须为不超过%(n)s项的文字列表") % {"n": MAX_FACTORS}, "list")
        return None
    cleaned = []
    for n, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or len(item.strip()) > MAX_FACTOR_LENGTH:
            errors.add(name, _("第%(n)s项须为1至%(max)s个字符的文字") % {"n": n + 1, "max": MAX_FACTOR_LENGTH}, "text")
            return None
        problem = text_problem(item.strip())
        if problem:
            errors.add(name, _("第%(n)s项：%(rule)s") % {"n": n + 1, "rule": text_message(problem)}, "text_characters")
            return None
        if item.strip() not in cleaned:
            cleaned.append(item.strip())
    return cleaned


def _accident_types(data: dict, errors: ErrorCollector) -> list[str] | None:
    value = data["accident_types"]
    if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
        errors.add("accident_types", _("须为事故类型代码的列表"), "list")
        return None
    unknown = [v for v in value if v not in AccidentType.values]
    if unknown:
        errors.add("accident_types", _("未知的事故类型：%(values)s；可选（GB 6441-86）：%(choices)s") % {
            "values": "、".join(unknown), "choices": "、".join(str(label) for label in AccidentType.labels)}, "choice")
        return None
    return [v for v in AccidentType.values if v in value]  # the standard's order, once each


def _apply(actor, point: RiskPoint, data: dict, errors: ErrorCollector) -> list | None:
    plain = {k: v for k, v in data.items() if k not in {"hazard_factors", "accident_types", "responsible_person_ids"}}
    apply_fields(point, plain, POINT_FIELDS, errors, actor=actor)
    if "hazard_factors" in data:
        factors = _text_list(data, "hazard_factors", errors)
        if factors is not None:
            point.hazard_factors = factors
    if "accident_types" in data:
        types = _accident_types(data, errors)
        if types is not None:
            point.accident_types = types
    if not errors.errors:
        problem = attachment_problem(point)
        if problem:
            field = next((n for n in ("enterprise_id", "place_id", "area_id") if n in data), "enterprise_id")
            errors.add(field, problem, "attachment")
        else:
            inherit_location(point)
    persons = None
    if "responsible_person_ids" in data:
        persons = references.check_many(actor, point, "responsible_persons", data["responsible_person_ids"], errors,
                                         key="responsible_person_ids")
    return persons


@transaction.atomic
def create_risk_point(actor, data: dict) -> RiskPoint:
    point, errors = open_for_create(actor, RiskPoint, data), ErrorCollector()
    require_fields(data, ["name"], errors)
    persons = _apply(actor, point, data, errors)
    errors.raise_if_any()
    saved = save_record(actor, point, action="create", before=None,
                        m2m={"responsible_persons": persons} if persons is not None else None)
    return saved


@transaction.atomic
def update_risk_point(actor, pk, data: dict, *, expected_version: int | None = None) -> RiskPoint:
    point = open_for_change(actor, RiskPoint, pk, data, expected_version=expected_version)
    before, errors = snapshot(point), ErrorCollector()
    old_areas = (point.township_id, point.village_id, point.grid_id)
    persons = _apply(actor, point, data, errors)
    errors.raise_if_any()
    saved = save_record(actor, point, action="update", before=before,
                        m2m={"responsible_persons": persons} if persons is not None else None)
    if old_areas != (saved.township_id, saved.village_id, saved.grid_id):
        from citysafe.risks.services.area_levels import move_point_between_areas

        move_point_between_areas(saved, old_areas)
    return saved


MEASURE_FIELDS = {"risk_point_id", "kind", "description", "responsible_person_id", "control_level", "is_synthetic"}


@transaction.atomic
def create_measure(actor, data: dict) -> ControlMeasure:
    from citysafe.risks.services.rules import default_control_level

    measure, errors = open_for_create(actor, ControlMeasure, data), ErrorCollector()
    require_fields(data, ["risk_point_id", "kind", "description"], errors)
    apply_fields(measure, data, MEASURE_FIELDS, errors, actor=actor)
    errors.raise_if_any()
    if not measure.control_level:
        measure.control_level = default_control_level(measure.risk_point.level)
    return save_record(actor, measure, action="create", before=None)


@transaction.atomic
def update_measure(actor, pk, data: dict, *, expected_version: int | None = None) -> ControlMeasure:
    measure = open_for_change(actor, ControlMeasure, pk, data, expected_version=expected_version)
    before, errors = snapshot(measure), ErrorCollector()
    apply_fields(measure, data, MEASURE_FIELDS, errors, actor=actor)
    errors.raise_if_any()
    return save_record(actor, measure, action="update", before=before)
