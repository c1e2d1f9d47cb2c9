"""Data scope: the one place that decides which records a user may see and change.

Rules (REQUIREMENTS.md "Users"):
- admin (县安委办) and leader (领导): the whole county (leader read-only);
- department: the industries mapped to it (管行业必须管安全), across the county,
  plus records of its own organisation;
- township: its township (属地管理) plus records of its own organisation;
- grid worker: its grids;
- enterprise officer: its own enterprise;
- and all of these only inside their own county (several counties in one deployment): the
  prefecture office (州（市）安委办) reads every county under its area, read-only unless an
  app's permission table names it. See core/scope_counties.py.

A model says where its keys are with `scope = ScopeFields(...)`, or that it is a directory
(`scope = PUBLIC`); scope fails closed: a model that declares neither is visible to nobody
(and core/checks.py refuses it at start-up). `narrow` builds the queryset filter; `contains`
answers the same question for one object in memory (used before saving, so nobody can move a
record out of their scope). Both live here, side by side, so they cannot drift apart.

References (the "references" section below): what a user may point a foreign key or
many-to-many field at, from the model's `references` declaration — a record inside the
user's own scope, or a directory record of the right kind.
"""
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet

from citysafe.core.roles import Role
from citysafe.core.scope_counties import (  # noqa: F401 (Counties, register_county_source: the API apps use)
    NOTHING,
    Counties,
    _county_values,
    _in_counties,
    _one_county,
    _value,
    counties_of,
    county_paths,
    county_q,
    register_county_source,
)
from citysafe.core.scope_fields import Ref, ScopeFields


class Action:
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    ARCHIVE = "archive"
    PURGE = "purge"


# ---- permissions and field limits: tables the apps fill ------------------------------
# Which roles may take which action on which kind of record (403 otherwise; scope then limits
# *which* records: 404 outside it), and which fields each role may set. Each app registers
# the tables of its own record kinds in its AppConfig.ready() (e.g. registry/permissions.py),
# so a new app never edits this module. Enforced here (`may`, `changeable_fields`) and in the
# shared write path (core.records.check_field_limits) for pages, API, imports and the admin.
# A role with a write permission but no field-limit entry may change nothing (fail closed).


@dataclass(frozen=True)
class FieldLimit:
    """Fields a role may set when changing a record, and when creating one (None = every field)."""

    change: frozenset[str] | None
    create: frozenset[str] | None = None

    def fields(self, creating: bool) -> frozenset[str] | None:
        return self.create if creating else self.change


EVERY_FIELD = FieldLimit(change=None, create=None)

WRITE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {}
# Where not every organisation of a role holds its write permissions on a kind (only the
# emergency management bureau among the departments keeps emergency resources): label ->
# role -> organisation kinds (`organisation_kind`: the code without a county prefix, so the
# bureau of every county). Users of that role in other organisations read only (403).
ORGANISATION_LIMITS: dict[str, dict[str, frozenset[str]]] = {}
FIELD_LIMITS: dict[str, dict[str, FieldLimit]] = {}

_WRITE_ACTIONS = {Action.CREATE, Action.CHANGE, Action.ARCHIVE}


def _register(table: dict, label: str, value: dict, what: str) -> None:
    if label in table and table[label] != value:
        raise ImproperlyConfigured(f"{what} of {label} registered twice, differently")
    table[label] = value


def register_permissions(label: str, actions: dict[str, set[str]], *,
                         organisations: dict[str, set[str]] | None = None) -> None:
    """Declare which roles may create, change and archive `label` records ("app.Model").
    Called from the owning app's AppConfig.ready(). VIEW is every signed-in user (scope
    decides which rows); PURGE is admin only, whatever is registered. `organisations`: for a
    role, the codes of the only organisations whose users hold those write permissions."""
    unknown = set(actions) - _WRITE_ACTIONS
    roles = set().union(*actions.values()) if actions else set()
    if unknown or not roles <= set(Role.values) or not set(organisations or {}) <= roles:
        raise ImproperlyConfigured(f"permissions of {label}: unknown actions {unknown or ''} "
                                   f"or roles {(roles | set(organisations or {})) - set(Role.values) or ''}")
    _register(WRITE_PERMISSIONS, label, {action: frozenset(who) for action, who in actions.items()}, "permissions")
    if organisations:
        _register(ORGANISATION_LIMITS, label, {role: frozenset(codes) for role, codes in organisations.items()},
                  "organisation limits")


