"""Inspections (排查): checklist templates per place type, tasks for grid workers and inspectors,
filled checklists. Imported by models.py (one app, models split by subject)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields


class ChecklistTemplate(ArchivableModel):
    """A checklist for one place type (or enterprises): items [{"text", "basis", "category"}], each
    citing its legal basis as an article ("消防法 第十六条", rendered through the knowledge app)."""

    name = models.CharField(_("检查表名称"), max_length=100)
    place_type = models.CharField(_("适用场所类型"), max_length=32, blank=True)
    items = models.JSONField(_("检查项目"), default=list)

    scope = PUBLIC
    references = {}

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        ordering = ["id"]

    def __str__(self):
        return self.name


class InspectionTask(ArchivableModel):
    class Status(models.TextChoices):
        OPEN = "open", _("待检查")
        DONE = "done", _("已检查")

    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("检查表"), on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey("registry.Place", verbose_name=_("检查场所"), on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检查人"), on_delete=models.PROTECT,
                                 related_name="+")
    due_on = models.DateField(_("完成期限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(township="township", grid="grid", owner="assignee")
    references = {"template": Ref.visible(), "place": Ref.visible(), "assignee": Ref.system(),
                  "township": Ref.system(), "grid": Ref.system()}

    class Meta:
        verbose_name = _("检查任务")
        verbose_name_plural = _("检查任务")
        ordering = ["due_on", "id"]


class Inspection(ArchivableModel):
    """One filled checklist: results [{"ok": bool, "note": str}] in the template's item order."""

    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("检查表"), on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(InspectionTask, verbose_name=_("检查任务"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="inspections")
    place = models.ForeignKey("registry.Place", verbose_name=_("检查场所"), on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检查人"), on_delete=models.PROTECT,
                                  related_name="+")
    inspected_at = models.DateTimeField(_("检查时间"), db_index=True)
    results = models.JSONField(_("检查结果"), default=list)
    failed = models.PositiveSmallIntegerField(_("不合格项数"), default=0)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    client_key = models.CharField(_("离线提交标识"), max_length=64, blank=True, db_index=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    accepts_attachments = True
    scope = ScopeFields(township="township", grid="grid")
    references = {"template": Ref.visible(), "task": Ref.system(), "place": Ref.visible(), "inspector": Ref.system(),
                  "township": Ref.system(), "grid": Ref.system()}

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["-inspected_at", "id"]
        constraints = [models.UniqueConstraint(fields=["inspector", "client_key"], condition=~models.Q(client_key=""),
                                               name="inspection_once_per_client_key")]
