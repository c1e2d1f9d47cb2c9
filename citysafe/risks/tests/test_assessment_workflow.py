"""The self-assessment workflow: only an accepted assessment changes a risk point's level;
重大/较大 always need review; a department's or township's own 一般/低 may take effect
directly (the ReviewRule table); the reviewer is never the assessor."""
import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied

from citysafe.core.models import WorkflowEvent
from citysafe.core.workflow import TransitionError
from citysafe.notifications.models import Notification
from citysafe.risks.models import ControlLevel, ReviewRule, RiskPoint
from citysafe.risks.services.rules import add_months
from citysafe.risks.tests.conftest import step


def test_enterprise_self_assessment_changes_the_level_only_when_the_department_accepts(rw, world):
    point = rw.point()
    draft = rw.assessment(rw.officer, point, {"l": 6, "e": 6, "c": 15})  # D = 540 → 重大
    assert (draft.score, draft.level, draft.status) == (540.0, 1, "draft")
    submitted = step(rw.officer, draft, "submit")
    point.refresh_from_db()
    assert (submitted.status, point.level) == ("submitted", 0)
    assert Notification.objects.filter(kind="risk_assessment_submitted", recipient=world.department).exists()

    accepted = step(world.department, submitted, "accept", note="同意")
    point.refresh_from_db()
    assert accepted.status == "accepted"
    assert (point.level, point.level_assessment_id, point.level_basis) == (1, accepted.pk, "assessment")
    accepted.refresh_from_db()
    assert accepted.reviewer_id == world.department.pk
    assert WorkflowEvent.objects.filter(object_type="risks.Assessment", object_id=accepted.pk).count() == 2


def test_accepting_sets_the_control_level_and_reassessment_date_from_the_rule_tables(rw, world):
    point = rw.point()
    a = step(rw.officer, rw.assessment(rw.officer, point, {"l": 3, "e": 6, "c": 15}), "submit")  # 270 → 较大
    step(world.department, a, "accept")
    point.refresh_from_db()
    assert point.level == 2 and point.control_level == ControlLevel.DEPARTMENT
    assert point.reassess_due == add_months(a.assessed_on, 24)


def test_a_returned_assessment_needs_a_reason_and_leaves_the_level_alone(rw, world):
    point = rw.point()
    a = step(rw.officer, rw.assessment(rw.officer, point), "submit")
    with pytest.raises(TransitionError):
        step(world.department, a, "return", note="")
    a.refresh_from_db()
    returned = step(world.department, a, "return", note="危险因素辨识不全")
    point.refresh_from_db()
    returned.refresh_from_db()
    assert (returned.status, returned.review_note, point.level) == ("returned", "危险因素辨识不全", 0)


def test_higher_levels_always_need_review_even_for_the_department_itself(rw, world):
    point = rw.point()
    major = rw.assessment(world.department, point, {"l": 6, "e": 6, "c": 15})
    with pytest.raises(TransitionError):
        step(world.department, major, "confirm")
    point.refresh_from_db()
    assert point.level == 0


def test_a_department_confirms_its_own_general_assessment_directly(rw, world):
    point = rw.point()
    general = rw.assessment(world.department, point, {"l": 3, "e": 6, "c": 7})  # 126 → 一般
    step(world.department, general, "confirm")
    point.refresh_from_db()
    assert point.level == 3


def test_the_review_rule_table_decides_what_takes_effect_directly(rw, world):
    point = rw.point(area_id=world.township_a.pk, enterprise_id=None)
    significant = rw.assessment(world.township_officer, point, {"l": 3, "e": 6, "c": 15})  # 较大
    with pytest.raises(TransitionError):
        step(world.township_officer, significant, "confirm")
    ReviewRule.objects.filter(role="township", level=2).update(takes_effect_directly=True)
    significant.refresh_from_db()
    step(world.township_officer, significant, "confirm")
    point.refresh_from_db()
    assert point.level == 2


def test_an_enterprise_officer_cannot_confirm_its_own_assessment(rw):
    point = rw.point()
    low = rw.assessment(rw.officer, point, {"l": 1, "e": 3, "c": 7})
    with pytest.raises(PermissionDenied):
        step(rw.officer, low, "confirm")


def test_nobody_reviews_their_own_assessment(rw, world):
    point = rw.point()
    a = step(world.department, rw.assessment(world.department, point), "submit")
    with pytest.raises(TransitionError):
        step(world.department, a, "accept")


def test_review_by_the_wrong_department_is_not_found_and_changes_nothing(rw, world):
    point = rw.point()
    a = step(rw.officer, rw.assessment(rw.officer, point), "submit")
    with pytest.raises(ObjectDoesNotExist):
        step(world.other_department, a, "accept")
    a.refresh_from_db()
    point.refresh_from_db()
    assert (a.status, point.level) == ("submitted", 0)


def test_a_township_may_not_review(rw, world):
    point = rw.point(enterprise_id=None, area_id=world.township_a.pk)
    a = step(world.admin, rw.assessment(world.admin, point), "submit")
    with pytest.raises(PermissionDenied):
        step(world.township_officer, a, "accept")


def test_a_new_accepted_assessment_replaces_the_old_basis(rw, world):
    point = rw.point()
    first = step(world.department, step(rw.officer, rw.assessment(rw.officer, point), "submit"), "accept")
    low = rw.assessment(world.department, point, {"l": 1, "e": 6, "c": 7})  # 42 → 低
    step(world.department, low, "confirm")
    point = RiskPoint.objects.get(pk=point.pk)
    assert (point.level, point.level_assessment_id) == (4, low.pk)
    assert first.pk != low.pk
