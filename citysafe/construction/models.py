"""Construction safety (C16): projects and their sites, high-danger works (危大工程) and
dangerous-operation work permits (作业票), with the standards tables they are checked against.

Scope: a project lies in the township of its site (a registry Place of type 建筑施工工地, whose
polygon is the site outline, checked inside the county by the registry) and in the industry
房屋建筑和市政工程 (so the housing and construction bureau sees it, 管行业必须管安全); an
enterprise officer sees the projects its enterprise builds or carries out (`parties`, kept by
the services: builder and contractor). Works and permits copy the project's township and
industry, and are the contractor's (施工单位对施工现场安全负总责, 建设工程安全生产管理条例
第二十四条)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields

CONSTRUCTION_INDUSTRY = "construction"  # registry Industry code: 房屋建筑和市政工程 (住建局)


class ConstructionProject(ArchivableModel):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("施工准备")
        UNDER_WAY = "under_way", _("在建")
        SUSPENDED = "suspended", _("停工")
        COMPLETED = "completed", _("竣工")

    code = models.CharField(_("项目编号"), max_length=32, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    permit_number = models.CharField(_("施工许可证号"), max_length=64, blank=True)
    builder = models.ForeignKey("registry.Enterprise", verbose_name=_("建设单位"), on_delete=models.PROTECT,
                                related_name="+")
    contractor = models.ForeignKey("registry.Enterprise", verbose_name=_("施工单位"), on_delete=models.PROTECT,
                                   related_name="+")
    supervisor = models.ForeignKey("registry.Enterprise", verbose_name=_("监理单位"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey("registry.Place", verbose_name=_("施工现场"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("类型为“建筑施工工地”的场所，其范围即施工现场红线"))
    start_on = models.DateField(_("开工日期"), null=True, blank=True)
    planned_end_on = models.DateField(_("计划竣工日期"), null=True, blank=True)
    status = models.CharField(_("项目状态"), max_length=16, choices=Status.choices, default=Status.PREPARING)
    project_manager = models.CharField(_("项目经理"), max_length=50, blank=True)
    project_manager_phone = models.CharField(_("项目经理电话"), max_length=20, blank=True)
    safety_officer = models.CharField(_("专职安全员"), max_length=50, blank=True)
    safety_officer_phone = models.CharField(_("专职安全员电话"), max_length=20, blank=True)
    note = models.TextField(_("备注"), blank=True)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    parties = models.ManyToManyField("registry.Enterprise", verbose_name=_("参建企业"), blank=True, related_name="+")
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(township="township", grid="grid", industry="industry", enterprise="parties")
    references = {"builder": Ref.visible(), "contractor": Ref.visible(), "supervisor": Ref.visible(),
                  "site": Ref.visible(place_type="construction_site"), "township": Ref.system(),
                  "grid": Ref.system(), "industry": Ref.system(), "parties": Ref.system()}

    class Meta:
        verbose_name = _("建设工程项目")
        verbose_name_plural = _("建设工程项目")
        ordering = ["-id"]

    def __str__(self):
        return self.name


class _OfProject(ArchivableModel):
    """Keys copied from the project by the services (never set by users)."""

    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("施工单位"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(township="township", industry="industry", enterprise="enterprise")

    class Meta:
        abstract = True


class WorkCategory(models.TextChoices):
    EXCAVATION = "excavation", _("基坑工程")
    FORMWORK = "formwork", _("模板工程及支撑体系")
    LIFTING = "lifting", _("起重吊装及起重机械安装拆卸工程")
    SCAFFOLDING = "scaffolding", _("脚手架工程")
    DEMOLITION = "demolition", _("拆除工程")
    UNDERGROUND = "underground", _("暗挖工程")
    CURTAIN_WALL = "curtain_wall", _("建筑幕墙安装工程")
    OTHER = "other", _("其他")


class HighDangerWork(_OfProject):
    """危险性较大的分部分项工程 of one project: its scale, the special plan (an attachment of this
    record), the expert review where the scale requires it, and its status (workflows.py)."""

    class Status(models.TextChoices):
        PLAN = "plan", _("方案编制")
        REVIEWED = "reviewed", _("方案已论证")
        IN_PROGRESS = "in_progress", _("实施中")
        ACCEPTED = "accepted", _("已验收")
        CLOSED = "closed", _("已关闭")

    class Conclusion(models.TextChoices):
        NONE = "", _("未论证")
        PASS = "pass", _("通过")
        REVISE = "revise", _("修改后通过")
        FAIL = "fail", _("不通过")

    project = models.ForeignKey(ConstructionProject, verbose_name=_("所属项目"), on_delete=models.PROTECT,
                                related_name="works")
    code = models.CharField(_("工程编号"), max_length=32, unique=True)
    name = models.CharField(_("分部分项工程名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=16, choices=WorkCategory.choices)
    scale_value = models.FloatField(_("规模数值"), null=True, blank=True,
                                    help_text=_("按类别的规模指标填写（见“超过一定规模的危大工程”标准表的单位）"))
    scale_description = models.CharField(_("规模说明"), max_length=200, blank=True)
    planned_start_on = models.DateField(_("计划施工日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PLAN)
    review_on = models.DateField(_("专家论证日期"), null=True, blank=True)
    review_experts = models.CharField(_("论证专家"), max_length=200, blank=True)
    review_conclusion = models.CharField(_("论证结论"), max_length=8, choices=Conclusion.choices, blank=True,
                                         default=Conclusion.NONE)
    entered_at = models.DateTimeField(_("进入当前状态时间"), null=True, blank=True)

    accepts_attachments = True  # the special plan (专项施工方案) and the review report
    references = {"project": Ref.visible(), "township": Ref.system(), "industry": Ref.system(),
                  "enterprise": Ref.system()}

    class Meta:
        verbose_name = _("危大工程")
        verbose_name_plural = _("危大工程")
        ordering = ["-id"]

    def __str__(self):
        return self.name


class PermitKind(models.TextChoices):
    HOT_WORK = "hot_work", _("动火作业")
    CONFINED_SPACE = "confined_space", _("受限空间作业")
    HEIGHT = "height", _("高处作业")
    LIFTING = "lifting", _("吊装作业")
    TEMPORARY_ELECTRICITY = "temp_power", _("临时用电作业")
    BLIND_PLATE = "blind_plate", _("盲板抽堵作业")
    EXCAVATION = "excavation", _("动土作业")
    ROAD_BREAKING = "road_breaking", _("断路作业")


class WorkPermit(_OfProject):
    """A dangerous-operation work permit (作业票): applied for, approved by someone else, worked
    within its validity window (gas tested first where the rules table says so), closed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待审批")
        APPROVED = "approved", _("已批准")
        IN_PROGRESS = "in_progress", _("作业中")
        CLOSED = "closed", _("已关闭")
        CANCELLED = "cancelled", _("已作废")

    project = models.ForeignKey(ConstructionProject, verbose_name=_("所属项目"), on_delete=models.PROTECT,
                                related_name="permits")
    code = models.CharField(_("作业票编号"), max_length=32, unique=True)
    kind = models.CharField(_("作业类别"), max_length=16, choices=PermitKind.choices)
    work_location = models.CharField(_("作业地点"), max_length=200)
    content = models.CharField(_("作业内容"), max_length=200, blank=True)
    in_hazardous_area = models.BooleanField(_("位于易燃易爆场所"), default=False)
    valid_from = models.DateTimeField(_("有效期自"))
    valid_to = models.DateTimeField(_("有效期至"))
    guardian = models.CharField(_("监护人"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    oxygen_percent = models.FloatField(_("氧含量（%）"), null=True, blank=True)
    combustible_percent_lel = models.FloatField(_("可燃气体（%LEL）"), null=True, blank=True)
    toxic_ppm = models.FloatField(_("有毒气体（ppm）"), null=True, blank=True)
    gas_tested_at = models.DateTimeField(_("气体检测时间"), null=True, blank=True)
    entered_at = models.DateTimeField(_("进入当前状态时间"), null=True, blank=True)

    accepts_attachments = True
    references = {"project": Ref.visible(), "township": Ref.system(), "industry": Ref.system(),
                  "enterprise": Ref.system(), "applicant": Ref.system(), "approver": Ref.system()}

    class Meta:
        verbose_name = _("危险作业票")
        verbose_name_plural = _("危险作业票")
        ordering = ["-id"]

    def __str__(self):
        return self.code


# ---- standards as data (DESIGN.md rule 6): seeded by migration 0002, edited in the admin site ----

class ScaleThreshold(models.Model):
    """超过一定规模的危大工程: at or over `value` (in `unit`) a work needs an expert review."""

    category = models.CharField(_("类别"), max_length=16, choices=WorkCategory.choices, unique=True)
    measure = models.CharField(_("规模指标"), max_length=100)
    unit = models.CharField(_("单位"), max_length=16)
    value = models.FloatField(_("需专家论证的规模（≥）"))
    basis = models.CharField(_("依据"), max_length=200)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope = PUBLIC
    references = {}

    class Meta:
        verbose_name = _("超过一定规模的危大工程标准")
        verbose_name_plural = _("超过一定规模的危大工程标准")
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_category_display()} ≥ {self.value:g} {self.unit}"


class PermitRule(models.Model):
    """Per permit kind: the longest validity window and whether a gas test must come first."""

    kind = models.CharField(_("作业类别"), max_length=16, choices=PermitKind.choices, unique=True)
    max_hours = models.PositiveIntegerField(_("作业票最长有效期（小时）"))
    gas_test = models.CharField(_("作业前气体检测"), max_length=16, choices=[
        ("never", _("不要求")), ("always", _("必须")), ("hazardous", _("位于易燃易爆场所时必须"))])
    basis = models.CharField(_("依据"), max_length=200)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope = PUBLIC
    references = {}

    class Meta:
        verbose_name = _("危险作业规则")
        verbose_name_plural = _("危险作业规则")
        ordering = ["id"]

    def __str__(self):
        return self.get_kind_display()


class GasLimit(models.Model):
    """An acceptable range of one gas measurement before a permit's work starts."""

    kind = models.CharField(_("作业类别"), max_length=16, choices=PermitKind.choices)
    measurement = models.CharField(_("检测项目"), max_length=32, choices=[
        ("oxygen_percent", _("氧含量（%）")), ("combustible_percent_lel", _("可燃气体（%LEL）")),
        ("toxic_ppm", _("有毒气体（ppm）"))])
    minimum = models.FloatField(_("下限"), null=True, blank=True)
    maximum = models.FloatField(_("上限"), null=True, blank=True)
    basis = models.CharField(_("依据"), max_length=200)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope = PUBLIC
    references = {}

    class Meta:
        verbose_name = _("气体检测限值")
        verbose_name_plural = _("气体检测限值")
        ordering = ["kind", "measurement"]
        constraints = [models.UniqueConstraint(fields=["kind", "measurement"], name="gas_limit_once")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_measurement_display()}"