def register_field_limits(label: str, limits: dict[str, FieldLimit]) -> None:
    """Declare which fields each role may set on `label` records (see FieldLimit)."""
    if not set(limits) <= set(Role.values) or not all(isinstance(v, FieldLimit) for v in limits.values()):
        raise ImproperlyConfigured(f"field limits of {label}: keys must be roles, values FieldLimit")
    _register(FIELD_LIMITS, label, dict(limits), "field limits")


def changeable_fields(user, model: type[Model] | str, creating: bool = False) -> frozenset[str] | None:
    """The fields `user` may set on `model` records (None for all of them); an undeclared
    role gets the empty set."""
    label = model if isinstance(model, str) else model._meta.label
    limit = FIELD_LIMITS.get(label, {}).get(getattr(user, "role", None))
    return frozenset() if limit is None else limit.fields(creating)


def sees_archived(user) -> bool:
    """Archived records are hidden from everyone but admins (who restore or purge them)."""
    return getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.ADMIN


def may_configure(user) -> bool:
    """The configuration admin site: staff accounts of the county safety office's
    administrators. The staff flag alone is not enough: a staff user of another role stays out."""
    return getattr(user, "is_authenticated", False) and user.is_active and user.is_staff and user.role == Role.ADMIN


def may(user, model: type[Model] | str, action: str) -> bool:
    """Role-level permission, before scope. Purge (hard delete) is for admins only."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if action == Action.VIEW:
        return True
    if action == Action.PURGE:
        return user.role == Role.ADMIN
    label = model if isinstance(model, str) else model._meta.label
    if user.role not in WRITE_PERMISSIONS.get(label, {}).get(action, set()):
        return False
    codes = ORGANISATION_LIMITS.get(label, {}).get(user.role)
    return codes is None or (user.organisation is not None and organisation_kind(user.organisation.code) in codes)


def organisation_kind(code: str) -> str:
    """What an organisation is, read from its code, for ORGANISATION_LIMITS: the part after a
    county prefix. Organisation codes are unique in a deployment, so a second county's bureau
    carries its county's prefix ("gh_yjj": 广河县应急管理局) and is the same kind of department
    as the home county's "yjj"; the tables name the kind (yjj, zjj), never one county's code."""
    return code.rsplit("_", 1)[-1]


def require(user, model: type[Model] | str, action: str) -> None:
    if not may(user, model, action):
        raise PermissionDenied(f"{action} not allowed for role")


def _grid_ids(user) -> list[int]:
    cached = getattr(user, "_scope_grid_ids", None)
    if cached is None:
        cached = list(user.grids.values_list("id", flat=True))
        user._scope_grid_ids = cached
    return cached


def _industry_ids(user) -> list[int]:
    cached = getattr(user, "_scope_industry_ids", None)
    if cached is None:
        org = user.organisation
        cached = list(org.industries.values_list("id", flat=True)) if org else []
        user._scope_industry_ids = cached
    return cached


def _township_id(user) -> int | None:
    org = user.organisation
    return org.area_id if org is not None else None


def _enterprise_targets(user, names: tuple[str, ...]) -> list[int]:
    """The ids the user's enterprise points at through the named foreign keys."""
    enterprise = user.enterprise
    return [pk for pk in (getattr(enterprise, f"{name}_id") for name in names) if pk is not None]


def _declared(model: type[Model]) -> ScopeFields | None:
    fields = getattr(model, "scope", None)
    return fields if isinstance(fields, ScopeFields) else None


# ---- counties: see core/scope_counties.py (the condition every role's filter gets) -----------


WIDE_ROLES = (Role.ADMIN, Role.LEADER, Role.PREFECTURE)


