"""Area levels (区域风险等级): an area's colour is the highest level among the active risk
points in it (STANDARDS.md: 取最高级), with counts per level, for every grid, village,
township and the county; stored in AreaLevel rows.

Membership is the risk point's stored township / village / grid (copied from what it is
attached to, which the registry placed by its one placement rule) plus the county: the
incremental path (`shift_point`, one changed point → at most four rows) and the full
recompute (`recompute_area_levels`, kernels.area_levels.levels_per_area over those indexes)
therefore agree by construction, and a test checks it.

Raises: `raise_area(area, level, reason, source)` / `clear_raise(area, source, reason)` — the
one documented way for other capabilities (an open major hidden hazard, an active top-level
alarm) to raise an area while their condition holds. The effective level is the highest of
the computed level and the active raises; the reason shown is the highest raise's.
"""
import numpy as np
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from citysafe.core.audit import record_change
from citysafe.registry.models import Area
from citysafe.risks.models import AreaLevel, AreaRaise, RiskPoint
from kernels import risk_scoring

COUNT_FIELDS = AreaLevel.COUNT_FIELDS  # index = level - 1


def highest(*levels: int) -> int:
    """The highest (numerically smallest non-zero) of risk levels; 0 when none (kernels.risk_scoring)."""
    return risk_scoring.highest(levels)


def _county_id() -> int | None:
    return Area.objects.filter(level=Area.Level.COUNTY, archived_at__isnull=True).order_by("id").values_list(
        "pk", flat=True).first()


def areas_of(township_id, village_id, grid_id, county_id=None) -> list[int]:
    county_id = county_id if county_id is not None else _county_id()
    return [pk for pk in (grid_id, village_id, township_id, county_id) if pk]


_UNSET = object()


def _top_raises() -> dict[int, AreaRaise]:
    """The highest active raise of every raised area (for a full recompute: one query)."""
    top: dict[int, AreaRaise] = {}
    for raise_row in AreaRaise.objects.filter(cleared_at__isnull=True).order_by("level", "raised_at"):
        top.setdefault(raise_row.area_id, raise_row)
    return top


def _refresh(row: AreaLevel, raise_row=_UNSET) -> None:
    row.level = next((n + 1 for n, name in enumerate(COUNT_FIELDS) if getattr(row, name) > 0), 0)
    if raise_row is _UNSET:
        raise_row = (AreaRaise.objects.filter(area_id=row.area_id, cleared_at__isnull=True)
                     .order_by("level", "raised_at").first())
    row.raised_level = raise_row.level if raise_row else 0
    row.raise_reason = raise_row.reason if raise_row else ""
    row.effective_level = highest(row.level, row.raised_level)
    row.updated_at = timezone.now()


def shift_point(area_ids: list[int], old_level: int, new_level: int) -> None:
    """One risk point's level went from `old_level` to `new_level` (0 = none / archived) in
    these areas: adjust their counts (row-locked, atomic F() updates) and colours."""
    if old_level == new_level or not area_ids:
        return
    with transaction.atomic():
        for pk in area_ids:
            AreaLevel.objects.get_or_create(area_id=pk)
        changes = {}
        if old_level:
            changes[COUNT_FIELDS[old_level - 1]] = F(COUNT_FIELDS[old_level - 1]) - 1
        if new_level:
            changes[COUNT_FIELDS[new_level - 1]] = F(COUNT_FIELDS[new_level - 1]) + 1
        AreaLevel.objects.filter(area_id__in=area_ids).update(**changes)
        for row in AreaLevel.objects.select_for_update().filter(area_id__in=area_ids):
            _refresh(row)
            row.save(update_fields=["level", "raised_level", "raise_reason", "effective_level", "updated_at"])


def move_point_between_areas(point: RiskPoint, old_areas: tuple) -> None:
    """A graded point moved (its parent moved, or it was re-attached): leave the old areas, enter the new."""
    if not point.level or point.archived_at is not None:
        return
    county = _county_id()
    old = areas_of(*old_areas, county_id=county)
    new = areas_of(point.township_id, point.village_id, point.grid_id, county_id=county)
    shift_point([pk for pk in old if pk not in new], point.level, 0)
    shift_point([pk for pk in new if pk not in old], 0, point.level)


