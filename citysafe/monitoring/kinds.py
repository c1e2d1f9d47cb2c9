"""Record kinds of the monitoring app: sensors, gateways, video points, alarm rules (core.kinds
builds their API, pages and scope matrices from these declarations)."""
from typing import Annotated, Optional

from django import forms
from django.utils.translation import gettext_lazy
from ninja import Schema
from pydantic import Field

from citysafe.core.kinds import Column, Filter, RecordKind, fixed
from citysafe.core.kinds.forms import RecordForm
from citysafe.core.kinds.location import MapPicker
from citysafe.core.kinds.schemas import patch_schema
from citysafe.core.kinds.types import Coordinate, Count, Id, NotOnCreate, Text, Version, choice_in, choice_out
from citysafe.monitoring.models import (
    AlarmRule,
    Gateway,
    GoodsClass,
    RuleKind,
    Sensor,
    SensorType,
    Vehicle,
    VehicleType,
    VideoPoint,
)
from citysafe.monitoring.services import devices, rules
from citysafe.registry.models import Enterprise, Place

Number = Annotated[float, Field(allow_inf_nan=False)]


class _SiteOut(Schema):
    id: int
    version: int
    code: str
    name: str
    place_id: Optional[int]
    place_name: str
    enterprise_id: Optional[int]
    enterprise_name: str
    risk_point_id: Optional[int]
    installation_id: Optional[int]
    township_id: int
    township_name: str
    grid_id: Optional[int]
    lon: Optional[float]
    lat: Optional[float]


class SensorOut(_SiteOut):
    sensor_type: choice_out(SensorType.choices)
    unit: str
    range_min: float
    range_max: float
    sampling_seconds: int
    gateway_id: Optional[int]
    token_prefix: str


class GatewayOut(_SiteOut):
    token_prefix: str


class VideoPointOut(_SiteOut):
    stream_url: str
    is_online: bool


class _SiteUpdate(Schema):
    version: Version
    code: Optional[Text] = None
    name: Optional[Text] = None
    place_id: Optional[Id] = None
    enterprise_id: Optional[Id] = None
    risk_point_id: Optional[Id] = None
    installation_id: Optional[Id] = None
    lon: Optional[Coordinate] = None
    lat: Optional[Coordinate] = None


class _SensorUpdate(_SiteUpdate):
    sensor_type: Optional[choice_in(SensorType.choices)] = None
    unit: Optional[Text] = None
    range_min: Optional[Number] = None
    range_max: Optional[Number] = None
    sampling_seconds: Optional[Count] = None
    gateway_id: Optional[Id] = None


class _VideoUpdate(_SiteUpdate):
    stream_url: Optional[Text] = None
    is_online: Optional[bool] = None


SensorUpdate = patch_schema(_SensorUpdate, Sensor)
GatewayUpdate = patch_schema(_SiteUpdate, Gateway)
VideoPointUpdate = patch_schema(_VideoUpdate, VideoPoint)


class SensorCreate(SensorUpdate):
    version: NotOnCreate = None
    code: Text
    name: Text
    sensor_type: choice_in(SensorType.choices)
    unit: Text
    range_min: Number
    range_max: Number


class GatewayCreate(GatewayUpdate):
    version: NotOnCreate = None
    code: Text
    name: Text


class VideoPointCreate(VideoPointUpdate):
    version: NotOnCreate = None
    code: Text
    name: Text
    stream_url: Text


class _SiteForm(RecordForm):
    map_picker = MapPicker(lon="lon", lat="lat", draw=("point",))
    code = forms.CharField(label="编号", max_length=64)
    name = forms.CharField(label="名称", max_length=200)
    place_id = forms.ModelChoiceField(label="所在场所", queryset=Place.objects.all(), required=False)
    enterprise_id = forms.ModelChoiceField(label="所属企业", queryset=Enterprise.objects.all(), required=False)
    lon = forms.FloatField(label="经度", required=False)
    lat = forms.FloatField(label="纬度", required=False)
    PICKERS = frozenset({"place_id", "enterprise_id"})


