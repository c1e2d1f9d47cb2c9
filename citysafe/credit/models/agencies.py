"""Third-party safety service agencies (安全生产技术服务机构, 安全生产法 第七十二条): agencies and
their qualifications are a public directory; services to enterprises and their evaluations are
scoped by the enterprise served."""
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields


class ServiceType(models.TextChoices):
    EVALUATION = "evaluation", _("安全评价")
    TESTING = "testing", _("检测检验")
    TRAINING = "training", _("安全培训")
    CONSULTING = "consulting", _("安全咨询与托管")
    OCCUPATIONAL = "occupational", _("职业卫生技术服务")
    STANDARDISATION = "standardisation", _("标准化评审")


class ServiceAgency(ArchivableModel):
    code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("机构名称"), max_length=200)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    note = models.TextField(_("备注"), blank=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("安全生产技术服务机构")
        verbose_name_plural = _("安全生产技术服务机构")
        ordering = ["code"]

    def __str__(self):
        return self.name


class AgencyQualification(ArchivableModel):
    code = models.CharField(_("资质证书编号"), max_length=40, unique=True)
    agency = models.ForeignKey(ServiceAgency, verbose_name=_("机构"), on_delete=models.PROTECT,
                               related_name="qualifications")
    qualification_type = models.CharField(_("资质类型"), max_length=16, choices=ServiceType.choices)
    issuer = models.CharField(_("发证机关"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))

    scope = PUBLIC
    references = {"agency": Ref.visible()}

    class Meta:
        verbose_name = _("机构资质")
        verbose_name_plural = _("机构资质")
        ordering = ["code"]

    def __str__(self):
        return self.code


class AgencyService(ArchivableModel):
    code = models.CharField(_("服务编号"), max_length=40, unique=True)
    agency = models.ForeignKey(ServiceAgency, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="services")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("服务企业"), on_delete=models.PROTECT,
                                   related_name="+")
    service_type = models.CharField(_("服务类型"), max_length=16, choices=ServiceType.choices)
    delivered_on = models.DateField(_("服务日期"))
    summary = models.TextField(_("服务内容"), blank=True)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    scope = ScopeFields(township="township", grid="grid", industry="industry", enterprise="enterprise")
    references = {"agency": Ref.visible(), "enterprise": Ref.visible(), "township": Ref.system(),
                  "grid": Ref.system(), "industry": Ref.system()}
    accepts_attachments = True  # the service report (POST /api/v1/attachments, owner_type credit.agencyservice)

    class Meta:
        verbose_name = _("技术服务记录")
        verbose_name_plural = _("技术服务记录")
        ordering = ["-delivered_on", "-id"]

    def __str__(self):
        return self.code


class AgencyEvaluation(ArchivableModel):
    code = models.CharField(_("评价编号"), max_length=40, unique=True)
    service = models.ForeignKey(AgencyService, verbose_name=_("技术服务"), on_delete=models.PROTECT,
                                related_name="evaluations")
    score = models.PositiveSmallIntegerField(_("评分（0-100）"), validators=[MaxValueValidator(100)])
    comment = models.TextField(_("评价意见"), blank=True)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    scope = ScopeFields(township="service__township", grid="service__grid", industry="service__industry",
                        enterprise="service__enterprise")
    references = {"service": Ref.visible(), "evaluator": Ref.system()}

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")
        ordering = ["-id"]

    def __str__(self):
        return self.code
