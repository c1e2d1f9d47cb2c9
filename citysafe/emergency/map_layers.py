"""The resource map's point layers (fire stations, teams, stockpiles, shelters, hospitals, water
sources, experts, incidents), scoped through core.scope.narrow and view-aware like the registry's
point layers (issue 19, "maps that scale"): asked with `?bbox=…&zoom=…`, a zoomed-out view over
more than MAP_FEATURE_LIMIT rows is answered with per-cell counts (the registry map's viewport
code), any other view with the rows in the box; without bbox/zoom the layer is whole as before.
The road network layer (`shown_roads`) shows a user its own counties' segments only."""
from django.urls import reverse

from citysafe.core import scope
from citysafe.core.db import read_alias
from citysafe.core.scope_fields import ScopeFields
from citysafe.emergency.kinds import KIND_BY_KEY
from citysafe.emergency.models import RoadSegment
from citysafe.registry.map import viewport as views_of

MAP_LAYERS = ("fire-stations", "teams", "stockpiles", "shelters", "hospitals", "water-sources", "experts",
              "incidents")


def resource_layer(user, key: str, viewport=None, *, with_extent: bool = False) -> dict:
    kind = KIND_BY_KEY[key]
    rows = scope.narrow(user, kind.model.objects.filter(lon__isnull=False, lat__isnull=False)).using(read_alias())
    head = {"type": "FeatureCollection"}
    if with_extent:
        head["extent"] = views_of.extent(rows)
    clusters = views_of.clusters_for(rows, viewport)
    if clusters is not None:
        return views_of.clusters_collection(clusters, viewport, **head)
    label = "title" if key == "incidents" else "name"
    found, truncated = views_of.capped(views_of.within(rows, viewport).order_by("id")
                                       .values_list("pk", label, "lon", "lat"), viewport)
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                 "properties": {"kind": key, "name": name, "url": reverse("emergency:detail", args=[key, pk])}}
                for pk, name, lon, lat in found]
    return {**head, **views_of.view_properties(viewport, "features", truncated), "features": features}


# A segment's county is the county that imported it (null: before there were several, the home
# county's), read as a county table's rows are.
_ROAD_COUNTY = ScopeFields(county="county")


def shown_roads(user):
    """The road segments the road layer and the roads page show `user`: its own county's (the
    prefecture office: every county under it), like every other layer (issue 19). Only what is
    shown is scoped: routing (emergency/network.py) runs on the whole network, since roads cross
    county lines and a route to an incident may leave the county. RoadSegment is PUBLIC (every
    user routes on it), so the county condition is asked of core.scope explicitly."""
    return RoadSegment.objects.filter(scope.county_q(user, RoadSegment, _ROAD_COUNTY))
