"""Which county an assessment row belongs to. A private helper until registry/counties.py offers
one (`home_county_of`, being added by another branch; the coordinator unifies them): it reads
only what core.scope already decided (`scope.counties_of`), so no role is named here."""
from django.db.models import Q

from citysafe.core import scope


def county_of(user) -> int | None:
    """The one county `user` acts for (its organisation's county; the home county for an account
    placed nowhere), or None for an office over several counties (the prefecture)."""
    counties = scope.counties_of(user)
    if len(counties.ids) == 1:
        return next(iter(counties.ids))
    if not counties.ids:
        return counties.home
    return None


def in_county(county_id: int | None, path: str = "area") -> Q:
    """Rows whose `path` (an Area foreign key) lies in the county: the county itself, an area under
    it, or — for the home county — nothing placed at all (a one-county deployment's accounts)."""
    if county_id is None:
        return Q()
    q = Q(**{path: county_id}) | Q(**{f"{path}__county": county_id})
    if county_id == home_county():
        q |= Q(**{f"{path}__isnull": True})
    return q


def home_county() -> int | None:
    from citysafe.registry.models import Area

    return Area.objects.filter(level=Area.Level.COUNTY).order_by("pk").values_list("pk", flat=True).first()
