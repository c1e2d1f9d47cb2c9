"""Emergency resources (C12): stockpiles and materials, rescue teams, experts, shelters, fire
stations, fire water sources, hospitals and mutual-aid agreements.

Scope: a township sees its own, an enterprise officer its enterprise's (teams, stockpiles,
agreements), grid workers what lies in their grids; departments see every resource, because
in an emergency every department coordinates over the whole county's help (all_rows_for)."""
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.roles import Role
from citysafe.core.scope_fields import Ref, ScopeFields

DEPARTMENTS = frozenset({Role.DEPARTMENT})
LOCATED_SCOPE = ScopeFields(township="township", grid="grid", enterprise="enterprise", all_rows_for=DEPARTMENTS)
LOCATED_REFERENCES = {"township": Ref.visible(level="township"), "grid": Ref.visible(level="grid"),
                      "enterprise": Ref.visible()}


class Located(ArchivableModel):
    """A resource at a point, in a township (and optionally a grid), maybe an enterprise's."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), on_delete=models.PROTECT,
                                 related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("所属企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False, editable=False)

    scope = LOCATED_SCOPE
    references = LOCATED_REFERENCES

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class Stockpile(Located):
    class Level(models.TextChoices):
        COUNTY = "county", _("县级")
        TOWNSHIP = "township", _("乡镇级")
        VILLAGE = "village", _("村级")
        ENTERPRISE = "enterprise", _("企业")

    level = models.CharField(_("储备级别"), max_length=16, choices=Level.choices, default=Level.TOWNSHIP)

    class Meta:
        verbose_name = _("物资储备库")


class Material(ArchivableModel):
    class Category(models.TextChoices):
        FLOOD = "flood", _("防汛抗旱")
        FIRE = "fire", _("消防救援")
        LIFE = "life", _("生活保障")
        MEDICAL = "medical", _("医疗防疫")
        HAZCHEM = "hazchem", _("危化品处置")
        RESCUE = "rescue", _("抢险救援")
        OTHER = "other", _("其他")

    stockpile = models.ForeignKey(Stockpile, verbose_name=_("储备库"), on_delete=models.PROTECT,
                                  related_name="materials")
    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("物资名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.OTHER)
    quantity = models.FloatField(_("库存数量"), default=0, validators=[MinValueValidator(0)])
    unit = models.CharField(_("单位"), max_length=16)
    minimum_stock = models.FloatField(_("最低库存"), default=0, validators=[MinValueValidator(0)])
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False, editable=False)

    scope = ScopeFields(township="stockpile__township", grid="stockpile__grid", enterprise="stockpile__enterprise",
                        all_rows_for=DEPARTMENTS)
    references = {"stockpile": Ref.visible()}

    class Meta:
        verbose_name = _("应急物资")
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=0), name="material_quantity_not_negative")]

    def __str__(self):
        return self.name

    @property
    def is_below_minimum(self) -> bool:
        return self.quantity < self.minimum_stock


class RescueTeam(Located):
    class Type(models.TextChoices):
        FIRE = "fire", _("专业消防救援")
        MEDICAL = "medical", _("医疗救护")
        HAZCHEM = "hazchem", _("危化品救援")
        WATER = "water", _("水上救援（黄河/刘家峡）")
        MOUNTAIN = "mountain", _("山地与坍塌救援")
        VOLUNTEER = "volunteer", _("社会志愿者")
        ENTERPRISE = "enterprise", _("企业救援队")

    team_type = models.CharField(_("队伍类型"), max_length=16, choices=Type.choices)
    member_count = models.PositiveIntegerField(_("队员人数"), default=0)
    members = models.TextField(_("队员名单"), blank=True)
    skills = models.TextField(_("专业技能"), blank=True)
    equipment = models.TextField(_("装备"), blank=True)
    vehicles = models.TextField(_("车辆"), blank=True)
    vehicle_count = models.PositiveIntegerField(_("车辆数"), default=0)

    class Meta:
        verbose_name = _("救援队伍")


class Expert(Located):
    class Specialty(models.TextChoices):
        HAZCHEM = "hazchem", _("危险化学品")
        MINING = "mining", _("矿山")
        FIRE = "fire", _("消防")
        FLOOD = "flood", _("防汛与水利")
        GEOLOGY = "geology", _("地质灾害")
        MEDICAL = "medical", _("医疗卫生")
        CONSTRUCTION = "construction", _("建筑施工")
        OTHER = "other", _("其他")

    specialty = models.CharField(_("专业领域"), max_length=16, choices=Specialty.choices)
    title = models.CharField(_("职称"), max_length=50, blank=True)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("应急专家")


class Shelter(Located):
    # GB 21734 / GB 51143 (STANDARDS.md): per-capita effective area and service radius by type.
    class Type(models.TextChoices):
        # keys of kernels.coverage.SHELTER_TYPES (per-capita area, service radius)
        EMERGENCY = "emergency", _("紧急避难场所")
        SHORT = "short_term", _("短期固定避难场所")
        MID = "mid_term", _("中期固定避难场所")
        LONG = "long_term", _("长期固定避难场所")

    shelter_type = models.CharField(_("场所类型"), max_length=16, choices=Type.choices)
    effective_area_m2 = models.FloatField(_("有效避难面积（㎡）"), validators=[MinValueValidator(0)])
    capacity = models.PositiveIntegerField(_("可容纳人数"), default=0)
    facilities = models.TextField(_("配套设施"), blank=True)

    class Meta:
        verbose_name = _("应急避难场所")


class FireStation(Located):
    # STANDARDS.md: district area by class (km²).
    class StationClass(models.TextChoices):
        # keys of kernels.coverage.FIRE_STATION_CLASSES (district area)
        CLASS1 = "class_1", _("一级普通消防站")
        CLASS2 = "class_2", _("二级普通消防站")
        SMALL = "small", _("小型普通消防站")
        SUBURBAN = "suburban", _("近郊区普通消防站")

    station_class = models.CharField(_("站级"), max_length=16, choices=StationClass.choices)
    staff = models.PositiveIntegerField(_("执勤人数"), default=0)
    vehicle_count = models.PositiveIntegerField(_("消防车数"), default=0)

    class Meta:
        verbose_name = _("消防站")


class WaterSource(Located):
    class Type(models.TextChoices):
        HYDRANT = "hydrant", _("市政消火栓")
        POOL = "pool", _("消防水池")
        NATURAL = "natural", _("天然水源")

    source_type = models.CharField(_("水源类型"), max_length=16, choices=Type.choices)
    capacity_m3 = models.FloatField(_("储水量（m³）"), null=True, blank=True, validators=[MinValueValidator(0)])
    is_working = models.BooleanField(_("完好可用"), default=True)

    class Meta:
        verbose_name = _("消防水源")


class Hospital(Located):
    class Grade(models.TextChoices):
        GRADE3 = "grade3", _("三级")
        GRADE2 = "grade2", _("二级")
        GRADE1 = "grade1", _("一级")
        CLINIC = "clinic", _("卫生院/诊所")

    grade = models.CharField(_("医院等级"), max_length=16, choices=Grade.choices)
    beds = models.PositiveIntegerField(_("床位数"), default=0)
    has_emergency_department = models.BooleanField(_("设急诊科"), default=True)

    class Meta:
        verbose_name = _("医院")


class MutualAidAgreement(ArchivableModel):
    """An agreement of small enterprises with a rescue team that answers for them."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("协议名称"), max_length=100)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), on_delete=models.PROTECT,
                                 related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("签约企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(RescueTeam, verbose_name=_("救援队伍"), on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    expires_on = models.DateField(_("到期日期"), null=True, blank=True)
    terms = models.TextField(_("协议内容"), blank=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False, editable=False)

    scope = ScopeFields(township="township", enterprise="enterprise", all_rows_for=DEPARTMENTS)
    references = {"township": Ref.visible(level="township"), "enterprise": Ref.visible(), "team": Ref.visible()}

    class Meta:
        verbose_name = _("互助协议")

    def __str__(self):
        return self.name
