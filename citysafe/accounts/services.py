"""Accounts: people's user accounts (admin only) and API tokens for other government
systems (REQUIREMENTS.md: 开放接口).

Each token belongs to its own service account: a user with `is_service_account=True`,
a role and an area like any person, so the same scope rules apply to a system as to a
human. The raw token is returned once and never stored; the database keeps its SHA-256.
"""
import secrets

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.accounts.models import ApiToken, Organisation, User
from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.records import ErrorCollector
from citysafe.core.roles import Role
from citysafe.core.scope_fields import ScopeFields


def _require_admin(actor) -> None:
    if not scope.may(actor, ApiToken, scope.Action.CHANGE):
        raise PermissionDenied(_("只有县安委办管理员可以管理API令牌"))


def _token_state(token: ApiToken, user: User, grid_ids) -> dict:
    # Never the digest: the audit trail is readable by more people than the token table.
    return {
        "name": token.name, "prefix": token.prefix, "user": user.username, "role": user.role,
        "organisation_id": user.organisation_id, "grid_ids": sorted(grid_ids), "enterprise_id": user.enterprise_id,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


def _in_actors_counties(actor, queryset: QuerySet) -> QuerySet:
    """Where `actor` may place an account (a person's or a token's): inside its own counties, so a
    county's administrator never makes an account that reads another county (issue 19); the same
    answer, "does not exist", as for no such row. An organisation (a shared directory) by its
    area's county, as core.scope.reference_targets lets an admin point at one. One county: all."""
    if queryset.model is Organisation:
        return queryset.filter(scope.county_q(actor, Organisation, ScopeFields(county="area__county")))
    return scope.in_counties(actor, queryset)


def _validate_area(actor, role: str, organisation_id, grid_ids, enterprise_id, errors: ErrorCollector):
    organisation = enterprise = None
    grids: list[int] = []
    if organisation_id is not None:
        organisation = _in_actors_counties(actor, Organisation.objects.filter(
            pk=organisation_id, archived_at__isnull=True)).first()
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
        area = User._meta.get_field("grids").related_model  # the registry's Area, without importing it
        grids = list(_in_actors_counties(actor, area.objects.filter(
            pk__in=ids, level=area.Level.GRID, archived_at__isnull=True)).values_list("pk", flat=True))
        if missing := [i for i in ids if i not in grids]:
            errors.add("grid_ids", _("网格不存在：%(ids)s") % {"ids": missing}, "not_found")
    if role == Role.GRID and not grid_ids:
        errors.add("grid_ids", _("网格员角色必须指定负责网格"), "required")
    if enterprise_id is not None:
        enterprise_model = User._meta.get_field("enterprise").related_model
        enterprise = _in_actors_counties(actor, enterprise_model.objects.filter(
            pk=enterprise_id, archived_at__isnull=True)).first()
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
    organisation, grids, enterprise = _validate_area(actor, role, organisation_id, grid_ids, enterprise_id, errors)
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


# --- user accounts -------------------------------------------------------------------------

# Plain fields an admin may set on an account; relations come as *_id / *_ids keys.
USER_FIELDS = ("username", "first_name", "last_name", "email", "phone", "role", "is_active", "is_staff",
               "is_superuser", "is_service_account")
USER_KEYS = {*USER_FIELDS, "organisation_id", "enterprise_id", "grid_ids", "group_ids", "permission_ids"}


def user_snapshot(user: User) -> dict:
    """The audited state of an account. The password hash never goes into the audit trail,
    which more people can read than the user table."""
    return {k: v for k, v in snapshot(user).items() if k != "password"}


def _require_user_admin(actor, action: str) -> None:
    if not scope.may(actor, User, action):
        raise PermissionDenied(_("只有县安委办管理员可以管理用户账户"))


def _apply_user(actor, user: User, data: dict, errors: ErrorCollector) -> tuple[list[int], list[int], list[int]]:
    """Set fields from `data` on `user` (unsaved); return the grid, group and permission ids to set."""
    for name in sorted(set(data) - USER_KEYS):
        errors.add(name, _("不支持的字段"), "unknown_field")
    for name in USER_FIELDS:
        if name in data:
            setattr(user, name, data[name])
    user.username = (user.username or "").strip()
    # The model's own field rules (required, length, username characters, e-mail, role choices);
    # relations are checked below with the rules of each role.
    errors.run(user.clean_fields, exclude=["password", "organisation", "enterprise", "last_login", "date_joined"])
    if user.username and User.objects.filter(username__iexact=user.username).exclude(pk=user.pk).exists():
        errors.add("username", _("用户名已被使用"), "unique")
    if "organisation_id" in data:
        user.organisation_id = data["organisation_id"]
    if "enterprise_id" in data:
        user.enterprise_id = data["enterprise_id"]
    current_grids = list(user.grids.values_list("pk", flat=True)) if user.pk else []
    grid_ids = data.get("grid_ids", current_grids)
    organisation, grids, enterprise = _validate_area(actor, user.role, user.organisation_id, grid_ids,
                                                     user.enterprise_id, errors)
    groups = _existing_ids(Group, data.get("group_ids"), "group_ids", errors) if "group_ids" in data else None
    permissions = (_existing_ids(Permission, data.get("permission_ids"), "permission_ids", errors)
                   if "permission_ids" in data else None)
    return grids, groups, permissions


def _existing_ids(model, ids, field: str, errors: ErrorCollector) -> list[int]:
    wanted = sorted({int(i) for i in ids or ()})
    found = set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if missing := [i for i in wanted if i not in found]:
        errors.add(field, _("不存在：%(ids)s") % {"ids": missing}, "not_found")
    return wanted


def _set_password(user: User, password: str | None, errors: ErrorCollector) -> None:
    if password is None:
        user.set_unusable_password()
        return
    try:
        validate_password(password, user)
    except ValidationError as exc:
        for message in exc.messages:
            errors.add("password", message, "password")
        return
    user.set_password(password)


def _save_user(actor, user: User, before: dict | None, grids, groups, permissions, note: str = "") -> User:
    user.save()
    user.grids.set(grids)
    if groups is not None:
        user.groups.set(groups)
    if permissions is not None:
        user.user_permissions.set(permissions)
    record_change(actor=actor, action="update" if before is not None else "create", instance=user,
                  before=before, after=user_snapshot(user), note=note)
    return user


@transaction.atomic
def create_user(actor, data: dict, *, password: str | None = None) -> User:
    """A person's account. `password=None` makes one that cannot sign in until a password is set."""
    _require_user_admin(actor, scope.Action.CREATE)
    errors = ErrorCollector()
    user = User()
    grids, groups, permissions = _apply_user(actor, user, data, errors)
    _set_password(user, password, errors)
    errors.raise_if_any()
    return _save_user(actor, user, None, grids, groups, permissions)


@transaction.atomic
def update_user(actor, pk, data: dict) -> User:
    _require_user_admin(actor, scope.Action.CHANGE)
    user = User.objects.select_for_update().get(pk=pk)
    before = user_snapshot(user)
    errors = ErrorCollector()
    if user.pk == actor.pk and (data.get("role", user.role) != Role.ADMIN or data.get("is_active") is False):
        # Otherwise the last admin could lock the county out of its own configuration.
        errors.add("role" if "role" in data else "is_active", _("不能取消自己的管理员角色或停用自己的账户"), "self")
    grids, groups, permissions = _apply_user(actor, user, data, errors)
    errors.raise_if_any()
    return _save_user(actor, user, before, grids, groups, permissions)


def set_user_active(actor, pk, active: bool) -> User:
    """Deactivate instead of deleting: audit records and events keep pointing at the account."""
    return update_user(actor, pk, {"is_active": bool(active)})


@transaction.atomic
def set_user_password(actor, pk, password: str | None) -> User:
    """An admin sets (or, with None, disables) an account's password."""
    _require_user_admin(actor, scope.Action.CHANGE)
    user = User.objects.select_for_update().get(pk=pk)
    return _store_password(actor, user, password, "set_password" if password is not None else "disable_password")


@transaction.atomic
def change_own_password(user: User, password: str) -> User:
    """A signed-in person replaces their own password (the page checked the old one)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("请先登录"))
    locked = User.objects.select_for_update().get(pk=user.pk)
    _store_password(user, locked, password, "change_own_password")
    user.password = locked.password
    return user


def _store_password(actor, user: User, password: str | None, action: str) -> User:
    # Audited as an event only: neither the old nor the new hash goes into the trail.
    errors = ErrorCollector()
    _set_password(user, password, errors)
    errors.raise_if_any()
    user.save(update_fields=["password"])
    record_change(actor=actor, action=action, instance=user, before=None, after=None)
    return user
