"""Writes of hazards (core.records: role, scope, field limits, version, one transaction, audit)
and the closed loop's transitions (workflows.HAZARD_LOOP)."""
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from citysafe.core.attachments import store_attachment
from citysafe.core.audit import snapshot
from citysafe.core.models import WorkflowEvent
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import check_location
from citysafe.core.workflow import TransitionError
from citysafe.hazards.models import Grade, Hazard, Status
from citysafe.hazards.placement import parent_problem, place_hazard
from citysafe.hazards.workflows import HAZARD_LOOP
from citysafe.registry.services.fields import apply_fields, require_fields

HAZARD_FIELDS = {"source", "category", "description", "enterprise_id", "place_id", "area_id", "risk_point_id",
                 "lon", "lat", "is_synthetic"}
MAX_PHOTOS_PER_STEP = 9  # photos per registration side / transition (common practice in inspection apps)


def _found_at(data: dict, hazard: Hazard, errors: ErrorCollector) -> None:
    if "found_at" not in data:
        return
    value = data["found_at"]
    if isinstance(value, str):
        value = parse_datetime(value) or (parse_date(value) and datetime.combine(parse_date(value), datetime.min.time()))
    if not isinstance(value, datetime):
        errors.add("found_at", _("发现时间格式不正确（应为YYYY-MM-DD HH:MM）"), "datetime")
        return
    value = timezone.make_aware(value) if timezone.is_naive(value) else value
    if value > timezone.now() + timezone.timedelta(minutes=5):
        errors.add("found_at", _("发现时间不能晚于现在"), "future")
        return
    hazard.found_at = value


def _apply(actor, hazard: Hazard, data: dict, errors: ErrorCollector) -> None:
    plain = {k: v for k, v in data.items() if k not in {"found_at"}}
    apply_fields(hazard, plain, HAZARD_FIELDS, errors, actor=actor)
    _found_at(data, hazard, errors)
    picked = "lon" in data or "lat" in data
    if picked and (hazard.lon is None) != (hazard.lat is None):
        errors.add("lon", _("经度和纬度须同时填写"), "location_pair")
    elif picked and hazard.lon is not None:
        errors.run(check_location, hazard.lon, hazard.lat, field="lon")
    if errors.errors:
        return
    problem = parent_problem(hazard)
    if problem:
        field = next((n for n in ("enterprise_id", "place_id", "area_id", "risk_point_id") if n in data),
                     "enterprise_id")
        errors.add(field, problem, "parent")
        return
    place_hazard(hazard, picked)


def _register(actor, data: dict, action: str = "create", **state) -> Hazard:
    hazard, errors = open_for_create(actor, Hazard, data), ErrorCollector()
    require_fields(data, ["category", "description"], errors)
    hazard.found_at = hazard.entered_at = timezone.now()
    hazard.finder = actor if getattr(actor, "pk", None) else None
    _apply(actor, hazard, data, errors)
    errors.raise_if_any()
    for key, value in state.items():
        setattr(hazard, key, value)
    return save_record(actor, hazard, action=action, before=None)  # numbered in Hazard.save


@transaction.atomic
def create_hazard(actor, data: dict, *, alarm=None) -> Hazard:
    """`alarm`: the monitoring alarm it was converted from (services/alarms.py), kept on the record."""
    if alarm is not None:
        return _register(actor, data, action="create:alarm", alarm=alarm)
    return _register(actor, data)


@transaction.atomic
def update_hazard(actor, pk, data: dict, *, expected_version: int | None = None) -> Hazard:
    hazard = open_for_change(actor, Hazard, pk, data, expected_version=expected_version)
    if hazard.status != Status.REGISTERED:
        raise TransitionError(_("隐患已进入治理流程，不能再修改登记内容（可退回补正后修改）"))
    before, errors = snapshot(hazard), ErrorCollector()
    _apply(actor, hazard, data, errors)
    errors.raise_if_any()
    return save_record(actor, hazard, action="update", before=before)


def _changes_for(name: str, payload: dict | None) -> dict:
    payload = payload or {}
    if name == "grade":
        return {"grade": payload.get("grade"), "grade_reason": payload.get("reason")}
    if name == "issue_notice":
        return {key: payload.get(key) for key in ("responsible_unit", "responsible_person", "measures")} | {
            "rectification_deadline": payload.get("deadline")}
    return {}


