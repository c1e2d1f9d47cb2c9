"""Underground infrastructure on one spatial database (issue 14 part 4, C3): pipelines by kind
(管线) and utility tunnels (综合管廊), each a LineString / MultiLineString in lon/lat.

Scope is territorial like every registry record: the township (and grid) the line's midpoint
lies in, plus the owner / operator enterprise (its officers see and maintain their own network).
`length_m` and the bounding box are derived by the services (geodesic metres; the box is the
dig check's SQL prefilter)."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import Ref, ScopeFields


class LineKind(models.TextChoices):
    GAS = "gas", _("燃气")
    WATER = "water", _("给水")
    DRAINAGE = "drainage", _("排水（雨水/污水）")
    HEATING = "heating", _("热力")
    POWER = "power", _("电力")
    TELECOM = "telecom", _("通信")
    INDUSTRIAL = "industrial", _("工业/油气管道")


class PressureClass(models.TextChoices):
    """Gas pressure classes (城镇燃气设计规范 GB 50028 表6.1.6; MPa, gauge)."""

    LOW = "low", _("低压（<0.01 MPa）")
    MEDIUM_B = "medium_b", _("中压B（0.01～0.2 MPa）")
    MEDIUM_A = "medium_a", _("中压A（0.2～0.4 MPa）")
    SUB_HIGH_B = "sub_high_b", _("次高压B（0.4～0.8 MPa）")
    SUB_HIGH_A = "sub_high_a", _("次高压A（0.8～1.6 MPa）")
    HIGH_B = "high_b", _("高压B（1.6～2.5 MPa）")
    HIGH_A = "high_a", _("高压A（2.5～4.0 MPa）")


class LineStatus(models.TextChoices):
    IN_USE = "in_use", _("在用")
    ABANDONED = "abandoned", _("废弃")


class UndergroundRecord(ArchivableModel):
    """What pipelines and tunnels share: a code, a line geometry, placement, owner and source."""

    code = models.CharField(_("编号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200, blank=True)
    owner_enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("权属/运营单位"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    year_laid = models.PositiveSmallIntegerField(_("建设年份"), null=True, blank=True,
                                                 validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    status = models.CharField(_("使用状态"), max_length=16, choices=LineStatus.choices, default=LineStatus.IN_USE)
    data_source = models.CharField(_("数据来源"), max_length=200, blank=True)
    geometry = models.JSONField(_("走向（GeoJSON线）"))
    length_m = models.FloatField(_("长度（米）"), default=0)
    min_lon = models.FloatField(default=0)
    min_lat = models.FloatField(default=0)
    max_lon = models.FloatField(default=0)
    max_lat = models.FloatField(default=0)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), on_delete=models.PROTECT,
                                 related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(township="township", grid="grid", enterprise="owner_enterprise")
    references = {"owner_enterprise": Ref.visible(), "township": Ref.visible(level="township"),
                  "grid": Ref.visible(level="grid")}

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.code} {self.name}".strip()


class UndergroundLine(UndergroundRecord):
    line_kind = models.CharField(_("管线类别"), max_length=16, choices=LineKind.choices)
    material = models.CharField(_("材质"), max_length=50, blank=True)
    diameter_mm = models.PositiveIntegerField(_("管径（毫米）"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5000)])
    pressure_class = models.CharField(_("压力级制（燃气）"), max_length=16, choices=PressureClass.choices, blank=True)
    depth_m = models.FloatField(_("埋深（米）"), null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        verbose_name = _("地下管线")
        verbose_name_plural = _("地下管线")
        ordering = ["line_kind", "code"]
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="siting_line_bbox")]


class UtilityTunnel(UndergroundRecord):
    compartments = models.CharField(_("舱室及入廊管线"), max_length=300, blank=True)
    depth_m = models.FloatField(_("埋深（米）"), null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        verbose_name = _("综合管廊")
        verbose_name_plural = _("综合管廊")
        ordering = ["code"]
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="siting_tunnel_bbox")]
