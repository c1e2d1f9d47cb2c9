"""The enforcement case from the inspection record to closure, and the rules that refuse a step."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from citysafe.core.models import WorkflowEvent
from citysafe.core.workflow import TransitionError
from citysafe.enforcement import calendar
from citysafe.enforcement.models import Case, Status
from citysafe.enforcement.services import records
from citysafe.enforcement.services.deadlines import mark_overdue
from citysafe.enforcement.tests.conftest import step

pytestmark = pytest.mark.django_db

FINE = {"penalty": "fine", "fine_amount": "5000", "penalty_basis": "《安全生产法》第九十九条"}


def _age(case, **fields):
    """Move the case's dates back as if time had passed (the guards read today's date)."""
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def test_opening_sets_the_ninety_day_decision_limit_and_a_number(ew):
    case = ew.opened_case()
    case.refresh_from_db()
    assert case.status == Status.INVESTIGATING
    assert case.number.startswith("东应急立")
    assert case.decision_due == calendar.decision_due(case.opened_on)
    assert (case.decision_due - case.opened_on).days >= 90
    assert case.township_id == ew.enterprise.township_id and case.industry_id == ew.enterprise.industry_id


def test_a_decision_before_the_statement_period_has_passed_is_refused_naming_the_rule(ew):
    case = step(ew.world.township_officer, ew.opened_case(), "notify", **FINE)
    version = case.version
    with pytest.raises(TransitionError, match="第六十二条"):
        step(ew.world.admin, case, "decide", decision_text="罚款五千元", **FINE)
    case.refresh_from_db()
    assert case.status == Status.NOTIFIED and case.version == version and not case.decision_number


def test_the_statement_period_is_five_working_days_from_the_notice(ew):
    case = step(ew.world.township_officer, ew.opened_case(), "notify", **FINE)
    from kernels.workdays import count_workdays

    assert count_workdays(case.notified_on, case.statement_due, calendar.work_calendar()) == 5
    assert calendar.work_calendar().is_workday(case.statement_due)


def test_a_penalty_without_a_legal_basis_is_refused_and_nothing_changes(ew):
    case = ew.opened_case()
    version = case.version
    with pytest.raises(TransitionError, match="第三十八条"):
        step(ew.world.township_officer, case, "notify", penalty="fine", fine_amount="5000", penalty_basis="")
    with pytest.raises(TransitionError, match="未能在法规库中找到"):
        step(ew.world.township_officer, case, "notify", penalty="fine", fine_amount="5000",
             penalty_basis="安全生产法 第九百九十九条")
    case.refresh_from_db()
    assert case.status == Status.INVESTIGATING and case.version == version and case.penalty == ""
    assert not WorkflowEvent.objects.filter(object_type="enforcement.Case", object_id=case.pk, transition="notify")


def test_a_case_goes_from_the_inspection_record_to_the_published_decision_and_closure(ew):
    admin, township = ew.world.admin, ew.world.township_officer
    case = step(township, ew.opened_case(), "notify", **FINE)
    assert case.penalty_basis == "安全生产法 第九十九条"  # stored as the resolved reference
    case = step(township, case, "waive", note="当事人书面放弃陈述申辩")
    case = step(admin, case, "decide", decision_text="罚款人民币五千元", **FINE)
    case.refresh_from_db()
    assert case.status == Status.DECIDED and case.decision_number.startswith("东应急罚")
    assert case.publish_due == calendar.publish_due(case.decided_on)
    with pytest.raises(TransitionError, match="第七十八条"):
        step(township, step(township, case, "start_execution"), "close", note="已缴纳罚款")
    case.refresh_from_db()
    records.publish_decision(admin, case.pk, expected_version=case.version)
    case = step(township, case, "close", note="罚款已缴纳")
    assert case.status == Status.CLOSED and case.closed_on == timezone.localdate()
    from citysafe.enforcement.selectors import published_decisions

    row = next(r for r in published_decisions() if r["decision_number"] == case.decision_number)
    assert "*" in row["party_person"] or not case.party_person


def test_a_hearing_must_be_noticed_seven_working_days_ahead_and_held_before_the_decision(ew):
    township = ew.world.township_officer
    case = step(township, ew.opened_case(), "notify", penalty="stop_production",
                penalty_basis="安全生产法 第一百零二条")
    assert case.hearing_right
    with pytest.raises(TransitionError, match="第六十四条"):
        step(township, case, "request_hearing", hearing_on=str(timezone.localdate() + timedelta(days=1)))
    hearing_on = calendar.earliest_hearing(timezone.localdate())
    case = step(township, case, "request_hearing", hearing_on=str(hearing_on))
    with pytest.raises(TransitionError, match="听证尚未举行"):
        step(ew.world.admin, case, "decide", decision_text="责令停产停业整顿", penalty="stop_production",
             penalty_basis="安全生产法 第一百零二条")


def test_a_small_fine_gives_no_right_to_a_hearing(ew):
    case = step(ew.world.township_officer, ew.opened_case(), "notify", **FINE)
    assert not case.hearing_right
    with pytest.raises(TransitionError, match="第六十三条"):
        step(ew.world.township_officer, case, "request_hearing",
             hearing_on=str(calendar.earliest_hearing(timezone.localdate())))


def test_a_decision_past_ninety_days_needs_an_approved_extension(ew):
    case = step(ew.world.township_officer, ew.opened_case(), "notify", **FINE)
    today = timezone.localdate()
    case = _age(case, opened_on=today - timedelta(days=100), decision_due=today - timedelta(days=10),
                statement_due=today - timedelta(days=20))
    with pytest.raises(TransitionError, match="第六十条"):
        step(ew.world.admin, case, "decide", decision_text="罚款", **FINE)
    with pytest.raises(PermissionDenied):
        step(ew.world.township_officer, case, "extend_notified", note="案情复杂")  # townships do not approve
    case = step(ew.world.admin, case, "extend_notified", note="案情复杂，经负责人批准延期")
    assert case.extended and case.decision_due == calendar.extended_due(today - timedelta(days=10))
    with pytest.raises(TransitionError, match="已延期一次"):
        step(ew.world.admin, case, "extend_notified", note="再次延期")


def test_the_scheduled_job_marks_a_case_past_its_limit_overdue_and_the_sweep_tells_the_township(ew):
    from citysafe.core.workflow.deadlines import run_sweep
    from citysafe.enforcement.services.deadlines import CASE_DEADLINES
    from citysafe.notifications.models import Notification

    case = ew.opened_case()
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert mark_overdue() >= 1
    case.refresh_from_db()
    assert case.is_overdue
    run_sweep(CASE_DEADLINES)
    assert Notification.objects.filter(kind="enforcement_deadline", subject__contains=case.number).exists()


def test_power_cut_needs_a_stop_production_decision_and_24_hours_notice(ew):
    township, admin = ew.world.township_officer, ew.world.admin
    case = step(township, ew.opened_case(), "notify", **FINE)
    case = step(township, case, "waive", note="放弃")
    case = step(admin, case, "decide", decision_text="罚款", **FINE)
    case = step(township, case, "demand", deadline=str(timezone.localdate() + timedelta(days=10)))
    case = _age(case, perform_by=timezone.localdate() - timedelta(days=1))
    if not calendar.is_workday(timezone.localdate()):
        pytest.skip("no enforcement on a holiday (行政强制法 第四十三条) — tested on working days")
    with pytest.raises(TransitionError, match="第七十条"):
        step(admin, case, "enforce", measure="power_cut",
             power_cut_notice_at=(timezone.now() - timedelta(hours=30)).isoformat())


def test_a_department_sees_its_industries_cases_a_township_its_own_and_an_enterprise_its_own(ew):
    from citysafe.core import scope

    case = ew.opened_case()
    visible = lambda user: scope.narrow(user, Case.objects.all()).filter(pk=case.pk).exists()  # noqa: E731
    assert visible(ew.world.township_officer)
    assert not visible(ew.world.other_township_officer)
    assert visible(ew.world.department) == (ew.enterprise.industry in ew.world.department.organisation.industries.all())
    assert not visible(ew.world.other_department) or ew.enterprise.industry in ew.world.other_department.organisation.industries.all()
    assert visible(ew.world.enterprise_officer) == (ew.world.enterprise_officer.enterprise_id == ew.enterprise.pk)


def test_an_inspection_record_may_start_from_a_hazards_checklist_inspection_and_takes_its_failed_items(ew):
    from citysafe.hazards.inspection_models import ChecklistTemplate
    from citysafe.hazards.services.inspections import submit_inspection
    from citysafe.registry.models import Place

    officer = ew.world.township_officer
    place = Place.objects.filter(township=ew.world.township_a, owner_enterprise__isnull=False,
                                 archived_at__isnull=True).order_by("id").first()
    template = ChecklistTemplate.objects.filter(place_type=place.place_type).first() or \
        ChecklistTemplate.objects.get(place_type="")
    results = [{"ok": n != 0, "note": "锁闭" if n == 0 else ""} for n in range(len(template.items))]
    inspection, _hazards = submit_inspection(officer, template_id=template.pk, place_id=place.pk, results=results)
    record = records.create_inspection_record(officer, {
        "enterprise_id": place.owner_enterprise_id, "inspectors": "马明 62010031",
        "hazard_inspection_id": inspection.pk})
    assert template.items[0]["text"] in record.findings and "锁闭" in record.findings
    other = Place.objects.exclude(owner_enterprise=place.owner_enterprise).filter(
        township=ew.world.township_a, owner_enterprise__isnull=False).first()
    with pytest.raises(ValidationError, match="不是该单位的场所"):
        records.create_inspection_record(officer, {"enterprise_id": other.owner_enterprise_id,
                                                   "inspectors": "马明", "hazard_inspection_id": inspection.pk})


def test_a_decision_heavier_than_the_notice_needs_a_new_notice(ew):
    township, admin = ew.world.township_officer, ew.world.admin
    case = step(township, ew.opened_case(), "notify", **FINE)
    case = step(township, case, "waive", note="书面放弃")
    with pytest.raises(TransitionError, match="第四十五条"):
        step(admin, case, "decide", decision_text="罚款", **{**FINE, "fine_amount": "9000"})
    with pytest.raises(TransitionError, match="须重新告知"):
        step(admin, case, "decide", decision_text="停产", penalty="stop_production",
             penalty_basis="安全生产法 第一百零二条")
    lighter = step(admin, case, "decide", decision_text="罚款三千元", **{**FINE, "fine_amount": "3000"})
    assert lighter.status == Status.DECIDED
