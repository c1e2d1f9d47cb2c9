"""Outgoing event subscriptions (webhooks) and their deliveries.

A `Subscription` belongs to one API user (`owner`): that user's data scope decides which
records its events may carry, and the user sees its own subscriptions and deliveries only.
The signing secret is stored here (HMAC needs the secret itself, not a digest); it is shown
once when the subscription is created, never written to the audit trail or the log.

A `Delivery` is one event for one subscription, its payload frozen when the event was read
from the audit chain, so every retry sends the same bytes. `ordering_key` names the record
the event is about: a delivery is sent only when every earlier delivery of the same record
to the same subscription has been delivered (in order per record).
`FanoutCursor` is the id of the last audit record turned into deliveries; it moves in the
same transaction as the deliveries are inserted, so no event is lost or made twice.
"""
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysafe.core.scope_fields import COUNTY_WIDE, Ref, ScopeFields


class Subscription(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("订阅用户"), on_delete=models.PROTECT,
                              related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("接收地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=128)
    events = models.JSONField(_("事件"), default=list)
    area = models.ForeignKey("registry.Area", verbose_name=_("区域"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("启用"), default=True)
    # Events from audit records after this one only: a new subscription does not replay history.
    since_audit_id = models.BigIntegerField(_("起始审计记录"), default=0)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    scope = ScopeFields(owner="owner")
    references = {"owner": Ref.system(), "area": Ref.system()}

    class Meta:
        verbose_name = _("事件订阅")
        verbose_name_plural = _("事件订阅")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        FAILED = "failed", _("失败待重试")
        DELIVERED = "delivered", _("已送达")

    subscription = models.ForeignKey(Subscription, verbose_name=_("订阅"), on_delete=models.CASCADE,
                                     related_name="deliveries")
    event = models.CharField(_("事件"), max_length=40)
    audit_id = models.BigIntegerField(_("审计记录"))
    ordering_key = models.CharField(_("记录"), max_length=120)
    payload = models.JSONField(_("内容"), encoder=DjangoJSONEncoder)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_status_code = models.PositiveIntegerField(_("响应状态码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    scope = ScopeFields(owner="subscription__owner")
    references = {"subscription": Ref.system()}

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["subscription", "audit_id", "event"],
                                               name="sharing_delivery_once_per_event")]
        indexes = [models.Index(fields=["status", "next_attempt_at"]),
                   models.Index(fields=["subscription", "ordering_key", "id"])]

    def __str__(self):
        return f"{self.event} #{self.pk}"


class FanoutCursor(models.Model):
    """One row: the last audit record id turned into deliveries."""

    last_audit_id = models.BigIntegerField(default=0)

    scope = COUNTY_WIDE

    class Meta:
        verbose_name = _("推送游标")

    def __str__(self):
        return f"fan-out cursor {self.last_audit_id}"
