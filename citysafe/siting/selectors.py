"""Reads of conflicts and site checks, always through core.scope."""
from django.db.models import Count, Min

from citysafe.core import scope
from citysafe.registry.models import Area, Industry
from citysafe.siting.models import Conflict, ConflictStatus, SiteCheck

FILTERS = ("township_id", "industry_id", "status", "hazardous_kind", "sensitive_kind")


def parse_filters(params) -> dict:
    """The list filters from a query dict; an unknown status or a non-number id is ignored."""
    out = {}
    for key in FILTERS:
        value = (params.get(key) or "").strip()
        if not value:
            continue
        if key.endswith("_id"):
            if value.isdigit():
                out[key] = int(value)
        elif key == "status":
            if value in ConflictStatus.values:
                out[key] = value
        else:
            out[key] = value
    return out


def conflicts_for(user, filters: dict | None = None, *, current: bool = True):
    rows = Conflict.objects.filter(**(filters or {}))
    if current:
        rows = rows.filter(is_current=True)
    return scope.narrow(user, rows).select_related("township", "industry", "rule", "hazard")


def conflict_for(user, pk) -> Conflict:
    return scope.get_in_scope(user, Conflict.objects.select_related("township", "industry", "rule", "hazard"), pk)


def summary(user, filters: dict | None = None) -> dict:
    """Counts per township and per industry (open / all), and the worst shortfall."""
    rows = conflicts_for(user, filters)
    by = {}
    for field, model in (("township", Area), ("industry", Industry)):
        counts = (rows.values(f"{field}_id").annotate(n=Count("id"), worst=Min("distance_m"))
                  .order_by("-n"))
        names = dict(model.objects.filter(pk__in=[c[f"{field}_id"] for c in counts]).values_list("pk", "name"))
        open_counts = dict(rows.filter(status=ConflictStatus.OPEN).values_list(f"{field}_id").annotate(n=Count("id")))
        by[field] = [{"id": c[f"{field}_id"], "name": names.get(c[f"{field}_id"], "—"), "count": c["n"],
                      "open": open_counts.get(c[f"{field}_id"], 0)} for c in counts]
    return by


def conflict_geojson(conflicts) -> dict:
    """Both sites and the line between them, per conflict (the map)."""
    features = []
    for c in conflicts:
        props = {"id": c.pk, "distance_m": c.distance_m, "required_m": c.required_m, "status": c.status}
        features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [
            [c.hazardous_lon, c.hazardous_lat], [c.sensitive_lon, c.sensitive_lat]]},
            "properties": {**props, "kind": "line",
                           "name": f"{c.hazardous_name} ↔ {c.sensitive_name}: {c.distance_m:.1f} m < {c.required_m:g} m"}})
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [c.hazardous_lon, c.hazardous_lat]},
                         "properties": {**props, "kind": "hazardous", "name": c.hazardous_name}})
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [c.sensitive_lon, c.sensitive_lat]},
                         "properties": {**props, "kind": "sensitive", "name": c.sensitive_name}})
    return {"type": "FeatureCollection", "features": features}


def townships_for(user):
    return scope.narrow(user, Area.objects.filter(level=Area.Level.TOWNSHIP)).order_by("code")


def site_checks_for(user):
    return scope.narrow(user, SiteCheck.objects.all()).select_related("township", "created_by")


def site_check_for(user, pk) -> SiteCheck:
    return scope.get_in_scope(user, SiteCheck.objects.select_related("township", "created_by"), pk)


MATCH_FILTERS = ("township_id", "industry_id", "action", "status", "item_id")


def parse_match_filters(params) -> dict:
    """The match list filters from a query dict; unknown values are ignored."""
    from citysafe.siting.models import MatchStatus, RequiredAction

    out = {}
    for key in MATCH_FILTERS:
        value = (params.get(key) or "").strip()
        if key.endswith("_id"):
            if value.isdigit():
                out[key] = int(value)
        elif value in {"action": RequiredAction.values, "status": MatchStatus.values}[key]:
            out[key] = value
    return out


def catalogue_matches_for(user, filters: dict | None = None):
    from citysafe.siting.models import CatalogueMatch

    rows = CatalogueMatch.objects.filter(is_current=True, **(filters or {}))
    return scope.narrow(user, rows).select_related("enterprise", "item", "township", "industry")


def catalogue_matches_by_township(user, filters: dict | None = None) -> list[dict]:
    """Counts per township (all / pending), for the page's summary."""
    rows = catalogue_matches_for(user, filters)
    counts = rows.values("township_id").annotate(n=Count("id")).order_by("-n")
    names = dict(Area.objects.filter(pk__in=[c["township_id"] for c in counts]).values_list("pk", "name"))
    pending = dict(rows.filter(status="pending").values_list("township_id").annotate(n=Count("id")))
    return [{"id": c["township_id"], "name": names.get(c["township_id"], "—"), "count": c["n"],
             "pending": pending.get(c["township_id"], 0)} for c in counts]