def scope_q(user, model: type[Model]) -> Q:
    """The filter that narrows `model` to what `user` may see (archived rows excluded
    for everyone but admins, who must ask for them). No declaration: nothing (fails closed)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    fields = _declared(model)
    if fields is None:
        return NOTHING
    if fields.public:
        return Q()
    if fields.owner_record:
        wide = user.role in WIDE_ROLES or user.role in fields.all_rows_for
        if wide and _one_county(counties_of(user)):
            return Q()
        delegated = _owner_record_q(user, model, fields.owner_record)
        if wide and counties_of(user).home in counties_of(user).ids:  # rows of no record: the home county's
            delegated |= Q(**{f"{model._meta.get_field(fields.owner_record).fk_field}__isnull": True})
        return delegated
    if user.role == Role.PREFECTURE or user.role in (Role.ADMIN, Role.LEADER) or user.role in fields.all_rows_for:
        return county_q(user, model, fields)
    parts: list[Q] = []
    if fields.owner:
        parts.append(Q(**{fields.owner: user.pk}))
    if user.role == Role.DEPARTMENT:
        if fields.industry:  # the department's industries, inside its own county
            parts.append(Q(**{f"{fields.industry}__in": _industry_ids(user)}) & county_q(user, model, fields))
        if fields.organisation and user.organisation_id:
            parts.append(Q(**{fields.organisation: user.organisation_id}))
    elif user.role == Role.TOWNSHIP:
        township = _township_id(user)
        if fields.township and township:
            parts.append(Q(**{fields.township: township}))
        if fields.organisation and user.organisation_id:
            parts.append(Q(**{fields.organisation: user.organisation_id}))
    elif user.role == Role.GRID:
        if fields.grid:
            parts.append(Q(**{f"{fields.grid}__in": _grid_ids(user)}))
    elif user.role == Role.ENTERPRISE and user.enterprise_id:
        if fields.enterprise:
            parts.append(Q(**{fields.enterprise: user.enterprise_id}))
        if fields.enterprise_points_at:
            parts.append(Q(pk__in=_enterprise_targets(user, fields.enterprise_points_at)))
    return reduce(or_, parts) if parts else NOTHING


# ---- rows owned by another record (attachments) -------------------------------------------
# Delegation: such a row is visible exactly when the record it belongs to is. The owner
# models are found through Django's app registry (those declaring `accepts_attachments`),
# so core names no app.

def attachable_models() -> tuple[type[Model], ...]:
    return tuple(m for m in apps.get_models() if getattr(m, "accepts_attachments", False))


def _owner_record_q(user, model: type[Model], name: str) -> Q:
    generic = model._meta.get_field(name)
    parts = []
    for owner_model in attachable_models():
        content_type = ContentType.objects.get_for_model(owner_model)  # cached per process
        visible = narrow(user, owner_model._default_manager.all()).values("pk")
        parts.append(Q(**{generic.ct_field: content_type.pk, f"{generic.fk_field}__in": visible}))
    return reduce(or_, parts) if parts else NOTHING


def _write_q(user, model: type[Model]) -> Q:
    """Rows `user` may write besides seeing them. The prefecture office reads every county but
    writes only what its own organisation issued (a warning for its whole area). A county's
    user writes no row that also lies in another county (a prefecture's warning over several
    counties is read there, not changed)."""
    fields = _declared(model)
    if getattr(user, "role", None) == Role.PREFECTURE:
        if fields is None or not fields.organisation or user.organisation_id is None:
            return NOTHING
        return Q(**{fields.organisation: user.organisation_id})
    counties = counties_of(user)
    if fields is None or fields.public or _one_county(counties):
        return Q()
    ids = sorted(counties.ids)
    foreign = NOTHING
    for path in county_paths(model, fields):
        # Positive lookups only: `exclude` over a many-valued path would drop a row that has one
        # township inside the user's counties even if another lies outside.
        elsewhere = _path_target(model, path)._default_manager.exclude(pk__in=ids).values("pk")
        foreign |= Q(pk__in=model._default_manager.filter(**{f"{path}__in": elsewhere}).values("pk"))
    return ~foreign


def _path_target(model: type[Model], path: str) -> type[Model]:
    """The model an ORM path's last foreign key points at (a county path: the area model)."""
    for hop in path.split("__"):
        model = model._meta.get_field(hop).related_model
    return model


def may_write(user, obj: Model) -> bool:
    """`contains`, for the state a write would save, with the limits of `_write_q`."""
    if not contains(user, obj):
        return False
    fields = _declared(type(obj))
    if getattr(user, "role", None) == Role.PREFECTURE:
        return bool(fields and fields.organisation and user.organisation_id is not None
                    and _value(obj, fields.organisation) == user.organisation_id)
    counties = counties_of(user)
    if fields is None or fields.public or _one_county(counties):
        return True
    return all(pk is None or pk in counties.ids for pk in _county_values(obj, fields))


def narrow(user, queryset: QuerySet, include_archived: bool = False, for_write: bool = False) -> QuerySet:
    queryset = queryset.filter(scope_q(user, queryset.model))
    if for_write:
        queryset = queryset.filter(_write_q(user, queryset.model))
    archivable = any(f.name == "archived_at" for f in queryset.model._meta.concrete_fields)
    if archivable and not (include_archived and sees_archived(user)):
        queryset = queryset.filter(archived_at__isnull=True)
    return queryset


