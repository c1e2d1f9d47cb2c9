"""The device registry (C10): sensors, gateways, video points. Each sits at a site (a place or
an enterprise) and copies that site's scope keys, so the registry's scope rules apply."""
import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import Ref, ScopeFields

SITE_SCOPE = ScopeFields(township="township", grid="grid", industry="industry", enterprise="enterprise")
SITE_REFERENCES = {"place": Ref.visible(), "enterprise": Ref.visible(), "risk_point": Ref.visible(),
                   "installation": Ref.visible(), "township": Ref.system(),
                   "grid": Ref.system(), "industry": Ref.system()}


class SensorType(models.TextChoices):
    GAS = "gas", _("可燃/有毒气体")
    DUST = "dust", _("粉尘")
    TEMPERATURE = "temperature", _("温度")
    HUMIDITY = "humidity", _("湿度")
    WIND = "wind", _("风速")
    PRESSURE = "pressure", _("压力")
    LIQUID_LEVEL = "liquid_level", _("液位")
    NOISE = "noise", _("噪声")
    RADIATION = "radiation", _("辐射")
    WATER_LEVEL = "water_level", _("水位")
    CROWD = "crowd", _("人流量")


def token_digest(raw: str) -> str:
    # Tokens are 32 random bytes (accounts.ApiToken's rule): a SHA-256 digest is enough.
    return hashlib.sha256(raw.encode()).hexdigest()


class SitedDevice(ArchivableModel):
    """Where a device is: a major hazard installation, a risk point, a place or an enterprise (the
    site, in that order of precedence), and the scope keys copied from it."""

    code = models.CharField(_("编号"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    place = models.ForeignKey("registry.Place", verbose_name=_("所在场所"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("所属企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    risk_point = models.ForeignKey("risks.RiskPoint", verbose_name=_("风险点"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    installation = models.ForeignKey("risks.MajorHazardInstallation", verbose_name=_("重大危险源"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)

    scope = SITE_SCOPE
    references = SITE_REFERENCES

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class Gateway(SitedDevice):
    """A field gateway sending the readings of its sensors with its own token (digest only)."""

    token_prefix = models.CharField(_("令牌前缀"), max_length=8, blank=True)
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("网关")
        verbose_name_plural = _("网关")


class Sensor(SitedDevice):
    sensor_type = models.CharField(_("传感器类型"), max_length=16, choices=SensorType.choices, db_index=True)
    unit = models.CharField(_("单位"), max_length=16)
    range_min = models.FloatField(_("量程下限"))
    range_max = models.FloatField(_("量程上限"))
    sampling_seconds = models.PositiveIntegerField(_("采样间隔（秒）"), default=60)
    gateway = models.ForeignKey(Gateway, verbose_name=_("网关"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="sensors")
    token_prefix = models.CharField(_("令牌前缀"), max_length=8, blank=True)
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    references = {**SITE_REFERENCES, "gateway": Ref.visible()}

    class Meta:
        verbose_name = _("传感器")
        verbose_name_plural = _("传感器")


class VideoPoint(SitedDevice):
    stream_url = models.CharField(_("视频流地址"), max_length=500)
    is_online = models.BooleanField(_("在线"), default=True)

    class Meta:
        verbose_name = _("视频点位")
        verbose_name_plural = _("视频点位")
