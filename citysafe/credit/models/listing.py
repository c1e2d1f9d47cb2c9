"""The serious-untrustworthiness list (安全生产严重失信主体名单, C18): entry criteria as data and
the entries with their workflow (workflows.py)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel, WorkflowModel
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields


class Criterion(ArchivableModel):
    """One ground for entering the list, with the periods that govern an entry made on it.
    Seeded by migration 0002 from 应急管理部《安全生产严重失信主体名单管理办法》 (2023); clauses
    and periods not checked against the text say 待核实 in `note`; the county edits them."""

    code = models.CharField(_("编号"), max_length=16, unique=True)
    name = models.CharField(_("列入情形"), max_length=300)
    basis = models.CharField(_("依据"), max_length=300)
    publication_years = models.PositiveSmallIntegerField(
        _("公布期限（年）"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)])
    objection_days = models.PositiveSmallIntegerField(
        _("告知后陈述申辩期（日）"), default=5, validators=[MaxValueValidator(60)])
    repair_after_months = models.PositiveSmallIntegerField(
        _("公布满多少个月可申请信用修复"), default=12, validators=[MaxValueValidator(120)])
    joint_departments = models.CharField(
        _("联合惩戒通报部门（机构编码，逗号分隔）"), max_length=300, blank=True)
    note = models.TextField(_("备注"), blank=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("严重失信列入情形")
        verbose_name_plural = _("严重失信列入情形")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name[:30]}"


class ListEntry(ArchivableModel, WorkflowModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("拟列入")
        APPROVED = "approved", _("已审批")
        NOTIFIED = "notified", _("已告知")
        PUBLISHED = "published", _("已公布")
        REPAIR_APPLIED = "repair_applied", _("信用修复申请中")
        REMOVED = "removed", _("已修复移出")
        EXPIRED = "expired", _("期满移出")
        REJECTED = "rejected", _("不予列入")

    code = models.CharField(_("名单编号"), max_length=32, unique=True)
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("失信主体（企业）"), on_delete=models.PROTECT,
                                   related_name="+")
    responsible_person = models.CharField(_("主要负责人"), max_length=50, blank=True)
    criterion = models.ForeignKey(Criterion, verbose_name=_("列入情形"), on_delete=models.PROTECT, related_name="+")
    basis_text = models.TextField(_("列入事实及依据"))
    basis_reference = models.CharField(_("依据文书或事故编号"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROPOSED,
                              db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    expires_on = models.DateField(_("公布期满日期"), null=True, blank=True, db_index=True)
    repair_reason = models.TextField(_("信用修复申请理由"), blank=True)
    repair_applied_on = models.DateField(_("信用修复申请日期"), null=True, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    # Copied from the enterprise by the services (scope keys on plain columns, as risk points do).
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(township="township", grid="grid", industry="industry", enterprise="enterprise")
    references = {"enterprise": Ref.visible(), "criterion": Ref.visible(), "proposed_by": Ref.system(),
                  "township": Ref.system(), "grid": Ref.system(), "industry": Ref.system()}

    class Meta:
        verbose_name = _("严重失信主体名单")
        verbose_name_plural = _("严重失信主体名单")
        ordering = ["-id"]

    def __str__(self):
        return self.code
