"""Territorial placement (属地): every enterprise, place and person sits in a township,
and where known a village and a grid. The grid decides the rest; a township the caller named
that does not hold the grid is an error, never silently replaced by the grid's township."""
from django.utils.translation import gettext as _
from shapely.geometry import shape

from citysafe.core.records import ErrorCollector
from citysafe.registry.locate import locate_area
from citysafe.registry.models import Area


def grid_township_mismatch() -> str:
    """The message, shared with the bulk import path (registry.io.bulk_enterprises)."""
    return _("所选乡镇与所选网格不一致：该网格不属于所选乡镇")


def place_in_areas(instance, errors: ErrorCollector, point=None, township_required: bool = True) -> None:
    grid = instance.grid if instance.grid_id else None
    if grid is not None:
        if grid.level != Area.Level.GRID:
            errors.add("grid_id", _("所选区域不是网格"), "level")
            return
        if point is not None and grid.geometry and not shape(grid.geometry).buffer(1e-6).covers(point):
            errors.add("grid_id", _("位置不在所选网格范围内"), "grid_mismatch")
            return
        if _township_given(instance) and instance.township_id and instance.township_id != grid.township_id:
            errors.add("township_id", grid_township_mismatch(), "grid_township_mismatch")
            return
        instance.township_id = grid.township_id
        parent = grid.parent
        if hasattr(instance, "village_id"):
            instance.village_id = parent.pk if parent is not None and parent.level == Area.Level.VILLAGE else None
        return
    if point is not None and not instance.township_id:
        found = locate_area(point.x, point.y, Area.Level.GRID)
        if found is not None:
            instance.grid = found
            instance.township_id = found.township_id
            if hasattr(instance, "village_id"):
                parent = found.parent
                instance.village_id = parent.pk if parent is not None and parent.level == Area.Level.VILLAGE else None
            return
        found = locate_area(point.x, point.y, Area.Level.TOWNSHIP)
        if found is not None:
            instance.township = found
            return
    if instance.township_id:
        if instance.township.level != Area.Level.TOWNSHIP:
            errors.add("township_id", _("所选区域不是乡镇"), "level")
        return
    if township_required:
        errors.add("township_id", _("无法确定所属乡镇：请选择乡镇或网格，或填写位于网格内的坐标"), "required")


def _township_given(instance) -> bool:
    """Whether the caller named the township in this change (apply_fields remembers what it
    set); a township the record already had simply follows its new grid."""
    return "township_id" in getattr(instance, "submitted_fields", ())
