"""What the hazard loop writes after a transition's own audited save — the notice number, the
rectification deadline, the acceptance and re-inspection dates, closure and de-listing, the
area a major hazard raises — and an inspection task marked done each leave their own audit
record with the before and after of exactly those fields, in the same transaction."""
import datetime

import pytest
from django.utils import timezone

from citysafe.core.audit import verify_chains
from citysafe.core.audit_models import AuditRecord
from citysafe.hazards.inspection_models import ChecklistTemplate
from citysafe.hazards.services.inspections import assign_task, submit_inspection
from citysafe.hazards.tests.conftest import rectifying, step
from citysafe.hazards.tests.test_major import _major, _plan
from citysafe.sharing.feed import current_cursor

pytestmark = pytest.mark.django_db


def _audited(obj, action: str, cursor: int) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(pk__gt=cursor, object_type=obj._meta.label, object_id=str(obj.pk),
                                           action=action).order_by("pk"))


def _intact() -> bool:
    return all(report.is_intact for report in verify_chains())


def test_issuing_a_notice_audits_its_number_and_starting_work_audits_the_deadline_kept(hw):
    cursor = current_cursor()
    hazard = rectifying(hw, days=5)
    [notice] = _audited(hazard, "hazard_notice", cursor)
    assert notice.before["notice_number"] == "" and notice.after["notice_number"] == hazard.notice_number != ""
    assert notice.actor_id == hw.world.township_officer.pk
    [deadline] = _audited(hazard, "hazard_deadline", cursor)
    assert deadline.actor_id == hw.world.grid_worker.pk
    assert deadline.before["due_at"] is None  # the engine clears it on a step without a deadline
    assert deadline.after["rectification_deadline"] == (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    assert deadline.after["due_at"] is not None and deadline.after["is_overdue"] is False
    assert _intact()


def test_a_failed_reinspection_audits_its_date_and_result_and_the_new_deadline(hw):
    hazard = rectifying(hw)
    step(hw.world.grid_worker, hazard, "request_acceptance")
    cursor = current_cursor()
    new_deadline = (timezone.localdate() + datetime.timedelta(days=9)).isoformat()
    step(hw.world.township_officer, hazard, "reinspect_fail", note="仍有杂物", deadline=new_deadline)
    [reinspection] = _audited(hazard, "hazard_reinspection", cursor)
    assert reinspection.before["reinspected_at"] is None and reinspection.after["reinspection_result"] == "fail"
    [deadline] = _audited(hazard, "hazard_deadline", cursor)
    assert deadline.after["rectification_deadline"] == new_deadline


def test_a_major_hazard_audits_the_area_it_raises_its_acceptance_request_closure_and_release(hw):
    cursor = current_cursor()
    hazard = _major(hw)
    [raised] = _audited(hazard, "hazard_raised_area", cursor)
    area = hw.place.grid_id
    assert (raised.before["raised_area_id"], raised.after["raised_area_id"]) == (None, area)
    _plan(hw, hazard)
    step(hw.world.grid_worker, hazard, "request_acceptance")
    [request] = _audited(hazard, "hazard_acceptance_request", cursor)
    assert request.before["rectified_at"] is None and request.after["rectified_at"] is not None
    step(hw.world.township_officer, hazard, "reinspect_pass")
    [closure] = _audited(hazard, "hazard_reinspection", cursor)
    assert closure.before["closed_at"] is None and closure.after["closed_at"] is not None
    assert closure.after["reinspection_result"] == "pass"
    released = _audited(hazard, "hazard_raised_area", cursor)[1:]
    assert [(r.before["raised_area_id"], r.after["raised_area_id"]) for r in released] == [(area, None)]
    assert _intact()


def test_a_step_that_writes_nothing_new_leaves_no_effect_record(hw):
    hazard = rectifying(hw)
    cursor = current_cursor()
    step(hw.world.grid_worker, hazard, "request_acceptance")
    step(hw.world.township_officer, hazard, "return_for_correction", note="补充照片")
    # return_for_correction keeps the deadline: due_at was cleared by the step, so it is written back
    # (one record); the notice number is not rewritten (no record).
    assert len(_audited(hazard, "hazard_deadline", cursor)) == 1
    assert _audited(hazard, "hazard_notice", cursor) == []


def test_an_inspection_of_an_assigned_task_audits_the_task_done(hw):
    template = ChecklistTemplate.objects.get(name="通用安全检查表")
    task = assign_task(hw.world.township_officer, template_id=template.pk, place_id=hw.place.pk,
                       assignee_id=hw.world.grid_worker.pk, due_on=timezone.localdate() + datetime.timedelta(days=3))
    cursor = current_cursor()
    results = [{"ok": True, "note": ""} for _ in template.items]
    submit_inspection(hw.world.grid_worker, template_id=template.pk, place_id=hw.place.pk, task_id=task.pk,
                      results=results, client_key="audit-1")
    [done] = _audited(task, "task_done", cursor)
    assert (done.before["status"], done.after["status"]) == ("open", "done")
    assert done.actor_id == hw.world.grid_worker.pk
    assert _intact()
