"""Alarm rules and alarms (C10). Levels follow the warning scale: 1 is the highest
(STANDARDS.md), so "level 1 at 50 %LEL, level 2 at 25 %LEL"."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel, WorkflowModel
from citysafe.core.scope_fields import PUBLIC, Ref

from .devices import SensorType
from .readings import through_sensor


class RuleKind(models.TextChoices):
    HIGH = "high", _("高限")
    LOW = "low", _("低限")
    RATE = "rate", _("变化速率")
    CROWD = "crowd", _("人流量占容量比例")
    OFFLINE = "offline", _("无数据/离线")


class AlarmRule(ArchivableModel):
    """Thresholds for a sensor type (sensor empty) or one sensor (which then replaces the type's
    rules of the same kind). Standards are data: each rule names its basis."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("规则类型"), max_length=16, choices=RuleKind.choices)
    sensor_type = models.CharField(_("传感器类型"), max_length=16, choices=SensorType.choices, blank=True)
    sensor = models.ForeignKey("monitoring.Sensor", verbose_name=_("传感器"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="rules")
    # Thresholds per level (None: the level is not used). For `rate` per minute; for `crowd`
    # fractions of the place's capacity (0.8 warning, 1.0 alarm); for `offline` seconds.
    level1 = models.FloatField(_("一级阈值"), null=True, blank=True)
    level2 = models.FloatField(_("二级阈值"), null=True, blank=True)
    level3 = models.FloatField(_("三级阈值"), null=True, blank=True)
    hold_seconds = models.PositiveIntegerField(_("持续时间（秒）"), default=0)
    deadband = models.FloatField(_("解除回差"), default=0)
    ack_minutes_1 = models.PositiveIntegerField(_("一级未确认升级时限（分钟）"), default=5)
    ack_minutes_2 = models.PositiveIntegerField(_("二级未确认升级时限（分钟）"), default=15)
    ack_minutes_3 = models.PositiveIntegerField(_("三级未确认升级时限（分钟）"), default=30)
    notify_every_minutes = models.PositiveIntegerField(_("重复通知间隔（分钟）"), default=10)
    notify_cap = models.PositiveIntegerField(_("重复通知上限（次）"), default=5)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    is_enabled = models.BooleanField(_("启用"), default=True)

    scope = PUBLIC
    references = {"sensor": Ref.visible()}

    class Meta:
        verbose_name = _("报警规则")
        verbose_name_plural = _("报警规则")

    def __str__(self):
        return self.name

    def thresholds(self):
        return [self.level1, self.level2, self.level3]


class RuleState(models.Model):
    """The evaluator's memory per (sensor, rule) between batches: the level in force, the level
    waiting out its hold time and since when, the last value (for rates)."""

    pk = models.CompositePrimaryKey("sensor_id", "rule_id")
    sensor = models.ForeignKey("monitoring.Sensor", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(AlarmRule, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(default=0)       # 0 none, else 1 (highest) … 3
    pending = models.PositiveSmallIntegerField(default=0)
    pending_since = models.FloatField(null=True)              # epoch seconds
    last_ts = models.FloatField(null=True)
    last_value = models.FloatField(null=True)

    scope = through_sensor()

    def __str__(self):
        return f"{self.sensor_id}/{self.rule_id}: {self.level}"


class AlarmStatus(models.TextChoices):
    ACTIVE_UNACK = "active_unack", _("报警中·未确认")
    ACTIVE_ACK = "active_ack", _("报警中·已确认")
    CLEARED_UNACK = "cleared_unack", _("已恢复·未确认")
    CLEARED_ACK = "cleared_ack", _("已恢复·已确认")
    CLOSED = "closed", _("已关闭")


ACTIVE = (AlarmStatus.ACTIVE_UNACK, AlarmStatus.ACTIVE_ACK)
UNACKNOWLEDGED = (AlarmStatus.ACTIVE_UNACK, AlarmStatus.CLEARED_UNACK)


class Alarm(ArchivableModel, WorkflowModel):
    sensor = models.ForeignKey("monitoring.Sensor", verbose_name=_("传感器"), on_delete=models.PROTECT,
                               related_name="alarms")
    rule = models.ForeignKey(AlarmRule, verbose_name=_("报警规则"), on_delete=models.PROTECT, related_name="alarms")
    status = models.CharField(_("状态"), max_length=16, choices=AlarmStatus.choices, default=AlarmStatus.ACTIVE_UNACK,
                              db_index=True)
    level = models.PositiveSmallIntegerField(_("级别"))
    peak_level = models.PositiveSmallIntegerField(_("最高级别"))
    value = models.FloatField(_("触发值"))
    started_at = models.DateTimeField(_("开始时间"))
    last_at = models.DateTimeField(_("最近数据时间"))
    raised_at = models.DateTimeField(_("报警产生时间"), auto_now_add=True)   # arrival → visible (latency)
    cleared_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处置人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    escalations = models.PositiveSmallIntegerField(_("已升级次数"), default=0)
    notifications = models.PositiveSmallIntegerField(_("已通知次数"), default=0)
    last_notified_at = models.DateTimeField(_("最近通知时间"), null=True, blank=True)
    disposition = models.TextField(_("处置说明"), blank=True)
    area_raised = models.BooleanField(_("已提升区域风险"), default=False)
    accepts_attachments = True

    scope = through_sensor()
    references = {"sensor": Ref.system(), "rule": Ref.system(), "assignee": Ref.visible()}

    class Meta:
        verbose_name = _("报警")
        verbose_name_plural = _("报警")
        constraints = [models.UniqueConstraint(fields=["sensor", "rule"], condition=Q(status__in=list(ACTIVE)),
                                               name="one_active_alarm_per_sensor_rule")]
        indexes = [models.Index(fields=["status", "level"], name="alarm_status_level")]

    def __str__(self):
        return f"{self.sensor} {self.rule}"

    @property
    def is_active(self):
        return self.status in ACTIVE
