"""Enterprise classes (分级分类), annual enforcement plans (执法计划), the inspector roster and the
random draws (双随机一公开) of issue 16 / C17."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields


class SupervisionClass(models.TextChoices):
    A = "A", _("A类（重点监管）")
    B = "B", _("B类（一般监管）")
    C = "C", _("C类（较低风险）")
    D = "D", _("D类（低风险）")


# Inspections a year per class unless the plan says otherwise; D is left to random draws.
DEFAULT_FREQUENCIES = {"A": 4, "B": 2, "C": 1, "D": 0}


class Qualification(models.TextChoices):
    HAZCHEM = "hazchem", _("危险化学品")
    MINING = "mining", _("非煤矿山")
    INDUSTRY = "industry", _("工贸行业")
    FIRE = "fire", _("消防")
    CONSTRUCTION = "construction", _("建筑施工")
    GENERAL = "general", _("综合执法")


class ClassificationRule(ArchivableModel):
    """The county's classification rule (kernels.enterprise_class.ClassRule as JSON), editable."""

    rule = models.JSONField(_("分级分类规则"))
    record_years = models.PositiveSmallIntegerField(_("统计近几年的隐患和事故"), default=3)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope = PUBLIC
    references = {}

    class Meta:
        verbose_name = _("分级分类规则")
        verbose_name_plural = _("分级分类规则")


class EnterpriseClass(ArchivableModel):
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    computed_class = models.CharField(_("计算分类"), max_length=1, choices=SupervisionClass.choices)
    score = models.FloatField(_("得分"))
    facts = models.JSONField(_("计算依据"), default=dict)
    parts = models.JSONField(_("得分构成"), default=dict)
    manual_class = models.CharField(_("人工调整分类"), max_length=1, choices=SupervisionClass.choices, blank=True)
    override_reason = models.TextField(_("调整理由"), blank=True)
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    computed_at = models.DateTimeField(_("计算时间"))

    scope = ScopeFields(township="enterprise__township", grid="enterprise__grid", industry="enterprise__industry",
                        enterprise="enterprise")
    references = {"enterprise": Ref.system(), "overridden_by": Ref.system()}

    class Meta:
        verbose_name = _("企业分级分类")
        verbose_name_plural = _("企业分级分类")
        ordering = ["year", "enterprise_id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="supervision_class_once_a_year")]

    @property
    def final_class(self) -> str:
        return self.manual_class or self.computed_class

    def get_final_class_display(self) -> str:
        return SupervisionClass(self.final_class).label

    def __str__(self):
        return f"{self.enterprise} {self.year} {self.final_class}"


class EnforcementPlan(ArchivableModel):
    """One department's annual plan (安全生产年度监督检查计划, 安全生产法 第六十二条)."""

    department = models.ForeignKey("accounts.Organisation", verbose_name=_("执法部门"), on_delete=models.PROTECT,
                                   related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    frequencies = models.JSONField(_("各类企业年检查次数"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("编制时间"), auto_now_add=True)

    scope = ScopeFields(organisation="department")
    references = {"department": Ref.own_organisation(kind="department"), "created_by": Ref.system()}

    class Meta:
        verbose_name = _("年度执法计划")
        verbose_name_plural = _("年度执法计划")
        ordering = ["-year", "department_id"]
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="supervision_plan_once_a_year")]

    def __str__(self):
        return f"{self.department} {self.year}"


class PlannedInspection(models.Model):
    plan = models.ForeignKey(EnforcementPlan, verbose_name=_("执法计划"), on_delete=models.CASCADE,
                             related_name="lines")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="+")
    month = models.PositiveSmallIntegerField(_("计划月份"))
    enterprise_class = models.CharField(_("分类"), max_length=1, choices=SupervisionClass.choices)

    scope = ScopeFields(organisation="plan__department")
    references = {"plan": Ref.system(), "enterprise": Ref.system()}

    class Meta:
        verbose_name = _("计划检查")
        verbose_name_plural = _("计划检查")
        ordering = ["month", "enterprise_id"]
        indexes = [models.Index(fields=["plan", "month"], name="supervision_line_plan_month")]

    def __str__(self):
        return f"{self.plan} {self.month}"


