"""The public risk map (风险公告): published by the county safety office; what it hides."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysafe.core.scope_fields import COUNTY_TABLE


class RiskMapPublication(models.Model):
    """One row per publish or withdraw (the latest row is in force): the history stays. Risk
    points and installations the admin marks `is_sensitive` are always left out; these
    switches leave out whole classes."""

    is_published = models.BooleanField(_("已公开"), default=True)
    hide_installations = models.BooleanField(_("不公开重大危险源"), default=True)
    hide_enterprise_names = models.BooleanField(_("不公开企业名称"), default=True)
    hide_gatherings = models.BooleanField(_("不公开大型活动"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("操作时间"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    # The county the row belongs to (issue 19; null: written before, the home county's).
    county = models.ForeignKey("registry.Area", verbose_name=_("所属县（区）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "county"})

    scope = COUNTY_TABLE  # each county publishes its own map

    class Meta:
        verbose_name = _("风险图公开")
        verbose_name_plural = _("风险图公开")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return f"{self.published_at:%Y-%m-%d %H:%M} {'+' if self.is_published else '-'}"
