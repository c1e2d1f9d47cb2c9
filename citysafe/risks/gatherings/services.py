"""Writes of gathering applications (core.records: role, scope, field limits, version, one
transaction, audit) and the risk assessment against the venue (kernels.gathering_risk)."""
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.accounts.models import Organisation
from citysafe.core import scope
from citysafe.core.audit import snapshot
from citysafe.core.models import Attachment
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.registry.models import Place, PlaceType
from citysafe.registry.services.fields import apply_fields, require_fields
from citysafe.risks.models import Gathering, MajorHazardInstallation
from kernels.gathering_risk import SURROUNDINGS_RADIUS_M, assess_gathering, distance_m

PLAIN = {"name", "kind", "content", "organiser_id", "responsible_person_id", "venue_id", "starts_at", "ends_at",
         "expected_attendance", "exits", "exit_width_m", "security_staff", "is_synthetic"}
PLANS = ("security_plan_id", "emergency_plan_id")
EDITABLE = {Gathering.Status.DRAFT, Gathering.Status.RETURNED}
HAZARDOUS_PLACE_TYPES = (PlaceType.GAS_STATION, PlaceType.HAZCHEM_SITE, PlaceType.GAS_WORKS)
# Degrees of latitude/longitude that surely hold a 500 m ring at this latitude (pre-filter).
RING_BOX = 0.01

REASONS = {
    "over_capacity": _("预计参加人数超过场所可容纳人数"), "near_capacity": _("预计参加人数达到场所容量的90%以上"),
    "high_load": _("预计参加人数达到场所容量的70%以上"), "capacity_unknown": _("场所未登记可容纳人数"),
    "too_few_exits": _("安全出口少于2个"), "exits_far_too_narrow": _("安全出口总宽度不足所需宽度的一半"),
    "exits_too_narrow": _("安全出口总宽度不足"), "hazards_nearby": _("周边500米内有危险源"),
    "municipal_size": _("预计参加人数5000人以上（由市级公安机关许可）"),
}


def authority() -> Organisation | None:
    """The licensing public security organ (条例第四条、第十二条): the organisation whose code is
    settings.GATHERING_AUTHORITY_CODE (default "gaj", 县公安局)."""
    code = getattr(settings, "GATHERING_AUTHORITY_CODE", "gaj")
    return Organisation.objects.filter(code=code, archived_at__isnull=True).first()


def hazards_near(lon: float, lat: float) -> int:
    """Hazardous places and major hazard installations within SURROUNDINGS_RADIUS_M of the venue."""
    box = {"lon__range": (lon - RING_BOX * 1.3, lon + RING_BOX * 1.3), "lat__range": (lat - RING_BOX, lat + RING_BOX)}
    candidates = list(Place.objects.filter(archived_at__isnull=True, place_type__in=HAZARDOUS_PLACE_TYPES, **box)
                      .values_list("lon", "lat"))
    candidates += list(MajorHazardInstallation.objects.filter(archived_at__isnull=True, is_major=True, **box)
                       .values_list("lon", "lat"))
    return sum(1 for x, y in candidates if x is not None and distance_m(lon, lat, x, y) <= SURROUNDINGS_RADIUS_M)


def assess(gathering: Gathering) -> None:
    """Derive place and authority from the venue and grade the gathering (kernel rule)."""
    venue = gathering.venue
    gathering.lon, gathering.lat = venue.lon, venue.lat
    gathering.township_id, gathering.grid_id = venue.township_id, venue.grid_id
    gathering.venue_capacity = venue.capacity
    gathering.hazards_nearby = hazards_near(venue.lon, venue.lat) if venue.lon is not None else 0
    risk = assess_gathering(gathering.expected_attendance, venue.capacity, gathering.exits,
                            float(gathering.exit_width_m), gathering.hazards_nearby)
    gathering.level, gathering.load_ratio = risk.level, risk.load
    gathering.risk_reasons = [{"code": code, "text": str(REASONS[code])} for code in risk.reasons]


def _check(gathering: Gathering, errors: ErrorCollector) -> None:
    for name in ("starts_at", "ends_at"):
        value = getattr(gathering, name)
        if isinstance(value, datetime) and timezone.is_naive(value):
            setattr(gathering, name, timezone.make_aware(value))
    if gathering.starts_at and gathering.ends_at and gathering.ends_at <= gathering.starts_at:
        errors.add("ends_at", _("结束时间须晚于开始时间"), "order")
    if gathering.expected_attendance is not None and gathering.expected_attendance < 1000:
        errors.add("expected_attendance", _("大型群众性活动指预计参加人数1000人以上的活动（条例第二条）"), "min_value")


def _plans(gathering: Gathering, data: dict, errors: ErrorCollector) -> None:
    """The security and emergency plans: attachments of this very application (core.attachments)."""
    owner_type = ContentType.objects.get_for_model(Gathering)
    for name in PLANS:
        if name not in data:
            continue
        value = data[name]
        if value is None:
            setattr(gathering, name, None)
            continue
        ok = (gathering.pk is not None and isinstance(value, int) and not isinstance(value, bool)
              and Attachment.objects.filter(pk=value, owner_type=owner_type, owner_id=gathering.pk).exists())
        if not ok:
            errors.add(name, _("须为本申请已上传的附件（先上传附件，再选择）"), "not_found")
        else:
            setattr(gathering, name, value)


def _apply(actor, gathering: Gathering, data: dict, errors: ErrorCollector) -> None:
    apply_fields(gathering, {k: v for k, v in data.items() if k not in PLANS}, PLAIN, errors, actor=actor)
    _plans(gathering, data, errors)
    if errors.errors:
        return
    _check(gathering, errors)
    if errors.errors:
        return
    officer = authority()
    if officer is None:
        errors.add("authority", _("未配置许可机关：请在组织机构中登记县公安局（编码 gaj）"), "configuration")
        return
    gathering.authority = officer
    assess(gathering)


@transaction.atomic
def create_gathering(actor, data: dict) -> Gathering:
    gathering = open_for_create(actor, Gathering, data, created_by=actor)
    errors = ErrorCollector()
    require_fields(data, ["name", "kind", "organiser_id", "venue_id", "starts_at", "ends_at", "expected_attendance",
                          "exits", "exit_width_m"], errors)
    if any(name in data for name in PLANS):
        errors.add(next(n for n in PLANS if n in data), _("请先保存申请，上传附件后再选择"), "not_found")
    _apply(actor, gathering, data, errors)
    errors.raise_if_any()
    return save_record(actor, gathering, action="create", before=None)


@transaction.atomic
def update_gathering(actor, pk, data: dict, *, expected_version: int | None = None) -> Gathering:
    gathering = open_for_change(actor, Gathering, pk, data, expected_version=expected_version)
    # The application's content is the applicants' (who may draft one, permissions.py); the
    # licensing organ changes only the state and its note, through the transitions.
    if gathering.status not in EDITABLE or not scope.may(actor, Gathering, scope.Action.CREATE):
        raise ValidationError({"status": [ValidationError(
            _("只有承办方可以修改草稿或已退回补正的申请"), code="not_editable")]})
    before, errors = snapshot(gathering), ErrorCollector()
    _apply(actor, gathering, data, errors)
    errors.raise_if_any()
    return save_record(actor, gathering, action="update", before=before)


def transition_gathering(actor, pk, name: str, *, expected_version: int, note: str = "") -> Gathering:
    from citysafe.risks.gatherings.workflows import GATHERING_LICENCE

    return GATHERING_LICENCE.apply(actor, Gathering, pk, name, expected_version=expected_version, note=note)
