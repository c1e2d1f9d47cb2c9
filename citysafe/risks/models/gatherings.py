"""Large gatherings (大型群众性活动, clause 二(十一); 大型群众性活动安全管理条例): the organiser's
application, its risk assessment against the venue (kernels.gathering_risk) and the licence
by the public security organ (条例第四条、第十一条) on the workflow engine (risks/gatherings/)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel, WorkflowModel
from citysafe.core.scope_fields import Ref, ScopeFields
from citysafe.risks.models.levels import RiskLevel


class Gathering(WorkflowModel, ArchivableModel):
    class Kind(models.TextChoices):  # 条例第二条
        SPORTS = "sports", _("体育比赛活动")
        PERFORMANCE = "performance", _("演唱会、音乐会等文艺演出活动")
        EXHIBITION = "exhibition", _("展览、展销等活动")
        FAIR = "fair", _("游园、灯会、庙会、花会、焰火晚会等活动")
        RECRUITMENT = "recruitment", _("人才招聘会、现场开奖的彩票销售等活动")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审批")
        RETURNED = "returned", _("已退回补正")
        APPROVED = "approved", _("已许可")
        REFUSED = "refused", _("不予许可")
        CANCELLED = "cancelled", _("已取消")

    name = models.CharField(_("活动名称"), max_length=200)
    kind = models.CharField(_("活动类型"), max_length=16, choices=Kind.choices)
    content = models.TextField(_("活动内容及组织方式"), blank=True)
    organiser = models.ForeignKey("registry.Enterprise", verbose_name=_("承办者"), on_delete=models.PROTECT,
                                  related_name="gatherings")
    responsible_person = models.ForeignKey("registry.Person", verbose_name=_("安全责任人"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    venue = models.ForeignKey("registry.Place", verbose_name=_("活动场所"), on_delete=models.PROTECT,
                              related_name="gatherings")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    expected_attendance = models.PositiveIntegerField(_("预计参加人数"), validators=[MinValueValidator(1000),
                                                                                MaxValueValidator(10_000_000)])
    exits = models.PositiveSmallIntegerField(_("安全出口数量"), validators=[MaxValueValidator(1000)])
    exit_width_m = models.FloatField(_("安全出口总净宽度（米）"), validators=[MinValueValidator(0),
                                                                      MaxValueValidator(10000)])
    security_staff = models.PositiveIntegerField(_("安全工作人员数量"), default=0,
                                                 validators=[MaxValueValidator(1_000_000)])
    # The security plan (安全工作方案, 条例第六条) and the emergency plan (应急救援预案): files
    # attached to this application (core.attachments), pointed at by the service.
    security_plan = models.ForeignKey("core.Attachment", verbose_name=_("安全工作方案"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    emergency_plan = models.ForeignKey("core.Attachment", verbose_name=_("应急救援预案"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")

    # Derived from the venue and the rule (services), never set by users.
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey("accounts.Organisation", verbose_name=_("许可机关"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    venue_capacity = models.PositiveIntegerField(_("场所可容纳人数"), null=True, blank=True)
    hazards_nearby = models.PositiveIntegerField(_("周边500米危险源数"), default=0)
    load_ratio = models.FloatField(_("容量占用率"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("风险等级"), choices=RiskLevel.choices, default=RiskLevel.NONE)
    risk_reasons = models.JSONField(_("评估依据"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    # The organiser sees its own; the township where it takes place; the licensing public
    # security organ (organisation) — other departments do not (a wrong department gets 404).
    scope = ScopeFields(township="township", grid="grid", enterprise="organiser", organisation="authority")
    references = {"organiser": Ref.visible(), "responsible_person": Ref.visible(), "venue": Ref.visible(),
                  "security_plan": Ref.system(), "emergency_plan": Ref.system(), "township": Ref.system(),
                  "grid": Ref.system(), "authority": Ref.system(), "created_by": Ref.system()}

    class Meta:
        verbose_name = _("大型群众性活动")
        verbose_name_plural = _("大型群众性活动")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["status", "starts_at", "ends_at"])]

    def __str__(self):
        return self.name
