"""Enforcement cases (行政执法案件): the working-day calendar, on-site inspection records and
cases with their evidence. The case's steps are a workflow (workflows.py); its legal time
limits are counted by kernels/workdays.py over the Holiday table (services/calendar.py)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel, WorkflowModel
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields

# A department sees its industries' records, a township its own, an enterprise officer its own
# enterprise's (the registry's rule), on columns copied from the enterprise.
ENFORCEMENT_SCOPE = ScopeFields(township="township", grid="grid", industry="industry", enterprise="enterprise")


class Holiday(ArchivableModel):
    """One day of the State Council's holiday notice: a day off, or a weekend day worked (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休息）")
        WORKDAY = "workday", _("调休上班日")

    day = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField(_("节日名称"), max_length=40)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope = PUBLIC
    references = {}

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.name}"


class InspectionRecord(ArchivableModel):
    """现场检查记录: what inspectors found at an enterprise (from a phone), optionally on the basis
    of a hazards-app checklist inspection; a case may be opened from it."""

    class Result(models.TextChoices):
        COMPLIANT = "compliant", _("未发现违法行为")
        VIOLATION = "violation", _("发现违法行为")

    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("被检查单位"), on_delete=models.PROTECT,
                                   related_name="+")
    inspected_at = models.DateTimeField(_("检查时间"))
    site = models.CharField(_("检查地点"), max_length=200, blank=True)
    inspectors = models.CharField(_("执法人员及证号"), max_length=200)
    present_person = models.CharField(_("现场负责人"), max_length=50, blank=True)
    findings = models.TextField(_("检查情况"))
    result = models.CharField(_("检查结论"), max_length=12, choices=Result.choices, default=Result.VIOLATION)
    hazard_inspection = models.ForeignKey("hazards.Inspection", verbose_name=_("关联隐患排查记录"), null=True,
                                          blank=True, on_delete=models.SET_NULL, related_name="+")
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    recorder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    accepts_attachments = True
    scope = ENFORCEMENT_SCOPE
    references = {"enterprise": Ref.visible(), "hazard_inspection": Ref.visible(), "recorder": Ref.system(),
                  "township": Ref.system(), "grid": Ref.system(), "industry": Ref.system()}

    class Meta:
        verbose_name = _("现场检查记录")
        verbose_name_plural = _("现场检查记录")
        ordering = ["-inspected_at", "-id"]

    def __str__(self):
        return f"{self.enterprise} {self.inspected_at:%Y-%m-%d}"


class Status(models.TextChoices):
    DRAFT = "draft", _("待立案审批")
    NOT_OPENED = "not_opened", _("不予立案")
    INVESTIGATING = "investigating", _("调查取证")
    NOTIFIED = "notified", _("已告知")
    HEARING = "hearing", _("听证")
    DECIDED = "decided", _("已作出决定")
    DEMANDED = "demanded", _("已催告")
    EXECUTING = "executing", _("执行中")
    CLOSED = "closed", _("已结案")


class Penalty(models.TextChoices):
    WARNING = "warning", _("警告")
    FINE = "fine", _("罚款")
    CONFISCATION = "confiscation", _("没收违法所得、非法财物")
    STOP_PRODUCTION = "stop_production", _("责令停产停业")
    PERMIT_SUSPENSION = "permit_suspension", _("暂扣许可证件")
    PERMIT_REVOCATION = "permit_revocation", _("吊销许可证件")
    SEAL_SEIZURE = "seal_seizure", _("查封、扣押")


class Case(ArchivableModel, WorkflowModel):
    number = models.CharField(_("案号"), max_length=40, unique=True, null=True, blank=True)
    inspection = models.ForeignKey(InspectionRecord, verbose_name=_("来源检查记录"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="cases")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("当事人（单位）"), on_delete=models.PROTECT,
                                   related_name="+")
    party_person = models.CharField(_("法定代表人/负责人"), max_length=50, blank=True)
    cause = models.CharField(_("案由"), max_length=200)
    facts = models.TextField(_("违法事实"), blank=True)
    violated_basis = models.CharField(_("违反条款"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)

    opened_on = models.DateField(_("立案日期"), null=True, blank=True)
    decision_due = models.DateField(_("决定期限"), null=True, blank=True)
    extended = models.BooleanField(_("已批准延期"), default=False)

    penalty = models.CharField(_("处罚种类"), max_length=20, choices=Penalty.choices, blank=True)
    fine_amount = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    penalty_basis = models.CharField(_("处罚依据"), max_length=200, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    statement_due = models.DateField(_("陈述申辩、听证申请截止日"), null=True, blank=True)
    hearing_right = models.BooleanField(_("享有听证权利"), default=False)
    waived = models.BooleanField(_("当事人放弃陈述申辩"), default=False)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)

    decision_number = models.CharField(_("决定书文号"), max_length=40, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_text = models.TextField(_("处罚内容"), blank=True)
    payment_due = models.DateField(_("缴款期限"), null=True, blank=True)
    publish_due = models.DateField(_("公示期限"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True, db_index=True)
    perform_by = models.DateField(_("催告履行期限"), null=True, blank=True)
    enforcement_measure = models.CharField(_("强制执行方式"), max_length=20, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    is_overdue = models.BooleanField(_("已逾期"), default=False, db_index=True)

    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ENFORCEMENT_SCOPE
    references = {"inspection": Ref.visible(), "enterprise": Ref.visible(), "township": Ref.system(),
                  "grid": Ref.system(), "industry": Ref.system()}

    class Meta:
        verbose_name = _("执法案件")
        verbose_name_plural = _("执法案件")
        ordering = ["-id"]

    def __str__(self):
        return self.number or f"#{self.pk}"


class Evidence(ArchivableModel):
    """One piece of evidence of a case (证据): a photo, a document or a statement, its file an
    attachment of the case (core.attachments: type sniffed, size bounded)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        DOCUMENT = "document", _("书证")
        STATEMENT = "statement", _("询问笔录/陈述")
        OTHER = "other", _("其他")

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("证据类型"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("证据名称"), max_length=200)
    attachment = models.ForeignKey("core.Attachment", verbose_name=_("文件"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("收集人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    collected_at = models.DateTimeField(_("收集时间"))

    scope = ScopeFields(township="case__township", grid="case__grid", industry="case__industry",
                        enterprise="case__enterprise")
    references = {"case": Ref.system(), "attachment": Ref.system(), "collected_by": Ref.system()}

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["case", "id"]
