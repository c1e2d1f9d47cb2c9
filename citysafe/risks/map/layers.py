"""GeoJSON of the four-colour map, always through core.scope (a township sees its township).

A `Viewer` is either a signed-in user (scope.narrow decides, as on every list) or the public
(`PUBLIC_VIEWER`): then the county-wide rows minus what the publication hides — risk points
and installations marked sensitive, and whole classes the admin switched off (installations,
enterprise names, gatherings). Area colours are the stored AreaLevel rows (the risks app keeps
them current); an area raised by another capability carries `raised` and its reason.
Popups get names, levels and types only; the risk card (cards.py) is asked for on click.
"""
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils import timezone

from citysafe.core import scope
from citysafe.registry.map import viewport as views_of
from citysafe.registry.map.selectors import (
    AREA_LAYERS,
    OUTLINE_CACHE_SECONDS,
    _outlines_key,
    _point,
    area_features,
    simplified_outline,
)
from citysafe.registry.models import Area
from citysafe.risks.models import AreaLevel, Gathering, MajorHazardInstallation, RiskMapPublication, RiskPoint

RISK_AREA_LAYERS = ("townships", "grids")
LAYERS = (*RISK_AREA_LAYERS, "points", "installations", "gatherings")
FILTERS = ("township", "industry", "type", "level")


@dataclass(frozen=True)
class Viewer:
    user: object = None
    publication: RiskMapPublication | None = None
    # The public map of a deployment of several counties shows one county's rows (None: all).
    county: int | None = None
    home: bool = False

    @property
    def is_public(self) -> bool:
        return self.user is None

    def narrow(self, queryset):
        if self.is_public:
            if self.county is not None:
                queryset = scope.in_county(self.county, queryset, home=self.home)
            return queryset.filter(archived_at__isnull=True) if hasattr(queryset.model, "archived_at") else queryset
        return scope.narrow(self.user, queryset)


def current_publication(county_id: int | None = None) -> RiskMapPublication | None:
    """The publication in force in a county (None: the home county, whose map the public pages
    show), or None when the map is not (or no longer) public."""
    from citysafe.risks.map.publication import latest_publication

    latest = latest_publication(county_id)
    return latest if latest is not None and latest.is_published else None


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _public_outlines(layer: str, filters: dict, county: int | None = None) -> list[dict]:
    level = AREA_LAYERS[layer]
    if county is not None:
        filters = {**filters, "county_id": county}
    rows = list(Area.objects.filter(level=level, archived_at__isnull=True, **filters).order_by("code")
                .values_list("id", "name", "code", "township_id", "updated_at"))
    versions = {pk: f"{updated.timestamp():.6f}" for pk, *_rest, updated in rows}
    key = "public:" + _outlines_key(level, versions)
    outlines = cache.get(key)
    if outlines is None:
        outlines = {str(pk): simplified_outline(geometry, level)
                    for pk, geometry in Area.objects.filter(pk__in=versions).values_list("id", "geometry")}
        cache.set(key, outlines, timeout=OUTLINE_CACHE_SECONDS)
    return [{"type": "Feature", "id": pk, "geometry": outlines[str(pk)],
             "properties": {"name": name, "code": code, "township": township_id}}
            for pk, name, code, township_id, _updated in rows if outlines.get(str(pk))]


def area_level_features(viewer: Viewer, layer: str, filters: dict) -> list[dict]:
    """Townships or grids with their colour: `level` (effective: computed or raised), the
    computed level, counts per level, and the raise with its reason."""
    area_filters = {"township_id": filters["township"]} if filters.get("township") and layer == "grids" else {}
    if viewer.is_public:
        features = _public_outlines(layer, area_filters, viewer.county)
    else:
        features = area_features(viewer.user, layer, area_filters)
    if filters.get("township") and layer == "townships":
        features = [f for f in features if f["id"] == filters["township"]]
    ids = [f["id"] for f in features]
    levels = {row.area_id: row for row in AreaLevel.objects.filter(area_id__in=ids)}
    for feature in features:
        row = levels.get(feature["id"])
        props = feature["properties"]
        props["level"] = row.effective_level if row else 0
        props["computed_level"] = row.level if row else 0
        props["counts"] = row.counts if row else [0, 0, 0, 0]
        props["raised"] = bool(row and row.raised_level and row.raised_level < (row.level or 5))
        props["raise_reason"] = row.raise_reason if row and props["raised"] else ""
    return features


def _installation_points():
    return MajorHazardInstallation.objects.filter(risk_point=OuterRef("pk"), is_major=True, archived_at__isnull=True)


def risk_points(viewer: Viewer, filters: dict):
    queryset = viewer.narrow(RiskPoint.objects.all())
    if filters.get("township"):
        queryset = queryset.filter(township_id=filters["township"])
    if filters.get("industry"):
        queryset = queryset.filter(industry_id=filters["industry"])
    if filters.get("type"):
        queryset = queryset.filter(category=filters["type"])
    if filters.get("level") not in (None, ""):
        queryset = queryset.filter(level=filters["level"])
    queryset = queryset.annotate(is_installation=Exists(_installation_points()))
    if viewer.is_public:
        publication = viewer.publication
        queryset = queryset.filter(is_sensitive=False).exclude(installation__is_sensitive=True)
        if publication is None or publication.hide_installations:
            queryset = queryset.filter(is_installation=False)
    return queryset