def transition_hazard(actor, pk, name: str, *, expected_version: int, note: str = "", payload: dict | None = None,
                      attachments=()) -> Hazard:
    """One step of the closed loop. Wrong role: PermissionDenied; wrong state, a missing note or a
    guard's refusal: TransitionError; a stale version: StaleRecord (409). Nothing changes then."""
    if len(attachments or ()) > MAX_PHOTOS_PER_STEP:
        raise ValidationError({"attachments": [ValidationError(
            _("每一步最多附%(n)s张照片") % {"n": MAX_PHOTOS_PER_STEP}, code="too_many")]})
    changes = {}
    transition = HAZARD_LOOP.transitions.get(name)
    if transition is not None and transition.payload is not None:
        try:  # the payload is validated by the engine; the record fields follow it when it is valid
            parsed = transition.payload.model_validate(payload or {})
            changes = {k: v for k, v in _changes_for(name, parsed.model_dump()).items() if v is not None}
        except Exception:
            changes = {}
    return HAZARD_LOOP.apply(actor, Hazard, pk, name, expected_version=expected_version, note=note,
                             payload=payload, changes=changes, attachments=attachments)


def available_transitions(actor, hazard: Hazard):
    return HAZARD_LOOP.available(actor, hazard)


@transaction.atomic
def register_fixed_on_spot(actor, data: dict, *, before_photos, after_photos, note: str = "") -> Hazard:
    """A general hazard found and fixed on the spot (立查立改): registered closed in one step, with
    photos before and after (at least one each). A major hazard never takes this path."""
    errors = ErrorCollector()
    for key, photos in (("before_photos", before_photos), ("after_photos", after_photos)):
        if not photos:
            errors.add(key, _("现场整改须附整改前、整改后照片各至少一张"), "required")
        elif len(photos) > MAX_PHOTOS_PER_STEP:
            errors.add(key, _("每一步最多附%(n)s张照片") % {"n": MAX_PHOTOS_PER_STEP}, "too_many")
    if data.get("grade", Grade.GENERAL) != Grade.GENERAL:
        errors.add("grade", _("重大隐患不能现场整改销号，须经整改和复查"), "major_on_spot")
    errors.raise_if_any()
    now = timezone.now()
    hazard = _register(actor, {k: v for k, v in data.items() if k != "grade"}, action="create:fixed_on_spot",
                       status=Status.CLOSED, grade=Grade.GENERAL, fixed_on_spot=True, closed_at=now,
                       grade_reason=_("现场发现、现场整改完毕"), reinspection_result="pass")
    stored = {key: [store_attachment(actor, f, owner=hazard) for f in photos]
              for key, photos in (("before", before_photos), ("after", after_photos))}
    event = WorkflowEvent.objects.create(
        workflow=HAZARD_LOOP.name, object_type=Hazard._meta.label, object_id=hazard.pk, transition="fixed_on_spot",
        from_state=Status.REGISTERED, to_state=Status.CLOSED, actor=actor, note=note or _("现场整改"),
        payload={"before": [a.pk for a in stored["before"]], "after": [a.pk for a in stored["after"]]}, at=now)
    event.attachments.set(stored["before"] + stored["after"])
    return hazard


# ---- major hazards: plan (五到位), listing (挂牌督办), dual report (双报告) -------------------

PLAN_FIELDS = ("plan_measures", "plan_funds", "plan_person", "plan_deadline", "plan_emergency", "stop_production")


def _typed_value(hazard: Hazard, name: str, value, errors: ErrorCollector):
    field = hazard._meta.get_field(name)
    if value in ("", None):
        return None if field.null else ("" if not isinstance(value, bool) else value)
    if field.get_internal_type() == "DateField":
        parsed = value if isinstance(value, date) else (parse_date(value) if isinstance(value, str) else None)
        if parsed is None:
            errors.add(name, _("日期格式不正确（应为YYYY-MM-DD）"), "date")
        return parsed
    if field.get_internal_type() == "DecimalField":
        if isinstance(value, bool):
            errors.add(name, _("必须是数字"), "number")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            errors.add(name, _("必须是数字"), "number")
            return None
        if not number.is_finite() or number < 0 or number >= Decimal(10) ** 10:
            errors.add(name, _("须为不小于0的金额"), "min_value")
            return None
        return number
    if field.get_internal_type() == "BooleanField":
        if not isinstance(value, bool):
            errors.add(name, _("必须是布尔值（是/否）"), "boolean")
        return value
    errors.run(field.run_validators, value)
    if not isinstance(value, str):
        errors.add(name, _("必须是文本"), "text_type")
    return value