class SensorForm(_SiteForm):
    model = Sensor
    sensor_type = forms.ChoiceField(label="传感器类型", choices=SensorType.choices)
    unit = forms.CharField(label="单位", max_length=16)
    range_min = forms.FloatField(label="量程下限")
    range_max = forms.FloatField(label="量程上限")
    sampling_seconds = forms.IntegerField(label="采样间隔（秒）", min_value=1, initial=60)


class GatewayForm(_SiteForm):
    model = Gateway


class VideoPointForm(_SiteForm):
    model = VideoPoint
    stream_url = forms.CharField(label="视频流地址", max_length=500)
    is_online = forms.BooleanField(label="在线", required=False, initial=True)


_SITE_COLUMNS = [Column("编号", lambda o: o.code, "code"), Column("名称", lambda o: o.name, "name"),
                 Column("所属乡镇", lambda o: o.township, "township")]


def _site_kind(key, singular, model, title, item, create_in, update_in, create, update, form, extra=()):
    return RecordKind(
        key=key, singular=singular, model=model, title=title, namespace="monitoring",
        search=("name", "code"), filters=("township_id", "place_id", "enterprise_id", *extra),
        ordering=("id", "code", "name"), related=("township", "place", "enterprise"),
        item=item, create_in=create_in, update_in=update_in, create=create, update=update, form=form,
        columns=_SITE_COLUMNS)


SENSORS = _site_kind("sensors", "Sensor", Sensor, gettext_lazy("传感器"), SensorOut, SensorCreate, SensorUpdate,
                     devices.create_sensor, devices.update_sensor, SensorForm, extra=("sensor_type",))
SENSORS.page_filters = [Filter("sensor_type", "传感器类型", fixed(SensorType.choices))]
GATEWAYS = _site_kind("gateways", "Gateway", Gateway, gettext_lazy("网关"), GatewayOut, GatewayCreate, GatewayUpdate,
                      devices.create_gateway, devices.update_gateway, GatewayForm)
VIDEO_POINTS = _site_kind("video-points", "VideoPoint", VideoPoint, gettext_lazy("视频点位"), VideoPointOut,
                          VideoPointCreate, VideoPointUpdate, devices.create_video_point,
                          devices.update_video_point, VideoPointForm)


class RuleOut(Schema):
    id: int
    version: int
    name: str
    kind: choice_out(RuleKind.choices)
    sensor_type: str
    sensor_id: Optional[int]
    level1: Optional[float]
    level2: Optional[float]
    level3: Optional[float]
    hold_seconds: int
    deadband: float
    ack_minutes_1: int
    ack_minutes_2: int
    ack_minutes_3: int
    notify_every_minutes: int
    notify_cap: int
    basis: str
    is_enabled: bool


class _RuleUpdate(Schema):
    version: Version
    name: Optional[Text] = None
    kind: Optional[choice_in(RuleKind.choices)] = None
    sensor_type: Optional[choice_in(SensorType.choices)] = None
    sensor_id: Optional[Id] = None
    level1: Optional[Number] = None
    level2: Optional[Number] = None
    level3: Optional[Number] = None
    hold_seconds: Optional[Count] = None
    deadband: Optional[Number] = None
    ack_minutes_1: Optional[Count] = None
    ack_minutes_2: Optional[Count] = None
    ack_minutes_3: Optional[Count] = None
    notify_every_minutes: Optional[Count] = None
    notify_cap: Optional[Count] = None
    basis: Optional[Text] = None
    is_enabled: Optional[bool] = None


RuleUpdate = patch_schema(_RuleUpdate, AlarmRule)


class RuleCreate(RuleUpdate):
    version: NotOnCreate = None
    name: Text
    kind: choice_in(RuleKind.choices)


