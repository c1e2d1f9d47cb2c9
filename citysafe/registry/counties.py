"""Which counties a user's rows may lie in, read from the area tree (registered with
core.scope, which alone decides what it means: see "counties" in core/scope.py).

- a county's users (admin, leader, department, township): the county of their organisation's
  area; a grid worker: the county of its grids; an enterprise officer: its enterprise's county;
- the prefecture office (州（市）安委办): every county under its organisation's area (a
  prefecture's counties; a province's, through its prefectures);
- a user whose organisation has no area (the accounts of a one-county deployment often have
  none): the home county — the deployment's first county (lowest id), which also owns the rows
  no key places in a county.
"""
from django.db.models import Q

from citysafe.core.roles import Role
from citysafe.core.scope import Counties
from citysafe.registry.models import Area


def _area_counties(area: Area) -> set[int]:
    if area.level == Area.Level.COUNTY:
        return {area.pk}
    if area.level in (Area.Level.PREFECTURE, Area.Level.PROVINCE):
        below = Area.objects.filter(level=Area.Level.COUNTY, archived_at__isnull=True).filter(
            Q(parent=area) | Q(parent__parent=area))
        return set(below.values_list("pk", flat=True))
    return {area.county_id} if area.county_id else set()


def counties_for(user) -> Counties:
    counties = list(Area.objects.filter(level=Area.Level.COUNTY).order_by("pk").values_list("pk", flat=True)[:2])
    home = counties[0] if counties else None
    single = len(counties) <= 1
    role = getattr(user, "role", None)
    if single and role != Role.PREFECTURE:
        # One county (or none): every county user is in it and core.scope adds no condition,
        # so the user's organisation and area need not be read on every request.
        return Counties(ids=frozenset([home]) if home is not None else frozenset(), home=home, single=True)
    organisation = getattr(user, "organisation", None)
    area = organisation.area if organisation is not None else None
    if role == Role.PREFECTURE:
        ids = _area_counties(area) if area is not None else set()
    elif role == Role.ENTERPRISE and getattr(user, "enterprise_id", None):
        ids = set(Area.objects.filter(pk=user.enterprise.township_id).values_list("county", flat=True))
    elif role == Role.GRID and user.pk is not None and user.grids.exists():
        ids = set(user.grids.values_list("county", flat=True))
    elif area is not None:
        ids = _area_counties(area) if area.level == Area.Level.COUNTY else ({area.county_id} if area.county_id else set())
    else:
        ids = {home} if home is not None else set()
    return Counties(ids=frozenset(pk for pk in ids if pk is not None), home=home, single=single)
