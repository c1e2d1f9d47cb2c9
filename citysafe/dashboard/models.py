"""Periodic safety reports (月报/年报) of the county, a township or a department, and who
subscribes to them. The dashboard itself stores nothing: it reads the other apps' records."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import Ref, ScopeFields

# A county report (no township, no department) is seen by the county-wide roles only; a
# township's by that township; a department's by that department (core.scope reads this).
# Every report keeps the county it belongs to (issue 19): a county's report is seen by that
# county's county-wide roles (and the prefecture office above it), never by another county's.
REPORT_SCOPE = ScopeFields(township="township", organisation="department", county="county")


class Period(models.TextChoices):
    MONTH = "month", _("月报")
    YEAR = "year", _("年报")
    CUSTOM = "custom", _("自定义期间")


def report_file_path(instance, filename):
    return f"dashboard/reports/{instance.period_start:%Y}/{filename}"


class Report(ArchivableModel):
    period = models.CharField(_("报告类型"), max_length=8, choices=Period.choices)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))     # inclusive
    township = models.ForeignKey("registry.Area", verbose_name=_("乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Organisation", verbose_name=_("部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    # the subject's county (a county report's own; a township's or department's, theirs)
    county = models.ForeignKey("registry.Area", verbose_name=_("所属县（区）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "county"})
    title = models.CharField(_("标题"), max_length=200)
    figures = models.JSONField(_("数据"), default=dict)
    docx = models.FileField(_("Word文档"), upload_to=report_file_path, max_length=255, blank=True)
    pdf = models.FileField(_("PDF文档"), upload_to=report_file_path, max_length=255, blank=True)
    generated_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    scope = REPORT_SCOPE
    references = {"township": Ref.system(), "department": Ref.system(), "county": Ref.system(),
                  "generated_by": Ref.system()}

    class Meta:
        verbose_name = _("安全生产报告")
        verbose_name_plural = _("安全生产报告")
        ordering = ["-period_start", "id"]
        constraints = [
            models.CheckConstraint(name="report_one_subject",
                                   condition=models.Q(township__isnull=True) | models.Q(department__isnull=True)),
        ]

    def __str__(self):
        return self.title


class Subscription(models.Model):
    """A user who receives the reports of the subjects it may see (its own scope decides which)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("订阅人"), on_delete=models.CASCADE,
                                related_name="+")
    monthly = models.BooleanField(_("接收月报"), default=True)
    annual = models.BooleanField(_("接收年报"), default=True)
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)

    scope = ScopeFields(owner="user")
    references = {"user": Ref.system()}

    class Meta:
        verbose_name = _("报告订阅")
        verbose_name_plural = _("报告订阅")

    def __str__(self):
        return str(self.user)