def in_counties(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` in the user's counties, whatever the role's narrower scope, for
    a computation that spans the county (fire stations cover across township borders; a
    department's 双随机 pool is its industries' enterprises): another county's rows never enter
    it (issue 19). Not for showing rows: that is `narrow`. Archived rows are left out."""
    fields = _declared(queryset.model)
    if fields is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if not fields.public and not fields.owner_record:
        queryset = queryset.filter(county_q(user, queryset.model, fields))
    elif fields.owner_record:
        queryset = queryset.filter(scope_q(user, queryset.model))
    if any(f.name == "archived_at" for f in queryset.model._meta.concrete_fields):
        queryset = queryset.filter(archived_at__isnull=True)
    return queryset


class _CountyOnly:
    """What `county_q` reads of a user, for a county known without one (`in_county_of`)."""

    def __init__(self, county: int, home: bool = False):
        self._scope_counties = Counties(ids=frozenset([county]), home=county if home else None, single=False)


def in_county_of(organisation, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` in the county of `organisation`'s area (the enterprises a county
    department supervises are its industries' enterprises in its own county: several counties
    share the industry list). An organisation without an area (a one-county deployment's
    accounts): unchanged."""
    area = getattr(organisation, "area", None)
    county = (area.pk if area.level == "county" else area.county_id) if area is not None else None
    return queryset if county is None else in_county(county, queryset)


def in_county(county: int, queryset: QuerySet, home: bool = False) -> QuerySet:
    """The rows of `queryset` in one county, for a reader who is nobody (the public risk map of
    that county); `home`: the county also owns the rows no key places (the deployment's home)."""
    fields = _declared(queryset.model)
    if fields is None or fields.public:
        return queryset
    return queryset.filter(county_q(_CountyOnly(county, home), queryset.model, fields))


def contains(user, obj: Model) -> bool:
    """Would `obj`, as it is in memory now, be inside `user`'s scope? Mirrors `scope_q`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    model = type(obj)
    fields = _declared(model)
    if fields is None:
        return False
    if fields.public:
        return True
    if fields.owner_record:
        if (user.role in WIDE_ROLES or user.role in fields.all_rows_for) and _one_county(counties_of(user)):
            return True
        owner = getattr(obj, fields.owner_record, None)
        return owner is not None and type(owner) in attachable_models() and (
            narrow(user, type(owner)._default_manager.filter(pk=owner.pk)).exists())
    if user.role in WIDE_ROLES or user.role in fields.all_rows_for:
        return _in_counties(user, obj, fields)
    if fields.owner and _value(obj, fields.owner) == user.pk:
        return True
    if user.role == Role.DEPARTMENT:
        return (fields.industry is not None and _value(obj, fields.industry) in _industry_ids(user)
                and _in_counties(user, obj, fields)) or (
            fields.organisation is not None and user.organisation_id is not None
            and _value(obj, fields.organisation) == user.organisation_id
        )
    if user.role == Role.TOWNSHIP:
        township = _township_id(user)
        return (fields.township is not None and township is not None and _value(obj, fields.township) == township) or (
            fields.organisation is not None and user.organisation_id is not None
            and _value(obj, fields.organisation) == user.organisation_id
        )
    if user.role == Role.GRID:
        return fields.grid is not None and _value(obj, fields.grid) in _grid_ids(user)
    if user.role == Role.ENTERPRISE and user.enterprise_id is not None:
        return (fields.enterprise is not None and _value(obj, fields.enterprise) == user.enterprise_id) or (
            bool(fields.enterprise_points_at) and obj.pk in _enterprise_targets(user, fields.enterprise_points_at)
        )
    return False


def placing_field(user, model: type[Model]) -> str | None:
    """The field whose value puts a `model` record inside `user`'s scope (a township officer:
    the township; a grid worker: the grid; a department: the industry; an enterprise officer:
    the enterprise), as the services' key (`township_id`); None when the role has none."""
    fields = _declared(model)
    if fields is None:
        return None
    path = {Role.TOWNSHIP: fields.township, Role.GRID: fields.grid, Role.DEPARTMENT: fields.industry,
            Role.ENTERPRISE: fields.enterprise}.get(getattr(user, "role", None))
    if not path or path == "id":
        return None
    first = path.split("__")[0]
    field = model._meta.get_field(first)
    return f"{first}_id" if field.is_relation else first


def area_of(user) -> str:
    """The user's own area in words, for messages ("锁南镇"; a grid worker's grids; a
    department's industries; an enterprise officer's enterprise)."""
    role = getattr(user, "role", None)
    if role == Role.TOWNSHIP and user.organisation is not None and user.organisation.area is not None:
        return str(user.organisation.area)
    if role == Role.GRID:
        return "、".join(str(g) for g in user.grids.order_by("pk")[:5])
    if role == Role.DEPARTMENT and user.organisation is not None:
        return "、".join(str(i) for i in user.organisation.industries.order_by("pk"))
    if role == Role.ENTERPRISE and user.enterprise is not None:
        return str(user.enterprise)
    return ""


