"""Hidden hazards (隐患) and their closed loop, public reports (举报) and rewards."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel, WorkflowModel
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields

# The registry's rule on plain columns copied from what the hazard belongs to
# (services/placement.py): a township its own, a department its industries, a grid worker
# its grids, an enterprise officer its own enterprise.
HAZARD_SCOPE = ScopeFields(township="township", grid="grid", industry="industry", enterprise="owner_enterprise")


class Source(models.TextChoices):
    INSPECTION = "inspection", _("监督检查")
    PATROL = "patrol", _("网格巡查")
    SELF_CHECK = "self_check", _("企业自查")
    PUBLIC_REPORT = "public_report", _("群众举报")
    ALARM = "alarm", _("监测报警")
    OTHER = "other", _("其他")


class Category(models.TextChoices):
    FIRE = "fire", _("消防")
    ELECTRICAL = "electrical", _("电气")
    GAS = "gas", _("燃气")
    CHEMICALS = "chemicals", _("危险化学品")
    STRUCTURAL = "structural", _("建筑结构")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    CONSTRUCTION = "construction", _("建筑施工")
    TRAFFIC = "traffic", _("道路交通")
    FLOOD = "flood", _("防汛排涝")
    OTHER = "other", _("其他")


class Grade(models.TextChoices):
    UNGRADED = "", _("未定级")
    GENERAL = "general", _("一般隐患")
    MAJOR = "major", _("重大隐患")


class Status(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    GRADED = "graded", _("已定级")
    NOTIFIED = "notified", _("已下达整改通知")
    RECTIFYING = "rectifying", _("整改中")
    ACCEPTANCE_REQUESTED = "acceptance_requested", _("已申请验收")
    CLOSED = "closed", _("已销号")
    REJECTED = "rejected", _("不予认定")


OPEN_STATES = (Status.REGISTERED, Status.GRADED, Status.NOTIFIED, Status.RECTIFYING, Status.ACCEPTANCE_REQUESTED)
DEADLINE_STATES = (Status.NOTIFIED, Status.RECTIFYING)


class Hazard(ArchivableModel, WorkflowModel):
    code = models.CharField(_("隐患编号"), max_length=32, unique=True, null=True, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.INSPECTION)
    category = models.CharField(_("隐患类别"), max_length=24, choices=Category.choices)
    description = models.TextField(_("隐患描述"))
    # Exactly one of these four (services refuse none or two; a check constraint too).
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("所属企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="hazards")
    place = models.ForeignKey("registry.Place", verbose_name=_("所在场所设施"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="hazards")
    area = models.ForeignKey("registry.Area", verbose_name=_("所在区域"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="hazards")
    risk_point = models.ForeignKey("risks.RiskPoint", verbose_name=_("所属风险点"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="hazards")
    finder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发现人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    found_at = models.DateTimeField(_("发现时间"))
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices, default=Status.REGISTERED,
                              db_index=True)
    grade = models.CharField(_("隐患等级"), max_length=8, choices=Grade.choices, default=Grade.UNGRADED, blank=True)
    grade_reason = models.TextField(_("定级理由"), blank=True)

    # Inherited from the parent (services/placement.py); lon/lat may be picked on the map instead.
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("registry.Area", verbose_name=_("所属村（社区）"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    owner_enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("责任企业"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    supervising_department = models.ForeignKey("accounts.Organisation", verbose_name=_("行业主管部门"), null=True,
                                               blank=True, on_delete=models.PROTECT, related_name="+")

    # Rectification notice (整改通知): set by the "issue_notice" transition.
    responsible_unit = models.CharField(_("整改责任单位"), max_length=200, blank=True)
    responsible_person = models.CharField(_("整改责任人"), max_length=100, blank=True)
    responsible_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("整改责任人账号"), null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="+")
    measures = models.TextField(_("整改措施"), blank=True)
    rectification_deadline = models.DateField(_("整改期限"), null=True, blank=True, db_index=True)
    notice_number = models.CharField(_("整改指令书编号"), max_length=40, blank=True)
    rectified_at = models.DateTimeField(_("申请验收时间"), null=True, blank=True)
    reinspection_result = models.CharField(_("复查结论"), max_length=8, blank=True,
                                           choices=[("pass", _("合格")), ("fail", _("不合格"))])
    reinspected_at = models.DateTimeField(_("复查时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True, db_index=True)
    fixed_on_spot = models.BooleanField(_("现场整改"), default=False)
    # Deadline sweep (services/deadlines.py): overdue flag and the level it has been escalated to.
    is_overdue = models.BooleanField(_("已逾期"), default=False, db_index=True)
    escalation = models.CharField(_("督办层级"), max_length=16, blank=True,
                                  choices=[("grid", _("网格")), ("township", _("乡镇")), ("department", _("行业部门")),
                                           ("county", _("县安委办"))])

    # Major hazards (重大隐患): the plan's "five in place" (五到位), stop production, listing, dual report.
    plan_measures = models.TextField(_("治理方案：措施"), blank=True)
    plan_funds = models.DecimalField(_("治理方案：资金（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    plan_person = models.CharField(_("治理方案：责任人"), max_length=100, blank=True)
    plan_deadline = models.DateField(_("治理方案：时限"), null=True, blank=True)
    plan_emergency = models.TextField(_("治理方案：应急预案"), blank=True)
    stop_production = models.BooleanField(_("停产停业整改"), default=False)
    is_listed = models.BooleanField(_("挂牌督办"), default=False, db_index=True)
    listing_authority = models.CharField(_("督办单位"), max_length=200, blank=True)
    listing_deadline = models.DateField(_("督办期限"), null=True, blank=True)
    listed_at = models.DateTimeField(_("挂牌时间"), null=True, blank=True)
    delisted_at = models.DateTimeField(_("摘牌时间"), null=True, blank=True)
    reported_to_department_at = models.DateField(_("报告监管部门日期"), null=True, blank=True)
    reported_to_congress_at = models.DateField(_("报告职工代表大会日期"), null=True, blank=True)
    raised_area = models.ForeignKey("registry.Area", verbose_name=_("提级区域"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    # The monitoring alarm this hazard was converted from (services/alarms.py), if any.
    alarm = models.ForeignKey("monitoring.Alarm", verbose_name=_("来源报警"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="hazards")
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = HAZARD_SCOPE
    references = {"enterprise": Ref.visible(), "place": Ref.visible(), "area": Ref.visible(),
                  "risk_point": Ref.visible(), "finder": Ref.system(), "township": Ref.system(),
                  "village": Ref.system(), "grid": Ref.system(), "industry": Ref.system(),
                  "owner_enterprise": Ref.system(), "supervising_department": Ref.system(),
                  "responsible_user": Ref.system(), "raised_area": Ref.system(),
                  "alarm": Ref.system()}

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["township", "id"], condition=models.Q(archived_at__isnull=True),
                         name="hazard_active_township"),
            models.Index(fields=["grid", "id"], condition=models.Q(archived_at__isnull=True),
                         name="hazard_active_grid"),
            models.Index(fields=["industry", "id"], condition=models.Q(archived_at__isnull=True),
                         name="hazard_active_industry"),
            models.Index(fields=["owner_enterprise", "id"], condition=models.Q(archived_at__isnull=True),
                         name="hazard_active_owner"),
            models.Index(fields=["status", "due_at"], name="hazard_status_due"),
        ]
        constraints = [models.CheckConstraint(
            name="hazard_belongs_once",
            condition=(models.Q(enterprise__isnull=False, place__isnull=True, area__isnull=True, risk_point__isnull=True)
                       | models.Q(enterprise__isnull=True, place__isnull=False, area__isnull=True,
                                  risk_point__isnull=True)
                       | models.Q(enterprise__isnull=True, place__isnull=True, area__isnull=False,
                                  risk_point__isnull=True)
                       | models.Q(enterprise__isnull=True, place__isnull=True, area__isnull=True,
                                  risk_point__isnull=False)))]

    def __str__(self):
        return f"{self.code or self.pk}：{self.description[:30]}"

    def save(self, *args, **kwargs):
        """A new hazard is numbered as it is inserted: the code holds the primary key, so it is
        written right after the insert, inside the same save, and the registration's audit
        record (core.records.save_record snapshots after save) carries it — no unaudited
        UPDATE afterwards that the change feed and webhooks would miss."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding and not self.code and self.found_at is not None:
            from citysafe.hazards.services.numbering import hazard_code

            self.code = hazard_code(self)
            super().save(update_fields=["code"], using=kwargs.get("using"))

    @property
    def parent(self):
        return self.enterprise or self.place or self.area or self.risk_point

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def is_major(self) -> bool:
        return self.grade == Grade.MAJOR


