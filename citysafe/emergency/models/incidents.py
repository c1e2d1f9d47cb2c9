"""Incidents (突发事件, C15): the record, dispatch orders (team, material, task) and the timeline."""
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel, WorkflowModel
from citysafe.core.scope_fields import Ref, ScopeFields
from citysafe.emergency.models.resources import DEPARTMENTS, Material, RescueTeam


class Incident(WorkflowModel, ArchivableModel):
    class Status(models.TextChoices):
        REPORTED = "reported", _("已接报")
        RESPONDING = "responding", _("处置中")
        CONTROLLED = "controlled", _("已控制")
        CLOSED = "closed", _("已结束")

    class Type(models.TextChoices):
        FIRE = "fire", _("火灾")
        HAZCHEM = "hazchem", _("危化品事故")
        FLOOD = "flood", _("洪涝")
        GEOLOGICAL = "geological", _("地质灾害")
        EARTHQUAKE = "earthquake", _("地震")
        TRAFFIC = "traffic", _("道路交通事故")
        DROWNING = "drowning", _("溺水/水上事故")
        COLLAPSE = "collapse", _("建筑坍塌")
        WORK_SAFETY = "work_safety", _("生产安全事故")
        PUBLIC_HEALTH = "public_health", _("公共卫生事件")
        OTHER = "other", _("其他")

    # STANDARDS.md "event severity" (事件分级).
    class Severity(models.TextChoices):
        EXTRAORDINARY = "extraordinary", _("特别重大")
        MAJOR = "major", _("重大")
        LARGE = "large", _("较大")
        ORDINARY = "ordinary", _("一般")

    code = models.CharField(_("事件编号"), max_length=32, unique=True)
    title = models.CharField(_("事件名称"), max_length=100)
    incident_type = models.CharField(_("事件类型"), max_length=16, choices=Type.choices)
    severity = models.CharField(_("事件级别"), max_length=16, choices=Severity.choices, default=Severity.ORDINARY)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REPORTED)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), on_delete=models.PROTECT,
                                 related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("涉事企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    address = models.CharField(_("地点描述"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"), null=True, blank=True)
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    injuries = models.PositiveIntegerField(_("受伤人数"), default=0)
    missing = models.PositiveIntegerField(_("失踪人数"), default=0)
    description = models.TextField(_("事件概况"), blank=True)
    summary = models.TextField(_("处置总结"), blank=True)
    source_type = models.CharField(_("来源记录类型"), max_length=100, blank=True, editable=False)
    source_id = models.PositiveBigIntegerField(_("来源记录编号"), null=True, blank=True, editable=False)
    is_synthetic = models.BooleanField(_("演示数据"), default=False, editable=False)

    accepts_attachments = True
    scope = ScopeFields(township="township", grid="grid", enterprise="enterprise", all_rows_for=DEPARTMENTS)
    references = {"township": Ref.visible(level="township"), "grid": Ref.visible(level="grid"),
                  "enterprise": Ref.visible()}

    class Meta:
        verbose_name = _("突发事件")

    def __str__(self):
        return self.title


class Dispatch(models.Model):
    """A dispatch order of an incident: a team sent, a material issued, or a task given."""

    class Kind(models.TextChoices):
        TEAM = "team", _("队伍调派")
        MATERIAL = "material", _("物资调拨")
        TASK = "task", _("处置任务")

    class Status(models.TextChoices):
        ORDERED = "ordered", _("已下达")
        EN_ROUTE = "en_route", _("在途")
        ARRIVED = "arrived", _("已到达")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    incident = models.ForeignKey(Incident, verbose_name=_("突发事件"), on_delete=models.CASCADE,
                                 related_name="dispatches")
    kind = models.CharField(_("调度类型"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ORDERED)
    team = models.ForeignKey(RescueTeam, verbose_name=_("救援队伍"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    material = models.ForeignKey(Material, verbose_name=_("物资"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    quantity = models.FloatField(_("数量"), null=True, blank=True, validators=[MinValueValidator(0)])
    task = models.CharField(_("任务内容"), max_length=200, blank=True)
    eta_seconds = models.FloatField(_("预计到达用时（秒）"), null=True, blank=True)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("下达人"), on_delete=models.PROTECT,
                                   related_name="+")
    ordered_at = models.DateTimeField(_("下达时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope = ScopeFields(township="incident__township", grid="incident__grid", enterprise="incident__enterprise",
                        all_rows_for=DEPARTMENTS)

    class Meta:
        verbose_name = _("调度指令")
        ordering = ["ordered_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class IncidentLog(models.Model):
    """The incident's timeline: one line per thing that happened, written by the services."""

    incident = models.ForeignKey(Incident, verbose_name=_("突发事件"), on_delete=models.CASCADE, related_name="logs")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.PROTECT,
                              related_name="+")
    text = models.TextField(_("内容"))

    scope = ScopeFields(township="incident__township", grid="incident__grid", enterprise="incident__enterprise",
                        all_rows_for=DEPARTMENTS)

    class Meta:
        verbose_name = _("事件日志")
        ordering = ["at", "id"]

    def __str__(self):
        return self.text[:50]
