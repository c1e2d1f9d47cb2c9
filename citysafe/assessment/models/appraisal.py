"""The annual responsibility assessment (C21): an indicator system per year and unit kind
(townships or departments) with weighted items, each unit's result, item scores (automatic from
platform data with the records they came from, or manual with evidence), deductions, the
one-vote veto, review/approval on the workflow engine, and interviews (约谈) that follow."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel, WorkflowModel
from citysafe.core.scope_fields import Ref, ScopeFields


class Metric(models.TextChoices):
    """Items the platform scores from its own data (services/metrics.py: one grouped query each)."""

    HAZARDS_CLOSED_ON_TIME = "hazards_closed_on_time", _("隐患按期整改销号率")
    RISK_POINTS_REASSESSED = "risk_points_reassessed", _("风险点按期复评率")
    INSPECTIONS_DONE = "inspections_done", _("检查计划完成率")
    ALARMS_ACK_IN_TIME = "alarms_ack_in_time", _("报警按时确认率")
    WARNINGS_ACKNOWLEDGED = "warnings_acknowledged", _("预警责任人确认率")
    DRILLS_HELD = "drills_held", _("应急演练计划完成率")


class UnitKind(models.TextChoices):
    TOWNSHIP = "township", _("乡镇")
    DEPARTMENT = "department", _("县直部门")
    COUNTY = "county", _("县（市）")  # the prefecture office's assessment of its counties (models/counties.py)


# A county's system belongs to that county; the prefecture's system of its counties has no county
# of its own (it is issued by the prefecture office) and lies in every county it has a result for.
SYSTEM_SCOPE = ScopeFields(county=("county", "county_results__county"), organisation="issuer")


class IndicatorSystem(ArchivableModel):
    year = models.PositiveIntegerField(_("考核年度"))
    unit_kind = models.CharField(_("考核对象"), max_length=12, choices=UnitKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, default=100)
    veto_deaths = models.PositiveIntegerField(
        _("一票否决：单起事故死亡人数达到"), default=3,
        help_text=_("较大及以上事故（死亡3人以上，生产安全事故报告和调查处理条例第三条）"))
    is_published = models.BooleanField(_("已发布"), default=False)
    county = models.ForeignKey("registry.Area", verbose_name=_("所属县（市）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey("accounts.Organisation", verbose_name=_("考核单位"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    scope = SYSTEM_SCOPE
    references = {"county": Ref.system(), "issuer": Ref.system()}

    class Meta:
        verbose_name = _("考核指标体系")
        verbose_name_plural = _("考核指标体系")
        ordering = ["-year", "unit_kind"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year", "unit_kind"], condition=models.Q(archived_at__isnull=True),
                                    name="one_active_system_per_county_year_and_kind"),
            models.UniqueConstraint(fields=["issuer", "year", "unit_kind"],
                                    condition=models.Q(archived_at__isnull=True, county__isnull=True, issuer__isnull=False),
                                    name="one_active_system_per_issuer_year_and_kind"),
            models.UniqueConstraint(fields=["year", "unit_kind"],
                                    condition=models.Q(archived_at__isnull=True, county__isnull=True, issuer__isnull=True),
                                    name="one_active_unplaced_system_per_year_and_kind"),
        ]

    def __str__(self):
        return self.title


class Indicator(ArchivableModel):
    class Category(models.TextChoices):
        PROCESS = "process", _("过程指标")
        RESULT = "result", _("结果指标")

    system = models.ForeignKey(IndicatorSystem, verbose_name=_("指标体系"), on_delete=models.CASCADE,
                               related_name="indicators")
    code = models.CharField(_("编号"), max_length=16)
    name = models.CharField(_("指标名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=8, choices=Category.choices, default=Category.PROCESS)
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    metric = models.CharField(_("自动计算指标"), max_length=40, choices=Metric.choices, blank=True)
    full_at = models.DecimalField(_("满分比率"), max_digits=5, decimal_places=4, default=1)
    zero_at = models.DecimalField(_("零分比率"), max_digits=5, decimal_places=4, default=0)
    rule = models.TextField(_("评分规则"), blank=True)

    scope = ScopeFields(county=("system__county", "system__county_results__county"), organisation="system__issuer")
    references = {"system": Ref.system()}

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["system", "code"]
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="indicator_code_once")]

    def __str__(self):
        return f"{self.code} {self.name}"


class UnitResult(ArchivableModel, WorkflowModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("评分中")
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已审定")

    system = models.ForeignKey(IndicatorSystem, verbose_name=_("指标体系"), on_delete=models.PROTECT,
                               related_name="results")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("被考核单位"),
                                     on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, default=0)
    deduction = models.DecimalField(_("扣分"), max_digits=7, decimal_places=2, default=0)
    deduction_note = models.TextField(_("扣分说明"), blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    veto_reason = models.TextField(_("否决理由"), blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=8, blank=True)
    scored_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    scope = ScopeFields(organisation="organisation")
    references = {"system": Ref.system(), "organisation": Ref.system()}

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["system", "rank", "organisation"]
        constraints = [models.UniqueConstraint(fields=["system", "organisation"], name="one_result_per_unit")]

    def __str__(self):
        return f"{self.system.year} {self.organisation}"


class ItemScore(ArchivableModel):
    result = models.ForeignKey(UnitResult, verbose_name=_("考核结果"), on_delete=models.CASCADE,
                               related_name="items")
    indicator = models.ForeignKey(Indicator, verbose_name=_("考核指标"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    numerator = models.PositiveIntegerField(_("达标记录数"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("应计记录数"), null=True, blank=True)
    evidence_note = models.TextField(_("评分依据"), blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评分人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    accepts_attachments = True  # manual items' evidence

    scope = ScopeFields(organisation="result__organisation")
    references = {"result": Ref.system(), "indicator": Ref.system(), "scored_by": Ref.system()}

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["result", "indicator__code"]
        constraints = [models.UniqueConstraint(fields=["result", "indicator"], name="one_score_per_item")]

    def __str__(self):
        return f"{self.result} {self.indicator.code}"


class Interview(ArchivableModel):
    """约谈 after an assessment, and the follow-up action it asks for."""

    result = models.ForeignKey(UnitResult, verbose_name=_("考核结果"), on_delete=models.PROTECT,
                               related_name="interviews")
    held_on = models.DateField(_("约谈日期"))
    interviewee = models.CharField(_("约谈对象"), max_length=100)
    reason = models.TextField(_("约谈事由"))
    follow_up = models.TextField(_("整改要求"), blank=True)
    follow_up_due = models.DateField(_("整改期限"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("整改完成日期"), null=True, blank=True)

    scope = ScopeFields(organisation="result__organisation")
    references = {"result": Ref.system()}

    class Meta:
        verbose_name = _("约谈记录")
        verbose_name_plural = _("约谈记录")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.result} {self.held_on}"