def recompute_area_levels() -> dict[int, tuple[int, list[int]]]:
    """Rebuild every AreaLevel row from the risk points (kernels.area_levels.levels_per_area);
    returns {area id: (level, counts)}."""
    from kernels.area_levels import levels_per_area

    areas = list(Area.objects.filter(archived_at__isnull=True).order_by("id").values_list("pk", "level"))
    index = {pk: n for n, (pk, _level) in enumerate(areas)}
    county = next((pk for pk, level in areas if level == Area.Level.COUNTY), None)
    rows = np.array(list(RiskPoint.objects.filter(archived_at__isnull=True, level__gt=0).values_list(
        "level", "township_id", "village_id", "grid_id")), dtype=object).reshape(-1, 4)
    counts = np.zeros((len(areas), 4), dtype=np.int64)
    for column in (1, 2, 3):
        keys = [index.get(pk, -1) if pk is not None else -1 for pk in rows[:, column]]
        _top, per_area = levels_per_area(np.asarray(keys, dtype=np.int64), rows[:, 0].astype(np.int64), len(areas))
        counts += np.asarray(per_area, dtype=np.int64)
    if county is not None and len(rows):
        counts[index[county]] += np.bincount(rows[:, 0].astype(np.int64) - 1, minlength=4)[:4]
    result, fields = {}, ["level", *COUNT_FIELDS, "raised_level", "raise_reason", "effective_level"]
    with transaction.atomic():
        existing = {row.area_id: row for row in AreaLevel.objects.select_for_update()}
        raises = _top_raises()
        created, changed = [], []
        for pk, _level in areas:
            row = existing.get(pk)
            old = None if row is None else [getattr(row, name) for name in fields]
            row = row or AreaLevel(area_id=pk)
            for n, name in enumerate(COUNT_FIELDS):
                setattr(row, name, int(counts[index[pk], n]))
            _refresh(row, raises.get(pk))
            result[pk] = (row.level, row.counts)
            if old is None:
                created.append(row)
            elif old != [getattr(row, name) for name in fields]:
                changed.append(row)  # only rows whose figures moved are written (usually few)
        AreaLevel.objects.bulk_create(created, batch_size=500)
        AreaLevel.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=200)
    return result


def _refresh_one(area_id: int) -> AreaLevel:
    row, _created = AreaLevel.objects.select_for_update().get_or_create(area_id=area_id)
    _refresh(row)
    row.save()
    return row


@transaction.atomic
def raise_area(area: Area | int, level: int, reason: str, source: str, *, actor=None) -> AreaRaise:
    """Raise an area to at least `level` while the condition `source` holds (e.g.
    "hazards.Hazard:12"). Idempotent per (area, source): raising again updates the level and
    reason. Audited. Call `clear_raise` with the same source when the condition ends."""
    area_id = area.pk if isinstance(area, Area) else int(area)
    if level not in (1, 2, 3, 4) or not (reason or "").strip() or not (source or "").strip():
        raise ValueError("raise_area needs a level 1–4, a reason and a source")
    row = AreaRaise.objects.select_for_update().filter(area_id=area_id, source=source, cleared_at__isnull=True).first()
    before = {"level": row.level, "reason": row.reason} if row else None
    if row is None:
        row = AreaRaise(area_id=area_id, source=source, raised_by=actor if getattr(actor, "pk", None) else None)
    row.level, row.reason = level, reason.strip()[:300]
    row.save()
    _refresh_one(area_id)
    record_change(actor=actor, action="raise_area", instance=row, before=before,
                  after={"area": area_id, "level": level, "reason": row.reason, "source": source})
    return row


@transaction.atomic
def clear_raise(area: Area | int, source: str, reason: str = "", *, actor=None) -> bool:
    """End the raise of `area` held by `source`; False if there was none."""
    area_id = area.pk if isinstance(area, Area) else int(area)
    row = AreaRaise.objects.select_for_update().filter(area_id=area_id, source=source, cleared_at__isnull=True).first()
    if row is None:
        return False
    row.cleared_at, row.clear_reason = timezone.now(), (reason or "").strip()[:300]
    row.save(update_fields=["cleared_at", "clear_reason"])
    _refresh_one(area_id)
    record_change(actor=actor, action="clear_raise", instance=row, before={"level": row.level, "reason": row.reason},
                  after={"area": area_id, "cleared": True, "reason": row.clear_reason, "source": source})
    return True


def level_counts_by_area() -> dict[int, tuple[int, list[int]]]:
    """The stored rows as {area id: (level, counts)} (for comparing with a recompute)."""
    return {row.area_id: (row.level, row.counts) for row in AreaLevel.objects.all()}


__all__ = ["clear_raise", "highest", "move_point_between_areas", "raise_area", "recompute_area_levels",
           "shift_point"]
