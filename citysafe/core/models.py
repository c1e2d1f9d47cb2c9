from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysafe.core.audit_models import AuditChainHead, AuditRecord  # noqa: F401  (registered models)
from citysafe.core.scope_fields import COUNTY_WIDE, ScopeFields


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimestampedModel):
    """An editable record. `version` goes up by one on every save through the shared write
    path (core.records) and every workflow transition (core.workflow); an edit carries the
    version it was made on, and a stale one is refused instead of overwriting (optimistic
    concurrency: two tabs, two users, a page and an API client)."""

    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        abstract = True


class ArchivableModel(VersionedModel):
    """Deleting archives: the row stays, visible to admins and in the audit trail."""

    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True, db_index=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("归档人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class WorkflowModel(models.Model):
    """A record that moves through a workflow (core.workflow). The app declares the state
    field itself (its choices are the app's); `version` comes from VersionedModel. The engine
    sets `entered_at` when the current state was entered and `due_at`, the deadline of the
    current state (None: no deadline); deadline sweeps read both."""

    entered_at = models.DateTimeField(_("进入当前状态时间"), null=True, blank=True, editable=False)
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True, editable=False, db_index=True)

    # Records of a workflow carry their documents (core.attachments owns them by record).
    accepts_attachments = True

    class Meta:
        abstract = True


def attachment_path(instance, filename: str) -> str:
    # Stored under a random name: the original name is kept in the row, never trusted as a path.
    return f"attachments/{timezone.now():%Y/%m}/{instance.sha256[:2]}/{instance.storage_name}"


class Attachment(TimestampedModel):
    """An uploaded file, stored through Django's storage API (local disk or S3-compatible),
    owned by the record it belongs to (generic: content type + integer id). A model accepts
    attachments by declaring `accepts_attachments = True` (WorkflowModel does)."""

    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    storage_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+",
    )

    owner_type = models.ForeignKey(ContentType, verbose_name=_("所属记录类型"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField(_("所属记录编号"), null=True, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")

    # Visible exactly when the record it belongs to is (core.scope delegates to the owner's
    # scope); a file that belongs to no record (older uploads): the county-wide roles only.
    scope = ScopeFields(owner_record="owner")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner_idx")]

    def __str__(self):
        return self.original_name


class WorkflowEvent(models.Model):
    """One row per workflow transition: who, when, from, to, note, attachments, and the
    transition's typed payload (severity, assignee, deadline …, validated by its schema)."""

    workflow = models.CharField(_("流程"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    transition = models.CharField(_("操作"), max_length=64)
    from_state = models.CharField(_("原状态"), max_length=32)
    to_state = models.CharField(_("新状态"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)
    payload = models.JSONField(_("附加数据"), default=dict, blank=True)
    attachments = models.ManyToManyField(Attachment, verbose_name=_("附件"), blank=True, related_name="+")

    # Generic (object_type, object_id): not joinable for scope. Through `narrow` the actor and the
    # county-wide roles only; the detail page lists the events of a record the viewer may see.
    scope = ScopeFields(owner="actor")

    class Meta:
        verbose_name = _("流程记录")
        verbose_name_plural = _("流程记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.object_type}:{self.object_id} {self.from_state}→{self.to_state}"


class DeadlineNotice(models.Model):
    """One row per deadline notice sent (a reminder, an overdue notice, each escalation step)
    for one entry of a record into its state: a sweep sends a notice only if it can insert
    this row, so running the sweep again, or two sweeps at once, sends nothing twice."""

    sweep = models.CharField(_("期限检查"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    entered_at = models.DateTimeField(_("进入状态时间"))
    stage = models.CharField(_("阶段"), max_length=32)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    scope = COUNTY_WIDE

    class Meta:
        verbose_name = _("期限提醒记录")
        verbose_name_plural = _("期限提醒记录")
        constraints = [models.UniqueConstraint(fields=["sweep", "object_type", "object_id", "entered_at", "stage"],
                                               name="deadline_notice_once")]

    def __str__(self):
        return f"{self.sweep} {self.object_type}#{self.object_id} {self.stage}"


class WorkerHeartbeat(models.Model):
    """A database-backend worker's sign of life (`manage.py run_worker` beats every
    TASK_HEARTBEAT_SECONDS). The reclaim step (core/taskqueue.py) re-runs a RUNNING job whose
    worker has gone silent; the Redis backend keeps the same in rq's own registries."""

    worker_id = models.CharField(_("工作进程"), max_length=64, primary_key=True)
    host = models.CharField(_("主机"), max_length=255)
    pid = models.PositiveIntegerField(_("进程号"))
    started_at = models.DateTimeField(_("启动时间"), default=timezone.now)
    beat_at = models.DateTimeField(_("最近心跳"), default=timezone.now, db_index=True)

    scope = COUNTY_WIDE

    class Meta:
        verbose_name = _("后台工作进程心跳")

    def __str__(self):
        return f"{self.worker_id} ({self.host}:{self.pid})"
