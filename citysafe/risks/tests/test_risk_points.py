"""Risk points: attached to exactly one enterprise, place or area, whose location, areas,
industry and owner they inherit and keep following; measures take the default control level."""
import pytest
from django.core.exceptions import ValidationError

from citysafe.core.records import OutOfScope
from citysafe.registry.models import Area, Place
from citysafe.registry.services import update_place
from citysafe.risks import services
from citysafe.risks.models import AreaLevel, ControlLevel, RiskPoint
from citysafe.risks.tests.conftest import step


def _fields(exc) -> set[str]:
    return set(exc.value.message_dict)


def test_a_risk_point_is_attached_to_exactly_one_parent(rw, world):
    with pytest.raises(ValidationError) as none:
        services.create_risk_point(world.admin, {"name": "无所属"})
    with pytest.raises(ValidationError) as two:
        services.create_risk_point(world.admin, {"name": "两个", "enterprise_id": rw.enterprise.pk,
                                                 "place_id": rw.place.pk})
    assert _fields(none) == {"enterprise_id"} and _fields(two) <= {"enterprise_id", "place_id"}
    assert not RiskPoint.objects.filter(name__in=["无所属", "两个"]).exists()


def test_a_risk_point_inherits_where_its_place_is(rw, world):
    point = rw.point(enterprise_id=None, place_id=rw.place.pk)
    place = rw.place
    assert (point.township_id, point.village_id, point.grid_id, point.lon, point.lat) == (
        place.township_id, place.village_id, place.grid_id, place.lon, place.lat)
    assert point.geometry == place.geometry and point.owner_enterprise_id == place.owner_enterprise_id


def test_a_risk_point_follows_its_place_when_the_place_moves_and_so_do_the_area_levels(rw, world):
    point = rw.point(enterprise_id=None, place_id=rw.place.pk)
    step(world.admin, rw.assessment(world.admin, point, {"l": 1, "e": 6, "c": 7}), "confirm")  # 低
    old_grid = rw.place.grid_id
    other = Area.objects.filter(level="grid", township=world.township_a).exclude(pk=old_grid).order_by("id").first()
    target = other.geometry
    from shapely.geometry import mapping, shape

    centre = shape(target).representative_point()
    place = Place.objects.get(pk=rw.place.pk)
    update_place(world.admin, place.pk, {"geometry": mapping(centre), "grid_id": other.pk},
                 expected_version=place.version)
    point.refresh_from_db()
    assert point.grid_id == other.pk and (point.lon, point.lat) == pytest.approx((centre.x, centre.y))
    assert AreaLevel.objects.get(area_id=other.pk).low_count >= 1
    old = AreaLevel.objects.filter(area_id=old_grid).first()
    assert old is None or RiskPoint.objects.filter(grid_id=old_grid, level=4, archived_at__isnull=True).count() == \
        old.low_count


def test_an_enterprise_officer_attaches_risk_points_to_its_own_enterprise_only(rw, world):
    mine = services.create_risk_point(rw.officer, {"name": "本企业配电室", "enterprise_id": rw.enterprise.pk,
                                                   "accident_types": ["electrocution", "fire"]})
    assert mine.owner_enterprise_id == rw.enterprise.pk and mine.accident_types == ["electrocution", "fire"]
    with pytest.raises(ValidationError) as other:
        services.create_risk_point(rw.officer, {"name": "别家", "enterprise_id": world.enterprise_in_b.pk})
    assert _fields(other) == {"enterprise_id"}
    with pytest.raises(ValidationError) as area:
        services.create_risk_point(rw.officer, {"name": "区域", "area_id": rw.enterprise.township_id})
    assert "area_id" in _fields(area)


def test_a_township_cannot_put_a_risk_point_outside_its_township(rw, world):
    with pytest.raises((ValidationError, OutOfScope)):
        services.create_risk_point(world.township_officer, {"name": "外乡", "area_id": world.township_b.pk})


def test_accident_types_are_the_gb6441_categories(rw, world):
    with pytest.raises(ValidationError) as bad:
        rw.point(accident_types=["fire", "meteor"])
    assert "meteor" in str(bad.value) and "物体打击" in str(bad.value)
    from citysafe.risks.models import AccidentType

    assert len(AccidentType.values) == 20


def test_a_measure_takes_the_default_control_level_of_the_points_level(rw, world):
    point = rw.point()
    step(world.department, step(rw.officer, rw.assessment(rw.officer, point), "submit"), "accept")  # 重大
    measure = services.create_measure(rw.officer, {"risk_point_id": point.pk, "kind": "engineering",
                                                   "description": "安装可燃气体报警器"})
    assert measure.control_level == ControlLevel.COUNTY


def test_archiving_a_graded_risk_point_takes_it_out_of_its_areas(rw, world):
    from citysafe.risks.services.lifecycle import archive_risk_point

    point = rw.point()
    step(world.department, rw.assessment(world.department, point, {"l": 3, "e": 6, "c": 7}), "confirm")  # 一般
    before = AreaLevel.objects.get(area_id=point.grid_id).general_count
    archive_risk_point(world.admin, RiskPoint, point.pk)
    assert AreaLevel.objects.get(area_id=point.grid_id).general_count == before - 1


def test_only_the_admin_marks_a_risk_point_sensitive(rw, world):
    point = rw.point(enterprise_id=None, area_id=world.township_a.pk)
    with pytest.raises(ValidationError) as refused:
        services.update_risk_point(world.township_officer, point.pk, {"is_sensitive": True},
                                   expected_version=point.version)
    assert set(refused.value.message_dict) == {"is_sensitive"}
    marked = services.update_risk_point(world.admin, point.pk, {"is_sensitive": True}, expected_version=point.version)
    assert marked.is_sensitive


def test_the_detail_page_prints_lists_as_text(rw, world, client):
    from django.urls import reverse

    point = rw.point(hazard_factors=["泄漏", "静电"], accident_types=["fire", "poisoning"])
    client.force_login(world.admin)
    page = client.get(reverse("risks:detail", args=["risk-points", point.pk])).text
    assert "泄漏、静电" in page and "火灾、中毒和窒息" in page and "[&#x27;" not in page
