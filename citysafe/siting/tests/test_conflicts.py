"""Conflict analysis over the registry: measured distances, recompute, scope, decisions, ledger."""
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from citysafe.hazards.models import Hazard
from citysafe.siting.models import Conflict, ConflictStatus, SafetyDistanceRule
from citysafe.siting.services.conflicts import accept_conflict, conflict_to_hazard, recompute_conflicts
from citysafe.siting.services.ledger import write_conflict_ledger
from citysafe.siting.services.rules import update_rule


def pair(sw, sensitive):
    return Conflict.objects.filter(hazardous_ref=f"place:{sw.station.pk}", sensitive_ref=f"place:{sensitive.pk}")


def test_the_seeded_rule_table_names_standard_and_clause_for_every_row(db):
    rule = SafetyDistanceRule.objects.get(hazardous_kind="gas_station", sensitive_kind="school")
    assert rule.distance_m == 50 and rule.standard.startswith("GB 50156") and "4.0.4" in rule.clause
    assert not SafetyDistanceRule.objects.filter(standard="").exists()


def test_a_school_40_m_from_a_gas_station_is_a_conflict_one_60_m_away_is_not(sw):
    near = sw.place("近处小学", "school", sw.at(40))
    far = sw.place("远处小学", "school", sw.at(60, azimuth=270))
    recompute_conflicts()
    conflict = pair(sw, near).get()
    assert conflict.distance_m == pytest.approx(40.0, abs=0.05)
    assert conflict.required_m == 50 and conflict.shortfall_m == pytest.approx(10.0, abs=0.05)
    assert conflict.township_id == sw.world.township_a.pk and conflict.status == ConflictStatus.OPEN
    assert not pair(sw, far).exists()


def test_a_home_at_20_m_complies_with_its_16_m_rule_but_a_school_there_does_not(sw):
    home = sw.place("住宅楼", "high_rise", sw.at(20))
    school = sw.place("学校", "school", sw.at(20, azimuth=0))
    recompute_conflicts()
    assert not pair(sw, home).exists()
    assert pair(sw, school).exists()


def test_recompute_marks_a_pair_resolved_when_the_school_moves_away_and_keeps_the_row(sw):
    school = sw.place("小学", "school", sw.at(30))
    recompute_conflicts()
    school.lon, school.lat = sw.at(80)
    school.geometry = {"type": "Point", "coordinates": [school.lon, school.lat]}
    school.save()
    counts = recompute_conflicts()
    assert pair(sw, school).get().is_current is False and counts["resolved"] >= 1


def test_editing_a_rule_is_audited_admin_only_and_changes_the_conflicts(sw):
    market = sw.place("集贸市场", "market", sw.at(30))
    recompute_conflicts()
    assert not pair(sw, market).exists()  # 25 m rule
    rule = SafetyDistanceRule.objects.get(hazardous_kind="gas_station", sensitive_kind="market")
    with pytest.raises(PermissionDenied):
        update_rule(sw.world.township_officer, rule.pk, {"distance_m": 40}, expected_version=rule.version)
    with pytest.raises(ValidationError) as refused:
        update_rule(sw.world.admin, rule.pk, {"distance_m": -5}, expected_version=rule.version)
    assert "distance_m" in refused.value.message_dict
    update_rule(sw.world.admin, rule.pk, {"distance_m": 40}, expected_version=rule.version)
    recompute_conflicts()
    assert pair(sw, market).get().required_m == 40


def test_another_township_cannot_see_or_decide_a_conflict_the_department_of_the_industry_can(sw, client):
    school = sw.place("小学", "school", sw.at(30))
    recompute_conflicts()
    conflict = pair(sw, school).get()
    client.force_login(sw.world.other_township_officer)
    assert client.get(f"/siting/conflicts/{conflict.pk}/").status_code == 404
    assert f"/siting/conflicts/{conflict.pk}/" not in client.get("/siting/conflicts/").content.decode()
    with pytest.raises(Exception) as refused:
        accept_conflict(sw.world.other_township_officer, conflict.pk, reason="x", approver="y")
    assert refused.type.__name__ in ("DoesNotExist", "Http404", "ObjectDoesNotExist")
    client.force_login(sw.world.township_officer)
    page = client.get(f"/siting/conflicts/{conflict.pk}/")
    assert page.status_code == 200 and "小学" in page.content.decode()


def test_accepting_needs_a_reason_and_an_approver_and_survives_a_recompute(sw):
    school = sw.place("小学", "school", sw.at(45))
    recompute_conflicts()
    conflict = pair(sw, school).get()
    with pytest.raises(ValidationError) as refused:
        accept_conflict(sw.world.township_officer, conflict.pk, reason=" ", approver="")
    assert set(refused.value.message_dict) == {"reason", "approver"}
    accept_conflict(sw.world.township_officer, conflict.pk, reason="已设防火墙，经专家论证", approver="张主任")
    recompute_conflicts()
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.ACCEPTED and conflict.approver == "张主任" and conflict.is_current
    with pytest.raises(ValidationError):
        accept_conflict(sw.world.township_officer, conflict.pk, reason="again", approver="x")


def test_a_conflict_becomes_a_hazard_on_the_gas_station_citing_the_rule(sw):
    school = sw.place("小学", "school", sw.at(40))
    recompute_conflicts()
    conflict = pair(sw, school).get()
    hazard = conflict_to_hazard(sw.world.township_officer, conflict.pk)
    assert Hazard.objects.get(pk=hazard.pk).place_id == sw.station.pk
    assert "GB 50156" in hazard.description and "50" in hazard.description
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.HAZARD and conflict.hazard_id == hazard.pk


def test_the_ledger_lists_the_conflicts_the_user_sees(sw):
    sw.place("小学", "school", sw.at(40))
    recompute_conflicts()
    target = io.BytesIO()
    rows = write_conflict_ledger(sw.world.township_officer, target)
    sheet = openpyxl.load_workbook(io.BytesIO(target.getvalue())).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert rows >= 1 and "小学" in values and "测试加油站" in values
    assert write_conflict_ledger(sw.world.other_township_officer, io.BytesIO()) < rows or rows == 0


def test_saving_sites_queues_one_recompute_per_transaction_after_commit(world, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from citysafe.siting.tests.conftest import SitingWorld

    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sw = SitingWorld(world)  # a gas station
        sw.station.name = "改名加油站"
        sw.station.save()
        sw.place("新学校", "school", sw.at(10))
    assert len(callbacks) == 1
    assert DBTaskResult.objects.count() == before + 1


def test_conflict_pages_list_map_and_ledger_answer(sw, client):
    sw.place("小学", "school", sw.at(40))
    recompute_conflicts()
    client.force_login(sw.world.admin)
    page = client.get("/siting/conflicts/")
    assert page.status_code == 200 and "测试加油站" in page.content.decode()
    geo = client.get("/siting/conflicts.geojson").json()
    kinds = {f["properties"]["kind"] for f in geo["features"]}
    assert kinds == {"line", "hazardous", "sensitive"}
    assert client.get("/siting/conflicts.xlsx").status_code == 200
    assert client.post("/siting/conflicts/recompute/").status_code == 302
    client.force_login(sw.world.township_officer)
    assert client.post("/siting/conflicts/recompute/").status_code == 403
