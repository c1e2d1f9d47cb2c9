"""Accident statistics (C19): production-safety, road-traffic and fire accidents, and the
yearly base figures (GDP, vehicles, population) the STANDARDS.md indicators divide by."""
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import Ref, ScopeFields


class AccidentKind(models.TextChoices):
    PRODUCTION = "production", _("生产安全事故")
    ROAD = "road", _("道路交通事故")
    FIRE = "fire", _("火灾事故")


class Grade(models.TextChoices):
    # 生产安全事故报告和调查处理条例 第三条 (deaths 1-2 一般, 3-9 较大, 10-29 重大, ≥30 特别重大)
    GENERAL = "general", _("一般事故")
    LARGER = "larger", _("较大事故")
    MAJOR = "major", _("重大事故")
    EXTRAORDINARY = "extraordinary", _("特别重大事故")


class Investigation(models.TextChoices):
    OPEN = "open", _("调查中")
    CLOSED = "closed", _("已结案")


class Accident(ArchivableModel):
    code = models.CharField(_("事故编号"), max_length=32, unique=True)
    kind = models.CharField(_("事故类别"), max_length=12, choices=AccidentKind.choices)
    occurred_on = models.DateField(_("发生日期"), db_index=True)
    place = models.CharField(_("发生地点"), max_length=200)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), on_delete=models.PROTECT,
                                 related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    accident_type = models.CharField(_("事故类型"), max_length=50, blank=True)  # GB 6441 (e.g. 物体打击)
    grade = models.CharField(_("事故等级"), max_length=16, choices=Grade.choices, default=Grade.GENERAL)
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    injuries = models.PositiveIntegerField(_("受伤人数"), default=0)
    direct_loss = models.FloatField(_("直接经济损失（万元）"), default=0, validators=[MinValueValidator(0)])
    investigation = models.CharField(_("调查处理状态"), max_length=8, choices=Investigation.choices,
                                     default=Investigation.OPEN)
    summary = models.TextField(_("事故简况"), blank=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(township="township", industry="industry")
    references = {"township": Ref.visible(level="township"), "industry": Ref.visible()}

    class Meta:
        verbose_name = _("事故")
        verbose_name_plural = _("事故")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["township", "occurred_on"], name="accident_township_time")]

    def __str__(self):
        return f"{self.code} {self.place}"


class BaseFigure(ArchivableModel):
    """The county's figures for one year, entered by the office (统计公报)."""

    year = models.PositiveIntegerField(_("年度"))
    gdp_yi = models.DecimalField(_("地区生产总值（亿元）"), max_digits=12, decimal_places=2)
    vehicles_wan = models.DecimalField(_("机动车保有量（万辆）"), max_digits=10, decimal_places=2)
    population = models.PositiveIntegerField(_("常住人口（人）"))
    county = models.ForeignKey("registry.Area", verbose_name=_("所属县（市）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    scope = ScopeFields(county="county")
    references = {"county": Ref.system()}

    class Meta:
        verbose_name = _("年度基础数据")
        verbose_name_plural = _("年度基础数据")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="base_figure_once_per_county_year"),
            models.UniqueConstraint(fields=["year"], condition=models.Q(county__isnull=True),
                                    name="base_figure_once_per_unplaced_year"),
        ]

    def __str__(self):
        return str(self.year)
