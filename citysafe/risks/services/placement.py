"""A risk point inherits where it is from what it is attached to: location, geometry,
township/village/grid, industry, the responsible enterprise and the supervising department.
Copied on every save of the risk point and again when the parent moves (risks/hooks.py), so
scope filters stay one indexed column, like the registry's own records."""
from django.utils.translation import gettext as _
from shapely.geometry import shape

from citysafe.registry.models import Area, Enterprise, Place
from citysafe.risks.models import RiskPoint

ATTACHMENTS = ("enterprise_id", "place_id", "area_id")
INHERITED = ("lon", "lat", "geometry", "township_id", "village_id", "grid_id", "industry_id",
             "owner_enterprise_id", "supervising_department_id")


def attachment_problem(point: RiskPoint) -> str | None:
    """Exactly one of enterprise, place, area."""
    given = [name for name in ATTACHMENTS if getattr(point, name) is not None]
    if len(given) != 1:
        return _("风险点必须且只能关联企业、场所设施、区域之一")
    return None


def _area_facts(area: Area) -> dict:
    point = shape(area.geometry).representative_point() if area.geometry else None
    facts = {"lon": point.x if point else None, "lat": point.y if point else None, "geometry": area.geometry,
             "township_id": area.township_id, "village_id": None, "grid_id": None, "industry_id": None,
             "owner_enterprise_id": None, "supervising_department_id": None}
    if area.level == Area.Level.GRID:
        facts["grid_id"] = area.pk
        parent = area.parent
        facts["village_id"] = parent.pk if parent is not None and parent.level == Area.Level.VILLAGE else None
    elif area.level == Area.Level.VILLAGE:
        facts["village_id"] = area.pk
    elif area.level == Area.Level.COUNTY:
        facts["township_id"] = None
    return facts


def inherited_values(point: RiskPoint) -> dict:
    """The values the risk point takes from its parent (nothing when it has none)."""
    if point.enterprise_id:
        e: Enterprise = point.enterprise
        return {"lon": e.lon, "lat": e.lat, "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]},
                "township_id": e.township_id, "village_id": e.village_id, "grid_id": e.grid_id,
                "industry_id": e.industry_id, "owner_enterprise_id": e.pk,
                "supervising_department_id": e.supervising_department_id}
    if point.place_id:
        p: Place = point.place
        industry = p.industry_id or (p.owner_enterprise.industry_id if p.owner_enterprise_id else None)
        return {"lon": p.lon, "lat": p.lat, "geometry": p.geometry, "township_id": p.township_id,
                "village_id": p.village_id, "grid_id": p.grid_id, "industry_id": industry,
                "owner_enterprise_id": p.owner_enterprise_id, "supervising_department_id": p.supervising_department_id}
    if point.area_id:
        return _area_facts(point.area)
    return {}


def inherit_location(point: RiskPoint) -> list[str]:
    """Copy the parent's values onto the risk point; the names that changed."""
    changed = []
    for name, value in inherited_values(point).items():
        if getattr(point, name) != value:
            setattr(point, name, value)
            changed.append(name)
    return changed
