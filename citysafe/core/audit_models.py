from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.scope_fields import COUNTY_WIDE


class AuditChannel(models.TextChoices):
    PAGE = "page", _("页面")
    API = "api", _("接口")
    IMPORT = "import", _("导入")
    COMMAND = "command", _("命令")
    ADMIN = "admin", _("管理后台")
    WORKER = "worker", _("后台任务")
    SYSTEM = "system", _("系统")  # scheduled and sensor-driven transitions (core.workflow.system)


class AuditRecord(models.Model):
    """Append-only, hash-chained record of one change. Never updated or deleted by the app."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False,
    )
    actor_label = models.CharField(_("操作人"), max_length=150)
    channel = models.CharField(_("渠道"), max_length=16, choices=AuditChannel.choices)
    action = models.CharField(_("动作"), max_length=40, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=255)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # One hash chain per county (core.audit.chain_key): the chain and the position in it.
    chain = models.CharField(_("审计链"), max_length=32, default="root")
    seq = models.BigIntegerField(_("链内序号"))

    scope = COUNTY_WIDE

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_record_chain_seq")]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit records are append-only")


class AuditChainHead(models.Model):
    """One row per chain (a county's area code, or "root"): the last hash and count. Locking
    it serialises appends to that chain only, and it lets `verify_audit` notice records cut
    off the end."""

    key = models.CharField(_("审计链"), max_length=32, unique=True)

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)

    scope = COUNTY_WIDE

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self):
        return f"audit chain head {self.key}"
