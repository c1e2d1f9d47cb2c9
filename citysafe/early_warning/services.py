"""Writes of warnings: role, scope, field rules, one transaction, audit (core.records), and
the workflow (workflows.WARNING). Contents change only while a version is a draft; a
published version is never rewritten — an update or a cancellation is a new version."""
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.references import check_many
from citysafe.core.validation import check_text, field_error
from citysafe.early_warning import areas as area_rules
from citysafe.early_warning.models import AreaKind, MessageType, Warning
from citysafe.early_warning.workflows import WARNING
from citysafe.registry.models import Area
from citysafe.registry.services.fields import apply_fields, require_fields

CONTENT = {"warning_type", "level", "headline", "description", "instructions", "headline_en", "description_en",
           "instructions_en", "onset", "effective", "expires", "area_kind", "area_description", "geometry",
           "circle_lon", "circle_lat", "circle_radius_km", "issuing_department_id"}
FIELDS = CONTENT | {"areas"}
BEIJING = ZoneInfo("Asia/Shanghai")
logger = logging.getLogger(__name__)


def _default_department(actor):
    from citysafe.accounts.models import Organisation

    org = getattr(actor, "organisation", None)
    if org is not None and org.kind in (Organisation.Kind.DEPARTMENT, Organisation.Kind.OFFICE):
        return org
    return Organisation.objects.filter(kind=Organisation.Kind.OFFICE).order_by("id").first()


def _check_times(instance, errors: ErrorCollector) -> None:
    onset, effective, expires = instance.onset, instance.effective, instance.expires
    if None in (onset, effective, expires):
        return
    if expires <= onset:
        errors.add("expires", _("失效时间必须晚于开始时间"), "expires_before_onset")
    elif expires <= effective:
        errors.add("expires", _("失效时间必须晚于生效时间"), "expires_before_effective")


def _check_area(actor, instance, data: dict, errors: ErrorCollector) -> list[int] | None:
    """Validate the area in its mode; returns the townships it covers (None: unchanged/invalid)."""
    touched = {"area_kind", "geometry", "circle_lon", "circle_lat", "circle_radius_km", "areas"} & set(data)
    if not touched and instance.pk:
        return None
    kind = instance.area_kind
    try:
        if kind == AreaKind.POLYGON:
            if not instance.geometry:
                raise field_error("geometry", _("请在地图上绘制预警区域"), "required")
            geom = area_rules.check_polygon(instance.geometry)
            return area_rules.townships_covering(geom)
        if kind == AreaKind.CIRCLE:
            geom = area_rules.check_circle(instance.circle_lon, instance.circle_lat, instance.circle_radius_km)
            if not _inside_county(geom):
                raise field_error("circle_radius_km", _("圆形区域超出本县行政区域范围"), "geometry_outside")
            return area_rules.townships_covering(geom)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                errors.add(name, message, "area")
        return None
    ids = check_many(actor, instance, "areas", data.get("areas", []), errors) if "areas" in data else \
        (list(instance.areas.values_list("pk", flat=True)) if instance.pk else [])
    if ids is None:
        return None
    if not ids:
        errors.add("areas", _("请选择预警区域（乡镇、村或网格）"), "required")
        return None
    instance._chosen_areas = ids
    return area_rules.townships_of_areas(Area.objects.filter(pk__in=ids))


def _inside_county(geom) -> bool:
    from citysafe.core.validation import county_boundary

    boundary = county_boundary()
    return boundary is None or boundary.covers(geom)


def _coerce_times(data: dict, errors: ErrorCollector) -> dict:
    """onset/effective/expires as aware datetimes (ISO text accepted; naive = Beijing time)."""
    data = dict(data)
    for name in ("onset", "effective", "expires"):
        value = data.get(name)
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                errors.add(name, _("时间格式不正确（应为YYYY-MM-DDTHH:MM）"), "datetime")
                data.pop(name)
                continue
        if isinstance(value, datetime) and timezone.is_naive(value):
            value = value.replace(tzinfo=BEIJING)
        if name in data:
            data[name] = value
    return data


def _apply(actor, instance, data: dict, errors: ErrorCollector) -> list[int] | None:
    data = _coerce_times(data, errors)
    apply_fields(instance, {k: v for k, v in data.items() if k != "areas"}, CONTENT, errors, actor=actor)
    for name in sorted(set(data) - FIELDS):
        errors.add(name, _("不允许修改该字段"), "field_not_allowed")
    for name in ("headline", "description"):
        if name in data and isinstance(data[name], str):
            try:
                check_text(data[name], name, multiline=name != "headline")
            except ValidationError as exc:
                for message in exc.messages:
                    errors.add(name, message, "text")
    _check_times(instance, errors)
    return _check_area(actor, instance, data, errors)


def _m2m(instance, townships: list[int] | None) -> dict:
    """The many-to-many values to save with the record (core.records.save_record sets them)."""
    values = {}
    if getattr(instance, "_chosen_areas", None) is not None:
        values["areas"] = instance._chosen_areas
    elif instance.area_kind != AreaKind.AREAS:
        values["areas"] = []
    if townships is not None:
        values["townships"] = townships
    return values


