"""The road network routing runs on (C12): one row per segment, and a version counter."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.scope_fields import COUNTY_WIDE, PUBLIC


class RoadSegment(models.Model):
    # OpenStreetMap highway values, as kernels.road_import reads them (ROAD_CLASS_SPEED_KMH).
    class RoadClass(models.TextChoices):
        MOTORWAY = "motorway", _("高速公路")
        TRUNK = "trunk", _("国道/一级公路")
        PRIMARY = "primary", _("省道/二级公路")
        SECONDARY = "secondary", _("县道")
        TERTIARY = "tertiary", _("乡道")
        RESIDENTIAL = "residential", _("城镇街道")
        UNCLASSIFIED = "unclassified", _("村道")
        SERVICE = "service", _("辅路/场内道路")
        LIVING_STREET = "living_street", _("生活街道")
        TRACK = "track", _("机耕路")

    name = models.CharField(_("道路名称"), max_length=100, blank=True)
    road_class = models.CharField(_("道路等级"), max_length=16, choices=RoadClass.choices, default=RoadClass.UNCLASSIFIED)
    geometry = models.JSONField(_("几何（GeoJSON LineString）"))
    speed_kmh = models.FloatField(_("通行速度（km/h）"))
    oneway = models.BooleanField(_("单行"), default=False)
    closed = models.BooleanField(_("封闭"), default=False)
    closed_reason = models.CharField(_("封闭原因"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("封闭时间"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False)
    # The county that imported the segment and alone closes, reopens or replaces it (issue 19;
    # null: imported before, the home county's). Routing still runs on every county's roads.
    county = models.ForeignKey("registry.Area", verbose_name=_("所属县（区）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "county"})

    # The road network is common ground: every signed-in user routes on it; only the
    # county-wide roles and the services change it, each county its own roads (services/roads.py).
    scope = PUBLIC

    class Meta:
        verbose_name = _("道路路段")

    def __str__(self):
        return self.name or f"#{self.pk}"


class NetworkVersion(models.Model):
    """One row: bumped in the same transaction as every change of the road segments, so a
    cached RoadNetwork is valid exactly as long as the number it was built for. One network
    for the deployment (roads cross county lines), so one version: a system row, no county's."""

    number = models.PositiveBigIntegerField(default=0)
    # A fresh random stamp with every bump: a restored backup (or a rolled-back test) may reuse
    # a number for different roads, never a stamp.
    stamp = models.CharField(max_length=32, blank=True)

    scope = COUNTY_WIDE

    def __str__(self):
        return str(self.number)
