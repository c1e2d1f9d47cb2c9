"""Which counties a user's rows may lie in, read from the area tree (registered with
core.scope, which alone decides what it means: see "counties" in core/scope.py).

- a county's users (admin, leader, department, township): the county of their organisation's
  area; a grid worker: the county of its grids; an enterprise officer: its enterprise's county;
- the prefecture office (州（市）安委办): every county under its organisation's area (a
  prefecture's counties; a province's, through its prefectures);
- the system account (core.workflow.system: scheduled jobs, sensors): every county;
- a user whose organisation has no area (the accounts of a one-county deployment often have
  none): the home county — the deployment's first county (lowest id), which also owns the rows
  no key places in a county.
"""
from django.db.models import Exists, Q
from django.utils.translation import gettext as _
from shapely.geometry import Point

from citysafe.core.audit import ROOT
from citysafe.core.roles import Role
from citysafe.core.scope import Counties, counties_of
from citysafe.core.validation import county_boundary, field_error
from citysafe.core.workflow.system import is_system_actor
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
    if not single and is_system_actor(user):
        # The system account (scheduled jobs, sensors) acts for every county of the deployment:
        # its writes still pass through the services (scoped, audited), in any county.
        every = Area.objects.filter(level=Area.Level.COUNTY).values_list("pk", flat=True)
        return Counties(ids=frozenset(every), home=home, single=False)
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


# ---- rows of county tables (configuration, publications, subscriptions) ---------------------
# A table of county-wide rows (ScopeFields(county="county")) keeps the county a row belongs to;
# a row without one (written before the deployment had several counties) belongs to the home
# county, as core.scope reads it. The services that create such rows ask here which county.

def own_county_id(user) -> int | None:
    """`home_county_of` as an id, without a query of its own (core.scope's cached counties)."""
    ids = counties_of(user).ids
    if getattr(user, "role", None) == Role.PREFECTURE or len(ids) != 1:
        return None
    return next(iter(ids))


def acting_county_id(user) -> int | None:
    """The county `user` acts in where the deployment has several: the county of the rows it
    creates and whose outline bounds the locations it saves (core.validation's check). None in
    a one-county deployment (rows keep no county — the home county's — and the deployment's
    outline bounds locations, exactly as before) and for a user of several counties."""
    return None if counties_of(user).single else own_county_id(user)


def home_county_of(user) -> Area | None:
    """The one county `user` acts in (its organisation's county; a one-county deployment: the
    home county), or None for a user of several counties (the prefecture office) or of none."""
    pk = own_county_id(user)
    return Area.objects.filter(pk=pk).first() if pk is not None else None


def county_for_write(user, county_id=None, *, field: str = "county") -> Area | None:
    """The county a county-table row `user` creates belongs to. A county's user: its own county
    (naming another is refused). A user of several counties (the prefecture office) must name
    one of its own counties; the prefecture never gets another's. Refusal: a field error
    (422 on the API) naming `field`. None in a one-county deployment (see acting_county_id)."""
    counties = counties_of(user)
    ids = counties.ids
    if county_id in (None, ""):
        if counties.single:  # one county: rows keep none (the home county's), as before
            return None
        own = home_county_of(user)
        if own is not None or not ids:
            return own
        raise field_error(field, _("请选择所属县（区）"), "required")
    try:
        county_id = int(county_id)
    except (TypeError, ValueError):
        county_id = None
    if county_id not in ids:
        raise field_error(field, _("所选的县（区）不在您的管辖范围内"), "out_of_scope")
    return Area.objects.get(pk=county_id)


def county_rows_q(county_id: int | None, path: str = "county"):
    """Rows of a county table that belong to `county_id` (None: the home county): its own rows,
    and the rows without a county when it is the home county. One condition, no extra query
    (the home county is a subquery), so one-county deployments read as before."""
    counties = Area.objects.filter(level=Area.Level.COUNTY)
    if county_id is None:
        home = counties.order_by("pk").values("pk")[:1]
        return Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__in": home})
    earlier = counties.filter(pk__lt=county_id)
    return Q(**{path: county_id}) | (Q(**{f"{path}__isnull": True}) & ~Exists(earlier))


