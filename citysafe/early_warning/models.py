"""Early warnings (预警信息发布, REQUIREMENTS.md C11): the warning and its versions, who
approves which level, subscriptions, citizens' danger reports, CAP import sources.

Every version of a warning is its own row: an update or a cancellation is a new row that
points at the version it replaces (`previous`) and shares the first version (`root`), so
nothing published is ever rewritten (CAP `references`)."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel, WorkflowModel
from citysafe.core.roles import Role
from citysafe.core.scope_fields import COUNTY_TABLE, Ref, ScopeFields


class WarningType(models.TextChoices):
    RAINSTORM = "rainstorm", _("暴雨")
    FLOOD = "flood", _("洪水")
    LANDSLIDE = "landslide", _("滑坡泥石流")
    EARTHQUAKE = "earthquake", _("地震")
    THUNDER = "thunder", _("雷电")
    GALE = "gale", _("大风")
    SAND_DUST = "sand_dust", _("沙尘")
    SNOW_ICE = "snow_ice", _("冰雪")
    HAIL = "hail", _("冰雹")
    FOG = "fog", _("大雾")
    HEAT = "heat", _("高温")
    COLD_WAVE = "cold_wave", _("寒潮")
    FIRE = "fire", _("森林草原火灾")
    HAZCHEM_LEAK = "hazchem_leak", _("危险化学品泄漏")
    GAS_LEAK = "gas_leak", _("燃气泄漏")
    CROWD = "crowd", _("人员密集")
    OTHER = "other", _("其他")


class Level(models.IntegerChoices):
    """STANDARDS.md "Warnings and CAP": 一级 is the highest."""

    RED = 1, _("一级（红色）")
    ORANGE = 2, _("二级（橙色）")
    YELLOW = 3, _("三级（黄色）")
    BLUE = 4, _("四级（蓝色）")


LEVEL_COLOUR = {Level.RED: "red", Level.ORANGE: "orange", Level.YELLOW: "yellow", Level.BLUE: "blue"}


class AreaKind(models.TextChoices):
    POLYGON = "polygon", _("地图绘制多边形")
    CIRCLE = "circle", _("圆形区域")
    AREAS = "areas", _("选择乡镇/村/网格")


class MessageType(models.TextChoices):
    """CAP msgType of the version."""

    ALERT = "Alert", _("首发")
    UPDATE = "Update", _("更新")
    CANCEL = "Cancel", _("解除")


class Warning(WorkflowModel, ArchivableModel):  # noqa: A001 (the domain word; the app is early_warning)
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEWING = "reviewing", _("部门审核中")
        APPROVING = "approving", _("待审批")
        APPROVED = "approved", _("已审批待发布")
        PUBLISHED = "published", _("已发布")
        UPDATED = "updated", _("已被更新")
        CANCELLED = "cancelled", _("已解除")
        EXPIRED = "expired", _("已过期")

    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    warning_type = models.CharField(_("预警类型"), max_length=16, choices=WarningType.choices)
    level = models.PositiveSmallIntegerField(_("预警级别"), choices=Level.choices)
    msg_type = models.CharField(_("消息类型"), max_length=8, choices=MessageType.choices, default=MessageType.ALERT)
    headline = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("预警内容"))
    instructions = models.TextField(_("防御指南"), blank=True)
    headline_en = models.CharField(_("英文标题"), max_length=200, blank=True)
    description_en = models.TextField(_("英文内容"), blank=True)
    instructions_en = models.TextField(_("英文防御指南"), blank=True)
    onset = models.DateTimeField(_("开始时间"))
    effective = models.DateTimeField(_("生效时间"))
    expires = models.DateTimeField(_("失效时间"))
    area_kind = models.CharField(_("区域方式"), max_length=8, choices=AreaKind.choices, default=AreaKind.AREAS)
    area_description = models.CharField(_("区域描述"), max_length=300, blank=True)
    geometry = models.JSONField(_("区域多边形（GeoJSON）"), null=True, blank=True)
    circle_lon = models.FloatField(_("圆心经度"), null=True, blank=True)
    circle_lat = models.FloatField(_("圆心纬度"), null=True, blank=True)
    circle_radius_km = models.FloatField(_("半径（公里）"), null=True, blank=True)
    areas = models.ManyToManyField("registry.Area", verbose_name=_("所选区域"), blank=True, related_name="+")
    # The townships the area covers, derived by the services (scope, CAP geocodes, targeting).
    townships = models.ManyToManyField("registry.Area", verbose_name=_("覆盖乡镇"), blank=True,
                                       related_name="warnings_over")
    issuing_department = models.ForeignKey("accounts.Organisation", verbose_name=_("发布单位"),
                                           on_delete=models.PROTECT, related_name="+")
    # RESTRICT: a version cannot be purged while a later one points at it, unless the later
    # ones go in the same deletion (the whole chain).
    previous = models.ForeignKey("self", verbose_name=_("上一版本"), null=True, blank=True,
                                 on_delete=models.RESTRICT, related_name="next_versions")
    root = models.ForeignKey("self", verbose_name=_("首个版本"), null=True, blank=True,
                             on_delete=models.RESTRICT, related_name="all_versions")
    revision = models.PositiveIntegerField(_("版本序号"), default=1)
    identifier = models.CharField(_("CAP标识"), max_length=64, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True, help_text=_("外部导入的CAP消息的发送方"))
    imported_cap = models.TextField(_("导入的CAP原文"), blank=True)

    accepts_attachments = True
    # A department sees its own warnings, a township those over its area; admin and leader all.
    # (Issuers are departments or the office, never a township — see `references` — so the
    # township's join over `townships` meets one row per warning.)
    scope = ScopeFields(township="townships", organisation="issuing_department")
    references = {"issuing_department": Ref.own_organisation(kind__in=["department", "office"]),
                  "areas": Ref.visible(level__in=["township", "village", "grid"]),
                  "townships": Ref.system(), "previous": Ref.system(), "root": Ref.system()}

    class Meta:
        verbose_name = _("预警信息")
        verbose_name_plural = _("预警信息")
        ordering = ["-id"]

    def __str__(self):
        return self.headline

    @property
    def colour(self) -> str:
        return LEVEL_COLOUR[Level(self.level)]

    @property
    def is_active(self) -> bool:
        return (self.status == self.Status.PUBLISHED and self.msg_type != MessageType.CANCEL
                and self.expires > timezone.now())


class ApprovalRule(models.Model):
    """Who approves a level (审批权限): an editable table, seeded red/orange → county leader,
    yellow/blue → county safety office or the department (migration 0002)."""

    level = models.PositiveSmallIntegerField(_("预警级别"), choices=Level.choices)
    roles = models.JSONField(_("可审批角色"), default=list, help_text=_("角色代码列表，如 leader、admin、department"))
    # The county the row belongs to (issue 19; null: written before, the home county's).
    county = models.ForeignKey("registry.Area", verbose_name=_("所属县（区）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "county"})

    # Each county keeps its own rules, read by its admin and leader (and the prefecture office).
    scope = COUNTY_TABLE

    class Meta:
        verbose_name = _("预警审批权限")
        verbose_name_plural = _("预警审批权限")
        ordering = ["level"]
        constraints = [models.UniqueConstraint(fields=["county", "level"], name="approval_rule_once_per_county_level"),
                       models.UniqueConstraint(fields=["level"], condition=models.Q(county__isnull=True),
                                               name="approval_rule_once_per_level_unplaced")]

    def __str__(self):
        return f"{self.get_level_display()}: {', '.join(self.roles)}"


# The prefecture office approves its own warnings of every level (it writes no county's).
DEFAULT_APPROVERS = {Level.RED: [Role.LEADER, Role.PREFECTURE], Level.ORANGE: [Role.LEADER, Role.PREFECTURE],
                     Level.YELLOW: [Role.LEADER, Role.ADMIN, Role.DEPARTMENT, Role.PREFECTURE],
                     Level.BLUE: [Role.LEADER, Role.ADMIN, Role.DEPARTMENT, Role.PREFECTURE]}


class Subscription(models.Model):
    """A resident's subscription: a channel and address, a location or chosen areas; active
    once confirmed with the code sent through the outbox."""

    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("电子邮件")

    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("手机号或邮箱"), max_length=200)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    areas = models.ManyToManyField("registry.Area", verbose_name=_("关注区域"), blank=True, related_name="+")
    code_digest = models.CharField(max_length=64, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("退订时间"), null=True, blank=True)
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)  # rate limit, no address kept
    # The county the row belongs to (issue 19; null: written before, the home county's).
    county = models.ForeignKey("registry.Area", verbose_name=_("所属县（区）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "county"})

    scope = COUNTY_TABLE  # personal data of residents: the office of the county subscribed to only

    class Meta:
        verbose_name = _("预警订阅")
        verbose_name_plural = _("预警订阅")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["channel", "address"], name="subscription_once_per_address")]

    def __str__(self):
        return f"{self.channel}:{self.address}"


class DangerReport(models.Model):
    """险情报告 from a citizen (public form); the hazards app files it as a public report (hooks.py)."""

    kind = models.CharField(_("险情类型"), max_length=16, choices=WarningType.choices, default=WarningType.OTHER)
    description = models.TextField(_("险情描述"))
    place = models.CharField(_("地点"), max_length=200)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    township = models.ForeignKey("registry.Area", verbose_name=_("所属乡镇"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("报告时间"), default=timezone.now)
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)  # rate limit, no address kept
    # Where the hazards app filed it (hooks.register_danger_report_sink): "hazards.PublicReport:<pk>"
    # and that report's tracking code; blank when no sink is registered or it declined.
    forwarded_to = models.CharField(_("转交记录"), max_length=64, blank=True, db_index=True, editable=False)
    tracking_code = models.CharField(_("举报查询码"), max_length=16, blank=True, editable=False)

    scope = ScopeFields(township="township")

    class Meta:
        verbose_name = _("险情报告")
        verbose_name_plural = _("险情报告")
        ordering = ["-id"]

    def __str__(self):
        return self.place


class CapSource(models.Model):
    """A URL the admin configures: external CAP alerts fetched by a periodic job become drafts."""

    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("地址"), max_length=500)
    is_active = models.BooleanField(_("启用"), default=True)
    last_fetched_at = models.DateTimeField(_("最近获取"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    seen_identifiers = models.JSONField(default=list, blank=True)
    # The county the row belongs to (issue 19; null: written before, the home county's).
    county = models.ForeignKey("registry.Area", verbose_name=_("所属县（区）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "county"})

    scope = COUNTY_TABLE  # alerts it fetches are drafted in this county (as its office)

    class Meta:
        verbose_name = _("CAP订阅源")
        verbose_name_plural = _("CAP订阅源")

    def __str__(self):
        return self.name
