"""Risk points (风险点) and their control measures (管控措施)."""
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import Ref, ScopeFields
from citysafe.risks.models.fields import ShownListField
from citysafe.risks.models.levels import AccidentType, ControlLevel, RiskLevel

# Where a risk point's scope keys are: copied from what it is attached to (services/placement.py),
# so the same rules as the registry apply — a township its township's, a department its
# industries', an enterprise its own (the attached enterprise, or the owner of the attached place).
RISK_POINT_SCOPE = ScopeFields(township="township", grid="grid", industry="industry", enterprise="owner_enterprise")


def _through(prefix: str) -> ScopeFields:
    return ScopeFields(**{key: f"{prefix}__{getattr(RISK_POINT_SCOPE, key)}"
                          for key in ("township", "grid", "industry", "enterprise")})


class RiskPoint(ArchivableModel):
    """A place, installation or activity where an accident can start, attached to exactly one
    enterprise, place/facility or administrative area, whose location and areas it inherits."""

    class Category(models.TextChoices):
        FACILITY = "facility", _("设备设施")
        ACTIVITY = "activity", _("作业活动")
        SITE = "site", _("场所区域")

    class Basis(models.TextChoices):
        NONE = "", _("未评估")
        ASSESSMENT = "assessment", _("评估结论")
        MAJOR_HAZARD = "major_hazard", _("重大危险源最低等级")

    name = models.CharField(_("风险点名称"), max_length=200)
    category = models.CharField(_("风险点类型"), max_length=16, choices=Category.choices, default=Category.SITE)
    description = models.TextField(_("说明"), blank=True)
    # Exactly one of these three (services refuse none or two; a check constraint holds it too).
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("所属企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="risk_points")
    place = models.ForeignKey("registry.Place", verbose_name=_("所在场所设施"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="risk_points")
    area = models.ForeignKey("registry.Area", verbose_name=_("所在区域"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="risk_points")
    hazard_factors = ShownListField(_("危险有害因素"), default=list, blank=True)
    accident_types = ShownListField(_("可能导致的事故类型"), default=list, blank=True, labels=AccidentType.choices)
    responsible_persons = models.ManyToManyField("registry.Person", verbose_name=_("责任人"), blank=True,
                                                 related_name="risk_points")

    # Inherited from the parent on every save and when the parent moves (services/placement.py).
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    geometry = models.JSONField(_("几何（GeoJSON）"), null=True, blank=True)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("registry.Area", verbose_name=_("所属村（社区）"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    owner_enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("责任企业"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    supervising_department = models.ForeignKey("accounts.Organisation", verbose_name=_("行业主管部门"), null=True,
                                               blank=True, on_delete=models.PROTECT, related_name="+")

    # Grading: set only by an accepted assessment, a threshold change or the major-hazard rule.
    level = models.PositiveSmallIntegerField(_("风险等级"), choices=RiskLevel.choices, default=RiskLevel.NONE,
                                             validators=[MaxValueValidator(4)], db_index=True)
    assessed_level = models.PositiveSmallIntegerField(_("评估等级"), choices=RiskLevel.choices,
                                                      default=RiskLevel.NONE, validators=[MaxValueValidator(4)])
    level_basis = models.CharField(_("定级依据"), max_length=16, choices=Basis.choices, default=Basis.NONE,
                                   blank=True)
    level_assessment = models.ForeignKey("risks.Assessment", verbose_name=_("定级评估"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    assessed_on = models.DateField(_("最近评估日期"), null=True, blank=True)
    control_level = models.CharField(_("管控层级"), max_length=16, choices=ControlLevel.choices, blank=True)
    reassess_due = models.DateField(_("下次评估期限"), null=True, blank=True, db_index=True)
    # Left out of the public risk map (the admin marks it: e.g. a military or key-security site).
    is_sensitive = models.BooleanField(_("敏感（公开版不显示）"), default=False)
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = RISK_POINT_SCOPE
    references = {"enterprise": Ref.visible(), "place": Ref.visible(), "area": Ref.visible(),
                  "responsible_persons": Ref.visible(), "township": Ref.system(), "village": Ref.system(),
                  "grid": Ref.system(), "industry": Ref.system(), "owner_enterprise": Ref.system(),
                  "supervising_department": Ref.system(), "level_assessment": Ref.system()}

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["township", "id"], condition=models.Q(archived_at__isnull=True),
                         name="riskpoint_active_township"),
            models.Index(fields=["grid", "id"], condition=models.Q(archived_at__isnull=True),
                         name="riskpoint_active_grid"),
            models.Index(fields=["industry", "id"], condition=models.Q(archived_at__isnull=True),
                         name="riskpoint_active_industry"),
            models.Index(fields=["owner_enterprise", "id"], condition=models.Q(archived_at__isnull=True),
                         name="riskpoint_active_owner"),
            # The map's bounding-box filter and per-cell counts (registry/map/viewport.py).
            models.Index(fields=["lon", "lat"], name="riskpoint_lonlat"),
        ]
        constraints = [models.CheckConstraint(
            name="riskpoint_attached_once",
            condition=(models.Q(enterprise__isnull=False, place__isnull=True, area__isnull=True)
                       | models.Q(enterprise__isnull=True, place__isnull=False, area__isnull=True)
                       | models.Q(enterprise__isnull=True, place__isnull=True, area__isnull=False)))]

    def __str__(self):
        return self.name

    @property
    def parent(self):
        return self.enterprise or self.place or self.area


class ControlMeasure(ArchivableModel):
    """管控措施 of one risk point: what is done, by whom, at which control level."""

    class Kind(models.TextChoices):
        ENGINEERING = "engineering", _("工程技术措施")
        MANAGEMENT = "management", _("管理措施")
        TRAINING = "training", _("培训教育措施")
        PPE = "ppe", _("个体防护措施")
        EMERGENCY = "emergency", _("应急处置措施")

    risk_point = models.ForeignKey(RiskPoint, verbose_name=_("风险点"), on_delete=models.PROTECT,
                                   related_name="measures")
    kind = models.CharField(_("措施类别"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("措施内容"))
    responsible_person = models.ForeignKey("registry.Person", verbose_name=_("责任人"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    control_level = models.CharField(_("管控层级"), max_length=16, choices=ControlLevel.choices, blank=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = _through("risk_point")
    references = {"risk_point": Ref.visible(), "responsible_person": Ref.visible()}

    class Meta:
        verbose_name = _("管控措施")
        verbose_name_plural = _("管控措施")
        ordering = ["risk_point", "id"]

    def __str__(self):
        return f"{self.risk_point}：{self.get_kind_display()}"