class PublicReport(ArchivableModel):
    """举报: a report from the public, without login. The reporter's contact is personal data:
    shown to the county office only (selectors/reports.py masks it for everyone else)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("已受理")
        ACCEPTED = "accepted", _("已转为隐患")
        DUPLICATE = "duplicate", _("重复举报")
        REJECTED = "rejected", _("不予受理")

    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    description = models.TextField(_("举报内容"))
    category = models.CharField(_("隐患类别"), max_length=24, choices=Category.choices, default=Category.OTHER)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    address = models.CharField(_("地点说明"), max_length=200, blank=True)
    reporter_name = models.CharField(_("举报人"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address_hash = models.CharField(_("来源地址摘要"), max_length=64, db_index=True, editable=False)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    triage_note = models.TextField(_("处理说明"), blank=True)
    hazard = models.ForeignKey(Hazard, verbose_name=_("对应隐患"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="public_reports")
    duplicate_of = models.ForeignKey("self", verbose_name=_("重复于"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    accepts_attachments = True
    scope = ScopeFields(township="township", grid="grid")
    references = {"township": Ref.system(), "grid": Ref.system(), "hazard": Ref.system(),
                  "duplicate_of": Ref.system()}

    class Meta:
        verbose_name = _("群众举报")
        verbose_name_plural = _("群众举报")
        ordering = ["-id"]

    def __str__(self):
        return self.tracking_code


class RewardRule(ArchivableModel):
    """举报奖励规则: editable by the county office (e.g. a confirmed major hazard → 2000 元)."""

    grade = models.CharField(_("隐患等级"), max_length=8, choices=Grade.choices[1:], unique=True)
    amount = models.DecimalField(_("奖励金额（元）"), max_digits=10, decimal_places=2)
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    scope = PUBLIC  # the reward rules are published (举报奖励办法 are public documents)
    references = {}

    class Meta:
        verbose_name = _("举报奖励规则")
        verbose_name_plural = _("举报奖励规则")

    def __str__(self):
        return f"{self.get_grade_display()}：{self.amount}"


class Reward(ArchivableModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        APPROVED = "approved", _("已审批")
        PAID = "paid", _("已发放")
        DECLINED = "declined", _("不予奖励")

    report = models.OneToOneField(PublicReport, verbose_name=_("举报"), on_delete=models.PROTECT,
                                  related_name="reward")
    amount = models.DecimalField(_("奖励金额（元）"), max_digits=10, decimal_places=2)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)
    payment_reference = models.CharField(_("发放凭证号"), max_length=60, blank=True)

    scope = ScopeFields(township="report__township", grid="report__grid")
    references = {"report": Ref.system(), "approved_by": Ref.system()}

    class Meta:
        verbose_name = _("举报奖励")
        verbose_name_plural = _("举报奖励")
from citysafe.hazards.inspection_models import ChecklistTemplate, Inspection, InspectionTask  # noqa: E402,F401