def _open_major(actor, pk, data, expected_version) -> Hazard:
    hazard = open_for_change(actor, Hazard, pk, data, expected_version=expected_version)
    if hazard.grade != Grade.MAJOR:
        raise TransitionError(_("只有重大隐患才需要此项"))
    if not hazard.is_open:
        raise TransitionError(_("隐患已结束（%(state)s），不能再修改") % {"state": hazard.get_status_display()})
    return hazard


@transaction.atomic
def save_rectification_plan(actor, pk, data: dict, *, expected_version: int) -> Hazard:
    """The major hazard's plan (治理方案): measures, funds, responsible person, deadline, emergency
    plan (五到位) and whether production stops. The enterprise writes it, regulators may correct it."""
    hazard = _open_major(actor, pk, data, expected_version)
    before, errors = snapshot(hazard), ErrorCollector()
    for name in sorted(set(data) - set(PLAN_FIELDS)):
        errors.add(name, _("不允许修改该字段"), "field_not_allowed")
    for name in PLAN_FIELDS:
        if name in data:
            setattr(hazard, name, _typed_value(hazard, name, data[name], errors))
    if "plan_deadline" in data and hazard.plan_deadline and hazard.plan_deadline < timezone.localdate():
        errors.add("plan_deadline", _("期限不能早于今天"), "past")
    errors.raise_if_any()
    return save_record(actor, hazard, action="rectification_plan", before=before)


@transaction.atomic
def list_for_supervision(actor, pk, *, authority: str, deadline, expected_version: int) -> Hazard:
    """挂牌督办: a named supervising authority and a deadline (not in the past)."""
    data = {"is_listed": True, "listing_authority": authority, "listing_deadline": deadline}
    hazard = _open_major(actor, pk, data, expected_version)
    before, errors = snapshot(hazard), ErrorCollector()
    if not isinstance(authority, str) or not authority.strip():
        errors.add("listing_authority", _("须写明督办单位"), "required")
    elif len(authority.strip()) > 200:
        errors.add("listing_authority", _("长度不能超过%(n)s个字符") % {"n": 200}, "max_length")
    day = _typed_value(hazard, "listing_deadline", deadline, errors)
    if day is None and "listing_deadline" not in errors.errors:
        errors.add("listing_deadline", _("须写明督办期限"), "required")
    elif day is not None and day < timezone.localdate():
        errors.add("listing_deadline", _("期限不能早于今天"), "past")
    if hazard.is_listed:
        errors.add("is_listed", _("该隐患已挂牌督办"), "already_listed")
    errors.raise_if_any()
    hazard.is_listed, hazard.listing_authority, hazard.listing_deadline = True, authority.strip(), day
    hazard.listed_at, hazard.delisted_at = timezone.now(), None
    return save_record(actor, hazard, action="list_for_supervision", before=before)


@transaction.atomic
def delist(actor, pk, *, expected_version: int) -> Hazard:
    """摘牌 by hand is refused: de-listing happens only with a passed re-inspection (reinspect_pass)."""
    hazard = open_for_change(actor, Hazard, pk, {"is_listed": False}, expected_version=expected_version)
    if hazard.is_listed:
        raise TransitionError(_("挂牌督办的重大隐患须经复查合格销号后才能摘牌"))
    return hazard


@transaction.atomic
def record_dual_report(actor, pk, *, to_department: date | str | None, to_congress: date | str | None,
                       expected_version: int) -> Hazard:
    """双报告: the major hazard reported to the supervising department and to the workers' congress."""
    data = {"reported_to_department_at": to_department, "reported_to_congress_at": to_congress}
    hazard = _open_major(actor, pk, data, expected_version)
    before, errors = snapshot(hazard), ErrorCollector()
    for name, value in data.items():
        day = _typed_value(hazard, name, value, errors)
        if day is not None and day > timezone.localdate():
            errors.add(name, _("报告日期不能晚于今天"), "future")
        setattr(hazard, name, day)
    errors.raise_if_any()
    return save_record(actor, hazard, action="dual_report", before=before)