def get_in_scope(user, queryset: QuerySet, pk, include_archived: bool = False):
    """Fetch one record inside the user's scope; outside it, it does not exist (404)."""
    return narrow(user, queryset, include_archived=include_archived).get(pk=pk)


# ---- references ----------------------------------------------------------------------
# What a user may point a foreign key / many-to-many field at (the model's `references`,
# see scope_fields.Ref). Used by core.references on every write path; declared once per model.

def reference_rule(model: type[Model], name: str) -> Ref | None:
    """The declared rule for field `name` of `model`, or None (not settable by users)."""
    rule = (getattr(model, "references", None) or {}).get(name)
    return rule if isinstance(rule, Ref) and rule.kind != "system" else None


def reference_targets(user, model: type[Model], name: str) -> QuerySet:
    """The records `user` may point `model.name` at: inside the user's scope (a directory:
    its active rows), matching the declared conditions. Nothing when undeclared."""
    field = model._meta.get_field(name)
    target = field.related_model
    rule = reference_rule(model, name)
    if rule is None:
        return target._default_manager.none()
    queryset = target._default_manager.filter(**rule.where)
    if rule.kind == "own_organisation" and getattr(user, "role", None) != Role.ADMIN:
        organisation = getattr(user, "organisation_id", None)
        if organisation is None:
            return target._default_manager.none()
        queryset = queryset.filter(pk=organisation)
    elif rule.kind == "own_organisation":  # an admin: any organisation of the admin's own county
        queryset = queryset.filter(county_q(user, target, ScopeFields(county="area__county")))
    elif rule.kind not in ("visible", "own_organisation"):
        return target._default_manager.none()
    return narrow(user, queryset)


def choice_targets(user, model: type[Model], name: str) -> QuerySet:
    """What a form or a list filter offers for `model.name`: the reference targets, and where
    `name` is the field that puts the record in the user's scope (`placing_field`), only the
    targets that keep it there — a department is offered its own industries (the organisation's
    industry map), not all of them. The write path still decides (`reference_targets`, then
    `save_record`'s `contains`), so this only spares the user choices that cannot be saved."""
    targets = reference_targets(user, model, name)
    if placing_field(user, model) not in (name, f"{name}_id"):
        return targets
    role = user.role
    fields = _declared(model)
    path = {Role.TOWNSHIP: fields.township, Role.GRID: fields.grid, Role.DEPARTMENT: fields.industry,
            Role.ENTERPRISE: fields.enterprise}[role]
    # The key on the target: the target itself (a township field) or, where the record is placed
    # through another record (an assessment through its risk point), that record's own key.
    key = path.split("__", 1)[1] if "__" in path else "pk"
    if role == Role.DEPARTMENT:
        return targets.filter(**{f"{key}__in": _industry_ids(user)})
    if role == Role.TOWNSHIP:
        return targets.filter(**{key: _township_id(user)})
    if role == Role.GRID:
        return targets.filter(**{f"{key}__in": _grid_ids(user)})
    if role == Role.ENTERPRISE:
        return targets.filter(**{key: user.enterprise_id})
    return targets


def may_read_related(user, related: Model | None) -> bool:
    """May `user` see the name of this related record? Directories: yes; scoped records:
    when inside the user's scope. Used by API schemas and pages for *_name values."""
    if related is None:
        return False
    fields = _declared(type(related))
    if fields is not None and (fields.public or fields.public_name):
        return True
    if getattr(related, "archived_at", None) is not None and not sees_archived(user):
        return False
    return contains(user, related)


def name_visible_q(user, related_model: type[Model], path: str) -> Q | None:
    """`may_read_related` as a query condition on the rows pointing at `related_model`
    through `path` (for lists read with values()): None when every name is visible."""
    fields = _declared(related_model)
    if fields is not None and (fields.public or fields.public_name):
        return None
    condition = _prefixed(scope_q(user, related_model), path)
    if not sees_archived(user):
        condition &= Q(**{f"{path}__archived_at__isnull": True})
    return condition if condition.children else None


def _prefixed(q: Q, path: str) -> Q:
    """`q` (lookups relative to a model) as lookups through the relation `path`."""
    clone = Q(_connector=q.connector, _negated=q.negated)
    for child in q.children:
        clone.children.append(_prefixed(child, path) if isinstance(child, Q) else (f"{path}__{child[0]}", child[1]))
    return clone