class RuleForm(RecordForm):
    model = AlarmRule
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="规则类型", choices=RuleKind.choices)
    sensor_type = forms.ChoiceField(label="传感器类型", choices=[("", "—"), *SensorType.choices], required=False)
    level1 = forms.FloatField(label="一级阈值", required=False)
    level2 = forms.FloatField(label="二级阈值", required=False)
    level3 = forms.FloatField(label="三级阈值", required=False)
    hold_seconds = forms.IntegerField(label="持续时间（秒）", min_value=0, initial=0)
    deadband = forms.FloatField(label="解除回差", initial=0)
    basis = forms.CharField(label="依据", max_length=200, required=False)
    is_enabled = forms.BooleanField(label="启用", required=False, initial=True)


RULES = RecordKind(
    key="alarm-rules", singular="AlarmRule", model=AlarmRule, title=gettext_lazy("报警规则"), namespace="monitoring",
    search=("name",), filters=("kind", "sensor_type", "sensor_id"), ordering=("id", "name"),
    item=RuleOut, create_in=RuleCreate, update_in=RuleUpdate, create=rules.create_rule, update=rules.update_rule,
    form=RuleForm, columns=[Column("名称", lambda o: o.name, "name"), Column("规则类型", lambda o: o.get_kind_display()),
                            Column("一级阈值", lambda o: o.level1), Column("二级阈值", lambda o: o.level2)])



class VehicleOut(_SiteOut):
    plate: str
    vehicle_type: choice_out(VehicleType.choices)
    goods_class: str
    permit_no: str
    speed_limit: float
    route: list
    route_tolerance_m: float
    gateway_id: Optional[int]
    silent_minutes: int
    last_ts: Optional[float]
    last_lon: Optional[float]
    last_lat: Optional[float]
    last_speed: Optional[float]


class _VehicleUpdate(_SiteUpdate):
    plate: Optional[Text] = None
    vehicle_type: Optional[choice_in(VehicleType.choices)] = None
    goods_class: Optional[choice_in(GoodsClass.choices)] = None
    permit_no: Optional[Text] = None
    speed_limit: Optional[Number] = None
    route: Optional[list[tuple[Number, Number]]] = None
    route_tolerance_m: Optional[Number] = None
    gateway_id: Optional[Id] = None
    silent_minutes: Optional[Count] = None


VehicleUpdate = patch_schema(_VehicleUpdate, Vehicle)


class VehicleCreate(VehicleUpdate):
    version: NotOnCreate = None
    code: Text
    name: Text
    plate: Text
    vehicle_type: choice_in(VehicleType.choices)
    # enterprise_id comes from VehicleUpdate, nullable as its column (a sensor's site may be a
    # place instead); the service requires it for a vehicle (REQUIRED in services/devices.py).


class VehicleForm(_SiteForm):
    model = Vehicle
    plate = forms.CharField(label="车牌号", max_length=16)
    vehicle_type = forms.ChoiceField(label="车辆类型", choices=VehicleType.choices)
    goods_class = forms.ChoiceField(label="危险货物类别", choices=GoodsClass.choices, required=False)
    permit_no = forms.CharField(label="道路运输证号", max_length=64, required=False)
    speed_limit = forms.FloatField(label="限速（公里/小时）", initial=80)
    route_tolerance_m = forms.FloatField(label="偏离路线容差（米）", initial=500)
    silent_minutes = forms.IntegerField(label="失联报警时限（分钟）", min_value=1, initial=10)


VEHICLES = _site_kind("vehicles", "Vehicle", Vehicle, gettext_lazy("两客一危车辆"), VehicleOut, VehicleCreate,
                      VehicleUpdate, devices.create_vehicle, devices.update_vehicle, VehicleForm,
                      extra=("vehicle_type",))
VEHICLES.search = ("name", "code", "plate")
VEHICLES.columns = [Column("车牌号", lambda o: o.plate, "plate"), Column("车辆类型", lambda o: o.get_vehicle_type_display()),
                    Column("所属企业", lambda o: o.enterprise, "enterprise"), *_SITE_COLUMNS[:1]]
VEHICLES.page_filters = [Filter("vehicle_type", "车辆类型", fixed(VehicleType.choices))]
VEHICLES.detail_templates = ("monitoring/_vehicle_links.html",)

KINDS = [SENSORS, GATEWAYS, VIDEO_POINTS, RULES, VEHICLES]
