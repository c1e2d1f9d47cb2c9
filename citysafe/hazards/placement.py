"""Where a hazard is: copied from what it belongs to (an enterprise, a place, an area or a
risk point), like risk points do (risks/services/placement.py), so scope filters stay one
indexed column. A location picked on the map refines the point; the areas still come from the
parent, except for an area parent, where a picked point inside it finds its grid."""
from django.utils.translation import gettext as _

from citysafe.registry.models import Area
from citysafe.risks.services.placement import inherited_values

PARENTS = ("enterprise_id", "place_id", "area_id", "risk_point_id")
COPIED = ("township_id", "village_id", "grid_id", "industry_id", "owner_enterprise_id", "supervising_department_id")


def parent_problem(hazard) -> str | None:
    given = [name for name in PARENTS if getattr(hazard, name) is not None]
    if len(given) != 1:
        return _("隐患必须且只能关联企业、场所设施、区域、风险点之一")
    return None


def _values(hazard) -> dict:
    if hazard.risk_point_id:
        point = hazard.risk_point
        return {"lon": point.lon, "lat": point.lat, **{name: getattr(point, name) for name in COPIED}}
    return {k: v for k, v in inherited_values(hazard).items() if k != "geometry"}


def grid_at(lon: float, lat: float, within: Area | None = None) -> Area | None:
    """The active grid containing the point (lowest id on a shared edge), inside `within` when given."""
    from shapely.geometry import Point, shape

    grids = Area.objects.filter(level=Area.Level.GRID, archived_at__isnull=True, geometry__isnull=False)
    if within is not None and within.level != Area.Level.COUNTY:
        grids = grids.filter(township_id=within.township_id or within.pk)
    point = Point(lon, lat)
    for grid in grids.order_by("id").only("id", "geometry", "parent_id", "township_id"):
        if shape(grid.geometry).covers(point):
            return grid
    return None


def place_hazard(hazard, picked: bool) -> None:
    """Copy the parent's areas (and its point unless one was picked) onto the hazard."""
    values = _values(hazard)
    if picked and hazard.lon is not None:
        values.pop("lon"), values.pop("lat")
        if hazard.area_id and hazard.area.level != Area.Level.GRID:
            grid = grid_at(hazard.lon, hazard.lat, hazard.area)
            if grid is not None:
                values.update(grid_id=grid.pk, township_id=grid.township_id,
                              village_id=grid.parent_id if grid.parent and grid.parent.level == Area.Level.VILLAGE
                              else None)
    for name, value in values.items():
        setattr(hazard, name, value)
