"""Accidents as a record kind: entered through the API and pages by the township where they
happen, imported and exported as Excel; the assessment API scores and ranks."""
from datetime import date

from citysafe.assessment.models import Accident, IndicatorSystem
from citysafe.assessment.tests.county import INDICATORS, YEAR
from citysafe.registry.io.excel_import import import_workbook
from tests.api.conftest import Api
from tests.data_io.conftest import ledger_bytes, ledger_rows, workbook_with_rows


def _accident(world, **extra):
    return {"code": "SG-T-1", "kind": "road", "occurred_on": "2025-03-02", "place": "国道213线",
            "township_id": world.township_a.pk, "deaths": 1, "injuries": 2, "direct_loss": 3.5, **extra}


def test_a_township_enters_its_own_accident_and_not_another_townships(world):
    officer = Api(world.township_officer)
    created = officer.post("accidents", _accident(world))
    assert created.status_code == 201, created.content
    assert created.json()["township_name"] == world.township_a.name
    outside = officer.post("accidents", _accident(world, code="SG-T-2", township_id=world.township_b.pk))
    assert outside.status_code == 422 and outside.json()["detail"][0]["loc"] == ["body", "township_id"]
    assert Api(world.other_township_officer).get(f"accidents/{created.json()['id']}").status_code == 404
    bad = officer.post("accidents", _accident(world, code="SG-T-3", kind="flood"))
    assert bad.status_code == 422


def test_accidents_export_and_import_as_excel_through_the_kinds_services(world):
    Accident.objects.create(code="SG-X-1", kind="fire", occurred_on=date(2025, 1, 9), place="集镇",
                            township=world.township_a, deaths=0)
    rows = ledger_rows(ledger_bytes(world.township_officer, "accidents"))
    assert rows[0][0] == "事故编号" and any(r[0] == "SG-X-1" for r in rows[1:])
    data = workbook_with_rows("accidents", [{"事故编号": "SG-IMP-1", "事故类别": "道路交通事故", "发生日期": "2025-02-01",
                                             "发生地点": "村道", "所属乡镇代码": world.township_a.code, "死亡人数": 1}])
    result = import_workbook(world.township_officer, "accidents", data)
    assert result.ok, result.errors
    assert Accident.objects.get(code="SG-IMP-1").deaths == 1


def test_api_creates_an_indicator_system_scores_and_ranks_and_refuses_bad_weights(world):
    admin = Api(world.admin)
    bad = admin.post("appraisal/systems", {"year": YEAR, "unit_kind": "township", "title": "x",
                                            "indicators": [{**i, "weight": 5} for i in INDICATORS]})
    assert bad.status_code == 422 and bad.json()["detail"][0]["type"] == "weights_total"
    assert not IndicatorSystem.objects.filter(year=YEAR).exists()
    made = admin.post("appraisal/systems", {"year": YEAR, "unit_kind": "township", "title": "2021年度乡镇考核",
                                             "indicators": INDICATORS})
    assert made.status_code == 201, made.content
    assert admin.post(f"appraisal/systems/{made.json()['id']}/score").status_code == 200
    ranking = admin.get(f"appraisal/systems/{made.json()['id']}/ranking").json()
    assert sorted(r["rank"] for r in ranking)[0] == 1
    mine = Api(world.township_officer).get(f"appraisal/systems/{made.json()['id']}/ranking").json()
    assert [r["organisation_id"] for r in mine] == [world.township_officer.organisation_id]
    assert Api(world.township_officer).post(f"appraisal/systems/{made.json()['id']}/score").status_code == 403


def test_api_lists_the_seed_targets_with_their_status(world):
    listed = Api(world.admin).get("appraisal/targets").json()
    lights = next(t for t in listed if t["code"] == "ZC-2-5-1")
    assert lights["status"] in ("green", "yellow", "red") and "二（五）" in lights["clause"]
