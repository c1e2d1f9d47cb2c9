"""Vehicles carrying passengers or dangerous goods (两客一危, clause 二(十三)): the vehicle
(its GPS terminal is the device, its operator the site), positions reported like readings,
restricted zones drawn by the county, and vehicle alarms with the sensors' lifecycle
(workflows.ALARM_WORKFLOW: active/cleared × unacknowledged/acknowledged, then closed)."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel, WorkflowModel
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields

from .alarms import ACTIVE, AlarmStatus
from .devices import SITE_REFERENCES, Gateway, SitedDevice


class VehicleType(models.TextChoices):
    COACH = "coach", _("班线客车")
    TOUR_BUS = "tour_bus", _("旅游包车")
    HAZMAT = "hazmat", _("危险货物运输车")


class GoodsClass(models.TextChoices):
    """GB 6944 classes of dangerous goods."""

    NONE = "", _("无")
    C1 = "1", _("第1类 爆炸品")
    C2 = "2", _("第2类 气体")
    C3 = "3", _("第3类 易燃液体")
    C4 = "4", _("第4类 易燃固体等")
    C5 = "5", _("第5类 氧化性物质和有机过氧化物")
    C6 = "6", _("第6类 毒性物质和感染性物质")
    C7 = "7", _("第7类 放射性物质")
    C8 = "8", _("第8类 腐蚀性物质")
    C9 = "9", _("第9类 杂项危险物质和物品")


class Vehicle(SitedDevice):
    """`code` is the GPS terminal's id (the device positions name); the operator enterprise is
    the site and gives the scope keys. Approved route: a polyline [[lon, lat], …]."""

    plate = models.CharField(_("车牌号"), max_length=16, unique=True)
    vehicle_type = models.CharField(_("车辆类型"), max_length=16, choices=VehicleType.choices)
    goods_class = models.CharField(_("危险货物类别"), max_length=2, choices=GoodsClass.choices, blank=True)
    permit_no = models.CharField(_("道路运输证号"), max_length=64, blank=True)
    speed_limit = models.FloatField(_("限速（公里/小时）"), default=80)
    route = models.JSONField(_("核定路线"), default=list, blank=True)
    route_tolerance_m = models.FloatField(_("偏离路线容差（米）"), default=500)
    gateway = models.ForeignKey(Gateway, verbose_name=_("网关"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="vehicles")
    silent_minutes = models.PositiveIntegerField(_("失联报警时限（分钟）"), default=10)
    last_ts = models.FloatField(null=True, blank=True)        # epoch seconds of the newest position
    last_lon = models.FloatField(_("最新经度"), null=True, blank=True)
    last_lat = models.FloatField(_("最新纬度"), null=True, blank=True)
    last_speed = models.FloatField(_("最新速度"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    references = {**SITE_REFERENCES, "gateway": Ref.visible()}

    class Meta:
        verbose_name = _("两客一危车辆")
        verbose_name_plural = _("两客一危车辆")

    def __str__(self):
        return self.plate


class RestrictedZone(ArchivableModel):
    """An area (禁行区) vehicles of dangerous goods must not enter during a daily window (local
    hours; start == end: all day): around schools, markets, the county seat at rush hours.
    Drawn as a polygon on the zones map (`polygon`, one ring [[lon, lat], …]); a zone without
    a polygon is the circle (lon, lat, radius_m). lon/lat is the polygon's centroid then."""

    name = models.CharField(_("名称"), max_length=100)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    radius_m = models.FloatField(_("半径（米）"), default=300)
    polygon = models.JSONField(_("区域边界"), default=list, blank=True)
    start_hour = models.PositiveSmallIntegerField(_("开始时刻"), default=0)
    end_hour = models.PositiveSmallIntegerField(_("结束时刻"), default=0)
    applies_to_all = models.BooleanField(_("适用于所有两客一危车辆"), default=False)   # else hazmat only
    is_enabled = models.BooleanField(_("启用"), default=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("禁行区域")
        verbose_name_plural = _("禁行区域")

    def __str__(self):
        return self.name


THROUGH_VEHICLE = ScopeFields(**{key: f"vehicle__{key}" for key in ("township", "grid", "industry", "enterprise")})


class VehiclePosition(models.Model):
    """One GPS fix; (vehicle, ts) is the key, so a resent position is a duplicate."""

    pk = models.CompositePrimaryKey("vehicle_id", "ts")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
                                verbose_name=_("车辆"))
    ts = models.DateTimeField(_("定位时间"))
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    speed = models.FloatField(_("速度（公里/小时）"))

    scope = THROUGH_VEHICLE

    class Meta:
        verbose_name = _("车辆定位")
        verbose_name_plural = _("车辆定位")
        indexes = [models.Index(fields=["ts"], name="vehicleposition_ts")]

    def __str__(self):
        return f"{self.vehicle_id}@{self.ts}"


class VehicleAlarmKind(models.TextChoices):
    SPEEDING = "speeding", _("超速")
    OFF_ROUTE = "off_route", _("偏离核定路线")
    IN_ZONE = "in_zone", _("进入禁行区域")
    SILENT = "silent", _("定位失联")


class VehicleAlarm(ArchivableModel, WorkflowModel):
    vehicle = models.ForeignKey(Vehicle, verbose_name=_("车辆"), on_delete=models.PROTECT, related_name="alarms")
    kind = models.CharField(_("报警类型"), max_length=16, choices=VehicleAlarmKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=AlarmStatus.choices, default=AlarmStatus.ACTIVE_UNACK,
                              db_index=True)
    level = models.PositiveSmallIntegerField(_("级别"), default=2)
    value = models.FloatField(_("触发值"), null=True, blank=True)
    zone = models.ForeignKey(RestrictedZone, verbose_name=_("禁行区域"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("开始时间"))
    last_at = models.DateTimeField(_("最近定位时间"))
    raised_at = models.DateTimeField(_("报警产生时间"), auto_now_add=True)
    cleared_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    disposition = models.TextField(_("处置说明"), blank=True)

    scope = THROUGH_VEHICLE
    references = {"vehicle": Ref.system(), "zone": Ref.system()}

    class Meta:
        verbose_name = _("车辆报警")
        verbose_name_plural = _("车辆报警")
        constraints = [models.UniqueConstraint(fields=["vehicle", "kind"], condition=Q(status__in=list(ACTIVE)),
                                               name="one_active_alarm_per_vehicle_kind")]

    def __str__(self):
        return f"{self.vehicle} {self.get_kind_display()}"

    @property
    def is_active(self):
        return self.status in ACTIVE
