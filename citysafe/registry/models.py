from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.accounts.models import Organisation
from citysafe.core.models import ArchivableModel, WorkflowModel
from citysafe.core.roles import Role
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields


class Area(ArchivableModel):
    """Administrative area: (province → prefecture →) county → township → village/community → grid."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        PREFECTURE = "prefecture", _("州（市）")
        COUNTY = "county", _("县")
        TOWNSHIP = "township", _("乡镇")
        VILLAGE = "village", _("村（社区）")
        GRID = "grid", _("网格")

    code = models.CharField(_("区划代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区域"), null=True, blank=True, on_delete=models.PROTECT, related_name="children",
    )
    # Denormalised township ancestor (itself for a township) so scope filters are one index lookup.
    township = models.ForeignKey(
        "self", verbose_name=_("所属乡镇"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    # Denormalised county ancestor (itself for a county; None above the county level): the key
    # that separates the counties of one deployment (core.scope, "<township path>__county").
    county = models.ForeignKey(
        "self", verbose_name=_("所属县"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    geometry = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    population = models.PositiveIntegerField(_("常住人口"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    # Everyone in government sees the county's map (departments too: they regulate
    # industries county-wide); a township its own areas, a grid worker its grids, an enterprise
    # officer the township, village and grid its enterprise lies in.
    scope = ScopeFields(township="township", grid="id", public_name=True, all_rows_for=frozenset({Role.DEPARTMENT}),
                        enterprise_points_at=("township", "village", "grid"), county="county")
    references = {"parent": Ref.visible(), "township": Ref.system(), "county": Ref.system()}

    class Meta:
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def derive_county(self) -> None:
        """Set the denormalised county from the level and the parent (a county: itself, once saved)."""
        if self.level == self.Level.COUNTY:
            self.county_id = self.pk
        elif self.level in (self.Level.PROVINCE, self.Level.PREFECTURE) or self.parent_id is None:
            self.county_id = None
        else:
            self.county_id = self.parent.county_id


class Industry(ArchivableModel):
    code = models.CharField(_("行业代码"), max_length=32, unique=True)
    name = models.CharField(_("行业名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)

    scope = PUBLIC

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Person(ArchivableModel):
    """A real-name responsible person (实名制)."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=20)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True, default="")
    title = models.CharField(_("职务"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("所在单位（政府）"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="persons",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("所在企业"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="persons",
    )
    township = models.ForeignKey(
        Area, verbose_name=_("所属乡镇"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    grid = models.ForeignKey(
        Area, verbose_name=_("所属网格"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(
        township="township", grid="grid", industry="enterprise__industry", enterprise="enterprise",
        organisation="organisation",
    )
    # Pointing a person at an organisation shows it to that organisation: only one's own.
    references = {"organisation": Ref.own_organisation(), "enterprise": Ref.visible(), "township": Ref.visible(),
                  "grid": Ref.visible()}

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["id"]
        indexes = [models.Index(fields=["township", "id"]), models.Index(fields=["grid", "id"])]

    def __str__(self):
        return self.name


class Enterprise(WorkflowModel, ArchivableModel):
    class Scale(models.TextChoices):
        LARGE = "large", _("大型")
        MEDIUM = "medium", _("中型")
        SMALL = "small", _("小型")
        MICRO = "micro", _("微型")

    class StandardisationGrade(models.TextChoices):
        LEVEL1 = "level1", _("一级")
        LEVEL2 = "level2", _("二级")
        LEVEL3 = "level3", _("三级")
        NONE = "none", _("未达标")

    class OperatingStatus(models.TextChoices):
        OPERATING = "operating", _("正常生产经营")
        SUSPENDED = "suspended", _("停产整顿")
        RELOCATING = "relocating", _("搬迁改造中")
        RELOCATED = "relocated", _("已搬迁")
        CLOSED = "closed", _("已关闭")

    name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    industry = models.ForeignKey(Industry, verbose_name=_("行业"), on_delete=models.PROTECT, related_name="enterprises")
    scale = models.CharField(_("规模"), max_length=16, choices=Scale.choices, default=Scale.SMALL)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    township = models.ForeignKey(Area, verbose_name=_("所属乡镇"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Area, verbose_name=_("所属村（社区）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    grid = models.ForeignKey(
        Area, verbose_name=_("所属网格"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    supervising_department = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("行业主管部门"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="supervised_enterprises",
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    safety_officer = models.ForeignKey(
        Person, verbose_name=_("安全管理负责人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    standardisation_grade = models.CharField(
        _("安全生产标准化等级"), max_length=16, choices=StandardisationGrade.choices,
        default=StandardisationGrade.NONE,
    )
    operating_status = models.CharField(
        _("经营状态"), max_length=16, choices=OperatingStatus.choices, default=OperatingStatus.OPERATING,
    )
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(township="township", grid="grid", industry="industry", enterprise="id")
    references = {"industry": Ref.visible(), "township": Ref.visible(), "village": Ref.system(), "grid": Ref.visible(),
                  "supervising_department": Ref.visible(kind=Organisation.Kind.DEPARTMENT), "safety_officer": Ref.visible()}

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["id"]
        # Partial indexes matching the scoped list query exactly (active rows, one scope key,
        # ordered by id), so a township's page is an index range scan, not a filtered table walk.
        indexes = [
            models.Index(fields=["township", "id"], condition=models.Q(archived_at__isnull=True),
                         name="enterprise_active_township"),
            models.Index(fields=["grid", "id"], condition=models.Q(archived_at__isnull=True),
                         name="enterprise_active_grid"),
            models.Index(fields=["industry", "id"], condition=models.Q(archived_at__isnull=True),
                         name="enterprise_active_industry"),
            models.Index(fields=["name"]),
            # The map's bounding-box filter and per-cell counts (registry/map/viewport.py).
            models.Index(fields=["lon", "lat"], condition=models.Q(archived_at__isnull=True),
                         name="enterprise_active_lonlat"),
            # The list ordered by name (?ordering=name): keyset pages seek on (name, id)
            # (core/keyset.py), so the index holds exactly that order for the active rows.
            models.Index(fields=["name", "id"], condition=models.Q(archived_at__isnull=True),
                         name="enterprise_active_name_id"),
        ]

    def __str__(self):
        return self.name


class PlaceType(models.TextChoices):
    """Place and facility taxonomy, REQUIREMENTS.md C4 (seed 二(四))."""

    HIGH_RISE = "high_rise", _("高层建筑")
    COMMERCIAL_COMPLEX = "commercial_complex", _("商业综合体")
    MARKET = "market", _("集贸市场")
    RELIGIOUS_VENUE = "religious_venue", _("宗教活动场所")
    SCHOOL = "school", _("学校")
    HOTEL = "hotel", _("宾馆饭店")
    HOSPITAL = "hospital", _("医院")
    STATION = "station", _("车站")
    BRIDGE = "bridge", _("桥梁")
    TUNNEL = "tunnel", _("隧道")
    OIL_GAS_PIPELINE = "oil_gas_pipeline", _("油气管道")
    ROAD = "road", _("道路")
    WATERWAY = "waterway", _("河道水域")
    RESERVOIR_BANK = "reservoir_bank", _("水库库岸")
    GAS_WORKS = "gas_works", _("燃气设施")
    DRAINAGE = "drainage", _("排水设施")
    LANDFILL = "landfill", _("垃圾填埋场")
    SPOIL_GROUND = "spoil_ground", _("渣土受纳场")
    POWER_FACILITY = "power_facility", _("电力设施")
    ELEVATOR = "elevator", _("电梯")
    GAS_STATION = "gas_station", _("加油加气站")
    HAZCHEM_SITE = "hazchem_site", _("危险化学品场所")
    CONSTRUCTION_SITE = "construction_site", _("建筑施工工地")
    NINE_SMALL = "nine_small", _("九小场所")
    OTHER = "other", _("其他")


class Place(ArchivableModel):
    """A place or facility where people gather or an accident can start."""

    name = models.CharField(_("名称"), max_length=200)
    place_type = models.CharField(_("类型"), max_length=32, choices=PlaceType.choices, db_index=True)
    geometry = models.JSONField(_("几何（GeoJSON）"))
    lon = models.FloatField(_("代表点经度"))
    lat = models.FloatField(_("代表点纬度"))
    address = models.CharField(_("地址"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("设计容量（人）"), null=True, blank=True)
    people_present = models.PositiveIntegerField(_("常驻/在场人数"), null=True, blank=True)
    owner_enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("产权/使用单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="places",
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业"), null=True, blank=True, on_delete=models.PROTECT, related_name="places",
    )
    township = models.ForeignKey(Area, verbose_name=_("所属乡镇"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Area, verbose_name=_("所属村（社区）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    grid = models.ForeignKey(
        Area, verbose_name=_("所属网格"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    supervising_department = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("行业主管部门"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="supervised_places",
    )
    responsible_persons = models.ManyToManyField(Person, verbose_name=_("责任人"), blank=True, related_name="places")
    is_synthetic = models.BooleanField(_("演示数据"), default=False)

    scope = ScopeFields(township="township", grid="grid", industry="industry", enterprise="owner_enterprise")
    references = {"owner_enterprise": Ref.visible(), "industry": Ref.visible(), "township": Ref.visible(),
                  "village": Ref.system(), "grid": Ref.visible(),
                  "supervising_department": Ref.visible(kind=Organisation.Kind.DEPARTMENT), "responsible_persons": Ref.visible()}

    class Meta:
        verbose_name = _("场所设施")
        verbose_name_plural = _("场所设施")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["township", "id"], condition=models.Q(archived_at__isnull=True),
                         name="place_active_township"),
            models.Index(fields=["grid", "id"], condition=models.Q(archived_at__isnull=True),
                         name="place_active_grid"),
            models.Index(fields=["industry", "id"], condition=models.Q(archived_at__isnull=True),
                         name="place_active_industry"),
            models.Index(fields=["owner_enterprise", "id"], condition=models.Q(archived_at__isnull=True),
                         name="place_active_owner"),
            # The map's bounding-box filter and per-cell counts (registry/map/viewport.py). Covering:
            # a zoomed-out view's GROUP BY (cell, place type) reads this index only, never the wide
            # rows (geometry, addresses); township_id for the county / township conditions.
            models.Index(fields=["lon", "lat", "place_type", "township"], condition=models.Q(archived_at__isnull=True),
                         name="place_active_lonlat_cover"),
        ]

    def __str__(self):
        return self.name
from citysafe.registry.io.models import *  # noqa
