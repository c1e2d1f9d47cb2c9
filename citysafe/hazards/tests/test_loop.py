"""The closed loop by role and state: each step names its roles; a wrong role or state, a past
deadline or a missing note is a clear error and nothing changes."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from citysafe.core.concurrency import StaleRecord
from citysafe.core.models import WorkflowEvent
from citysafe.core.workflow import TransitionError
from citysafe.hazards.models import Hazard, Status
from citysafe.hazards.services import hazards as services
from citysafe.hazards.tests.conftest import step

pytestmark = pytest.mark.django_db


def _future(days=10):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _notice(**extra):
    return {"responsible_unit": "某某商贸公司", "responsible_person": "张三", "measures": "清理通道杂物",
            "deadline": _future(), **extra}


def test_hazard_inherits_the_township_and_grid_of_its_place(hw):
    hazard = hw.hazard()
    assert hazard.township_id == hw.place.township_id and hazard.grid_id == hw.place.grid_id
    assert hazard.code.startswith("YH") and hazard.status == Status.REGISTERED


def test_a_hazard_must_belong_to_exactly_one_record(hw):
    with pytest.raises(ValidationError) as caught:
        hw.hazard(enterprise_id=hw.world.enterprise_in_a.pk)
    assert "place_id" in caught.value.message_dict or "enterprise_id" in caught.value.message_dict


def test_general_hazard_walks_the_whole_loop_with_an_event_per_step(hw):
    w = hw.world
    hazard = hw.hazard()
    step(w.township_officer, hazard, "grade", grade="general", reason="易于整改")
    step(w.township_officer, hazard, "issue_notice", **_notice())
    step(w.grid_worker, hazard, "start")
    step(w.grid_worker, hazard, "request_acceptance", note="已清理")
    step(w.township_officer, hazard, "reinspect_fail", note="仍有杂物")
    hazard.refresh_from_db()
    assert hazard.status == Status.RECTIFYING and hazard.reinspection_result == "fail"
    assert hazard.due_at is not None  # the notice's deadline still holds while rectifying again
    step(w.grid_worker, hazard, "request_acceptance")
    step(w.township_officer, hazard, "reinspect_pass")
    hazard.refresh_from_db()
    assert hazard.status == Status.CLOSED and hazard.closed_at and hazard.notice_number
    events = list(WorkflowEvent.objects.filter(object_type="hazards.Hazard", object_id=hazard.pk)
                  .values_list("transition", flat=True).order_by("at", "id"))
    assert events == ["grade", "issue_notice", "start", "request_acceptance", "reinspect_fail",
                      "request_acceptance", "reinspect_pass"]


def test_grid_worker_cannot_grade_and_nothing_changes(hw):
    hazard = hw.hazard()
    with pytest.raises(PermissionDenied):
        step(hw.world.grid_worker, hazard, "grade", grade="major", reason="x")
    hazard.refresh_from_db()
    assert hazard.status == Status.REGISTERED and hazard.grade == "" and hazard.version == 1


def test_rectification_cannot_start_before_a_notice(hw):
    hazard = hw.hazard()
    with pytest.raises(TransitionError, match="当前状态"):
        step(hw.world.township_officer, hazard, "start")
    assert Hazard.objects.get(pk=hazard.pk).status == Status.REGISTERED


def test_a_notice_with_a_deadline_in_the_past_is_refused(hw):
    w = hw.world
    hazard = hw.hazard()
    step(w.township_officer, hazard, "grade", grade="general", reason="易于整改")
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError) as caught:
        step(w.township_officer, hazard, "issue_notice", **_notice(deadline=past))
    assert "payload.deadline" in caught.value.message_dict
    assert "期限不能早于今天" in caught.value.message_dict["payload.deadline"][0]
    hazard.refresh_from_db()
    assert hazard.status == Status.GRADED and hazard.rectification_deadline is None


def test_rejection_needs_a_reason(hw):
    hazard = hw.hazard()
    with pytest.raises(TransitionError, match="必须填写说明"):
        step(hw.world.township_officer, hazard, "reject")
    step(hw.world.township_officer, hazard, "reject", note="经核实不属于隐患")
    assert Hazard.objects.get(pk=hazard.pk).status == Status.REJECTED


def test_return_for_correction_sends_acceptance_back_to_rectifying(hw):
    w = hw.world
    hazard = hw.hazard()
    step(w.township_officer, hazard, "grade", grade="general", reason="易于整改")
    step(w.township_officer, hazard, "issue_notice", **_notice())
    step(w.grid_worker, hazard, "start")
    step(w.grid_worker, hazard, "request_acceptance")
    step(w.township_officer, hazard, "return_for_correction", note="缺整改后照片")
    assert Hazard.objects.get(pk=hazard.pk).status == Status.RECTIFYING


def test_other_township_cannot_see_or_move_the_hazard(hw):
    from django.core.exceptions import ObjectDoesNotExist

    hazard = hw.hazard()
    with pytest.raises((ObjectDoesNotExist, PermissionDenied)):
        step(hw.world.other_township_officer, hazard, "grade", grade="general", reason="x")
    assert Hazard.objects.get(pk=hazard.pk).status == Status.REGISTERED


def test_two_concurrent_transitions_one_wins_the_other_conflicts(hw):
    w = hw.world
    hazard = hw.hazard()
    read_version = hazard.version
    services.transition_hazard(w.township_officer, hazard.pk, "grade", expected_version=read_version,
                               payload={"grade": "general", "reason": "易于整改"})
    with pytest.raises(StaleRecord):
        services.transition_hazard(w.admin, hazard.pk, "reject", expected_version=read_version, note="不是隐患")
    assert Hazard.objects.get(pk=hazard.pk).status == Status.GRADED


def test_registration_cannot_be_edited_once_in_the_loop(hw):
    hazard = hw.hazard()
    step(hw.world.township_officer, hazard, "grade", grade="general", reason="易于整改")
    hazard.refresh_from_db()
    with pytest.raises(TransitionError):
        services.update_hazard(hw.world.township_officer, hazard.pk, {"description": "改"},
                               expected_version=hazard.version)
