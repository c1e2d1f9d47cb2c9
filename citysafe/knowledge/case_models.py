"""Accident cases (事故案例): the structured facts of a case; its narrative (经过, 原因, 教训,
措施) is stored as the articles of its Document, so cases are searched like the laws."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.scope_fields import PUBLIC, Ref


class AccidentType(models.TextChoices):
    """GB 6441-1986 《企业职工伤亡事故分类》, the 20 accident categories."""

    STRUCK_BY_OBJECT = "struck_by_object", _("物体打击")
    VEHICLE = "vehicle", _("车辆伤害")
    MACHINERY = "machinery", _("机械伤害")
    LIFTING = "lifting", _("起重伤害")
    ELECTROCUTION = "electrocution", _("触电")
    DROWNING = "drowning", _("淹溺")
    SCALD = "scald", _("灼烫")
    FIRE = "fire", _("火灾")
    FALL_FROM_HEIGHT = "fall_from_height", _("高处坠落")
    COLLAPSE = "collapse", _("坍塌")
    ROOF_FALL = "roof_fall", _("冒顶片帮")
    FLOODING = "flooding", _("透水")
    BLASTING = "blasting", _("放炮")
    EXPLOSIVE = "explosive", _("火药爆炸")
    GAS_EXPLOSION = "gas_explosion", _("瓦斯爆炸")
    BOILER_EXPLOSION = "boiler_explosion", _("锅炉爆炸")
    VESSEL_EXPLOSION = "vessel_explosion", _("容器爆炸")
    OTHER_EXPLOSION = "other_explosion", _("其他爆炸")
    POISONING = "poisoning", _("中毒和窒息")
    OTHER = "other", _("其他伤害")


class AccidentCase(models.Model):
    document = models.OneToOneField("knowledge.Document", on_delete=models.CASCADE, related_name="case")
    occurred_on = models.DateField(_("事故日期"))
    place = models.CharField(_("地点"), max_length=200)
    industry = models.CharField(_("行业"), max_length=100)
    accident_type = models.CharField(_("事故类型"), max_length=32, choices=AccidentType.choices)
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    injuries = models.PositiveIntegerField(_("受伤人数"), default=0)
    direct_loss = models.DecimalField(_("直接经济损失（万元）"), max_digits=12, decimal_places=2, default=0)
    violated = models.JSONField(_("违反条款"), default=list, blank=True,
                                help_text=_("引用，如“安全生产法 第四十一条”"))

    scope = PUBLIC
    references = {"document": Ref.system()}

    class Meta:
        verbose_name = _("事故案例")
        verbose_name_plural = _("事故案例")
        ordering = ["-occurred_on"]

    def __str__(self):
        return self.document.title

    @property
    def year(self) -> int:
        return self.occurred_on.year
