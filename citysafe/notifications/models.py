from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysafe.core.scope_fields import COUNTY_WIDE, ScopeFields

# registry.Person by its label, so that this app imports no domain app (core layering).
PERSON_MODEL = "registry.Person"


def channel_choices() -> list[tuple[str, str]]:
    """The registered channels (NOTIFICATION_CHANNELS), evaluated lazily: a channel is a
    choice only if its class exists, and the migration refers to this function, not to a list."""
    from citysafe.notifications.channels import registry

    return [(name, channel.label or name) for name, channel in sorted(registry().items())]


class TargetKind(models.TextChoices):
    USER = "user", _("平台用户")
    PERSON = "person", _("人员")
    PHONE = "phone", _("电话号码")
    EMAIL = "email", _("电子邮箱")
    WEBHOOK = "webhook", _("Webhook地址")
    MQTT = "mqtt", _("MQTT主题")


ADDRESS_KINDS = (TargetKind.PHONE, TargetKind.EMAIL, TargetKind.WEBHOOK, TargetKind.MQTT)


class Priority(models.IntegerChoices):
    """Lower number = claimed first."""

    URGENT = 1, _("紧急")
    HIGH = 2, _("高")
    NORMAL = 3, _("普通")
    LOW = 4, _("低")


class Notification(models.Model):
    """Outbox row: written by a service in the same transaction as the change it announces,
    delivered later by the background worker (delivery.py). `dedupe_key` makes enqueueing
    idempotent. Exactly one target: a user, a person, or an address (phone, e-mail, webhook
    URL, MQTT topic) — enforced by a check constraint."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败（将重试）")
        DEAD = "dead", _("放弃发送")
        EXPIRED = "expired", _("已过期未发送")

    target_kind = models.CharField(_("接收对象类型"), max_length=16, choices=TargetKind.choices,
                                   default=TargetKind.USER)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications",
        null=True, blank=True,
    )
    person = models.ForeignKey(PERSON_MODEL, verbose_name=_("接收人员"), on_delete=models.CASCADE,
                               related_name="+", null=True, blank=True)
    address = models.CharField(_("接收地址"), max_length=300, blank=True)
    channel = models.CharField(_("渠道"), max_length=32, choices=channel_choices, default="inbox")
    priority = models.PositiveSmallIntegerField(_("优先级"), choices=Priority.choices, default=Priority.NORMAL)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    kind = models.CharField(_("类别"), max_length=64)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    payload = models.JSONField(_("附加数据"), default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    lease_until = models.DateTimeField(_("领取期限"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, default="")
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    scope = ScopeFields(owner="recipient")

    class Meta:
        verbose_name = _("通知（发件箱）")
        verbose_name_plural = _("通知（发件箱）")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "priority", "next_attempt_at"], name="notif_due_idx"),
            models.Index(fields=["status", "lease_until"], name="notif_lease_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="notification_exactly_one_target",
                condition=(
                    Q(target_kind=TargetKind.USER, recipient__isnull=False, person__isnull=True, address="")
                    | Q(target_kind=TargetKind.PERSON, person__isnull=False, recipient__isnull=True, address="")
                    | (Q(target_kind__in=ADDRESS_KINDS, recipient__isnull=True, person__isnull=True)
                       & ~Q(address=""))
                ),
            ),
        ]

    def __str__(self):
        return f"{self.channel} → {self.target_label}: {self.subject}"

    @property
    def target_label(self) -> str:
        if self.target_kind == TargetKind.USER:
            return f"user:{self.recipient_id}"
        if self.target_kind == TargetKind.PERSON:
            return f"person:{self.person_id}"
        return f"{self.target_kind}:{self.address}"

    @property
    def idempotency_key(self) -> str:
        """Stable per outbox row; external channels hand it to the receiver, which drops
        repeats (delivery to external systems is at-least-once)."""
        return f"citysafe-notification-{self.pk}"


class Receipt(models.Model):
    """What happened to a notification, filled by the channels and by the recipient:
    sent (handed to a gateway), delivered (in the recipient's hands, e.g. the inbox),
    failed (one attempt, with the error), acknowledged (the recipient read it).
    Delivered and acknowledged happen at most once per notification."""

    class Status(models.TextChoices):
        SENT = "sent", _("已发出")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("发送失败")
        ACKNOWLEDGED = "acknowledged", _("已确认阅读")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="receipts")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    attempt = models.PositiveIntegerField(_("第几次尝试"), default=0)
    detail = models.TextField(_("说明"), blank=True)

    # A receipt belongs to the notification's recipient, like the notification itself.
    scope = ScopeFields(owner="notification__recipient")

    class Meta:
        verbose_name = _("送达回执")
        verbose_name_plural = _("送达回执")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "status"], name="receipt_delivered_acknowledged_once",
                condition=Q(status__in=["delivered", "acknowledged"]),
            ),
        ]

    def __str__(self):
        return f"{self.notification_id} {self.status}"


class InboxMessage(models.Model):
    """What the in-app channel delivers. One per notification at most (unique FK): the
    channel's write is idempotent, so a retried delivery finds the message already there."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="inbox")
    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="inbox_message")
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    scope = ScopeFields(owner="user")

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.subject


class ChannelRateSlot(models.Model):
    """The next free send slot of a rate-limited channel (NOTIFICATION_RATE_LIMITS), shared
    by every worker process on every machine: `rate_limits.reserve` moves it on with one
    conditional UPDATE, so N workers together keep the operator's limit (not N × it)."""

    channel = models.CharField(_("渠道"), max_length=40, primary_key=True)
    # Unix time in seconds (float): plain arithmetic in one UPDATE on SQLite and PostgreSQL alike.
    next_slot = models.FloatField(_("下一个发送时刻"), default=0.0)

    scope = COUNTY_WIDE

    class Meta:
        verbose_name = _("渠道限速")
        verbose_name_plural = _("渠道限速")

    def __str__(self):
        return f"{self.channel} {self.next_slot}"
