"""The demonstration-city self-assessment (国家安全发展示范城市评价, 100 points by deduction):
the checklist items as editable data, one self-assessment per year, the points lost per item."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import Ref, ScopeFields


class CityItem(ArchivableModel):
    class Category(models.TextChoices):
        SOURCE = "source", _("源头治理")
        RISK = "risk", _("风险防控")
        SUPERVISION = "supervision", _("监督管理")
        SUPPORT = "support", _("保障能力")
        STATUS = "status", _("安全状况")

    code = models.CharField(_("编号"), max_length=16)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    content = models.TextField(_("评价内容"))
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=2)
    deduction_rule = models.TextField(_("扣分规则"))
    metric = models.CharField(_("自动计算指标"), max_length=40, blank=True)  # appraisal.Metric
    responsible_unit = models.CharField(_("牵头单位"), max_length=100, blank=True)
    basis = models.TextField(_("依据说明"), blank=True)  # where the item's wording and points come from
    # The county whose checklist this is; none: the seeded checklist (the home county's, and the
    # template a county's first self-assessment copies).
    county = models.ForeignKey("registry.Area", verbose_name=_("所属县（市）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    scope = ScopeFields(county="county")
    references = {"county": Ref.system()}

    class Meta:
        verbose_name = _("示范城市评价细则")
        verbose_name_plural = _("示范城市评价细则")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="city_item_code_once_per_county"),
            models.UniqueConstraint(fields=["code"], condition=models.Q(county__isnull=True),
                                    name="city_item_code_once_unplaced"),
        ]

    def __str__(self):
        return f"{self.code} {self.content[:30]}"


class CitySelfAssessment(ArchivableModel):
    year = models.PositiveIntegerField(_("年度"))
    score = models.DecimalField(_("自评得分"), max_digits=6, decimal_places=2, default=0)
    note = models.TextField(_("说明"), blank=True)
    county = models.ForeignKey("registry.Area", verbose_name=_("所属县（市）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    scope = ScopeFields(county="county")
    references = {"county": Ref.system()}

    class Meta:
        verbose_name = _("示范城市自评")
        verbose_name_plural = _("示范城市自评")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="city_assessment_once_per_county_year"),
            models.UniqueConstraint(fields=["year"], condition=models.Q(county__isnull=True),
                                    name="city_assessment_once_per_unplaced_year"),
        ]

    def __str__(self):
        return str(self.year)


class CityItemScore(ArchivableModel):
    assessment = models.ForeignKey(CitySelfAssessment, verbose_name=_("自评"), on_delete=models.CASCADE,
                                   related_name="items")
    item = models.ForeignKey(CityItem, verbose_name=_("评价细则"), on_delete=models.PROTECT, related_name="+")
    lost = models.DecimalField(_("扣分"), max_digits=5, decimal_places=2, default=0)
    evidence_note = models.TextField(_("扣分依据"), blank=True)
    accepts_attachments = True

    scope = ScopeFields(county="assessment__county")
    references = {"assessment": Ref.system(), "item": Ref.system()}

    class Meta:
        verbose_name = _("示范城市自评得分")
        verbose_name_plural = _("示范城市自评得分")
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_city_score_per_item")]

    def __str__(self):
        return f"{self.assessment} {self.item.code}"
