"""Writes of sensors, gateways and video points (core.records: role, scope, field limits,
version, audit). A device takes its scope keys from its site: a place, else an enterprise."""
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core.audit import record_change, snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import check_location
from citysafe.monitoring.models import Gateway, Sensor, Vehicle, VideoPoint
from citysafe.registry.services.fields import apply_fields, require_fields

SITE_FIELDS = {"code", "name", "place_id", "enterprise_id", "risk_point_id", "installation_id", "lon", "lat"}
FIELDS = {
    Sensor: SITE_FIELDS | {"sensor_type", "unit", "range_min", "range_max", "sampling_seconds", "gateway_id"},
    Gateway: SITE_FIELDS,
    VideoPoint: SITE_FIELDS | {"stream_url", "is_online"},
    Vehicle: SITE_FIELDS | {"plate", "vehicle_type", "goods_class", "permit_no", "speed_limit", "route",
                            "route_tolerance_m", "gateway_id", "silent_minutes"},
}
REQUIRED = {Sensor: ["code", "name", "sensor_type", "unit", "range_min", "range_max"], Gateway: ["code", "name"],
            VideoPoint: ["code", "name", "stream_url"],
            Vehicle: ["code", "name", "plate", "vehicle_type", "enterprise_id"]}


def _place_at_site(instance, data, errors: ErrorCollector) -> None:
    if instance.installation_id:
        site = instance.installation
        industry, enterprise = site.enterprise.industry_id, site.enterprise_id
    elif instance.risk_point_id:
        site = instance.risk_point
        industry, enterprise = site.industry_id, site.owner_enterprise_id
    elif instance.place_id:
        site = instance.place
        industry, enterprise = site.industry_id, site.owner_enterprise_id
    elif instance.enterprise_id:
        site = instance.enterprise
        industry, enterprise = site.industry_id, site.pk
    else:
        errors.add("place_id", _("必须指定所在场所、企业、风险点或重大危险源"), "required")
        return
    if site.township_id is None:
        errors.add("place_id", _("所选地点没有所属乡镇，不能安装设备"), "required")
        return
    instance.township_id, instance.grid_id = site.township_id, site.grid_id
    instance.industry_id, instance.enterprise_id = industry, enterprise
    if instance.lon is None and instance.lat is None:
        instance.lon, instance.lat = site.lon, site.lat
    elif "lon" in data or "lat" in data:
        errors.run(check_location, instance.lon, instance.lat)
    if isinstance(instance, Sensor) and instance.range_min is not None and instance.range_max is not None \
            and instance.range_min >= instance.range_max:
        errors.add("range_max", _("量程上限必须大于量程下限"), "range")
    if isinstance(instance, Vehicle):
        _check_vehicle(instance, errors)


def _check_vehicle(vehicle, errors: ErrorCollector) -> None:
    from citysafe.monitoring.models import VehicleType

    if vehicle.vehicle_type == VehicleType.HAZMAT and not vehicle.goods_class:
        errors.add("goods_class", _("危险货物运输车必须填写危险货物类别"), "required")
    route = vehicle.route or []
    if not isinstance(route, list) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 and all(isinstance(x, (int, float)) for x in p)
            and 73 <= p[0] <= 136 and 3 <= p[1] <= 54 for p in route):
        errors.add("route", _("核定路线应为[[经度, 纬度], …]的点列（中国境内）"), "format")
    if vehicle.speed_limit is not None and not 0 < vehicle.speed_limit <= 150:
        errors.add("speed_limit", _("限速应在1–150公里/小时之间"), "range")


def _create(model):
    @transaction.atomic
    def create(actor, data: dict):
        instance, errors = open_for_create(actor, model, data), ErrorCollector()
        require_fields(data, REQUIRED[model], errors)
        apply_fields(instance, data, FIELDS[model], errors, actor=actor)
        _place_at_site(instance, data, errors)
        errors.raise_if_any()
        return save_record(actor, instance, action="create", before=None)
    create.__name__ = f"create_{model._meta.model_name}"
    return create


def _update(model):
    @transaction.atomic
    def update(actor, pk, data: dict, *, expected_version: int | None = None):
        instance = open_for_change(actor, model, pk, data, expected_version=expected_version)
        before, errors = snapshot(instance), ErrorCollector()
        apply_fields(instance, data, FIELDS[model], errors, actor=actor)
        _place_at_site(instance, data, errors)
        errors.raise_if_any()
        return save_record(actor, instance, action="update", before=before)
    update.__name__ = f"update_{model._meta.model_name}"
    return update


create_sensor, update_sensor = _create(Sensor), _update(Sensor)
create_gateway, update_gateway = _create(Gateway), _update(Gateway)
create_video_point, update_video_point = _create(VideoPoint), _update(VideoPoint)
create_vehicle, update_vehicle = _create(Vehicle), _update(Vehicle)


@transaction.atomic
def issue_device_token(actor, model, pk) -> str:
    """A new token for a gateway or sensor (the old one stops working); only its digest is
    stored, the raw token is returned once."""
    from citysafe.monitoring.models import token_digest

    instance = open_for_change(actor, model, pk, {}, expected_version=None)
    raw = secrets.token_urlsafe(32)
    model.objects.filter(pk=instance.pk).update(token_prefix=raw[:8], token_digest=token_digest(raw))
    record_change(actor=actor, action="issue_token", instance=instance, after={"token_prefix": raw[:8]})
    return raw