@transaction.atomic
def create_warning(actor, data: dict, *, origin: dict | None = None) -> Warning:
    """A new draft. `origin` (source, imported_cap) is set by the CAP import only."""
    data = dict(data)
    instance, errors = open_for_create(actor, Warning, data), ErrorCollector()
    for name, value in (origin or {}).items():
        setattr(instance, name, value)
    require_fields(data, ["warning_type", "level", "headline", "description", "onset", "effective", "expires"], errors)
    if "issuing_department_id" not in data:
        instance.issuing_department = _default_department(actor)
    townships = _apply(actor, instance, data, errors)
    errors.raise_if_any()
    saved = save_record(actor, instance, action="create", before=None, m2m=_m2m(instance, townships))
    # The first version is its own root (set after the insert gives it an id).
    Warning.objects.filter(pk=saved.pk).update(root=saved)
    saved.root_id = saved.pk
    return saved


@transaction.atomic
def update_warning(actor, pk, data: dict, *, expected_version: int | None = None) -> Warning:
    instance = open_for_change(actor, Warning, pk, data, expected_version=expected_version)
    if instance.status != Warning.Status.DRAFT:
        raise field_error("status", _("只有草稿可以修改；已发布的预警请发布更新或解除"), "not_draft")
    before, errors = snapshot(instance), ErrorCollector()
    townships = _apply(actor, instance, data, errors)
    errors.raise_if_any()
    return save_record(actor, instance, action="update", before=before, m2m=_m2m(instance, townships))


@transaction.atomic
def start_revision(actor, pk, msg_type: str) -> Warning:
    """A new draft version (Update or Cancel) of a published warning, with its contents."""
    from citysafe.core import scope

    if msg_type not in (MessageType.UPDATE, MessageType.CANCEL):
        raise field_error("msg_type", _("只能发布更新（Update）或解除（Cancel）"), "msg_type")
    scope.require(actor, Warning, scope.Action.CREATE)
    current = scope.get_in_scope(actor, Warning.objects.all(), pk)
    if current.status != Warning.Status.PUBLISHED or current.msg_type == MessageType.CANCEL:
        raise field_error("previous", _("只有发布中的预警可以更新或解除"), "not_published")
    if Warning.objects.filter(previous=current, archived_at__isnull=True).exclude(
            status__in=[Warning.Status.EXPIRED]).exists():
        raise field_error("previous", _("该预警已有待发布的新版本"), "revision_exists")
    copy = {name: getattr(current, name) for name in CONTENT if not name.endswith("_id")}
    instance = open_for_create(actor, Warning, {})
    for name, value in copy.items():
        setattr(instance, name, value)
    instance.issuing_department_id = current.issuing_department_id
    instance.previous, instance.root_id = current, current.root_id or current.pk
    instance.revision, instance.msg_type = current.revision + 1, msg_type
    return save_record(actor, instance, action="create", before=None, note=f"revision of {current.pk}", m2m={
        "areas": list(current.areas.values_list("pk", flat=True)),
        "townships": list(current.townships.values_list("pk", flat=True))})


def cap_identifier(warning: Warning, sent: datetime) -> str:
    """GB/T 35965.1: {6-digit area code}{3-digit agency}{5 digits}_{YYYYMMDDhhmmss}_{n}, Beijing time.
    The five digits number the warning (its first version), n the version."""
    area = str(getattr(settings, "CAP_AREA_CODE", "622926"))[:6].rjust(6, "0")
    codes = getattr(settings, "CAP_AGENCY_CODES", {}) or {}
    agency = str(codes.get(warning.issuing_department.code, getattr(settings, "CAP_DEFAULT_AGENCY_CODE", "000")))
    number = (warning.root_id or warning.pk) % 100000
    stamp = sent.astimezone(BEIJING).strftime("%Y%m%d%H%M%S")
    return f"{area}{agency[:3].rjust(3, '0')}{number:05d}_{stamp}_{warning.revision}"


def transition_warning(actor, pk, name: str, *, expected_version: int, note: str = "") -> Warning:
    """Take a workflow step; publishing stamps the CAP identifier and the sending time."""
    changes = None
    if name == "publish":
        warning = Warning.objects.select_related("issuing_department").filter(pk=pk).first()
        if warning is not None:
            sent = timezone.now().replace(microsecond=0)
            changes = {"identifier": cap_identifier(warning, sent), "sent_at": sent}
    return WARNING.apply(actor, Warning, pk, name, expected_version=expected_version, note=note, changes=changes)


def expire_warnings(now=None) -> int:
    """Published versions past their expiry become expired (the system's transition)."""
    from citysafe.core.workflow.system import as_system

    now = now or timezone.now()
    count = 0
    with as_system() as system:
        for pk, version in Warning.objects.filter(status=Warning.Status.PUBLISHED, expires__lte=now).values_list(
                "pk", "version"):
            try:
                WARNING.apply(system, Warning, pk, "expire", expected_version=version)
                count += 1
            except Exception:  # noqa: BLE001 (changed meanwhile: the next sweep sees it)
                logger.warning("warning %s not expired now; the next sweep tries again", pk, exc_info=True)
    return count


def default_times(now=None) -> tuple[datetime, datetime, datetime]:
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    return now, now, now + timedelta(hours=24)