def point_features(viewer: Viewer, filters: dict, viewport=None, limit: int | None = None) -> list[dict]:
    hide_names = viewer.is_public and (viewer.publication is None or viewer.publication.hide_enterprise_names)
    labels = dict(RiskPoint.Category.choices)
    features = []
    rows = views_of.within(risk_points(viewer, filters), viewport).values_list(
        "id", "name", "lon", "lat", "level", "category", "industry_id", "township_id", "is_installation",
        "owner_enterprise_id")
    if limit is not None:
        rows = rows[:limit]
    for pk, name, lon, lat, level, category, industry, township, is_installation, owner in rows.iterator(
            chunk_size=2000):
        point = _point(lon, lat) if lon is not None and lat is not None else None
        if point is None:
            continue
        if hide_names and owner:
            name = str(labels.get(category, ""))
        features.append({"type": "Feature", "id": pk, "geometry": point, "properties": {
            "name": name, "level": level, "type": category, "industry": industry, "township": township,
            "installation": is_installation}})
    return features


def installation_features(viewer: Viewer, filters: dict) -> list[dict]:
    queryset = viewer.narrow(MajorHazardInstallation.objects.filter(is_major=True))
    if viewer.is_public:
        publication = viewer.publication
        if publication is None or publication.hide_installations:
            return []
        queryset = queryset.filter(is_sensitive=False).exclude(risk_point__is_sensitive=True)
    if filters.get("township"):
        queryset = queryset.filter(township_id=filters["township"])
    if filters.get("industry"):
        queryset = queryset.filter(enterprise__industry_id=filters["industry"])
    hide_names = viewer.is_public and (viewer.publication is None or viewer.publication.hide_enterprise_names)
    features = []
    for pk, unit, enterprise, lon, lat, grade, point_id, level in queryset.values_list(
            "id", "unit_name", "enterprise__name", "lon", "lat", "grade", "risk_point_id", "risk_point__level"):
        point = _point(lon, lat)
        if point is None:
            continue
        features.append({"type": "Feature", "id": pk, "geometry": point, "properties": {
            "name": unit if hide_names else f"{enterprise}·{unit}", "grade": grade, "risk_point": point_id,
            "level": level or 0}})
    return features


def active_gatherings(viewer: Viewer, filters: dict, at=None):
    """Licensed gatherings taking place at `at` (now): on the map with their level."""
    at = at or timezone.now()
    queryset = viewer.narrow(Gathering.objects.filter(status=Gathering.Status.APPROVED, starts_at__lte=at,
                                                      ends_at__gte=at))
    if filters.get("township"):
        queryset = queryset.filter(township_id=filters["township"])
    if filters.get("level") not in (None, ""):
        queryset = queryset.filter(level=filters["level"])
    return queryset


def gathering_features(viewer: Viewer, filters: dict, at=None) -> list[dict]:
    if viewer.is_public and viewer.publication is not None and viewer.publication.hide_gatherings:
        return []
    features = []
    for pk, name, lon, lat, level, attendance, starts, ends in active_gatherings(viewer, filters, at).values_list(
            "id", "name", "lon", "lat", "level", "expected_attendance", "starts_at", "ends_at"):
        point = _point(lon, lat) if lon is not None and lat is not None else None
        if point is None:
            continue
        features.append({"type": "Feature", "id": pk, "geometry": point, "properties": {
            "name": name, "level": level, "attendance": attendance,
            "starts": timezone.localtime(starts).strftime("%Y-%m-%d %H:%M"),
            "ends": timezone.localtime(ends).strftime("%Y-%m-%d %H:%M")}})
    return features


def layer_features(viewer: Viewer, layer: str, filters: dict) -> list[dict]:
    if layer in RISK_AREA_LAYERS:
        return area_level_features(viewer, layer, filters)
    if layer == "points":
        return point_features(viewer, filters)
    if layer == "installations":
        return installation_features(viewer, filters)
    return gathering_features(viewer, filters)


def _points_in_view(viewer: Viewer, filters: dict, viewport) -> dict:
    """Risk points of one view: clusters coloured by their worst level when zoomed out over many
    points (the same scoped queryset is counted, public or signed in), else the points."""
    if not views_of.is_detailed(viewport):
        clusters = views_of.cell_counts(risk_points(viewer, filters), viewport, level="level")
        if views_of.wants_clusters(clusters):
            return {**views_of.view_properties(viewport, "clusters"), "total": views_of.total(clusters),
                    "features": [views_of.cluster_feature(c) for c in clusters]}
    features = point_features(viewer, filters, viewport, limit=views_of.MAX_FEATURES + 1)
    truncated = len(features) > views_of.MAX_FEATURES
    return {**views_of.view_properties(viewport, "features", truncated),
            "features": features[:views_of.MAX_FEATURES]}


def layer_json(viewer: Viewer, layer: str, filters: dict, viewport=None) -> str:
    """One layer; the risk points for one view when a viewport is given (issue 19); the area,
    installation and gathering layers are a few hundred rows at most and stay whole."""
    if layer == "points" and viewport is not None:
        return _dumps({"type": "FeatureCollection", "layer": layer, **_points_in_view(viewer, filters, viewport)})
    return _dumps({"type": "FeatureCollection", "layer": layer, "features": layer_features(viewer, layer, filters)})


def map_data(viewer: Viewer, filters: dict) -> dict[str, list[dict]]:
    """Every layer at once (the server rendering draws them all)."""
    return {layer: layer_features(viewer, layer, filters) for layer in LAYERS}

