"""The enumerations of risk grading (STANDARDS.md "Four scales that share colours"): keep the
risk level apart from the warning level and the GB 18218 installation grade."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.IntegerChoices):
    """风险等级. 1 is the highest, as in the kernels (kernels.risk_scoring); 0 = not graded."""

    NONE = 0, _("未评估")
    MAJOR = 1, _("重大风险")
    SIGNIFICANT = 2, _("较大风险")
    GENERAL = 3, _("一般风险")
    LOW = 4, _("低风险")


GRADED_LEVELS = (RiskLevel.MAJOR, RiskLevel.SIGNIFICANT, RiskLevel.GENERAL, RiskLevel.LOW)

# The four colours of the risk map (双重预防 practice): red, orange, yellow, blue.
LEVEL_COLOURS = {0: "grey", 1: "red", 2: "orange", 3: "yellow", 4: "blue"}
LEVEL_HEX = {0: "#9e9e9e", 1: "#e53935", 2: "#fb8c00", 3: "#fdd835", 4: "#1e88e5"}


class HazardGrade(models.IntegerChoices):
    """重大危险源级别 (GB 18218-2018 §4.2): 一级 is the highest; 0 = not a major hazard."""

    NONE = 0, _("未构成")
    FIRST = 1, _("一级")
    SECOND = 2, _("二级")
    THIRD = 3, _("三级")
    FOURTH = 4, _("四级")


class ControlLevel(models.TextChoices):
    """管控层级: who controls a risk — higher risks at higher levels."""

    COUNTY = "county", _("县级")
    DEPARTMENT = "department", _("部门级")
    TOWNSHIP = "township", _("乡镇级")
    ENTERPRISE = "enterprise", _("企业级")
    WORKSHOP = "workshop", _("车间级")
    POST = "post", _("岗位级")


class AccidentType(models.TextChoices):
    """The 20 accident categories of GB 6441-86 《企业职工伤亡事故分类》."""

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
    WATER_INRUSH = "water_inrush", _("透水")
    BLASTING = "blasting", _("放炮")
    EXPLOSIVES = "explosives", _("火药爆炸")
    GAS_EXPLOSION = "gas_explosion", _("瓦斯爆炸")
    BOILER_EXPLOSION = "boiler_explosion", _("锅炉爆炸")
    VESSEL_EXPLOSION = "vessel_explosion", _("容器爆炸")
    OTHER_EXPLOSION = "other_explosion", _("其它爆炸")
    POISONING = "poisoning", _("中毒和窒息")
    OTHER_INJURY = "other_injury", _("其它伤害")


class Method(models.TextChoices):
    """Assessment methods (STANDARDS.md "Risk assessment methods")."""

    LEC = "lec", _("作业条件危险性评价法（LEC）")
    LS = "ls", _("风险矩阵法（LS）")
    MES = "mes", _("MES评价法")
    DIRECT = "direct", _("直接判定")


# The factors each scored method takes, in the kernels' argument order.
METHOD_FACTORS = {Method.LEC: ("l", "e", "c"), Method.LS: ("l", "s"), Method.MES: ("m", "e", "s")}
