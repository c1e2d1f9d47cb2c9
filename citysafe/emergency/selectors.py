"""Reads of the incident command page: resources ranked by travel time, the green-channel
route, the matching plans. Always through core.scope.narrow (a user ranks what it may see)."""
from dataclasses import dataclass

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.emergency.models import Expert, Hospital, Material, Plan, RescueTeam, Shelter, Stockpile
from citysafe.emergency.network import load_network
from kernels import routing

# Off the network (yard, lane, field) a vehicle is taken to make 20 km/h, as in kernels.coverage.
ACCESS_SPEED_MS = 20 / 3.6
TOP_K = 5


@dataclass
class Ranked:
    record: object
    seconds: float
    metres_off_road: float

    @property
    def minutes(self) -> str:
        return f"{self.seconds / 60:.1f}"


def _located(user, model, **filters):
    return list(scope.narrow(user, model.objects.filter(lon__isnull=False, lat__isnull=False, **filters))
                .order_by("id"))


def rank(network, incident, records, *, towards_incident: bool, k: int = TOP_K) -> list[Ranked]:
    """`records` nearest to the incident by travel time (driving to it when towards_incident:
    one reverse search, kernels.routing.nearest), each leg off the road network at 20 km/h."""
    if network is None or not records:
        return []
    origin, origin_m = routing.snap(network, incident.lon, incident.lat)
    nodes, metres = routing.snap_many(network, [r.lon for r in records], [r.lat for r in records])
    found = routing.nearest(network, origin, nodes, len(records), reverse=towards_incident)
    ranked = [Ranked(records[i], s + (origin_m + metres[i]) / ACCESS_SPEED_MS, float(metres[i])) for i, s in found]
    ranked.sort(key=lambda r: (r.seconds, r.record.pk))
    return ranked[:k]


def ranked_resources(user, incident, k: int = TOP_K) -> dict:
    network = load_network().network
    teams = _located(user, RescueTeam)
    stockpiles = _located(user, Stockpile)
    materials_of = {}
    for material in scope.narrow(user, Material.objects.filter(stockpile__in=stockpiles, quantity__gt=0)).order_by(
            "name", "id"):
        materials_of.setdefault(material.stockpile_id, []).append(material)
    stockpile_ranks = rank(network, incident, [s for s in stockpiles if s.pk in materials_of],
                           towards_incident=True, k=k)
    for entry in stockpile_ranks:
        entry.materials = materials_of.get(entry.record.pk, [])
    return {
        "teams": rank(network, incident, teams, towards_incident=True, k=k),
        "stockpiles": stockpile_ranks,
        "experts": rank(network, incident, _located(user, Expert), towards_incident=True, k=k),
        "shelters": rank(network, incident, _located(user, Shelter), towards_incident=False, k=k),
        "hospitals": rank(network, incident, _located(user, Hospital), towards_incident=False, k=k),
        "has_network": network is not None,
    }


class NoRoute(Exception):
    pass


def green_channel(team, incident) -> dict:
    """The fastest open-road route from the team to the incident, as GeoJSON with its time;
    NoRoute with a Chinese reason when the network does not connect them."""
    loaded = load_network()
    if loaded.network is None:
        raise NoRoute(_("尚未导入道路网络，无法规划路线"))
    if team.lon is None or team.lat is None:
        raise NoRoute(_("该队伍没有位置，无法规划路线"))
    network = loaded.network
    a, a_m = routing.snap(network, team.lon, team.lat)
    b, b_m = routing.snap(network, incident.lon, incident.lat)
    try:
        path = routing.route(network, a, b)
    except routing.Unreachable:
        raise NoRoute(_("不可达：从“%(team)s”到事发地没有可通行的道路（道路封闭或路网不连通）") % {
            "team": team.name}) from None
    coords = [[team.lon, team.lat], *[list(c) for c in path.coords], [incident.lon, incident.lat]]
    seconds = path.seconds + (a_m + b_m) / ACCESS_SPEED_MS
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords},
            "properties": {"seconds": round(seconds, 1), "metres": round(path.metres + a_m + b_m, 1),
                           "minutes": round(seconds / 60, 1), "team": team.name}}


def matching_plans(user, incident, limit: int = 5) -> list:
    """Approved plans for this kind of incident (or general ones) the user may see, the
    closest level first: the incident's enterprise, its township's community plan, then the
    government's special and overall plans."""
    order = {Plan.Level.ENTERPRISE: 0, Plan.Level.COMMUNITY: 1, Plan.Level.DEPARTMENT: 2,
             Plan.Level.GOVERNMENT_SPECIAL: 3, Plan.Level.GOVERNMENT_OVERALL: 4}
    plans = scope.narrow(user, Plan.objects.filter(status=Plan.Status.APPROVED)).filter(
        Q(incident_type=incident.incident_type) | Q(incident_type=""))
    plans = plans.filter(Q(enterprise__isnull=True) | Q(enterprise_id=incident.enterprise_id))
    plans = [p for p in plans if p.level not in (Plan.Level.COMMUNITY,) or p.township_id == incident.township_id]
    plans.sort(key=lambda p: (order.get(p.level, 9), p.incident_type == "", p.pk))
    return plans[:limit]


def finite(value) -> bool:
    return bool(np.isfinite(value))
