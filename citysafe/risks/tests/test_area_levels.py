"""Area levels: the highest level among the risk points in an area, with counts, kept
incrementally; equal to a full recompute; raised while a condition holds."""
from citysafe.core.audit_models import AuditRecord
from citysafe.risks.models import AreaLevel, AreaRaise
from citysafe.risks.services.area_levels import clear_raise, level_counts_by_area, raise_area, recompute_area_levels
from citysafe.risks.tests.conftest import step


def _graded(rows):
    return {pk: value for pk, value in rows.items() if value[0] or any(value[1])}


def test_one_accepted_assessment_updates_only_its_areas_and_equals_a_full_recompute(rw, world):
    recompute_area_levels()
    before = level_counts_by_area()
    point = rw.point()
    step(world.department, step(rw.officer, rw.assessment(rw.officer, point), "submit"), "accept")  # 重大
    after = level_counts_by_area()
    changed = {pk for pk in after if after[pk] != before.get(pk)}
    county = AreaLevel.objects.filter(area__level="county").values_list("area_id", flat=True).get()
    assert changed <= {point.grid_id, point.village_id, point.township_id, county}
    assert after[point.grid_id][0] == 1 and after[point.township_id][0] == 1
    assert _graded(after) == _graded(recompute_area_levels())


def test_a_regraded_point_returns_its_grid_to_the_former_colour(rw, world):
    point = rw.point()
    recompute_area_levels()
    former = AreaLevel.objects.get(area_id=point.grid_id).effective_level
    step(world.department, step(rw.officer, rw.assessment(rw.officer, point), "submit"), "accept")
    assert AreaLevel.objects.get(area_id=point.grid_id).effective_level == 1
    step(world.department, rw.assessment(world.department, point, {"l": 1, "e": 3, "c": 7}), "confirm")  # 低
    # the grid's colour is again what its other points give it (or blue, from this one alone)
    assert AreaLevel.objects.get(area_id=point.grid_id).effective_level == min(former or 4, 4)


def test_a_raise_shows_its_level_and_reason_while_it_holds_and_clearing_restores(rw, world):
    grid = world.grid
    recompute_area_levels()
    computed = AreaLevel.objects.get(area_id=grid.pk).level
    raise_area(grid, 1, "重大事故隐患挂牌督办中", "hazards.Hazard:1", actor=world.admin)
    row = AreaLevel.objects.get(area_id=grid.pk)
    assert (row.effective_level, row.raised_level, row.raise_reason, row.level) == (1, 1, "重大事故隐患挂牌督办中", computed)
    raise_area(grid, 1, "重大事故隐患挂牌督办中", "hazards.Hazard:1", actor=world.admin)  # idempotent
    assert AreaRaise.objects.filter(area=grid, cleared_at__isnull=True).count() == 1
    assert clear_raise(grid, "hazards.Hazard:1", "隐患已销号", actor=world.admin)
    row.refresh_from_db()
    assert (row.effective_level, row.raised_level, row.raise_reason) == (computed, 0, "")
    assert not clear_raise(grid, "hazards.Hazard:1")
    assert AuditRecord.objects.filter(action__in=["raise_area", "clear_raise"]).count() >= 2


def test_the_full_recompute_keeps_an_active_raise(rw, world):
    raise_area(world.grid, 2, "一级报警", "monitoring.Alarm:9")
    recompute_area_levels()
    row = AreaLevel.objects.get(area_id=world.grid.pk)
    assert row.raised_level == 2 and row.effective_level <= 2
