"""Territorial placement (属地): every enterprise, place and person sits in a township,
and where known a village and a grid. The grid decides the rest; a township the caller named
that does not hold the grid is an error, never silently replaced by the grid's township.
A village is only known through a grid (its parent): a record without a grid has none.

The rule is written once, here (`place_in_areas`, `relocate`), over an `AreaLookup`: the
services read areas from the database (`DatabaseAreas`), the bulk enterprise import from
polygons it prepared once (`registry.io.bulk_enterprises.AreaIndex`) — so both paths place a
record identically."""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _
from shapely.geometry import shape

from citysafe.core.records import ErrorCollector
from citysafe.registry.locate import locate_area
from citysafe.registry.models import Area


def grid_township_mismatch() -> str:
    return _("所选乡镇与所选网格不一致：该网格不属于所选乡镇")


@dataclass(frozen=True)
class GridFacts:
    """What placement needs to know about a grid."""

    township_id: int | None
    village_id: int | None               # its parent, when that is a village
    covers: Callable | None = None       # point -> bool (with a hair of tolerance); None: no outline


class AreaLookup(Protocol):
    def grid(self, pk: int) -> GridFacts | None:
        """The grid's facts, or None when `pk` is not a grid."""

    def locate(self, point, level: str) -> int | None:
        """The active area of `level` whose outline covers `point` (the lowest id on a shared edge)."""

    def level(self, pk: int) -> str | None:
        """The level of area `pk`."""

    def name(self, pk: int) -> str:
        """The name of area `pk` (for messages)."""


def grid_facts(area: Area, parent: Area | None) -> GridFacts:
    village = parent.pk if parent is not None and parent.level == Area.Level.VILLAGE else None
    covers = shape(area.geometry).buffer(1e-6).covers if area.geometry else None
    return GridFacts(area.township_id, village, covers)


class DatabaseAreas:
    """Areas read from the database as needed (one record at a time, the services' path)."""

    def __init__(self):
        self.found: dict[int, Area] = {}

    def grid(self, pk):
        area = self.found.get(pk) or Area.objects.select_related("parent").filter(pk=pk).first()
        if area is None or area.level != Area.Level.GRID:
            return None
        return grid_facts(area, area.parent)

    def locate(self, point, level):
        area = locate_area(point.x, point.y, level)
        if area is None:
            return None
        self.found[area.pk] = area
        return area.pk

    def level(self, pk):
        area = self.found.get(pk)
        return area.level if area is not None else Area.objects.filter(pk=pk).values_list("level", flat=True).first()

    def name(self, pk):
        area = self.found.get(pk)
        return area.name if area is not None else Area.objects.filter(pk=pk).values_list("name", flat=True).first() or ""


def place_in_areas(instance, errors: ErrorCollector, point=None, township_required: bool = True,
                   areas: AreaLookup | None = None) -> None:
    """Set the record's township (and village) from its grid, or its grid, village and
    township from `point`; errors name the field and the rule."""
    areas = areas if areas is not None else DatabaseAreas()
    if instance.grid_id:
        grid = areas.grid(instance.grid_id)
        if grid is None:
            errors.add("grid_id", _("所选区域不是网格"), "level")
            return
        if point is not None and grid.covers is not None and not grid.covers(point):
            errors.add("grid_id", _("位置不在所选网格范围内"), "grid_mismatch")
            return
        if _township_given(instance) and instance.township_id and instance.township_id != grid.township_id:
            errors.add("township_id", grid_township_mismatch(), "grid_township_mismatch")
            return
        instance.township_id = grid.township_id
        _set_village(instance, grid.village_id)
        return
    _set_village(instance, None)
    if point is not None:
        # A blank grid is found from the location, whether or not the township is filled in
        # ("空白时按坐标自动落位"); a named township must then hold the grid found.
        found = areas.locate(point, Area.Level.GRID)
        if found is not None:
            grid = areas.grid(found)
            if instance.township_id and instance.township_id != grid.township_id:
                errors.add("township_id", _(
                    "坐标位于网格“%(grid)s”（属于乡镇“%(grid_township)s”），不在所填乡镇“%(township)s”内："
                    "请核对坐标或乡镇") % {"grid": areas.name(found), "grid_township": areas.name(grid.township_id),
                                         "township": areas.name(instance.township_id)}, "grid_township_mismatch")
                return
            instance.grid_id, instance.township_id = found, grid.township_id
            _set_village(instance, grid.village_id)
            return
    if point is not None and not instance.township_id:
        found = areas.locate(point, Area.Level.TOWNSHIP)
        if found is not None:
            instance.township_id = found
            return
    if instance.township_id:
        if areas.level(instance.township_id) != Area.Level.TOWNSHIP:
            errors.add("township_id", _("所选区域不是乡镇"), "level")
        return
    if township_required:
        errors.add("township_id", _("无法确定所属乡镇：请选择乡镇或网格，或填写位于网格内的坐标"), "required")


def relocate(instance, data: dict, point, errors: ErrorCollector, areas: AreaLookup | None = None) -> None:
    """Placement after a change (enterprises, places, the bulk import): when the grid or
    township is given, or a new location; a location alone places the record afresh."""
    if "grid_id" in data or "township_id" in data or point is not None:
        if point is not None and "grid_id" not in data and "township_id" not in data:
            instance.grid_id = None
            instance.township_id = None
        place_in_areas(instance, errors, point, areas=areas)


def _set_village(instance, village_id) -> None:
    if hasattr(instance, "village_id"):
        instance.village_id = village_id


def _township_given(instance) -> bool:
    """Whether the caller named the township in this change (apply_fields, and the bulk import,
    remember what they set); a township the record already had simply follows its new grid."""
    return "township_id" in getattr(instance, "submitted_fields", ())
