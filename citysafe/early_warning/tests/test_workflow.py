"""The warning workflow: review, approval by the level's authority, publication, versions, expiry."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from citysafe.core.workflow import TransitionError
from citysafe.early_warning.models import ApprovalRule, Warning
from citysafe.early_warning.services import expire_warnings, start_revision, transition_warning, update_warning


def _steps(warning, *steps):
    for name, actor in steps:
        warning = transition_warning(actor, warning.pk, name, expected_version=warning.version)
    return warning


def test_red_warning_goes_from_draft_through_review_and_leader_approval_to_published(world, make_warning, publish):
    warning = publish(make_warning(level=1))
    assert warning.status == Warning.Status.PUBLISHED
    assert warning.identifier.startswith("622926000") and warning.identifier.endswith("_1")
    assert warning.sent_at is not None
    assert list(warning.townships.all()) == [world.township_a]


def test_a_department_cannot_approve_a_red_warning_the_table_says_leader(world, make_warning):
    warning = _steps(make_warning(level=1), ("submit", world.department), ("pass_review", world.department))
    with pytest.raises(TransitionError, match="审批"):
        transition_warning(world.department, warning.pk, "approve", expected_version=warning.version)


def test_the_approval_table_is_editable_yellow_by_leader_only(world, make_warning):
    ApprovalRule.objects.filter(level=3).update(roles=["leader"])
    warning = _steps(make_warning(level=3), ("submit", world.department), ("pass_review", world.department))
    with pytest.raises(TransitionError):
        transition_warning(world.department, warning.pk, "approve", expected_version=warning.version)
    approved = transition_warning(world.leader, warning.pk, "approve", expected_version=warning.version)
    assert approved.status == Warning.Status.APPROVED


def test_publishing_without_approval_is_refused(world, make_warning):
    warning = _steps(make_warning(level=4), ("submit", world.department), ("pass_review", world.department))
    with pytest.raises(TransitionError):
        transition_warning(world.leader, warning.pk, "publish", expected_version=warning.version)
    assert Warning.objects.get(pk=warning.pk).status == Warning.Status.APPROVING


def test_a_township_cannot_take_workflow_steps(world, make_warning):
    warning = make_warning()
    with pytest.raises(PermissionDenied):
        transition_warning(world.township_officer, warning.pk, "submit", expected_version=warning.version)


def test_an_update_is_a_new_version_and_retires_the_previous_one(world, make_warning, publish):
    first = publish(make_warning(level=2))
    second = start_revision(world.department, first.pk, "Update")
    assert (second.previous_id, second.root_id, second.revision, second.status) == (first.pk, first.pk, 2, "draft")
    second = update_warning(world.department, second.pk, {"level": 1, "headline": "升级为红色"},
                            expected_version=second.version)
    second = publish(second)
    first.refresh_from_db()
    assert first.status == Warning.Status.UPDATED
    assert second.identifier.endswith("_2") and second.msg_type == "Update"
    assert first.headline == "暴雨预警"  # the published version was not rewritten


def test_a_cancel_version_marks_the_warning_cancelled(world, make_warning, publish):
    first = publish(make_warning(level=3))
    cancel = publish(start_revision(world.department, first.pk, "Cancel"))
    first.refresh_from_db()
    assert first.status == Warning.Status.CANCELLED and cancel.msg_type == "Cancel"
    assert not cancel.is_active


def test_published_contents_cannot_be_edited(world, make_warning, publish):
    warning = publish(make_warning())
    with pytest.raises(ValidationError):
        update_warning(world.department, warning.pk, {"headline": "改"}, expected_version=warning.version)


def test_the_expiry_sweep_expires_published_warnings_past_their_expiry(world, make_warning, publish):
    warning = publish(make_warning())
    assert expire_warnings(now=timezone.now() + timedelta(hours=13)) >= 1
    warning.refresh_from_db()
    assert warning.status == Warning.Status.EXPIRED


def test_expiry_before_onset_is_refused_naming_expires(world, make_warning):
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        make_warning(onset=now + timedelta(hours=5), effective=now + timedelta(hours=5), expires=now + timedelta(hours=1))
    assert "expires" in caught.value.message_dict


def test_a_polygon_outside_the_county_is_refused_naming_geometry(world, make_warning):
    far = {"type": "Polygon", "coordinates": [[[116.0, 39.0], [116.1, 39.0], [116.1, 39.1], [116.0, 39.0]]]}
    with pytest.raises(ValidationError) as caught:
        make_warning(area_kind="polygon", geometry=far, areas=[])
    assert "geometry" in caught.value.message_dict


def test_a_circle_finds_the_townships_it_covers(world, make_warning):
    from shapely.geometry import shape

    centre = shape(world.township_a.geometry).representative_point()
    warning = make_warning(area_kind="circle", circle_lon=centre.x, circle_lat=centre.y, circle_radius_km=1.0, areas=[])
    assert world.township_a in warning.townships.all()
