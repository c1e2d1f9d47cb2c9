"""The underground pages: a line entered through the record form (map picker, GeoJSON), the scoped
layer, the import's mapping step, the dig check form's 422; and the rule notes checked against
STANDARDS.md (part 6)."""
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citysafe.registry.io.models import DataJob
from citysafe.siting.models import SafetyDistanceRule, UndergroundLine
from citysafe.siting.tests.test_underground import line_through, make_line


def test_a_township_officer_enters_a_line_through_the_form_and_sees_it_on_the_layer(client, sw):
    client.force_login(sw.world.township_officer)
    assert client.get(reverse("siting:create", args=["underground-lines"])).status_code == 200
    response = client.post(reverse("siting:create", args=["underground-lines"]), {
        "code": "FORM-1", "name": "东街给水管", "line_kind": "water", "status": "in_use", "diameter_mm": "200",
        "depth_m": "1.5", "geometry": json.dumps(line_through(sw, 0)), "coordinate_system": "wgs84"})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    line = UndergroundLine.objects.get(code="FORM-1")
    assert line.township_id == sw.world.township_a.pk and line.diameter_mm == 200
    layer = client.get(reverse("siting:underground_geojson")).json()
    assert "FORM-1" in {f["properties"]["code"] for f in layer["features"]}
    client.force_login(sw.world.other_township_officer)
    layer = client.get(reverse("siting:underground_geojson")).json()
    assert "FORM-1" not in {f["properties"]["code"] for f in layer["features"]}
    assert client.get(reverse("siting:underground_geojson"), {"kind": "subway"}).status_code == 422


def test_the_import_page_keeps_the_upload_then_imports_with_the_chosen_mapping(client, sw):
    client.force_login(sw.world.township_officer)
    features = [{"type": "Feature", "geometry": line_through(sw, 0), "properties": {"编号X": "IMP-1", "种类": "电力"}}]
    upload = SimpleUploadedFile("lines.geojson", json.dumps({"type": "FeatureCollection", "features": features},
                                                            ensure_ascii=False).encode())
    staged = client.post(reverse("siting:line_import"), {"resource": "underground-lines", "file": upload})
    assert staged.status_code == 302
    job = DataJob.objects.filter(user=sw.world.township_officer).latest("id")
    page = client.get(staged.url)
    assert "编号X" in page.text and "种类" in page.text
    done = client.post(staged.url, {"map_code": "编号X", "map_line_kind": "种类"})
    assert done.status_code == 302 and done.url == reverse("io:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == DataJob.Status.SUCCEEDED and job.created == 1
    assert UndergroundLine.objects.get(code="IMP-1").line_kind == "power"
    bad = client.post(reverse("siting:line_import"), {"resource": "underground-lines",
                                                      "file": SimpleUploadedFile("x.txt", b"abc")})
    assert bad.status_code == 422


def test_the_dig_check_page_answers_422_with_the_field_and_lists_what_it_found(client, sw):
    make_line(sw, "PAGE-1", 2, owner_enterprise_id=sw.world.enterprise_in_a.pk)
    client.force_login(sw.world.grid_worker)
    url = reverse("siting:dig_check")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"geometry": "", "metres": "5"})
    assert bad.status_code == 422 and "开挖范围" in bad.text
    found = client.post(url, {"geometry": json.dumps({"type": "Point", "coordinates": list(sw.origin)}), "metres": "5"})
    assert found.status_code == 200 and "PAGE-1" in found.text and sw.world.enterprise_in_a.name in found.text
    client.force_login(sw.world.leader)
    assert client.get(url).status_code == 403


def test_seeded_rules_say_which_values_are_not_in_standards_md(db):
    rules = SafetyDistanceRule.objects.filter(archived_at__isnull=True)
    assert all("待核实" in r.note for r in rules.filter(standard__startswith="GB 50016"))
    assert all("待核实" in r.note and "STANDARDS.md" in r.note for r in rules.filter(standard__startswith="GB 50156"))
    assert all("STANDARDS.md" in r.note for r in rules.filter(standard__startswith="GB 18218"))
