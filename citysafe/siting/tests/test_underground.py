"""Underground lines and tunnels: scoped like the registry, validated geometry (422 naming the
field), the dig check by hand-measured distances, and the site check listing lines near the footprint."""
import pytest
from shapely.geometry import shape

from citysafe.siting.models import SiteCheck, UndergroundLine
from citysafe.siting.services import dig_check
from citysafe.siting.services.site_check import check_site
from citysafe.siting.services.underground import create_line, create_tunnel
from tests.api.conftest import Api


def line_through(sw, east_m, length_m=100.0, origin=None):
    """A north-south line `east_m` metres east of the origin, `length_m` long, centred on it."""
    lon, lat = sw.at(east_m, 90.0, origin)
    north = sw.at(length_m / 2, 0.0, (lon, lat))
    south = sw.at(length_m / 2, 180.0, (lon, lat))
    return {"type": "LineString", "coordinates": [list(south), list(north)]}


def point(lonlat):
    return {"type": "Point", "coordinates": list(lonlat)}


def make_line(sw, code, east_m, actor=None, **extra):
    data = {"code": code, "line_kind": "water", "geometry": line_through(sw, east_m), **extra}
    return create_line(actor or sw.world.admin, data)


def test_a_line_is_placed_in_the_township_of_its_midpoint_with_its_length(sw):
    line = make_line(sw, "GS-001", 0, line_kind="gas", pressure_class="medium_a", diameter_mm=160, depth_m=1.2,
                     owner_enterprise_id=sw.world.enterprise_in_a.pk, data_source="2024年燃气管线普查")
    assert line.township_id == sw.world.township_a.pk and line.length_m == pytest.approx(100.0, abs=0.1)
    assert line.min_lon < sw.origin[0] < line.max_lon or line.min_lon == pytest.approx(sw.origin[0])


def test_township_sees_only_its_own_lines_through_the_api(sw):
    mine = make_line(sw, "JS-A-1", 0, actor=sw.world.township_officer)
    other_origin = shape(sw.world.township_b.geometry).representative_point()
    theirs = create_line(sw.world.admin, {"code": "JS-B-1", "line_kind": "water",
                                          "geometry": line_through(sw, 0, origin=(other_origin.x, other_origin.y))})
    assert theirs.township_id == sw.world.township_b.pk
    listed = Api(sw.world.township_officer).get("underground-lines", limit=500).json()
    codes = {item["code"] for item in listed["items"]}
    assert "JS-A-1" in codes and "JS-B-1" not in codes
    assert Api(sw.world.township_officer).get(f"underground-lines/{theirs.pk}").status_code == 404
    other = Api(sw.world.other_township_officer)
    assert other.patch(f"underground-lines/{mine.pk}", {"version": mine.version, "depth_m": 3}).status_code == 404
    assert Api(sw.world.grid_worker).post("underground-lines", {"code": "X", "line_kind": "water",
                                                                "geometry": line_through(sw, 5)}).status_code == 403


def test_a_line_outside_the_county_self_crossing_or_a_polygon_is_refused_with_422_on_geometry(sw):
    api = Api(sw.world.admin)
    outside = api.post("underground-lines", {"code": "X1", "line_kind": "gas",
                                             "geometry": {"type": "LineString", "coordinates": [[116.4, 39.9], [116.5, 39.9]]}})
    assert outside.status_code == 422 and outside.json()["detail"][0]["loc"][-1] == "geometry"
    lon, lat = sw.origin
    square = {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001],
                                                  [lon, lat]]]}
    polygon = api.post("underground-lines", {"code": "X2", "line_kind": "gas", "geometry": square})
    assert polygon.status_code == 422 and polygon.json()["detail"][0]["loc"][-1] == "geometry"
    water_with_pressure = api.post("underground-lines", {"code": "X3", "line_kind": "water", "pressure_class": "high_a",
                                                         "geometry": line_through(sw, 0)})
    assert water_with_pressure.status_code == 422
    assert water_with_pressure.json()["detail"][0]["loc"][-1] == "pressure_class"
    assert not UndergroundLine.objects.filter(code__in=["X1", "X2", "X3"]).exists()


