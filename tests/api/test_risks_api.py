"""The risks API beyond the generated CRUD: assessing by the risk point's path, the review
transitions, area levels (JSON and GeoJSON, scoped), thresholds; bad input is a 422 naming the
field, the wrong department a 404, a role that may not a 403 — and nothing changes."""
from citysafe.core.kinds import all_kinds
from citysafe.registry.models import Area
from citysafe.risks.models import Assessment, Inventory, MajorHazardInstallation, MethodThreshold, RiskPoint, Substance
from citysafe.risks.tests.conftest import RiskWorld
from tests.api.conftest import Api

RISK_KINDS = {"risk-points", "assessments", "control-measures", "substances", "hazard-installations", "inventories"}


def _point(world) -> RiskPoint:
    rw = RiskWorld(world)
    return rw.point(), rw


def test_the_risk_kinds_are_in_the_generated_scope_matrices():
    from tests.api.test_kind_matrix import KINDS as API_KINDS
    from tests.pages.test_kind_matrix import KINDS as PAGE_KINDS

    assert {kind.key for kind in all_kinds()} >= RISK_KINDS
    assert set(API_KINDS) >= RISK_KINDS and set(PAGE_KINDS) >= RISK_KINDS


def test_an_enterprise_assesses_submits_and_its_department_accepts_through_the_api(world):
    point, rw = _point(world)
    officer, department = Api(rw.officer), Api(world.department)
    created = officer.post(f"risk-points/{point.pk}/assessments", {"method": "lec", "inputs": {"l": 3, "e": 6, "c": 15}})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["score"], body["level"], body["status"]) == (270.0, 2, "draft")
    submitted = officer.post(f"assessments/{body['id']}/transitions",
                             {"transition": "submit", "expected_version": body["version"]})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    stale = department.post(f"assessments/{body['id']}/transitions", {"transition": "accept", "expected_version": 1})
    assert stale.status_code == 409
    accepted = department.post(f"assessments/{body['id']}/transitions",
                               {"transition": "accept", "expected_version": submitted.json()["version"]})
    assert accepted.status_code == 200, accepted.content
    assert officer.get(f"risk-points/{point.pk}").json()["level"] == 2


def test_inputs_off_the_methods_scale_are_422_naming_the_field_and_nothing_is_stored(world):
    point, rw = _point(world)
    answer = Api(rw.officer).post(f"risk-points/{point.pk}/assessments",
                                  {"method": "lec", "inputs": {"l": 7, "e": 6, "c": 15}})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "inputs.l"]
    assert "分值表" in answer.json()["detail"][0]["msg"]
    assert not Assessment.objects.filter(risk_point=point).exists()
    unknown = Api(rw.officer).post(f"risk-points/{point.pk}/assessments", {"method": "hazop", "inputs": {}})
    assert unknown.status_code == 422


def test_assessing_a_risk_point_outside_ones_scope_is_404(world):
    point, _rw = _point(world)
    for user in (world.other_department, world.other_township_officer):
        answer = Api(user).post(f"risk-points/{point.pk}/assessments", {"method": "lec",
                                                                         "inputs": {"l": 3, "e": 6, "c": 15}})
        assert answer.status_code == 404, (user, answer.content)
    generic = Api(world.other_department).post("assessments", {"risk_point_id": point.pk, "method": "lec",
                                                               "inputs": {"l": 3, "e": 6, "c": 15}})
    assert generic.status_code == 422 and generic.json()["detail"][0]["loc"] == ["body", "risk_point_id"]
    assert not Assessment.objects.filter(risk_point=point).exists()


def test_a_review_by_the_wrong_department_or_a_township_outside_its_write_scope_is_404(world):
    # Both roles may change assessments, but not this one: 404 before the body is read
    # (accounts.auth.changers_of, as on every step endpoint; it was 403 from the workflow's
    # role check, after the body). A role that may not change assessments at all still gets 403:
    # tests/api/test_transition_permission_first.py.
    point, rw = _point(world)
    a = rw.assessment(rw.officer, point)
    from citysafe.risks.tests.conftest import step

    a = step(rw.officer, a, "submit")
    wrong = Api(world.other_department).post(f"assessments/{a.pk}/transitions",
                                             {"transition": "accept", "expected_version": a.version})
    township = Api(world.township_officer).post(f"assessments/{a.pk}/transitions",
                                                {"transition": "accept", "expected_version": a.version})
    assert (wrong.status_code, township.status_code) == (404, 404)
    a.refresh_from_db()
    point.refresh_from_db()
    assert (a.status, a.version, point.level) == ("submitted", 2, 0)


def test_inventory_bad_input_is_422_naming_the_field(world):
    rw = RiskWorld(world)
    admin = Api(world.admin)
    unit = admin.post("hazard-installations", {"unit_name": "接口测试单元", "enterprise_id": rw.enterprise.pk})
    assert unit.status_code == 201, unit.content
    unit_id = unit.json()["id"]
    chlorine = Substance.objects.get(cas="7782-50-5")
    for body, field in (({"substance_id": 999999, "max_quantity": 3}, "substance_id"),
                        ({"substance_id": chlorine.pk, "max_quantity": -3}, "max_quantity"),
                        ({"substance_id": chlorine.pk}, "max_quantity")):
        answer = admin.post("inventories", {"installation_id": unit_id, **body})
        assert answer.status_code == 422, answer.content
        assert answer.json()["detail"][0]["loc"][-1] == field
    assert not Inventory.objects.filter(installation_id=unit_id).exists()
    ok = admin.post("inventories", {"installation_id": unit_id, "substance_id": chlorine.pk, "max_quantity": 30})
    assert ok.status_code == 201
    graded = admin.get(f"hazard-installations/{unit_id}").json()
    assert graded["is_major"] and graded["grade"] in (2, 3) and graded["risk_point_id"]
    assert MajorHazardInstallation.objects.get(pk=unit_id).risk_point.level == 2


def test_area_levels_are_scoped_like_areas_in_json_and_geojson(world):
    township = Api(world.township_officer).get("area-levels")
    assert township.status_code == 200
    ids = {row["area_id"] for row in township.json()}
    expected = set(Area.objects.filter(township=world.township_a, archived_at__isnull=True).values_list("pk", flat=True))
    assert ids == expected
    geo = Api(world.township_officer).get("area-levels/geojson", area_level="grid")
    assert geo.status_code == 200 and geo["Content-Type"].startswith("application/geo+json")
    features = geo.json()["features"]
    assert features and all(f["properties"]["area_level"] == "grid" for f in features)
    assert {f["id"] for f in features} <= expected
    county = Api(world.admin).get("area-levels", area_level="county").json()
    assert len(county) == 1 and set(county[0]["counts"]) == {"major", "significant", "general", "low"}
    assert Api(world.grid_worker).get("area-levels").json()[0]["area_id"] in {world.grid.pk}
    assert Api(world.admin).get("area-levels", area_level="planet").status_code == 422


def test_only_the_admin_changes_a_threshold_through_the_api(world):
    row = MethodThreshold.objects.get(method="mes", level=1)
    refused = Api(world.department).patch(f"risk-thresholds/{row.pk}", {"version": row.version, "lower_bound": 200})
    assert refused.status_code == 403
    bad = Api(world.admin).patch(f"risk-thresholds/{row.pk}", {"version": row.version, "lower_bound": 10})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "lower_bound"]
    done = Api(world.admin).patch(f"risk-thresholds/{row.pk}", {"version": row.version, "lower_bound": 200})
    assert done.status_code == 200 and done.json()["threshold"]["lower_bound"] == 200
