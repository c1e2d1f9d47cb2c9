"""Urgent hazard notices (a major hazard's steps, escalations beyond the grid) go by SMS as well
as to the inbox, to everyone told who has a phone number — when the SMS channel is configured."""
import datetime

import pytest
from django.utils import timezone

from citysafe.core.workflow.deadlines import run_sweep
from citysafe.hazards.models import Hazard
from citysafe.hazards.services.deadlines import HAZARD_DEADLINES
from citysafe.hazards.tests.conftest import step
from citysafe.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _deadline(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _with_phone(user, number):
    user.phone = number
    user.save(update_fields=["phone"])
    return user


def _rectifying(hw, grade, days=30):
    w = hw.world
    hazard = hw.hazard(description="液化气钢瓶存放于地下室")
    step(w.admin, hazard, "grade", grade=grade, reason="定级理由")  # the county office: the township is told
    step(w.admin, hazard, "issue_notice", responsible_unit="某饭店", responsible_person="李四",
         measures="移出钢瓶", deadline=_deadline(days))
    return hazard


def _sms(kind, user):
    return Notification.objects.filter(kind=kind, channel="sms", recipient=user)


def test_a_major_hazards_steps_reach_the_township_officer_by_sms_as_well_as_the_inbox(hw):
    officer = _with_phone(hw.world.township_officer, "13900001111")
    hazard = _rectifying(hw, "major")  # grade + issue_notice: two steps, two messages each way
    rows = _sms("hazard_transition", officer)
    assert rows.count() == 2
    assert all(row.payload == {"hazard": hazard.pk} and row.priority == 1 for row in rows)
    assert Notification.objects.filter(kind="hazard_transition", channel="inbox", recipient=officer,
                                       payload__hazard=hazard.pk).exists()


def test_a_general_hazards_steps_stay_in_the_inbox(hw):
    officer = _with_phone(hw.world.township_officer, "13900001111")
    _rectifying(hw, "general")
    assert not _sms("hazard_transition", officer).exists()
    assert Notification.objects.filter(kind="hazard_transition", channel="inbox", recipient=officer).exists()


def test_a_major_hazards_rectification_lead_with_an_account_is_told_by_sms(hw):
    w = hw.world
    lead = _with_phone(w.other_township_officer, "13900002222")  # told only as the lead
    hazard = hw.hazard(description="液化气钢瓶存放于地下室")
    step(w.admin, hazard, "grade", grade="major", reason="定级理由")
    Hazard.objects.filter(pk=hazard.pk).update(responsible_user=lead)
    step(w.admin, hazard, "issue_notice", responsible_unit="某饭店", responsible_person="李四",
         measures="移出钢瓶", deadline=_deadline(30))
    assert _sms("hazard_transition", lead).count() == 1


def test_no_sms_row_is_written_when_the_sms_channel_is_not_configured(hw, settings):
    settings.NOTIFICATION_CHANNELS = {k: v for k, v in settings.NOTIFICATION_CHANNELS.items() if k != "sms"}
    officer = _with_phone(hw.world.township_officer, "13900001111")
    _rectifying(hw, "major")
    assert not Notification.objects.filter(channel="sms").exists()
    assert Notification.objects.filter(kind="hazard_transition", recipient=officer).exists()


def test_an_escalation_beyond_the_grid_goes_by_sms_once_and_the_grid_stage_does_not(hw):
    officer = _with_phone(hw.world.township_officer, "13900001111")
    worker = _with_phone(hw.world.grid_worker, "13900003333")
    hazard = _rectifying(hw, "general", days=1)
    step(hw.world.grid_worker, hazard, "start")
    hazard.refresh_from_db()
    run_sweep(HAZARD_DEADLINES, now=hazard.due_at + datetime.timedelta(hours=1))  # grid stage
    assert not _sms("hazard_overdue", worker).exists()
    run_sweep(HAZARD_DEADLINES, now=hazard.due_at + datetime.timedelta(days=4))   # township stage
    run_sweep(HAZARD_DEADLINES, now=hazard.due_at + datetime.timedelta(days=4, hours=1))
    rows = [row for row in _sms("hazard_overdue", officer) if hazard.pk in row.payload["hazards"]]
    assert len(rows) == 1 and rows[0].payload["stage"] == "township"
