"""One row per import or export run in the background: who asked, what, progress, outcome.

The page polls this row (htmx) for progress. Files live in the default storage (local disk
or S3-compatible), so web servers and workers on different machines see the same files.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysafe.core.scope_fields import ScopeFields

__all__ = ["DataJob"]


def job_file_path(instance, filename: str) -> str:
    # The user's file name is kept in `source_name`; the stored name is ours.
    return f"io/{timezone.now():%Y/%m}/{instance.direction}-{instance.pk or 'new'}-{filename}"


class DataJob(models.Model):
    class Direction(models.TextChoices):
        IMPORT = "import", _("导入")
        EXPORT = "export", _("导出")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("未通过")

    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices)
    resource = models.CharField(_("数据类型"), max_length=32)
    file_format = models.CharField(_("格式"), max_length=16, default="xlsx")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                             related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    options = models.JSONField(_("选项"), default=dict, blank=True)
    source = models.FileField(_("上传文件"), upload_to=job_file_path, max_length=255, blank=True)
    source_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    result = models.FileField(_("结果文件"), upload_to=job_file_path, max_length=255, blank=True)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    done_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    message = models.TextField(_("结果说明"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    scope = ScopeFields(owner="user")

    class Meta:
        verbose_name = _("导入导出任务")
        verbose_name_plural = _("导入导出任务")
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "-id"])]

    def __str__(self):
        return f"{self.get_direction_display()} {self.kind_title} #{self.pk}"

    @property
    def kind_title(self) -> str:
        """The kind of data in the reader's language ("企业"), never the internal key."""
        from citysafe.registry.io.kinds import get_kind  # the kinds import the registry's models

        try:
            return str(get_kind(self.resource).display_name)
        except ValueError:  # a kind no longer installed: its key is all there is
            return self.resource

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def percent(self) -> int:
        """Progress for the bar of a job still at work (99 % at most until it is done); a
        failed job shows its failure instead of a bar, so this says nothing about it."""
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(self.done_rows * 100 / self.total_rows))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
