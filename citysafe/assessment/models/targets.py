"""Policy targets (C5): dated targets of the seed policy and the county's own, with the clause
each comes from, and the responsible unit's progress reports (with evidence files)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import Ref, ScopeFields


class PolicyTarget(ArchivableModel):
    class Source(models.TextChoices):
        POLICY = "policy", _("政策文件")
        COUNTY = "county", _("县级自定")

    class Measure(models.TextChoices):
        REPORTED = "reported", _("责任单位报送")
        COMPUTED = "computed", _("平台数据计算")

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("不低于")
        AT_MOST = "at_most", _("不高于")

    code = models.CharField(_("目标编号"), max_length=32, unique=True)
    title = models.CharField(_("目标名称"), max_length=200)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.COUNTY)
    clause = models.CharField(_("政策条款"), max_length=100, blank=True)
    clause_text = models.TextField(_("条款原文"), blank=True)
    indicator = models.CharField(_("指标"), max_length=200)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    direction = models.CharField(_("达标方向"), max_length=8, choices=Direction.choices, default=Direction.AT_LEAST)
    target_value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2)
    start_on = models.DateField(_("开始日期"))
    deadline = models.DateField(_("完成期限"))
    recurring = models.CharField(_("周期性要求"), max_length=100, blank=True)
    responsible_unit = models.CharField(_("责任单位"), max_length=200, blank=True)
    responsible_org = models.ForeignKey("accounts.Organisation", verbose_name=_("责任单位（账号）"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(_("进度计量方式"), max_length=8, choices=Measure.choices, default=Measure.REPORTED)
    metric = models.CharField(_("计算指标"), max_length=40, blank=True)  # appraisal.Metric when computed
    current_value = models.DecimalField(_("当前值"), max_digits=14, decimal_places=2, null=True, blank=True)
    current_on = models.DateField(_("当前值日期"), null=True, blank=True)

    scope = ScopeFields(organisation="responsible_org")
    references = {"responsible_org": Ref.system()}

    class Meta:
        verbose_name = _("政策目标")
        verbose_name_plural = _("政策目标")
        ordering = ["deadline", "code"]

    def __str__(self):
        return f"{self.code} {self.title}"


class ProgressReport(ArchivableModel):
    target = models.ForeignKey(PolicyTarget, verbose_name=_("政策目标"), on_delete=models.PROTECT,
                               related_name="reports")
    reported_on = models.DateField(_("报送日期"))
    value = models.DecimalField(_("完成值"), max_digits=14, decimal_places=2)
    note = models.TextField(_("进展说明"), blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT,
                                 related_name="+")
    accepts_attachments = True  # evidence files (core.attachments: bounded size, sniffed type)

    scope = ScopeFields(organisation="target__responsible_org")
    references = {"target": Ref.system(), "reporter": Ref.system()}

    class Meta:
        verbose_name = _("目标进展报告")
        verbose_name_plural = _("目标进展报告")
        ordering = ["-reported_on", "-id"]

    def __str__(self):
        return f"{self.target.code} {self.reported_on}"
