"""Policy targets from the seed policy, progress with evidence, traffic lights, overdue warnings;
accident statistics and the STANDARDS.md indicators."""
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from citysafe.assessment.models import Accident, PolicyTarget, ProgressReport
from citysafe.assessment.selectors import yearly
from citysafe.assessment.services import figures, targets
from citysafe.assessment.services.city import run_self_assessment
from citysafe.notifications.models import Notification


def test_the_seed_policys_own_targets_are_loaded_with_the_clause_each_comes_from(world):
    seeded = {t.code: t for t in PolicyTarget.objects.filter(source="policy")}
    lights = seeded["ZC-2-5-1"]
    assert (lights.target_value, lights.deadline, lights.unit) == (90, date(2020, 12, 31), "%")
    assert "二（五）" in lights.clause and "90%" in lights.clause_text
    assert seeded["ZC-2-5-2"].target_value == 95
    assert seeded["ZC-2-8-6"].deadline == date(2025, 12, 31) and "易涝点" in seeded["ZC-2-8-6"].clause_text
    assert seeded["ZC-2-18-2"].target_value == 4 and seeded["ZC-2-18-2"].recurring == "每学期"
    assert seeded["ZC-2-18-1"].deadline == date(2024, 6, 30)


def test_a_target_whose_deadline_precedes_its_start_is_refused(world):
    with pytest.raises(ValidationError) as error:
        targets.create_target(world.admin, {"code": "XJ-1", "title": "测试", "indicator": "x", "target_value": 1,
                                            "start_on": "2026-05-01", "deadline": "2026-04-30"})
    assert error.value.error_dict["deadline"][0].code == "deadline_before_start"
    assert not PolicyTarget.objects.filter(code="XJ-1").exists()


def _county_target(world, **extra):
    return targets.create_target(world.admin, {
        "code": "XJ-2", "title": "县级目标", "indicator": "完成率", "target_value": 90, "start_on": "2024-01-01",
        "deadline": "2025-01-01", **extra}, responsible_org_id=world.township_officer.organisation_id)


def test_the_responsible_unit_reports_progress_with_evidence_and_the_light_follows(world):
    target = _county_target(world)
    photo = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    targets.report_progress(world.township_officer, target.pk, value="95", reported_on=date(2024, 12, 1),
                            files=[photo])
    target.refresh_from_db()
    assert target.current_value == 95 and targets.status_of(target, date(2025, 3, 1))[0] == "green"


def test_evidence_of_a_forbidden_type_refuses_the_whole_report(world):
    target = _county_target(world)
    script = SimpleUploadedFile("evidence.pdf", b"#!/bin/sh\nrm -rf /\n")
    with pytest.raises(ValidationError):
        targets.report_progress(world.township_officer, target.pk, value="50", files=[script])
    assert not ProgressReport.objects.filter(target=target).exists()
    target.refresh_from_db()
    assert target.current_value is None


def test_another_township_cannot_report_on_this_target(world):
    from django.http import Http404

    target = _county_target(world)
    with pytest.raises((Http404, PolicyTarget.DoesNotExist)):  # 404 on every edge
        targets.report_progress(world.other_township_officer, target.pk, value="50")


def test_an_overdue_target_warns_its_unit_once_a_day_through_the_outbox(world):
    target = _county_target(world)
    targets.report_progress(world.township_officer, target.pk, value="40", reported_on=date(2024, 12, 1))
    assert targets.warn_overdue(date(2025, 2, 1)) >= 1
    mine = Notification.objects.filter(kind="policy_target_overdue", payload__target=target.pk)
    assert mine.filter(recipient=world.township_officer).count() == 1
    targets.warn_overdue(date(2025, 2, 1))
    assert mine.filter(recipient=world.township_officer).count() == 1


