"""The siting API: rules (generic kind), conflicts (scoped, decisions), site checks (422 on bad input)."""
from citysafe.siting.models import SiteCheck
from citysafe.siting.services.conflicts import recompute_conflicts
from tests.api.conftest import Api


def test_rules_list_for_everyone_and_only_the_admin_edits_them(sw):
    rules = Api(sw.world.grid_worker).get("safety-distance-rules", hazardous_kind="gas_station", limit=100)
    assert rules.status_code == 200 and rules.json()["count"] == 5
    rule = next(r for r in rules.json()["items"] if r["sensitive_kind"] == "school")
    assert Api(sw.world.township_officer).patch(f"safety-distance-rules/{rule['id']}",
                                                {"version": rule["version"], "distance_m": 60}).status_code == 403
    changed = Api(sw.world.admin).patch(f"safety-distance-rules/{rule['id']}", {"version": rule["version"], "distance_m": 60})
    assert changed.status_code == 200 and changed.json()["distance_m"] == 60
    duplicate = Api(sw.world.admin).post("safety-distance-rules", {"hazardous_kind": "gas_station", "sensitive_kind": "school",
                                                                   "distance_m": 10, "standard": "x"})
    assert duplicate.status_code == 422 and duplicate.json()["detail"][0]["loc"][-1] == "sensitive_kind"


def test_conflicts_are_scoped_and_decided_through_the_api(sw):
    school = sw.place("小学", "school", sw.at(40))
    recompute_conflicts()
    mine = Api(sw.world.township_officer).get("conflicts", status="open", limit=500).json()
    item = next(c for c in mine["items"] if c["sensitive_ref"] == f"place:{school.pk}")
    assert item["standard"].startswith("GB 50156") and abs(item["distance_m"] - 40) < 0.1
    others = Api(sw.world.other_township_officer)
    assert item["id"] not in [c["id"] for c in others.get("conflicts", limit=500).json()["items"]]
    assert others.get(f"conflicts/{item['id']}").status_code == 404
    assert Api(sw.world.township_officer).get("conflicts", status="nonsense").status_code == 422
    missing = Api(sw.world.township_officer).post(f"conflicts/{item['id']}/accept", {"reason": "有防火墙", "approver": ""})
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"][-1] == "approver"
    made = Api(sw.world.township_officer).post(f"conflicts/{item['id']}/hazard")
    assert made.status_code == 201 and made.json()["code"]
    assert Api(sw.world.township_officer).get(f"conflicts/{item['id']}").json()["status"] == "hazard"
    assert Api(sw.world.township_officer).post("conflicts/recompute").status_code == 403


def test_a_site_check_through_the_api_and_its_bad_input(sw):
    api = Api(sw.world.township_officer)
    made = api.post("site-checks", {"project_name": "新建小学", "kind": "school",
                                    "geometry": {"type": "Point", "coordinates": list(sw.at(30))}})
    assert made.status_code == 201 and made.json()["verdict"] == "fail" and made.json()["number"].startswith("GHXZ-")
    assert api.get(f"site-checks/{made.json()['id']}").status_code == 200
    bad = api.post("site-checks", {"project_name": "x", "kind": "zoo",
                                   "geometry": {"type": "Point", "coordinates": [116.4, 39.9]}})
    assert bad.status_code == 422
    assert {d["loc"][-1] for d in bad.json()["detail"]} == {"kind", "geometry"}
    assert SiteCheck.objects.count() == 1
