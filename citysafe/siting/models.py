"""Safety-distance rules, the conflicts found with them, and saved site checks (issue 14, C1)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields


class HazardousKind(models.TextChoices):
    """Sites a minimum distance is kept *from* (GB 50156, GB 18218 …)."""

    GAS_STATION = "gas_station", _("加油加气站")
    LPG_STORAGE = "lpg_storage", _("液化石油气储存站")
    HAZCHEM_WAREHOUSE = "hazchem_warehouse", _("危险化学品仓库/场所")
    MAJOR_HAZARD_1 = "major_hazard_1", _("一级重大危险源")
    MAJOR_HAZARD_2 = "major_hazard_2", _("二级重大危险源")
    MAJOR_HAZARD_3 = "major_hazard_3", _("三级重大危险源")
    MAJOR_HAZARD_4 = "major_hazard_4", _("四级重大危险源")


class SensitiveKind(models.TextChoices):
    """Sites where people gather, kept away from the hazardous ones."""

    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    MARKET = "market", _("集贸市场/商业综合体")
    RESIDENTIAL = "residential", _("居住建筑")
    CROWDED_PLACE = "crowded_place", _("其他人员密集场所")


class SafetyDistanceRule(ArchivableModel):
    hazardous_kind = models.CharField(_("危险源类别"), max_length=32, choices=HazardousKind.choices)
    sensitive_kind = models.CharField(_("敏感目标类别"), max_length=32, choices=SensitiveKind.choices)
    distance_m = models.FloatField(_("最小安全距离（米）"))
    standard = models.CharField(_("标准"), max_length=100)
    clause = models.CharField(_("条款"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    scope = PUBLIC
    references = {}

    class Meta:
        verbose_name = _("安全距离规则")
        verbose_name_plural = _("安全距离规则")
        ordering = ["hazardous_kind", "sensitive_kind"]
        constraints = [models.UniqueConstraint(fields=["hazardous_kind", "sensitive_kind"],
                                               condition=models.Q(archived_at__isnull=True),
                                               name="siting_rule_one_active_per_pair")]

    def __str__(self):
        return f"{self.get_hazardous_kind_display()} × {self.get_sensitive_kind_display()} ≥ {self.distance_m:g} m"


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("待处置")
    ACCEPTED = "accepted", _("已认可（说明理由）")
    HAZARD = "hazard", _("已转隐患")


class Conflict(models.Model):
    """One hazardous × sensitive pair closer than its rule. Rows are rewritten by the recompute
    (services.conflicts); a pair keeps its decision (accepted / hazard) while it stays in conflict."""

    hazardous_ref = models.CharField(_("危险源"), max_length=40)   # "place:12", "installation:3"
    sensitive_ref = models.CharField(_("敏感目标"), max_length=40)
    hazardous_kind = models.CharField(_("危险源类别"), max_length=32, choices=HazardousKind.choices)
    sensitive_kind = models.CharField(_("敏感目标类别"), max_length=32, choices=SensitiveKind.choices)
    hazardous_name = models.CharField(_("危险源名称"), max_length=200)
    sensitive_name = models.CharField(_("敏感目标名称"), max_length=200)
    hazardous_lon = models.FloatField()
    hazardous_lat = models.FloatField()
    sensitive_lon = models.FloatField()
    sensitive_lat = models.FloatField()
    distance_m = models.FloatField(_("实测距离（米）"))
    required_m = models.FloatField(_("规定距离（米）"))
    rule = models.ForeignKey(SafetyDistanceRule, verbose_name=_("规则"), on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), on_delete=models.PROTECT,
                                 related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("危险源企业"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    place = models.ForeignKey("registry.Place", verbose_name=_("危险源场所"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("处置状态"), max_length=16, choices=ConflictStatus.choices,
                              default=ConflictStatus.OPEN)
    accepted_reason = models.TextField(_("认可理由"), blank=True)
    approver = models.CharField(_("批准人"), max_length=100, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("隐患"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    found_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    is_current = models.BooleanField(default=True, db_index=True)  # false: resolved by a later recompute

    # The sensitive site's township decides who sees the pair (the people at risk live there);
    # the hazardous site's industry lets its department see it.
    scope = ScopeFields(township="township", grid="grid", industry="industry", enterprise="enterprise")
    references = dict.fromkeys(("rule", "township", "grid", "industry", "enterprise", "place", "decided_by", "hazard"),
                               Ref.system())

    class Meta:
        verbose_name = _("安全距离冲突")
        verbose_name_plural = _("安全距离冲突")
        ordering = ["-required_m", "distance_m", "id"]
        constraints = [models.UniqueConstraint(fields=["hazardous_ref", "sensitive_ref"], name="siting_conflict_pair")]

    def __str__(self):
        return f"{self.hazardous_name} ↔ {self.sensitive_name}"

    @property
    def shortfall_m(self) -> float:
        return self.required_m - self.distance_m


class SiteCheck(models.Model):
    """A saved site check of a proposed project (规划选址安全评估), with its verdict."""

    class Verdict(models.TextChoices):
        PASS = "pass", _("符合安全距离要求")
        ATTENTION = "attention", _("基本符合，需关注")
        FAIL = "fail", _("不符合安全距离要求")

    number = models.CharField(_("编号"), max_length=32, unique=True)
    project_name = models.CharField(_("项目名称"), max_length=200)
    kind = models.CharField(_("项目类别"), max_length=32)
    geometry = models.JSONField(_("位置或用地范围（GeoJSON）"))
    lon = models.FloatField()
    lat = models.FloatField()
    verdict = models.CharField(_("结论"), max_length=16, choices=Verdict.choices)
    result = models.JSONField(_("评估结果"))
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeFields(township="township", owner="created_by")
    references = {"township": Ref.system(), "created_by": Ref.system()}

    class Meta:
        verbose_name = _("规划选址安全评估")
        verbose_name_plural = _("规划选址安全评估")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.number} {self.project_name}"


class CatalogueCategory(models.TextChoices):
    RESTRICTED = "restricted", _("限制类")
    OBSOLETE = "obsolete", _("淘汰类")


class CatalogueItemKind(models.TextChoices):
    PROCESS = "process", _("工艺")
    PRODUCT = "product", _("产品")
    EQUIPMENT = "equipment", _("装备")


class RequiredAction(models.TextChoices):
    UPGRADE = "upgrade", _("改造升级")
    RELOCATE = "relocate", _("搬迁")
    CLOSE = "close", _("关闭退出")


class RestrictedIndustryItem(ArchivableModel):
    """One entry of the restricted / obsolete industry catalogue (限制类/淘汰类, policy 二(六), C6).
    An enterprise matches when it is in `industry` (if set) and its declared text holds one of
    `keywords` (if any); services.catalogue turns matches into CatalogueMatch rows."""

    category = models.CharField(_("类别"), max_length=16, choices=CatalogueCategory.choices)
    item_kind = models.CharField(_("条目类型"), max_length=16, choices=CatalogueItemKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    keywords = models.CharField(_("关键词（逗号分隔）"), max_length=300, blank=True)
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    source_document = models.CharField(_("依据文件"), max_length=200)
    clause = models.CharField(_("条款"), max_length=100, blank=True)
    action = models.CharField(_("处置要求"), max_length=16, choices=RequiredAction.choices)
    default_deadline_days = models.PositiveIntegerField(_("默认整改期限（天）"), default=365)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    scope = PUBLIC
    references = {"industry": Ref.visible()}

    class Meta:
        verbose_name = _("限制淘汰类产业目录")
        verbose_name_plural = _("限制淘汰类产业目录")
        ordering = ["category", "id"]

    def __str__(self):
        return f"{self.get_category_display()} {self.name}"

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace("，", ",").replace("、", ",").split(",") if k.strip()]


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("待处置")
    IN_PROGRESS = "in_progress", _("处置中")
    DONE = "done", _("已落实")


class CatalogueMatch(models.Model):
    """An enterprise matched to a catalogue item, with the action and its deadline. Rewritten by
    services.catalogue.rematch; the status follows the enterprise's operating status (the
    registry's relocation / closure workflow)."""

    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="+")
    item = models.ForeignKey(RestrictedIndustryItem, verbose_name=_("目录条目"), on_delete=models.CASCADE,
                             related_name="matches")
    matched_by = models.CharField(_("匹配依据"), max_length=200)
    action = models.CharField(_("处置要求"), max_length=16, choices=RequiredAction.choices)
    found_on = models.DateField(_("发现日期"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("处置状态"), max_length=16, choices=MatchStatus.choices, default=MatchStatus.PENDING)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), on_delete=models.PROTECT,
                                 related_name="+")
    grid = models.ForeignKey("registry.Area", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    industry = models.ForeignKey("registry.Industry", verbose_name=_("行业"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    is_current = models.BooleanField(default=True, db_index=True)

    scope = ScopeFields(township="township", grid="grid", industry="industry", enterprise="enterprise")
    references = dict.fromkeys(("enterprise", "item", "township", "grid", "industry"), Ref.system())

    class Meta:
        verbose_name = _("限制淘汰类产业匹配")
        verbose_name_plural = _("限制淘汰类产业匹配")
        ordering = ["deadline", "id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "item"], name="siting_catalogue_match_pair")]

    def __str__(self):
        return f"{self.enterprise} ↔ {self.item}"


from citysafe.siting.underground_models import (  # noqa: E402,F401  (models of this app, split for size)
    LineKind,
    LineStatus,
    PressureClass,
    UndergroundLine,
    UtilityTunnel,
)
