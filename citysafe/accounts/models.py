import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citysafe.core.models import ArchivableModel, TimestampedModel
from citysafe.core.roles import Role
from citysafe.core.scope_fields import PUBLIC, Ref, ScopeFields


class Organisation(ArchivableModel):
    """A county department (县直部门) or a township government (乡镇), or the safety office."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("县安委办")
        DEPARTMENT = "department", _("县直部门")
        TOWNSHIP = "township", _("乡镇")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    area = models.ForeignKey(
        "registry.Area", verbose_name=_("所辖区域"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="organisations",
    )
    industries = models.ManyToManyField(
        "registry.Industry", verbose_name=_("监管行业"), blank=True, related_name="supervisors",
        help_text=_("管行业必须管安全：本部门负责监管的行业"),
    )
    first_responsible = models.ForeignKey(
        "registry.Person", verbose_name=_("第一责任人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    direct_responsible = models.ForeignKey(
        "registry.Person", verbose_name=_("直接责任人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    scope = PUBLIC  # a directory
    references = {"area": Ref.visible(), "industries": Ref.visible(), "first_responsible": Ref.visible(),
                  "direct_responsible": Ref.visible()}

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        ordering = ["kind", "code"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.LEADER)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属组织"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    grids = models.ManyToManyField(
        "registry.Area", verbose_name=_("负责网格"), blank=True, related_name="grid_workers",
        limit_choices_to={"level": "grid"},
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("所属企业"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="officers",
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    is_service_account = models.BooleanField(
        _("系统接入账户"), default=False, help_text=_("供其他政府系统通过API令牌接入，不能登录页面"),
    )

    # Accounts are managed by admins (accounts.services); an account lies in the county of its
    # organisation's area, an enterprise officer's in its enterprise's.
    scope = ScopeFields(owner="id", county=("organisation__area__county", "enterprise__township__county"))

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.last_name + self.first_name if (self.last_name or self.first_name) else self.username


class ApiToken(TimestampedModel):
    """A bearer token for another government system. Only a SHA-256 digest is stored:
    the token is 32 random bytes, so a slow password hash adds nothing here."""

    PREFIX_LENGTH = 8

    name = models.CharField(_("名称"), max_length=100)
    user = models.ForeignKey(User, verbose_name=_("接入账户"), on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(_("令牌前缀"), max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+",
    )
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    scope = ScopeFields(owner="user")

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate_raw() -> str:
        return "cs_" + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
