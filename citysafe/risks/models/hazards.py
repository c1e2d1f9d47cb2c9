"""Major hazard installations (重大危险源, GB 18218-2018): the substance catalogue, units with
their inventories, identification S = Σq/Q and grading R = α·Σβq/Q (kernels.major_hazard)."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields
from citysafe.risks.models.levels import HazardGrade

HAZARD_SCOPE = ScopeFields(township="township", grid="grid", industry="enterprise__industry", enterprise="enterprise")


class Substance(ArchivableModel):
    """A hazardous substance of GB 18218 表1/表2 with its critical quantity Q and correction factor β."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    cas = models.CharField(_("CAS号"), max_length=20, blank=True)
    hazard_class = models.CharField(_("危险性类别"), max_length=50, blank=True)
    critical_quantity = models.FloatField(_("临界量Q（吨）"), validators=[MinValueValidator(1e-6)])
    beta = models.FloatField(_("校正系数β"), default=1.0, validators=[MinValueValidator(0.1), MaxValueValidator(100)])
    source = models.CharField(_("依据"), max_length=200, blank=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("危险化学品")
        verbose_name_plural = _("危险化学品")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MajorHazardInstallation(ArchivableModel):
    """A production or storage unit (单元) of an enterprise. It is a major hazard installation
    when its inventory gives S ≥ 1; then it is graded 一–四级 and has a risk point."""

    class AlphaSource(models.TextChoices):
        COMPUTED = "computed", _("按周边500米人数计算")
        ENTERED = "entered", _("人工填报")

    unit_name = models.CharField(_("单元名称"), max_length=200)
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("所属企业"), on_delete=models.PROTECT,
                                   related_name="hazard_units")
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    geometry = models.JSONField(_("单元边界（GeoJSON）"), null=True, blank=True)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("registry.Area", verbose_name=_("所属村（社区）"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    alpha_source = models.CharField(_("α取值方式"), max_length=16, choices=AlphaSource.choices,
                                    default=AlphaSource.COMPUTED)
    alpha_entered = models.FloatField(_("填报的α"), null=True, blank=True,
                                      validators=[MinValueValidator(0.5), MaxValueValidator(2.0)])
    alpha_reason = models.TextField(_("α填报理由"), blank=True)
    # Computed (services/major_hazards.py); never set by users.
    people_nearby = models.PositiveIntegerField(_("500米内人数"), default=0)
    alpha = models.FloatField(_("校正系数α"), default=0.5)
    s_value = models.FloatField(_("S值（Σq/Q）"), default=0)
    r_value = models.FloatField(_("R值"), default=0)
    is_major = models.BooleanField(_("构成重大危险源"), default=False, db_index=True)
    grade = models.PositiveSmallIntegerField(_("重大危险源级别"), choices=HazardGrade.choices,
                                             default=HazardGrade.NONE)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    risk_point = models.OneToOneField("risks.RiskPoint", verbose_name=_("对应风险点"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="installation")
    is_sensitive = models.BooleanField(_("敏感（公开版不显示）"), default=False)
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = HAZARD_SCOPE
    references = {"enterprise": Ref.visible(), "township": Ref.system(), "village": Ref.system(),
                  "grid": Ref.system(), "risk_point": Ref.system()}

    class Meta:
        verbose_name = _("重大危险源")
        verbose_name_plural = _("重大危险源")
        ordering = ["id"]

    def __str__(self):
        return f"{self.enterprise}·{self.unit_name}" if self.enterprise_id else self.unit_name


class Inventory(ArchivableModel):
    """The maximum quantity of one substance that can be present in one unit (qᵢ, tonnes)."""

    installation = models.ForeignKey(MajorHazardInstallation, verbose_name=_("单元"), on_delete=models.PROTECT,
                                     related_name="inventories")
    substance = models.ForeignKey(Substance, verbose_name=_("危险化学品"), on_delete=models.PROTECT,
                                  related_name="inventories")
    max_quantity = models.FloatField(_("最大存在量（吨）"), validators=[MinValueValidator(0)])
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(**{key: f"installation__{getattr(HAZARD_SCOPE, key)}"
                           for key in ("township", "grid", "industry", "enterprise")})
    references = {"installation": Ref.visible(), "substance": Ref.visible()}

    class Meta:
        verbose_name = _("危险化学品存量")
        verbose_name_plural = _("危险化学品存量")
        ordering = ["installation", "id"]
        constraints = [models.UniqueConstraint(fields=["installation", "substance"],
                                               condition=models.Q(archived_at__isnull=True),
                                               name="inventory_once_per_unit")]

    def __str__(self):
        return f"{self.installation} {self.substance} {self.max_quantity:g}t"
