"""API tokens for other government systems (REQUIREMENTS.md: 开放接口).

Each token belongs to its own service account: a user with `is_service_account=True`,
a role and an area like any person, so the same scope rules apply to a system as to a
human. The raw token is returned once and never stored; the database keeps its SHA-256.
"""
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.accounts.models import ApiToken, Organisation, Role, User
from citysafe.core.audit import record_change
from citysafe.core.records import ErrorCollector
from citysafe.registry.models import Area, Enterprise


def _require_admin(actor) -> None:
    if not getattr(actor, "is_authenticated", False) or actor.role != Role.ADMIN:
        raise PermissionDenied(_("只有县安委办管理员可以管理API令牌"))


def _token_state(token: ApiToken, user: User, grid_ids) -> dict:
    # Never the digest: the audit trail is readable by more people than the token table.
    return {
        "name": token.name, "prefix": token.prefix, "user": user.username, "role": user.role,
        "organisation_id": user.organisation_id, "grid_ids": sorted(grid_ids), "enterprise_id": user.enterprise_id,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


def _validate_area(role: str, organisation_id, grid_ids, enterprise_id, errors: ErrorCollector):
    organisation = enterprise = None
    grids: list[int] = []
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id, archived_at__isnull=True).first()
        if organisation is None:
            errors.add("organisation_id", _("所选组织机构不存在"), "not_found")
    if role in (Role.DEPARTMENT, Role.TOWNSHIP) and organisation_id is None:
        errors.add("organisation_id", _("该角色必须指定所属组织"), "required")
    if organisation is not None:
        expected = {Role.DEPARTMENT: Organisation.Kind.DEPARTMENT, Role.TOWNSHIP: Organisation.Kind.TOWNSHIP}.get(role)
        if expected and organisation.kind != expected:
            errors.add("organisation_id", _("组织类型与角色不符"), "kind")
    if grid_ids:
        ids = sorted({int(i) for i in grid_ids})
        grids = list(Area.objects.filter(pk__in=ids, level=Area.Level.GRID, archived_at__isnull=True)
                     .values_list("pk", flat=True))
        if missing := [i for i in ids if i not in grids]:
            errors.add("grid_ids", _("网格不存在：%(ids)s") % {"ids": missing}, "not_found")
    if role == Role.GRID and not grid_ids:
        errors.add("grid_ids", _("网格员角色必须指定负责网格"), "required")
    if enterprise_id is not None:
        enterprise = Enterprise.objects.filter(pk=enterprise_id, archived_at__isnull=True).first()
        if enterprise is None:
            errors.add("enterprise_id", _("所选企业不存在"), "not_found")
    if role == Role.ENTERPRISE and enterprise_id is None:
        errors.add("enterprise_id", _("企业角色必须指定所属企业"), "required")
    return organisation, grids, enterprise


@transaction.atomic
def create_api_token(actor, *, name: str, role: str, organisation_id=None, grid_ids=(), enterprise_id=None,
                     expires_at=None) -> tuple[ApiToken, str]:
    """A new service account with `role` and area, and its token. Returns (token, raw)."""
    _require_admin(actor)
    errors = ErrorCollector()
    name = (name or "").strip()
    if not name:
        errors.add("name", _("此字段为必填项"), "required")
    elif len(name) > ApiToken._meta.get_field("name").max_length:
        errors.add("name", _("长度不能超过%(n)s个字符") % {"n": 100}, "max_length")
    if role not in Role.values:
        errors.add("role", _("取值无效，可选：%(choices)s") % {"choices": "、".join(Role.values)}, "choice")
    if expires_at is not None and expires_at <= timezone.now():
        errors.add("expires_at", _("过期时间必须晚于当前时间"), "past")
    organisation, grids, enterprise = _validate_area(role, organisation_id, grid_ids, enterprise_id, errors)
    errors.raise_if_any()

    user = User(username=f"svc-{secrets.token_hex(6)}", first_name=name[:150], role=role,
                organisation=organisation, enterprise=enterprise, is_service_account=True)
    user.set_unusable_password()  # and PageLoginBackend refuses service accounts outright
    user.save()
    user.grids.set(grids)
    raw = ApiToken.generate_raw()
    token = ApiToken.objects.create(name=name, user=user, prefix=raw[:ApiToken.PREFIX_LENGTH],
                                    digest=ApiToken.digest_of(raw), created_by=actor, expires_at=expires_at)
    record_change(actor=actor, action="create", instance=token, before=None, after=_token_state(token, user, grids))
    return token, raw


@transaction.atomic
def revoke_api_token(actor, token_id) -> ApiToken:
    """Revoke at once: the next request with this token gets 401."""
    _require_admin(actor)
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token_id)
    if token.revoked_at is not None:
        raise ValidationError({"token": [ValidationError(_("该令牌已吊销"), code="already_revoked")]})
    grid_ids = list(token.user.grids.values_list("pk", flat=True))
    before = _token_state(token, token.user, grid_ids)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    record_change(actor=actor, action="revoke", instance=token, before=before,
                  after=_token_state(token, token.user, grid_ids))
    return token


def list_api_tokens(actor) -> QuerySet:
    """Tokens for the admin's token page and API (read-only; admins only)."""
    _require_admin(actor)
    return ApiToken.objects.select_related("user", "created_by").order_by("-id")