class Inspector(ArchivableModel):
    """A law-enforcement inspector on the roster (执法检查人员名录库)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("账户"), on_delete=models.PROTECT,
                                related_name="inspector")
    department = models.ForeignKey("accounts.Organisation", verbose_name=_("所属部门"), on_delete=models.PROTECT,
                                   related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    qualification = models.CharField(_("执法资格类别"), max_length=16, choices=Qualification.choices)
    certificate_number = models.CharField(_("执法证号"), max_length=32, unique=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(organisation="department", owner="user")
    references = {"user": Ref.system(), "department": Ref.own_organisation(kind="department")}

    class Meta:
        verbose_name = _("执法检查人员")
        verbose_name_plural = _("执法检查人员")
        ordering = ["id"]

    def __str__(self):
        return self.name


class InspectorLink(ArchivableModel):
    """A registered relation between an inspector and an enterprise: the inspector is never drawn
    for it (回避)."""

    class Relation(models.TextChoices):
        KIN = "kin", _("近亲属在该企业任职或持股")
        FORMER_EMPLOYEE = "former_employee", _("曾在该企业任职")
        INTEREST = "interest", _("其他利害关系")

    inspector = models.ForeignKey(Inspector, verbose_name=_("执法人员"), on_delete=models.CASCADE, related_name="links")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="+")
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope = ScopeFields(organisation="inspector__department", owner="inspector__user")
    references = {"inspector": Ref.system(), "enterprise": Ref.system()}

    class Meta:
        verbose_name = _("回避关系")
        verbose_name_plural = _("回避关系")
        constraints = [models.UniqueConstraint(fields=["inspector", "enterprise"], name="supervision_link_once")]


class RandomDraw(ArchivableModel):
    """One 双随机 draw: its pool filter, the seed and every input (so it can be re-run), the result."""

    number = models.CharField(_("抽查编号"), max_length=32, unique=True)
    title = models.CharField(_("抽查事项"), max_length=200)
    department = models.ForeignKey("accounts.Organisation", verbose_name=_("执法部门"), on_delete=models.PROTECT,
                                   related_name="+")
    year = models.PositiveSmallIntegerField(_("分类年度"))
    classes = models.JSONField(_("抽取的企业分类"), default=list)
    township_ids = models.JSONField(_("抽取的乡镇"), default=list)
    required_qualification = models.CharField(_("所需执法资格"), max_length=16, choices=Qualification.choices)
    targets = models.PositiveIntegerField(_("抽取企业数"))
    seed = models.BigIntegerField(_("随机种子"))
    inputs = models.JSONField(_("抽取输入"))
    result = models.JSONField(_("抽取结果"))
    due_on = models.DateField(_("检查期限"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"))
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(organisation="department")
    references = {"department": Ref.own_organisation(kind="department"), "drawn_by": Ref.system()}

    class Meta:
        verbose_name = _("双随机抽查")
        verbose_name_plural = _("双随机抽查")
        ordering = ["-drawn_at", "-id"]

    def __str__(self):
        return f"{self.number} {self.title}"


class DrawnInspection(models.Model):
    draw = models.ForeignKey(RandomDraw, verbose_name=_("抽查"), on_delete=models.CASCADE, related_name="inspections")
    position = models.PositiveIntegerField(_("抽取顺序"))
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="+")
    lead_inspector = models.ForeignKey(Inspector, verbose_name=_("主检查人（具备资格）"), on_delete=models.PROTECT,
                                       related_name="+")
    second_inspector = models.ForeignKey(Inspector, verbose_name=_("检查人"), on_delete=models.PROTECT,
                                         related_name="+")
    task = models.ForeignKey("hazards.InspectionTask", verbose_name=_("检查任务"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")

    scope = ScopeFields(organisation="draw__department", enterprise="enterprise")
    references = {"draw": Ref.system(), "enterprise": Ref.system(), "lead_inspector": Ref.system(),
                  "second_inspector": Ref.system(), "task": Ref.system()}

    class Meta:
        verbose_name = _("抽查对象")
        verbose_name_plural = _("抽查对象")
        ordering = ["draw_id", "position"]
        indexes = [models.Index(fields=["enterprise", "draw"], name="supervision_drawn_enterprise")]

    def __str__(self):
        return f"{self.draw.number} #{self.position}"
