"""Assessments (风险评估): one grading of one risk point by one method, through the
self-assessment workflow (risks/workflows.py)."""
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel, WorkflowModel
from citysafe.core.scope_fields import Ref
from citysafe.risks.models.fields import ShownDictField
from citysafe.risks.models.levels import Method, RiskLevel
from citysafe.risks.models.points import RiskPoint, _through


class Assessment(WorkflowModel, ArchivableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已生效")

    risk_point = models.ForeignKey(RiskPoint, verbose_name=_("风险点"), on_delete=models.PROTECT,
                                   related_name="assessments")
    method = models.CharField(_("评估方法"), max_length=16, choices=Method.choices)
    # The factor values as given ({"l": 3, "e": 6, "c": 15}); empty for a direct grading.
    inputs = ShownDictField(_("评估取值"), default=dict, blank=True)
    score = models.FloatField(_("风险值"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("风险等级"), choices=RiskLevel.choices, default=RiskLevel.NONE,
                                             validators=[MaxValueValidator(4)])
    reason = models.TextField(_("评估说明"), blank=True)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评估人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    assessor_role = models.CharField(_("评估人角色"), max_length=16, blank=True)
    assessed_on = models.DateField(_("评估日期"), default=timezone.localdate)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = _through("risk_point")
    references = {"risk_point": Ref.visible(), "assessor": Ref.system(), "reviewer": Ref.system()}

    class Meta:
        verbose_name = _("风险评估")
        verbose_name_plural = _("风险评估")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["risk_point", "status"])]

    def __str__(self):
        return f"{self.risk_point} {self.get_method_display()} {self.get_level_display()}"