def test_dig_check_finds_lines_within_the_distance_by_hand_measured_metres(sw):
    make_line(sw, "NEAR-3", 3, owner_enterprise_id=sw.world.enterprise_in_a.pk, diameter_mm=300, depth_m=1.5)
    make_line(sw, "EXACT-5", -5, line_kind="power")
    make_line(sw, "FAR-8", 8, line_kind="gas")
    create_tunnel(sw.world.admin, {"code": "GL-1", "name": "综合管廊一期", "geometry": line_through(sw, 4.5),
                                   "compartments": "电力舱"})
    result = dig_check(sw.world.township_officer, point(sw.origin), 5.5)
    found = [(h.code, h.distance_m) for h in result.hits]
    assert [code for code, _d in found] == ["NEAR-3", "GL-1", "EXACT-5"]  # nearest first
    assert [d for _c, d in found] == pytest.approx([3.0, 4.5, 5.0], abs=0.01)
    # A line exactly at the distance is reported (inclusive), a hair inside it is not.
    exact = next(h.distance_m for h in result.hits if h.code == "EXACT-5")
    assert "EXACT-5" in [h.code for h in dig_check(sw.world.township_officer, point(sw.origin), exact).hits]
    assert "EXACT-5" not in [h.code for h in dig_check(sw.world.township_officer, point(sw.origin), exact - 0.01).hits]
    near = result.hits[0]
    assert (near.kind, near.diameter_mm, near.depth_m, near.owner) == ("water", 300, 1.5, sw.world.enterprise_in_a.name)
    assert result.owners == [sw.world.enterprise_in_a.name]
    assert [h.code for h in dig_check(sw.world.township_officer, point(sw.origin), 8.5).hits][-1] == "FAR-8"


def test_dig_check_measures_from_a_trench_line_and_a_polygon_and_sees_across_scope(sw):
    make_line(sw, "W-10", 10)
    trench = line_through(sw, 2, length_m=20)
    assert [h.distance_m for h in dig_check(sw.world.admin, trench, 8).hits] == pytest.approx([8.0], abs=0.01)
    lon, lat = sw.at(10)
    d = 0.0001
    site = {"type": "Polygon", "coordinates": [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d],
                                                [lon - d, lat + d], [lon - d, lat - d]]]}
    hit = dig_check(sw.world.other_township_officer, site, 0).hits  # the line crosses the site
    assert [(h.code, h.distance_m, h.visible) for h in hit] == [("W-10", 0.0, False)]
    assert dig_check(sw.world.township_officer, site, 0).hits[0].visible is True


def test_dig_check_api_and_its_bad_input(sw):
    make_line(sw, "API-1", 2)
    api = Api(sw.world.enterprise_officer)
    ok = api.post("dig-checks", {"geometry": point(sw.origin)})
    assert ok.status_code == 200 and ok.json()["metres"] == 5 and [h["code"] for h in ok.json()["hits"]] == ["API-1"]
    for metres in (-1, 500):
        bad = api.post("dig-checks", {"geometry": point(sw.origin), "metres": metres})
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "metres"
    lon, lat = sw.origin
    bow = {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.001, lat + 0.001], [lon + 0.001, lat],
                                               [lon, lat + 0.001], [lon, lat]]]}
    crossing = api.post("dig-checks", {"geometry": bow})
    assert crossing.status_code == 422 and crossing.json()["detail"][0]["loc"][-1] == "geometry"
    outside = api.post("dig-checks", {"geometry": {"type": "Point", "coordinates": [116.4, 39.9]}})
    assert outside.status_code == 422 and outside.json()["detail"][0]["loc"][-1] == "geometry"
    assert Api(sw.world.leader).post("dig-checks", {"geometry": point(sw.origin)}).status_code == 403


def test_a_site_check_lists_the_gas_main_under_the_footprint(sw):
    site = sw.at(2000)
    make_line(sw, "RQ-9", 2006, line_kind="gas", pressure_class="sub_high_b", owner_enterprise_id=sw.world.enterprise_in_a.pk)
    check = check_site(sw.world.township_officer, project_name="新建小学", kind="school", geometry=point(site))
    lines = check.result["lines"]
    assert [(line["code"], line["distance_m"]) for line in lines] == [("RQ-9", pytest.approx(6.0, abs=0.05))]
    assert check.verdict == SiteCheck.Verdict.ATTENTION
    assert any("RQ-9" in reason for reason in check.result["reasons"])
