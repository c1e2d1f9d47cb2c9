"""The prefecture office's annual assessment of the counties under it (issue 19): an indicator
system of unit kind "county" issued by the prefecture office (IndicatorSystem.issuer), one
result per county with its item scores, on the workflow engine (workflows.COUNTY_REVIEW).
A county's users read their own county's result; only the issuing office writes."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.assessment.models.appraisal import Indicator, IndicatorSystem
from citysafe.core.models import ArchivableModel, WorkflowModel
from citysafe.core.scope_fields import Ref, ScopeFields


class CountyResult(ArchivableModel, WorkflowModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("评分中")
        SUBMITTED = "submitted", _("待审定")
        PUBLISHED = "published", _("已发布")

    system = models.ForeignKey(IndicatorSystem, verbose_name=_("指标体系"), on_delete=models.PROTECT,
                               related_name="county_results")
    county = models.ForeignKey("registry.Area", verbose_name=_("被考核县（市）"), on_delete=models.PROTECT,
                               related_name="+")
    assessor = models.ForeignKey("accounts.Organisation", verbose_name=_("考核单位"), on_delete=models.PROTECT,
                                 related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, default=0)
    deduction = models.DecimalField(_("扣分"), max_digits=7, decimal_places=2, default=0)
    deduction_note = models.TextField(_("扣分说明"), blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=8, blank=True)
    scored_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    # The county reads its own result (county path); the prefecture office writes what it issued.
    scope = ScopeFields(county="county", organisation="assessor")
    references = {"system": Ref.system(), "county": Ref.system(), "assessor": Ref.system()}

    class Meta:
        verbose_name = _("县（市）考核结果")
        verbose_name_plural = _("县（市）考核结果")
        ordering = ["system", "rank", "county__code"]
        constraints = [models.UniqueConstraint(fields=["system", "county"], name="one_result_per_county")]

    def __str__(self):
        return f"{self.system.year} {self.county}"


class CountyItemScore(ArchivableModel):
    result = models.ForeignKey(CountyResult, verbose_name=_("考核结果"), on_delete=models.CASCADE,
                               related_name="items")
    indicator = models.ForeignKey(Indicator, verbose_name=_("考核指标"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    numerator = models.PositiveIntegerField(_("达标记录数"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("应计记录数"), null=True, blank=True)
    evidence_note = models.TextField(_("评分依据"), blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评分人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    scope = ScopeFields(county="result__county", organisation="result__assessor")
    references = {"result": Ref.system(), "indicator": Ref.system(), "scored_by": Ref.system()}

    class Meta:
        verbose_name = _("县（市）指标得分")
        verbose_name_plural = _("县（市）指标得分")
        ordering = ["result", "indicator__code"]
        constraints = [models.UniqueConstraint(fields=["result", "indicator"], name="one_county_score_per_item")]

    def __str__(self):
        return f"{self.result} {self.indicator.code}"
