"""The four-colour map's layers: each role sees its scope, areas carry their level and raises,
filters narrow, bad filters are named, the risk card opens only inside the scope."""
import pytest

from citysafe.registry.models import Area
from citysafe.risks import services
from citysafe.risks.models import AreaLevel, RiskPoint
from citysafe.risks.services.area_levels import raise_area
from tests.riskmap.helpers import fetch, grade, ids, layer, point_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def points(world):
    in_a = point_for(world, world.enterprise_in_a, "甲乡储罐区")
    in_b = point_for(world, world.enterprise_in_b, "乙乡储罐区")
    grade(world, in_a, 1)
    grade(world, in_b, 3)
    return in_a, in_b


def test_township_officer_sees_only_its_townships_points_grids_and_township(world, points):
    in_a, in_b = points
    officer = world.township_officer
    seen = ids(layer(officer, "points")[1])
    assert in_a.pk in seen and in_b.pk not in seen
    assert seen == live_points(township=world.township_a) - installation_points()
    assert ids(layer(officer, "townships")[1]) == {world.township_a.pk}
    grids = ids(layer(officer, "grids")[1])
    assert grids == set(Area.objects.filter(level="grid", township=world.township_a).values_list("id", flat=True))
    assert in_b.grid_id not in grids
    # Asking for the other township by filter gives nothing, not its data.
    assert layer(officer, "points", township=world.township_b.pk)[1]["features"] == []


def live_points(**lookup) -> set:
    return set(RiskPoint.objects.filter(archived_at__isnull=True, **lookup).values_list("id", flat=True))


def installation_points() -> set:
    return set()  # installations' points stay on the points layer (flagged), drawn once by the script


def test_enterprise_officer_sees_only_its_own_risk_points(world, points):
    own = point_for(world, world.enterprise, "本企业配电室")
    seen = ids(layer(world.enterprise_officer, "points")[1])
    assert own.pk in seen
    assert seen == live_points(owner_enterprise=world.enterprise)


def test_department_sees_the_points_of_its_industries_only(world, points):
    in_a, in_b = points
    seen = ids(layer(world.department, "points")[1])
    industries = set(world.department.organisation.industries.values_list("id", flat=True))
    assert seen == live_points(industry__in=industries)
    assert (in_a.pk in seen) == (in_a.industry_id in industries)


def test_grid_carries_the_level_of_its_highest_point_and_a_raise_with_its_reason(world, points):
    in_a, _in_b = points
    grid = next(f for f in layer(world.admin, "grids")[1]["features"] if f["id"] == in_a.grid_id)
    assert grid["properties"]["level"] == 1 and grid["properties"]["counts"][0] >= 1
    assert grid["properties"]["raised"] is False
    quiet = Area.objects.filter(level="grid", township=world.township_a).exclude(pk=in_a.grid_id).exclude(
        pk__in=AreaLevel.objects.filter(level__in=(1, 2)).values("area_id")).order_by("id").first()
    raise_area(quiet, 2, "存在重大事故隐患", "hazards.Hazard:1")
    raised = next(f for f in layer(world.admin, "grids")[1]["features"] if f["id"] == quiet.pk)
    assert raised["properties"] | {"counts": None} == raised["properties"] | {
        "level": 2, "raised": True, "raise_reason": "存在重大事故隐患", "counts": None}


def test_level_filter_narrows_points_and_a_bad_level_is_named(world, points):
    in_a, in_b = points
    assert ids(layer(world.admin, "points", level=1)[1]) >= {in_a.pk}
    assert in_b.pk not in ids(layer(world.admin, "points", level=1)[1])
    response, body = layer(world.admin, "points", level="9")
    assert response.status_code == 422
    assert body["detail"][0]["loc"] == ["query", "level"] and "0至4" in body["detail"][0]["msg"]
    response, body = layer(world.admin, "points", township="甲")
    assert response.status_code == 422 and body["detail"][0]["loc"] == ["query", "township"]


def test_layers_need_a_login(world):
    assert layer(None, "points")[0].status_code == 401
    assert fetch(None, "/risk-map/")[0].status_code == 302


def test_risk_card_shows_measures_and_last_assessment_and_is_404_outside_scope(world, points):
    in_a, _in_b = points
    services.create_measure(world.admin, {"risk_point_id": in_a.pk, "kind": "emergency", "description": "启动应急预案"})
    response, body = fetch(world.township_officer, f"/risk-map/points/{in_a.pk}/card.json")
    assert response.status_code == 200
    card = response.json()
    assert card["level_label"] == "重大风险" and card["last_assessment"]["level"] == "重大风险"
    assert card["measures"][0]["description"] == "启动应急预案" and card["emergency"] == ["启动应急预案"]
    assert fetch(world.other_township_officer, f"/risk-map/points/{in_a.pk}/card.json")[0].status_code == 404


def test_installations_layer_holds_the_major_hazard_installations_in_scope(world):
    from citysafe.risks.models import MajorHazardInstallation

    majors = MajorHazardInstallation.objects.filter(is_major=True, archived_at__isnull=True)
    assert ids(layer(world.admin, "installations")[1]) == set(majors.values_list("id", flat=True))
    assert ids(layer(world.township_officer, "installations")[1]) == set(
        majors.filter(township=world.township_a).values_list("id", flat=True))
    assert ids(layer(world.grid_worker, "installations")[1]) == set(
        majors.filter(grid=world.grid).values_list("id", flat=True))
