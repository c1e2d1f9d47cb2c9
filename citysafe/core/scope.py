"""Data scope: the one place that decides which records a user may see and change.

Rules (REQUIREMENTS.md "Users"):
- admin (县安委办) and leader (领导): the whole county (leader read-only);
- department: the industries mapped to it (管行业必须管安全), across the county,
  plus records of its own organisation;
- township: its township (属地管理) plus records of its own organisation;
- grid worker: its grids;
- enterprise officer: its own enterprise.

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

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from citysafe.accounts.models import Role
from citysafe.core.scope_fields import Ref, ScopeFields

NOTHING = Q(pk__in=[])


class Action:
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    ARCHIVE = "archive"
    PURGE = "purge"


# Which roles may take which action on which kind of record (403 otherwise).
# Scope then limits *which* records (404 outside it).
WRITE_PERMISSIONS: dict[str, dict[str, set[str]]] = {
    "registry.Area": {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}, Action.ARCHIVE: {Role.ADMIN}},
    "registry.Industry": {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}, Action.ARCHIVE: {Role.ADMIN}},
    "accounts.Organisation": {
        Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}, Action.ARCHIVE: {Role.ADMIN},
    },
    # Accounts and API tokens are configuration: only the county safety office manages them.
    "accounts.User": {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}},
    "accounts.ApiToken": {Action.CREATE: {Role.ADMIN}, Action.CHANGE: {Role.ADMIN}},
    "registry.Person": {
        Action.CREATE: {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP, Role.GRID, Role.ENTERPRISE},
        Action.CHANGE: {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP, Role.GRID, Role.ENTERPRISE},
        Action.ARCHIVE: {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP},
    },
    "registry.Enterprise": {
        Action.CREATE: {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP},
        Action.CHANGE: {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP, Role.GRID, Role.ENTERPRISE},
        Action.ARCHIVE: {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP},
    },
    "registry.Place": {
        Action.CREATE: {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP, Role.GRID, Role.ENTERPRISE},
        Action.CHANGE: {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP, Role.GRID, Role.ENTERPRISE},
        Action.ARCHIVE: {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP},
    },
}


# ---- field limits ------------------------------------------------------------------
# Which fields each role may set, per model: WRITE_PERMISSIONS says whether a role may
# change a kind of record at all, scope which records, and this table which fields of them.
# Enforced in the shared write path (core.records.check_field_limits) for pages, API,
# imports and the admin alike. Only a value that actually changes counts, so a form that
# re-posts a field unchanged passes. A role with a write permission but no entry here may
# change nothing (fail closed; a test checks that every such role is declared).
#
# Why these sets:
# - Position (lon/lat/geometry/township/grid) and classification (industry, supervising
#   department, scale, standardisation grade, place type, USCC/identity) decide which
#   township, grid and department is responsible for a record. They are set by the
#   regulators (admin, department, township — the roles that also run the relocation and
#   closure workflow, core.workflow / registry.workflows), within their scope.
# - A grid worker updates what it sees on patrol — names, addresses, people present,
#   contacts — but does not reclassify or move a record. When it registers a *new* place or
#   person it places it (location, grid) and gives its type, since nobody else has yet.
# - An enterprise officer keeps its own contact data current (address, legal
#   representative, safety officer, its staff's contact details, its places' names and
#   occupancy); it never moves its enterprise (relocation is a regulator's workflow).
# - Areas, industries and organisations are configuration: only the admin writes them.


@dataclass(frozen=True)
class FieldLimit:
    """Fields a role may set when changing a record, and when creating one (None = every field)."""

    change: frozenset[str] | None
    create: frozenset[str] | None = None

    def fields(self, creating: bool) -> frozenset[str] | None:
        return self.create if creating else self.change


EVERY_FIELD = FieldLimit(change=None, create=None)

_PLACE_PATROL = frozenset({"name", "address", "people_present", "responsible_person_ids"})
_PLACE_NEW = frozenset({"name", "place_type", "geometry", "address", "capacity", "people_present",
                        "owner_enterprise_id", "responsible_person_ids"})
_PERSON_CONTACT = frozenset({"name", "phone", "id_number", "title"})

FIELD_LIMITS: dict[str, dict[str, FieldLimit]] = {
    "registry.Enterprise": {
        Role.ADMIN: EVERY_FIELD, Role.DEPARTMENT: EVERY_FIELD, Role.TOWNSHIP: EVERY_FIELD,
        Role.GRID: FieldLimit(change=frozenset({"name", "address", "legal_representative", "safety_officer_id"})),
        Role.ENTERPRISE: FieldLimit(change=frozenset({"address", "legal_representative", "safety_officer_id"})),
    },
    "registry.Place": {
        Role.ADMIN: EVERY_FIELD, Role.DEPARTMENT: EVERY_FIELD, Role.TOWNSHIP: EVERY_FIELD,
        # A new place found on patrol: its location (grid), type and first classification.
        Role.GRID: FieldLimit(change=_PLACE_PATROL, create=_PLACE_NEW | {"industry_id", "grid_id"}),
        # Its own new place: industry, township and grid follow from the owner and the geometry.
        Role.ENTERPRISE: FieldLimit(change=_PLACE_PATROL, create=_PLACE_NEW),
    },
    "registry.Person": {
        Role.ADMIN: EVERY_FIELD, Role.DEPARTMENT: EVERY_FIELD, Role.TOWNSHIP: EVERY_FIELD,
        Role.GRID: FieldLimit(change=_PERSON_CONTACT,
                              create=_PERSON_CONTACT | {"enterprise_id", "township_id", "grid_id"}),
        Role.ENTERPRISE: FieldLimit(change=_PERSON_CONTACT, create=_PERSON_CONTACT | {"enterprise_id"}),
    },
    "registry.Area": {Role.ADMIN: EVERY_FIELD},
    "registry.Industry": {Role.ADMIN: EVERY_FIELD},
    "accounts.Organisation": {Role.ADMIN: EVERY_FIELD},
}


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
    return user.role in WRITE_PERMISSIONS.get(label, {}).get(action, set())


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


def _area_q(user) -> Q:
    """Areas: everyone in government sees the county's map; enterprises their own areas."""
    if user.role in (Role.ADMIN, Role.LEADER, Role.DEPARTMENT):
        return Q()
    if user.role == Role.TOWNSHIP:
        township = _township_id(user)
        return Q(township_id=township) if township else NOTHING
    if user.role == Role.GRID:
        return Q(id__in=_grid_ids(user))
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        ent = user.enterprise
        return Q(id__in=[i for i in (ent.township_id, ent.village_id, ent.grid_id) if i])
    return NOTHING


