"""Risk points asked for one view (issue 19): clusters coloured by the worst level inside them when
zoomed out, the points when zoomed in, the same scope (signed in or public), bad views named."""
import pytest

from citysafe.risks.models import RiskPoint
from tests.riskmap.helpers import grade, layer, point_for

pytestmark = pytest.mark.django_db
COUNTY = "102.9,35.3,103.9,35.95"


@pytest.fixture
def points(world, settings):
    settings.MAP_FEATURE_LIMIT = 0  # the test county is small: cluster whenever zoomed out
    in_a = point_for(world, world.enterprise_in_a, "甲乡储罐区")
    in_b = point_for(world, world.enterprise_in_b, "乙乡储罐区")
    grade(world, in_a, 4)
    grade(world, in_b, 1)
    return in_a, in_b


def counted(data):
    return sum(f["properties"]["count"] for f in data["features"])


def test_county_view_is_clusters_coloured_by_their_worst_level(world, points):
    in_a, in_b = points
    _, data = layer(world.admin, "points", bbox=COUNTY, zoom=8)
    assert data["mode"] == "clusters"
    assert counted(data) == RiskPoint.objects.filter(archived_at__isnull=True).count()
    assert min(f["properties"]["level"] or 9 for f in data["features"]) == 1


def test_township_officer_clusters_count_only_its_points_and_never_show_the_other_townships(world, points):
    in_a, in_b = points
    officer = world.township_officer
    for zoom in range(6, 19):
        _, data = layer(officer, "points", bbox=COUNTY, zoom=zoom)
        if data["mode"] == "clusters":
            own = RiskPoint.objects.filter(township=world.township_a, archived_at__isnull=True)
            assert counted(data) == own.count()
            # Colours come from its own points only (the other township's level 1 is not among them).
            worst = min(own.filter(level__gt=0).values_list("level", flat=True))
            assert min(f["properties"]["level"] or 9 for f in data["features"]) == worst
        else:
            assert in_b.pk not in {f["id"] for f in data["features"]}
            assert in_a.pk in {f["id"] for f in data["features"]}


def test_zoomed_in_the_points_in_the_box_are_sent(world, points):
    in_a, _ = points
    box = f"{in_a.lon - 0.001},{in_a.lat - 0.001},{in_a.lon + 0.001},{in_a.lat + 0.001}"
    _, data = layer(world.admin, "points", bbox=box, zoom=16)
    assert data["mode"] == "features"
    assert in_a.pk in {f["id"] for f in data["features"]}


@pytest.mark.parametrize("params, field", [
    ({"bbox": "103,35,104"}, "bbox"), ({"bbox": "104,35,103,36", "zoom": "9"}, "bbox"),
    ({"bbox": COUNTY, "zoom": "99"}, "zoom"), ({"bbox": COUNTY}, "zoom"),
])
def test_bad_view_is_a_named_422(world, params, field):
    response, data = layer(world.admin, "points", **params)
    assert response.status_code == 422
    assert data["detail"][0]["loc"] == ["query", field]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["detail"][0]["msg"])