def county_at(lon, lat) -> int | None:
    """The county whose outline holds the point (the first by id), else None."""
    point = Point(float(lon), float(lat))
    for pk in Area.objects.filter(level=Area.Level.COUNTY, archived_at__isnull=True).order_by("pk").values_list(
            "pk", flat=True):
        boundary = county_boundary(pk)
        if boundary is not None and boundary.covers(point):
            return pk
    return None


def audit_chains_for(user) -> frozenset[str] | None:
    """The audit chains `user` reads (core.audit.visible_chains): the chains of its counties
    (their area codes), the prefecture office also its own area's, and the home county's
    wide roles the "root" chain. None (every chain) in a one-county deployment."""
    counties = counties_of(user)
    if counties.single and (counties.home is None or counties.home in counties.ids):
        return None
    keys = {code[:32] for code in Area.objects.filter(pk__in=sorted(counties.ids)).values_list("code", flat=True)}
    organisation = getattr(user, "organisation", None)
    area = organisation.area if organisation is not None else None
    if area is not None and area.level in (Area.Level.PREFECTURE, Area.Level.PROVINCE):
        keys.add(area.code[:32])
    if counties.home in counties.ids:
        keys.add(ROOT)
    return frozenset(keys)


def public_county(code: str = "") -> tuple[int | None, bool, bool]:
    """The county a no-login page (the public risk map) shows: the one whose code is given, else
    the home county. Returns (its id, whether it is the home county, whether the deployment has
    several counties); (None, False, several) for a code that names no county."""
    counties = list(Area.objects.filter(level=Area.Level.COUNTY, archived_at__isnull=True).order_by("pk")
                    .values_list("pk", "code"))
    several = len(counties) > 1
    if not counties:
        return None, True, False
    if not code:
        return counties[0][0], True, several
    found = [pk for pk, county_code in counties if county_code == code]
    return (found[0], found[0] == counties[0][0], several) if found else (None, False, several)


# ---- whom to tell: the people of one record's county ----------------------------------------
# Several counties share the industry list and each has its own county office (admins, leaders),
# so a list of people to notify about ONE record is narrowed to that record's county (issue 19).
# Every recipient builder (hazard escalation and notices, alarms, risk reminders, enforcement,
# policy targets, suspensions) uses these two; a one-county deployment is left unchanged.

def several_counties_home() -> int | None:
    """The home county where the deployment has several counties; None where it has one (then
    no recipient list is narrowed). One query."""
    counties = list(Area.objects.filter(level=Area.Level.COUNTY).order_by("pk").values_list("pk", flat=True)[:2])
    return counties[0] if len(counties) > 1 else None


def record_county(area_id=None) -> int | None:
    """The county to narrow a record's recipients to: the county of its area (a township, or the
    responsible organisation's area), else (a record no area places) the home county. None in a
    deployment of one county (nothing narrowed)."""
    home = several_counties_home()
    if home is None:
        return None
    county = Area.objects.filter(pk=area_id).values_list("county", flat=True).first() if area_id else None
    return county or home


# A person's county, for whom to tell: its organisation's area's county; a person without a
# placed organisation is the home county's (as core.scope reads them). The one rule, used by
# `people_of_county` (one county's people) and, row by row, `person_county` (hazard escalation
# groups a chunk's recipients by county in one query).
PERSON_COUNTY = "organisation__area__county"


def person_county(county_id: int | None, home: int) -> int:
    """The county of a person whose PERSON_COUNTY value is `county_id` (None: unplaced)."""
    return county_id or home


def people_of_county(users, county_id: int | None):
    """`users` (a User queryset) narrowed to the people of county `county_id` (PERSON_COUNTY;
    for the home county also those without a placed organisation). `county_id` None (one
    county): unchanged."""
    if county_id is None:
        return users
    own = Q(**{PERSON_COUNTY: county_id})
    if county_id == several_counties_home():
        own |= Q(**{f"{PERSON_COUNTY}__isnull": True})
    return users.filter(own)
