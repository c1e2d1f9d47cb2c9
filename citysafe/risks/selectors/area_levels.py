"""Area levels for the API and the map: every area the user may see (registry.Area's scope,
which AreaLevel declares too), with its stored level, counts and raise; an area without a
row has no graded risk point (level 0)."""
import json

from django.db.models import QuerySet

from citysafe.core import scope
from citysafe.registry.models import Area
from citysafe.risks.models import LEVEL_COLOURS, AreaLevel, AreaRaise

COUNT_NAMES = ("major", "significant", "general", "low")


def visible_areas(user, *, area_level: str | None = None, township_id: int | None = None) -> QuerySet:
    areas = scope.narrow(user, Area.objects.all())
    if area_level:
        areas = areas.filter(level=area_level)
    if township_id:
        areas = areas.filter(township_id=township_id)
    return areas.select_related("risk_level").order_by("code")


def _row(area: Area) -> dict:
    try:
        stored = area.risk_level
    except AreaLevel.DoesNotExist:
        stored = None
    row = stored or AreaLevel(area_id=area.pk)
    return {
        "area_id": area.pk, "area_code": area.code, "area_name": area.name, "area_level": area.level,
        "township_id": area.township_id, "parent_id": area.parent_id,
        "level": row.level, "counts": dict(zip(COUNT_NAMES, row.counts, strict=True)),
        "raised_level": row.raised_level, "raise_reason": row.raise_reason,
        "effective_level": row.effective_level, "colour": LEVEL_COLOURS[row.effective_level],
        "updated_at": row.updated_at.isoformat() if stored else None,
    }


def area_level_rows(user, **filters) -> list[dict]:
    return [_row(area) for area in visible_areas(user, **filters)]


def area_level_geojson(user, **filters) -> str:
    """A FeatureCollection: each visible area's outline with its level row as properties."""
    features = [{"type": "Feature", "id": area.pk, "geometry": area.geometry, "properties": _row(area)}
                for area in visible_areas(user, **filters)]
    return json.dumps({"type": "FeatureCollection", "layer": "risk_area_levels", "features": features},
                      ensure_ascii=False, separators=(",", ":"))


def active_raises(user, area_id: int | None = None) -> QuerySet:
    raises = scope.narrow(user, AreaRaise.objects.filter(cleared_at__isnull=True))
    return raises.filter(area_id=area_id) if area_id else raises