def _declared(model: type[Model]) -> ScopeFields | None:
    fields = getattr(model, "scope", None)
    return fields if isinstance(fields, ScopeFields) else None


def scope_q(user, model: type[Model]) -> Q:
    """The filter that narrows `model` to what `user` may see (archived rows excluded
    for everyone but admins, who must ask for them). No declaration: nothing (fails closed)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if model._meta.label == "registry.Area":
        return _area_q(user)
    fields = _declared(model)
    if fields is None:
        return NOTHING
    if fields.public or user.role in (Role.ADMIN, Role.LEADER):
        return Q()
    parts: list[Q] = []
    if fields.owner:
        parts.append(Q(**{fields.owner: user.pk}))
    if user.role == Role.DEPARTMENT:
        if fields.industry:
            parts.append(Q(**{f"{fields.industry}__in": _industry_ids(user)}))
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
    elif user.role == Role.ENTERPRISE:
        if fields.enterprise and user.enterprise_id:
            parts.append(Q(**{fields.enterprise: user.enterprise_id}))
    return reduce(or_, parts) if parts else NOTHING


def narrow(user, queryset: QuerySet, include_archived: bool = False) -> QuerySet:
    queryset = queryset.filter(scope_q(user, queryset.model))
    archivable = any(f.name == "archived_at" for f in queryset.model._meta.concrete_fields)
    if archivable and not (include_archived and sees_archived(user)):
        queryset = queryset.filter(archived_at__isnull=True)
    return queryset


def _value(obj, path: str):
    """Follow an ORM path such as 'enterprise__industry' to an id on an in-memory object."""
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    if last == "id":
        return obj.pk
    return getattr(obj, f"{last}_id", None) if hasattr(obj, f"{last}_id") else getattr(obj, last, None)


def contains(user, obj: Model) -> bool:
    """Would `obj`, as it is in memory now, be inside `user`'s scope? Mirrors `scope_q`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    model = type(obj)
    if model._meta.label == "registry.Area":
        if user.role in (Role.ADMIN, Role.LEADER, Role.DEPARTMENT):
            return True
        if user.role == Role.TOWNSHIP:
            return bool(_township_id(user)) and obj.township_id == _township_id(user)
        if user.role == Role.GRID:
            return obj.pk in _grid_ids(user)
        if user.role == Role.ENTERPRISE and user.enterprise_id:
            ent = user.enterprise
            return obj.pk in (ent.township_id, ent.village_id, ent.grid_id)
        return False
    fields = _declared(model)
    if fields is None:
        return False
    if fields.public or user.role in (Role.ADMIN, Role.LEADER):
        return True
    if fields.owner and _value(obj, fields.owner) == user.pk:
        return True
    if user.role == Role.DEPARTMENT:
        return (fields.industry is not None and _value(obj, fields.industry) in _industry_ids(user)) or (
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
    if user.role == Role.ENTERPRISE:
        return fields.enterprise is not None and user.enterprise_id is not None and (
            _value(obj, fields.enterprise) == user.enterprise_id
        )
    return False


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
    elif rule.kind not in ("visible", "own_organisation"):
        return target._default_manager.none()
    return narrow(user, queryset)


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