def test_yearly_statistics_give_the_three_standards_indicators(world):
    common = {"place": "某处", "township": world.township_a, "occurred_on": date(2019, 5, 1)}
    Accident.objects.create(code="T-1", kind="production", deaths=3, **common)
    Accident.objects.create(code="T-2", kind="road", deaths=4, injuries=2, **common)
    Accident.objects.create(code="T-3", kind="fire", deaths=2, **common)
    figures.save_base_figure(world.admin, year=2019, gdp_yi="60", vehicles_wan="8", population=400_000)
    row = next(r for r in yearly(world.admin) if r["year"] == 2019)
    assert (row["accidents"], row["deaths"], row["injuries"]) == (3, 9, 2)
    rates = row["indicators"]
    assert (rates.deaths_per_100m_gdp, rates.road_deaths_per_10k_vehicles, rates.fire_deaths_per_100k_people) == (
        0.05, 0.5, 0.5)
    other = next(r for r in yearly(world.other_township_officer) if r["year"] == 2019) if any(
        r["year"] == 2019 for r in yearly(world.other_township_officer)) else None
    assert other is None  # another township does not see these accidents


def test_base_figures_must_be_positive(world):
    with pytest.raises(ValidationError) as error:
        figures.save_base_figure(world.admin, year=2019, gdp_yi="-1", vehicles_wan="8", population=1)
    assert "gdp_yi" in error.value.error_dict


def test_the_demonstration_city_self_assessment_totals_100_and_lists_gaps(world):
    assessment = run_self_assessment(world.admin, 2021)
    assert assessment.items.count() == 12
    assert 0 <= assessment.score <= 100


def test_each_demonstration_city_item_says_what_is_from_the_standard_and_what_is_to_verify(world, client):
    from django.db.models import Sum

    from citysafe.assessment.models import CityItem

    totals = dict(CityItem.objects.values("category").annotate(t=Sum("points")).values_list("category", "t"))
    assert (totals["source"], totals["risk"], sum(totals.values())) == (18, 32, 100)  # STANDARDS.md's figures
    assert not CityItem.objects.filter(basis="").exists()
    assert all("待核实" in basis for basis in CityItem.objects.values_list("basis", flat=True))
    run_self_assessment(world.admin, 2021)
    client.force_login(world.admin)
    assert "待核实" in client.get("/assessment/city/").content.decode()


def test_pages_render_for_the_office_and_a_township(client, world):
    target = _county_target(world)
    for user in (world.admin, world.township_officer):
        client.force_login(user)
        for url in ("/assessment/targets/", f"/assessment/targets/{target.pk}/", "/assessment/statistics/",
                    "/assessment/systems/", "/assessment/accidents/"):
            assert client.get(url).status_code == 200, (user, url)
    client.force_login(world.admin)
    assert client.get("/assessment/city/").status_code == 200


def test_an_interview_follows_an_assessment_and_the_ranking_exports_as_excel(world):
    from openpyxl import load_workbook

    from citysafe.assessment.models import Interview, UnitResult
    from citysafe.assessment.services import reports, scoring, systems
    from citysafe.assessment.tests.county import INDICATORS

    system = systems.create_indicator_system(world.admin, year=2020, unit_kind="township", title="2020年度",
                                             indicators=INDICATORS)
    scoring.score_system(world.admin, system.pk, today=date(2021, 1, 10))
    result = UnitResult.objects.filter(system=system).order_by("rank").last()
    with pytest.raises(ValidationError):
        reports.record_interview(world.admin, result.pk, held_on=date(2021, 2, 1), interviewee="乡长", reason="排名末位",
                                 follow_up_due=date(2021, 1, 1))
    reports.record_interview(world.admin, result.pk, held_on=date(2021, 2, 1), interviewee="乡长", reason="排名末位",
                             follow_up="限期整改", follow_up_due=date(2021, 3, 1))
    assert Interview.objects.filter(result=result).count() == 1
    content, name = reports.ranking_workbook(world.admin, system.pk)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "名次" and len(rows) == 1 + UnitResult.objects.filter(system=system).count()
