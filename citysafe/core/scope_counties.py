"""Counties in one deployment: part of core.scope (which imports everything here; apps use
`core.scope`). Every row belongs to exactly one county, found through the model's keys
(`county_paths`), and a user sees rows of its own counties only (a county's users: their
county; the prefecture office: every county under its area). Rows no key places in a county
(an unplaced person, a county-wide configuration table) belong to the deployment's home county
— its first county (lowest id) — so a county user elsewhere neither sees nor creates them
(save_record checks `scope.may_write`). The area tree lives in the registry, which registers
how to read it (`register_county_source`); core names no app."""
from dataclasses import dataclass

from django.db.models import Model, Q

from citysafe.core.scope_fields import ScopeFields

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Counties:
    """The counties a user's rows may lie in, the home county, and whether the deployment has
    only one county (then no county condition is added at all)."""

    ids: frozenset[int]
    home: int | None
    single: bool


_COUNTY_SOURCE = None


def register_county_source(source) -> None:
    """`source(user) -> Counties`; registered once by the app that owns the area tree."""
    global _COUNTY_SOURCE
    _COUNTY_SOURCE = source


def counties_of(user) -> Counties:
    cached = getattr(user, "_scope_counties", None)
    if cached is None:
        cached = _COUNTY_SOURCE(user) if _COUNTY_SOURCE is not None else Counties(frozenset(), None, True)
        user._scope_counties = cached
    return cached


def _one_county(counties: Counties) -> bool:
    """A deployment of (at most) one county, and the user is in it: no county condition."""
    return counties.single and (counties.home is None or counties.home in counties.ids)


def county_paths(model: type[Model], fields: ScopeFields) -> tuple[str, ...]:
    """ORM paths from `model` to a county id: the declared one, else derived from the keys."""
    if fields.county:
        return (fields.county,) if isinstance(fields.county, str) else tuple(fields.county)
    paths = []
    if fields.township:
        paths.append("county" if fields.township == "id" else f"{fields.township}__county")
    if fields.grid and fields.grid != "id":
        paths.append(f"{fields.grid}__county")
    if fields.enterprise:
        paths.append("township__county" if fields.enterprise == "id" else f"{fields.enterprise}__township__county")
    if fields.organisation:
        paths.append("area__county" if fields.organisation == "id" else f"{fields.organisation}__area__county")
    if fields.owner:
        paths.append("organisation__area__county" if fields.owner == "id"
                     else f"{fields.owner}__organisation__area__county")
    return tuple(dict.fromkeys(paths))


def _multi_valued(model: type[Model], path: str) -> bool:
    for hop in path.split("__")[:-1]:
        field = model._meta.get_field(hop)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def county_q(user, model: type[Model], fields: ScopeFields) -> Q:
    """Rows of `model` in the user's counties (Q() in a one-county deployment)."""
    counties = counties_of(user)
    if _one_county(counties):
        return Q()
    ids = sorted(counties.ids)
    paths = county_paths(model, fields)
    placed = NOTHING
    for path in paths:
        if _multi_valued(model, path):  # a subquery, so the join does not repeat rows
            placed |= Q(pk__in=model._default_manager.filter(**{f"{path}__in": ids}).values("pk"))
        else:
            placed |= Q(**{f"{path}__in": ids})
    if counties.home in counties.ids:
        if not paths:  # a COUNTY_WIDE table: every row is the home county's (NOTHING | Q() would be NOTHING)
            return Q()
        unplaced = Q()
        for path in paths:
            unplaced &= Q(**{f"{path}__isnull": True}) if not _multi_valued(model, path) else ~Q(
                pk__in=model._default_manager.filter(**{f"{path}__isnull": False}).values("pk"))
        placed |= unplaced
    return placed


def _county_values(obj: Model, fields: ScopeFields) -> list:
    """The county ids `obj`'s county paths lead to (many-valued paths: as saved)."""
    found = []
    for path in county_paths(type(obj), fields):
        if _multi_valued(type(obj), path):
            if obj.pk is not None:
                found += list(type(obj)._default_manager.filter(pk=obj.pk).values_list(path, flat=True))
        else:
            found.append(_value(obj, path))
    return found


def _in_counties(user, obj: Model, fields: ScopeFields) -> bool:
    """`county_q` for one object in memory."""
    counties = counties_of(user)
    if _one_county(counties):
        return True
    found = [pk for pk in _county_values(obj, fields) if pk is not None]
    if found:
        return any(pk in counties.ids for pk in found)
    return counties.home in counties.ids


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
