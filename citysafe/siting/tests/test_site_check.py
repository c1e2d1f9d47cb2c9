"""Site check of a proposed project: both directions, verdict, number, PDF; bad input stores nothing."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from citysafe.siting.models import SiteCheck
from citysafe.siting.services.site_check import check_site


def point(lonlat):
    return {"type": "Point", "coordinates": list(lonlat)}


def test_a_new_school_35_m_from_a_gas_station_fails_with_the_conflict_and_gets_a_number(sw):
    check = check_site(sw.world.township_officer, project_name="新建第二小学", kind="school", geometry=point(sw.at(35)))
    assert check.verdict == SiteCheck.Verdict.FAIL
    assert check.number.startswith("GHXZ-") and check.township_id == sw.world.township_a.pk
    conflict = next(c for c in check.result["conflicts"] if c["name"] == "测试加油站")
    assert conflict["distance_m"] == pytest.approx(35.0, abs=0.1) and conflict["required_m"] == 50
    assert any("测试加油站" in reason and "GB 50156" in reason for reason in check.result["reasons"])
    second = check_site(sw.world.township_officer, project_name="另一项目", kind="school", geometry=point(sw.at(35)))
    assert second.number != check.number


def test_a_new_gas_station_is_checked_against_the_sensitive_sites_around_it(sw):
    sw.place("幼儿园", "school", sw.at(30, origin=sw.at(2000)), people_present=120)
    site = sw.at(2000)
    check = check_site(sw.world.admin, project_name="新建加油站", kind="gas_station", geometry=point(site))
    assert check.result["role"] == "hazardous" and check.verdict == SiteCheck.Verdict.FAIL
    assert [c["name"] for c in check.result["conflicts"]] == ["幼儿园"]
    assert check.result["people_within"] >= 120


def test_a_footprint_polygon_is_measured_from_its_edge(sw):
    lon, lat = sw.at(70)
    d = 0.0002  # ≈ 18 m east-west, 22 m north-south: the west edge ≈ 52 m from the station
    square = {"type": "Polygon", "coordinates": [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d],
                                                  [lon - d, lat + d], [lon - d, lat - d]]]}
    check = check_site(sw.world.admin, project_name="新建医院", kind="hospital", geometry=square)
    station = [c for c in check.result["conflicts"] if c["name"] == "测试加油站"]
    assert station == [] or station[0]["distance_m"] < 50


def test_bad_input_names_the_field_and_stores_nothing(sw):
    lon, lat = sw.origin
    bow_tie = {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.001, lat + 0.001], [lon + 0.001, lat],
                                                   [lon, lat + 0.001], [lon, lat]]]}
    cases = [
        ({"project_name": "自相交", "kind": "school", "geometry": bow_tie}, "geometry", "自相交"),
        ({"project_name": "县外", "kind": "school", "geometry": point((116.4, 39.9))}, "geometry", "本县"),
        ({"project_name": "未知类别", "kind": "zoo", "geometry": point(sw.origin)}, "kind", "未知"),
        ({"project_name": " ", "kind": "school", "geometry": point(sw.origin)}, "project_name", "必填"),
    ]
    for data, field, words in cases:
        with pytest.raises(ValidationError) as refused:
            check_site(sw.world.admin, **data)
        assert words in " ".join(refused.value.message_dict[field]), (field, refused.value.message_dict)
    assert not SiteCheck.objects.exists()


def test_grid_workers_cannot_save_site_checks(sw):
    with pytest.raises(PermissionDenied):
        check_site(sw.world.grid_worker, project_name="x", kind="school", geometry=point(sw.at(35)))


def test_the_pages_save_a_check_and_print_the_pdf_report(sw, client):
    client.force_login(sw.world.township_officer)
    lon, lat = sw.at(30)
    answer = client.post("/siting/site-check/", {"project_name": "新建小学", "kind": "school", "lon": lon, "lat": lat})
    assert answer.status_code == 302
    check = SiteCheck.objects.get()
    page = client.get(answer.url).content.decode()
    assert check.number in page and "测试加油站" in page and "不符合" in page
    pdf = client.get(f"/siting/site-checks/{check.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    bad = client.post("/siting/site-check/", {"project_name": "县外", "kind": "school", "lon": 116.4, "lat": 39.9})
    assert bad.status_code == 422 and "本县" in bad.content.decode()
    client.force_login(sw.world.other_township_officer)
    assert client.get(f"/siting/site-checks/{check.pk}/").status_code == 404
