"""Standards as data (DESIGN.md rule 6): score tables, level thresholds and the default rules
of risk control, each row naming its source, editable by the county safety office (admin,
audited, through risks/services/rules.py)."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import VersionedModel
from citysafe.core.roles import Role
from citysafe.core.scope_fields import PUBLIC
from citysafe.risks.models.levels import ControlLevel, HazardGrade, Method, RiskLevel

_LEVEL = {"choices": RiskLevel.choices, "validators": [MinValueValidator(1), MaxValueValidator(4)]}


class MethodScale(VersionedModel):
    """One allowed value of one factor of a method (LEC: L, E, C; LS: L, S; MES: M, E, S)."""

    method = models.CharField(_("评估方法"), max_length=16, choices=Method.choices)
    factor = models.CharField(_("因素"), max_length=4)
    value = models.FloatField(_("分值"))
    label = models.CharField(_("含义"), max_length=100)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("评估分值表")
        verbose_name_plural = _("评估分值表")
        ordering = ["method", "factor", "-value"]
        constraints = [models.UniqueConstraint(fields=["method", "factor", "value"], name="method_scale_once")]

    def __str__(self):
        return f"{self.method}.{self.factor}={self.value:g} {self.label}"


class MethodThreshold(VersionedModel):
    """A score at or above `lower_bound` grades a method's result at `level` (highest match)."""

    method = models.CharField(_("评估方法"), max_length=16, choices=Method.choices)
    level = models.PositiveSmallIntegerField(_("风险等级"), **_LEVEL)
    lower_bound = models.FloatField(_("下限（含）"), validators=[MinValueValidator(0)])
    source = models.CharField(_("依据"), max_length=200, blank=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("分级阈值")
        verbose_name_plural = _("分级阈值")
        ordering = ["method", "level"]
        constraints = [models.UniqueConstraint(fields=["method", "level"], name="method_threshold_once")]

    def __str__(self):
        return f"{self.method} ≥{self.lower_bound:g} → {self.get_level_display()}"


class ReviewRule(VersionedModel):
    """Whether an assessment by `role` grading at `level` takes effect without review.
    Seeded: 重大/较大 always need review; a department's or township's (or the county office's)
    own 一般/低 takes effect directly; an enterprise's always needs review."""

    role = models.CharField(_("评估人角色"), max_length=16, choices=Role.choices)
    level = models.PositiveSmallIntegerField(_("风险等级"), **_LEVEL)
    takes_effect_directly = models.BooleanField(_("无需审核直接生效"), default=False)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("评估审核规则")
        verbose_name_plural = _("评估审核规则")
        ordering = ["role", "level"]
        constraints = [models.UniqueConstraint(fields=["role", "level"], name="review_rule_once")]

    def __str__(self):
        return f"{self.role} {self.level}"


class LevelRule(VersionedModel):
    """Per risk level: the default control level of a new measure and of the risk point, and
    how many months until the next assessment (reassessment due date)."""

    level = models.PositiveSmallIntegerField(_("风险等级"), unique=True, **_LEVEL)
    control_level = models.CharField(_("默认管控层级"), max_length=16, choices=ControlLevel.choices)
    reassess_months = models.PositiveSmallIntegerField(_("复评周期（月）"),
                                                       validators=[MinValueValidator(1), MaxValueValidator(60)])
    source = models.CharField(_("依据"), max_length=200, blank=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("分级管控规则")
        verbose_name_plural = _("分级管控规则")
        ordering = ["level"]

    def __str__(self):
        return f"{self.get_level_display()} → {self.get_control_level_display()}"


class MajorHazardLevelRule(VersionedModel):
    """The lowest risk level of the risk point of a major hazard installation of each grade
    (default: 较大 for every grade, i.e. a major hazard installation is at least 较大)."""

    grade = models.PositiveSmallIntegerField(_("重大危险源级别"), unique=True, choices=HazardGrade.choices,
                                             validators=[MinValueValidator(1), MaxValueValidator(4)])
    minimum_level = models.PositiveSmallIntegerField(_("最低风险等级"), **_LEVEL)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("重大危险源风险等级规则")
        verbose_name_plural = _("重大危险源风险等级规则")
        ordering = ["grade"]

    def __str__(self):
        return f"{self.get_grade_display()} ≥ {self.get_minimum_level_display()}"


class IdentificationRound(VersionedModel):
    """A county-wide identification round (全面辨识): at least every five years (the seed's
    rule, 二(七)); the next one is due `cycle_years` after the last one started."""

    started_on = models.DateField(_("开始日期"))
    cycle_years = models.PositiveSmallIntegerField(_("周期（年）"), default=5,
                                                   validators=[MinValueValidator(1), MaxValueValidator(5)])
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("风险辨识轮次")
        verbose_name_plural = _("风险辨识轮次")
        ordering = ["-started_on"]

    def __str__(self):
        return f"{self.started_on}"
