"""Emergency plans (预案) and drills (演练), C13."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import Ref, ScopeFields
from citysafe.emergency.models.incidents import Incident
from citysafe.emergency.models.resources import DEPARTMENTS

# Review cycle of a plan (生产安全事故应急预案管理办法: evaluated at least every three years).
DEFAULT_REVIEW_YEARS = 3


class Plan(ArchivableModel):
    class Level(models.TextChoices):
        GOVERNMENT_OVERALL = "gov_overall", _("政府总体预案")
        GOVERNMENT_SPECIAL = "gov_special", _("政府专项预案")
        DEPARTMENT = "department", _("部门预案")
        ENTERPRISE = "enterprise", _("企业预案")
        COMMUNITY = "community", _("社区（村）预案")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草案")
        APPROVED = "approved", _("已批准")
        REVOKED = "revoked", _("已废止")

    code = models.CharField(_("预案编号"), max_length=32, unique=True)
    name = models.CharField(_("预案名称"), max_length=100)
    level = models.CharField(_("预案层级"), max_length=16, choices=Level.choices)
    incident_type = models.CharField(_("适用事件类型"), max_length=16, choices=Incident.Type.choices, blank=True)
    # A supporting plan outlives the plan it supports (it is then unlinked, not lost).
    parent = models.ForeignKey("self", verbose_name=_("上级（所衔接）预案"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="supporting")
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), on_delete=models.PROTECT,
                                 related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("所属企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    review_years = models.PositiveSmallIntegerField(_("评估周期（年）"), default=DEFAULT_REVIEW_YEARS)
    review_due = models.DateField(_("下次评估日期"), null=True, blank=True)
    content = models.TextField(_("主要内容"), blank=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False, editable=False)

    accepts_attachments = True
    scope = ScopeFields(township="township", enterprise="enterprise", all_rows_for=DEPARTMENTS)
    references = {"township": Ref.visible(level="township"), "enterprise": Ref.visible(), "parent": Ref.visible()}

    class Meta:
        verbose_name = _("应急预案")

    def __str__(self):
        return self.name


class Drill(ArchivableModel):
    code = models.CharField(_("演练编号"), max_length=32, unique=True)
    name = models.CharField(_("演练名称"), max_length=100)
    plan = models.ForeignKey(Plan, verbose_name=_("所演练预案"), on_delete=models.PROTECT, related_name="drills")
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), on_delete=models.PROTECT,
                                 related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("所属企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField(_("计划日期"), null=True, blank=True)
    held_on = models.DateField(_("实施日期"), null=True, blank=True)
    scenario = models.TextField(_("演练情景"), blank=True)
    participant_count = models.PositiveIntegerField(_("参演人数"), default=0)
    participants = models.TextField(_("参演单位"), blank=True)
    findings = models.TextField(_("发现的问题与评估"), blank=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False, editable=False)

    accepts_attachments = True
    scope = ScopeFields(township="township", enterprise="enterprise", all_rows_for=DEPARTMENTS)
    references = {"township": Ref.visible(level="township"), "enterprise": Ref.visible(), "plan": Ref.visible()}

    class Meta:
        verbose_name = _("应急演练")

    def __str__(self):
        return self.name


class ImprovementAction(ArchivableModel):
    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        DONE = "done", _("已完成")

    code = models.CharField(_("编号"), max_length=32, unique=True)
    drill = models.ForeignKey(Drill, verbose_name=_("演练"), on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(_("改进措施"), max_length=200)
    responsible = models.CharField(_("责任人"), max_length=50, blank=True)
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False, editable=False)

    scope = ScopeFields(township="drill__township", enterprise="drill__enterprise", all_rows_for=DEPARTMENTS)
    references = {"drill": Ref.visible()}

    class Meta:
        verbose_name = _("改进措施")

    def __str__(self):
        return self.description
