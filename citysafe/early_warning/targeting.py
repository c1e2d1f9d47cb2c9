"""Who receives a published warning: the responsible persons of its area, found from the
registry (grid workers of the grids in it, township officers and the townships' first/direct
responsible persons, village heads, safety officers of the enterprises and managers of the
places inside it) and the residents who subscribed (by location or by chosen areas).

Points (enterprises, places, subscribers) are tested against the area in one vectorised
call each (kernels.targeting); areas chosen by name go by membership."""
from dataclasses import dataclass, field

import numpy as np
from django.contrib.auth import get_user_model
from shapely.geometry import shape

from citysafe.core.roles import Role
from citysafe.early_warning.areas import area_shape
from citysafe.early_warning.models import Subscription, Warning
from citysafe.registry.models import Area, Enterprise, Person, Place
from kernels.targeting import inside_area

VILLAGE_HEAD_WORDS = ("村主任", "村支书", "村书记", "村委会主任", "社区主任")


@dataclass
class Recipients:
    users: dict = field(default_factory=dict)          # user -> township id
    persons: dict = field(default_factory=dict)        # person -> township id
    subscriptions: dict = field(default_factory=dict)  # subscription -> township id (or None)
    township_codes: list = field(default_factory=list)


def _points_inside(rows, geom) -> list:
    """rows: (obj-or-id, lon, lat, ...) → those inside `geom` (one vectorised test)."""
    if not rows:
        return []
    xs = np.fromiter((r[1] for r in rows), float, len(rows))
    ys = np.fromiter((r[2] for r in rows), float, len(rows))
    return [rows[i] for i in inside_area(xs, ys, geom)]


def affected_grids(warning: Warning, geom) -> dict[int, int]:
    """grid id -> township id of the grids in the area."""
    townships = list(warning.townships.values_list("pk", flat=True))
    grids = Area.objects.filter(level=Area.Level.GRID, township_id__in=townships, archived_at__isnull=True)
    if warning.area_kind == "areas":
        chosen = list(warning.areas.all())
        ids = {a.pk for a in chosen}
        grids = grids.filter(pk__in=ids) | grids.filter(parent_id__in=ids) | grids.filter(township_id__in=[
            a.pk for a in chosen if a.level == Area.Level.TOWNSHIP])
        return dict(grids.values_list("pk", "township_id"))
    found = {}
    for pk, township, outline in grids.values_list("pk", "township_id", "geometry"):
        if outline and shape(outline).intersects(geom):
            found[pk] = township
    return found


def recipients_for(warning: Warning) -> Recipients:
    geom = area_shape(warning)
    result = Recipients()
    townships = list(warning.townships.all())
    result.township_codes = [t.code for t in townships]
    township_ids = [t.pk for t in townships]
    grids = affected_grids(warning, geom)
    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    for user in users.filter(role=Role.GRID, grids__in=list(grids)).distinct():
        mine = [g for g in user.grids.values_list("pk", flat=True) if g in grids]
        result.users[user] = grids[mine[0]] if mine else None
    for user in users.filter(role=Role.TOWNSHIP, organisation__area_id__in=township_ids).select_related("organisation"):
        result.users[user] = user.organisation.area_id
    from citysafe.accounts.models import Organisation

    for org in Organisation.objects.filter(area_id__in=township_ids).select_related(
            "first_responsible", "direct_responsible"):
        for person in (org.first_responsible, org.direct_responsible):
            if person is not None and person.archived_at is None:
                result.persons[person] = org.area_id
    for person in Person.objects.filter(grid_id__in=list(grids), archived_at__isnull=True):
        if any(word in (person.title or "") for word in VILLAGE_HEAD_WORDS):
            result.persons[person] = grids[person.grid_id]
    enterprises = list(Enterprise.objects.filter(township_id__in=township_ids, archived_at__isnull=True,
                                                 safety_officer__isnull=False)
                       .values_list("safety_officer_id", "lon", "lat", "township_id"))
    places = list(Place.objects.filter(township_id__in=township_ids, archived_at__isnull=True)
                  .values_list("pk", "lon", "lat", "township_id"))
    inside_places = {pk: township for pk, _x, _y, township in _points_inside(places, geom)} if geom else {}
    officers = {pk: township for pk, _x, _y, township in _points_inside(enterprises, geom)} if geom else {}
    managers = Place.responsible_persons.through.objects.filter(place_id__in=list(inside_places)).values_list(
        "person_id", "place_id")
    person_township = {**officers, **{person: inside_places[place] for person, place in managers}}
    for person in Person.objects.filter(pk__in=list(person_township), archived_at__isnull=True):
        result.persons[person] = person_township[person.pk]
    result.subscriptions = subscribers_for(warning, geom, township_ids, grids)
    return result


def subscribers_for(warning, geom, township_ids, grids) -> dict:
    active = Subscription.objects.filter(confirmed_at__isnull=False, cancelled_at__isnull=True)
    found = {}
    located = list(active.filter(lon__isnull=False, lat__isnull=False).values_list("pk", "lon", "lat"))
    for pk, _x, _y in (_points_inside(located, geom) if geom else []):
        found[pk] = None
    areas = set(township_ids) | set(grids) | set(warning.areas.values_list("pk", flat=True))
    by_area = Subscription.areas.through.objects.filter(subscription__in=active, area_id__in=areas)
    for pk, area in by_area.values_list("subscription_id", "area_id"):
        found.setdefault(pk, area if area in township_ids else grids.get(area))
    return {s: found[s.pk] for s in Subscription.objects.filter(pk__in=list(found))}
