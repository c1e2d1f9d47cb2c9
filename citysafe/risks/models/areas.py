"""Area levels (区域风险等级): the colour of each grid, village, township and the county —
the highest level among the risk points in it, with counts per level — and the temporary
raises other capabilities put on an area while a condition holds (services/area_levels.py)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysafe.core.roles import Role
from citysafe.core.scope_fields import Ref, ScopeFields
from citysafe.risks.models.levels import RiskLevel

# The same rule as registry.Area (every government role sees the county's map; a township its
# own areas, a grid worker its grids, an enterprise officer the areas its enterprise lies in):
# AreaLevel's primary key IS the area's id, so `grid="area"` and `enterprise_points_at` work.
AREA_SCOPE = ScopeFields(township="area__township", grid="area", public_name=True,
                         all_rows_for=frozenset({Role.DEPARTMENT}), enterprise_points_at=("township", "village", "grid"))


class AreaLevel(models.Model):
    """Maintained incrementally by the grading services; `recompute_area_levels` rebuilds all."""

    area = models.OneToOneField("registry.Area", verbose_name=_("区域"), primary_key=True,
                                on_delete=models.CASCADE, related_name="risk_level")
    level = models.PositiveSmallIntegerField(_("风险等级（取最高级）"), choices=RiskLevel.choices,
                                             default=RiskLevel.NONE)
    major_count = models.PositiveIntegerField(_("重大风险数"), default=0)
    significant_count = models.PositiveIntegerField(_("较大风险数"), default=0)
    general_count = models.PositiveIntegerField(_("一般风险数"), default=0)
    low_count = models.PositiveIntegerField(_("低风险数"), default=0)
    raised_level = models.PositiveSmallIntegerField(_("临时提级"), choices=RiskLevel.choices, default=RiskLevel.NONE)
    raise_reason = models.CharField(_("提级原因"), max_length=300, blank=True)
    effective_level = models.PositiveSmallIntegerField(_("当前等级"), choices=RiskLevel.choices,
                                                       default=RiskLevel.NONE, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    scope = AREA_SCOPE
    references = {"area": Ref.system()}

    class Meta:
        verbose_name = _("区域风险等级")
        verbose_name_plural = _("区域风险等级")
        ordering = ["area"]

    def __str__(self):
        return f"{self.area_id}: {self.effective_level}"

    COUNT_FIELDS = ("major_count", "significant_count", "general_count", "low_count")

    @property
    def counts(self) -> list[int]:
        return [getattr(self, name) for name in self.COUNT_FIELDS]


class AreaRaise(models.Model):
    """A raise of one area's level while a condition holds (an open major hidden hazard, an
    active top-level alarm): `source` identifies the condition ("hazards.Hazard:12"), one active
    raise per area and source; clearing keeps the row (cleared_at) as the record."""

    area = models.ForeignKey("registry.Area", verbose_name=_("区域"), on_delete=models.CASCADE,
                             related_name="risk_raises")
    level = models.PositiveSmallIntegerField(_("提级至"), choices=RiskLevel.choices,
                                             validators=[MinValueValidator(1), MaxValueValidator(4)])
    reason = models.CharField(_("原因"), max_length=300)
    source = models.CharField(_("来源"), max_length=100)
    raised_at = models.DateTimeField(_("提级时间"), default=timezone.now)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提级人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    clear_reason = models.CharField(_("解除原因"), max_length=300, blank=True)

    scope = ScopeFields(township="area__township", grid="area", public_name=True,
                        all_rows_for=frozenset({Role.DEPARTMENT}))
    references = {"area": Ref.system(), "raised_by": Ref.system()}

    class Meta:
        verbose_name = _("区域临时提级")
        verbose_name_plural = _("区域临时提级")
        ordering = ["-raised_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["area", "source"], condition=models.Q(cleared_at__isnull=True),
                                               name="area_raise_active_once")]

    def __str__(self):
        return f"{self.area_id} → {self.level}: {self.reason}"
