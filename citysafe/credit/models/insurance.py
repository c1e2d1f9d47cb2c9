"""Safety liability insurance (安全生产责任保险, 安全生产法 第五十一条): the premium rule and base
rates as data, policies per enterprise with their floating rate, claims."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields

_PCT = {"validators": [MinValueValidator(-100), MaxValueValidator(500)]}


class PremiumRule(ArchivableModel):
    """The floating-rate rule (费率浮动): percentages added to the industry's base rate. The one
    active rule (the lowest code among active rules) is what policies are rated with; a rule
    whose factors could make a rate of zero or less is refused (kernels.premium.rule_problems)."""

    code = models.CharField(_("编号"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    major_risk_pct = models.FloatField(_("重大风险（%）"), default=30, **_PCT)
    significant_risk_pct = models.FloatField(_("较大风险（%）"), default=15, **_PCT)
    general_risk_pct = models.FloatField(_("一般风险（%）"), default=0, **_PCT)
    low_risk_pct = models.FloatField(_("低风险（%）"), default=-10, **_PCT)
    general_hazard_pct = models.FloatField(_("每项一般隐患（%）"), default=1, **_PCT)
    major_hazard_pct = models.FloatField(_("每项重大隐患（%）"), default=10, **_PCT)
    hazard_cap_pct = models.FloatField(_("隐患上浮上限（%）"), default=30, **_PCT)
    accident_pct = models.FloatField(_("每起事故（%）"), default=15, **_PCT)
    death_pct = models.FloatField(_("每死亡1人（%）"), default=20, **_PCT)
    listed_pct = models.FloatField(_("列入严重失信名单（%）"), default=30, **_PCT)
    clean_pct = models.FloatField(_("无隐患无事故（%）"), default=-10, **_PCT)
    floor_pct = models.FloatField(_("合计下浮下限（%）"), default=-30, **_PCT)
    cap_pct = models.FloatField(_("合计上浮上限（%）"), default=100, **_PCT)
    lookback_years = models.PositiveSmallIntegerField(_("统计年限（年）"), default=3,
                                                      validators=[MinValueValidator(1), MaxValueValidator(10)])
    note = models.TextField(_("备注"), blank=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("保险费率浮动规则")
        verbose_name_plural = _("保险费率浮动规则")
        ordering = ["code"]

    def __str__(self):
        return self.name


class IndustryBaseRate(ArchivableModel):
    code = models.CharField(_("编号"), max_length=16, unique=True)
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), on_delete=models.PROTECT,
                                 related_name="+")
    base_rate_permille = models.FloatField(_("基准费率（‰）"), validators=[MinValueValidator(0.01),
                                                                      MaxValueValidator(100)])
    is_high_risk = models.BooleanField(_("高危行业（应当投保）"), default=False)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    scope = PUBLIC
    references = {"industry": Ref.visible()}

    class Meta:
        verbose_name = _("行业基准费率")
        verbose_name_plural = _("行业基准费率")
        ordering = ["code"]

    def __str__(self):
        return self.code


class InsurancePolicy(ArchivableModel):
    code = models.CharField(_("保单号"), max_length=40, unique=True)
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("投保企业"), on_delete=models.PROTECT,
                                   related_name="+")
    insurer = models.CharField(_("保险机构"), max_length=100)
    starts_on = models.DateField(_("保险起期"))
    ends_on = models.DateField(_("保险止期"))
    insured_persons = models.PositiveIntegerField(_("参保人数"), default=0)
    sum_per_person = models.PositiveIntegerField(_("每人保险金额（元）"))
    premium = models.FloatField(_("保险费（元）"), validators=[MinValueValidator(0)])
    # Written by services.insurance.rate_policy (the kernel's answer), never by users.
    base_rate_permille = models.FloatField(_("基准费率（‰）"), null=True, blank=True)
    floating_rate_permille = models.FloatField(_("浮动后费率（‰）"), null=True, blank=True)
    rate_basis = models.JSONField(_("费率浮动依据"), default=dict, blank=True)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(township="township", grid="grid", industry="industry", enterprise="enterprise")
    references = {"enterprise": Ref.visible(), "township": Ref.system(), "grid": Ref.system(),
                  "industry": Ref.system()}

    class Meta:
        verbose_name = _("安全生产责任保险保单")
        verbose_name_plural = _("安全生产责任保险保单")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.code


class Claim(ArchivableModel):
    class Status(models.TextChoices):
        REPORTED = "reported", _("已报案")
        PAID = "paid", _("已赔付")
        DECLINED = "declined", _("拒赔")

    code = models.CharField(_("理赔编号"), max_length=40, unique=True)
    policy = models.ForeignKey(InsurancePolicy, verbose_name=_("保单"), on_delete=models.PROTECT, related_name="claims")
    accident_on = models.DateField(_("事故日期"))
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    injuries = models.PositiveIntegerField(_("受伤人数"), default=0)
    claimed = models.FloatField(_("索赔金额（元）"), default=0, validators=[MinValueValidator(0)])
    paid = models.FloatField(_("赔付金额（元）"), default=0, validators=[MinValueValidator(0)])
    status = models.CharField(_("理赔状态"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    description = models.TextField(_("事故经过"), blank=True)

    scope = ScopeFields(township="policy__township", grid="policy__grid", industry="policy__industry",
                        enterprise="policy__enterprise")
    references = {"policy": Ref.visible()}

    class Meta:
        verbose_name = _("保险理赔")
        verbose_name_plural = _("保险理赔")
        ordering = ["-accident_on", "-id"]

    def __str__(self):
        return self.code
