"""Deadlines: reminders grouped per responsible person before the deadline; after it the hazard
is overdue and escalated grid → township → department → county office, each step once."""
import datetime

import pytest
from django.utils import timezone

from citysafe.core.workflow.deadlines import run_sweep
from citysafe.hazards.models import Hazard
from citysafe.hazards.services.deadlines import HAZARD_DEADLINES, hazard_todo, send_grouped_reminders
from citysafe.hazards.tests.conftest import rectifying, step
from citysafe.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_reminders_are_grouped_into_one_message_per_person(hw):
    first, second = rectifying(hw), rectifying(hw)
    Notification.objects.filter(kind="hazard_reminder").delete()
    send_grouped_reminders()
    mine = Notification.objects.filter(kind="hazard_reminder", recipient=hw.world.grid_worker)
    assert mine.count() == 1
    assert first.code in mine.get().body and second.code in mine.get().body
    send_grouped_reminders()  # the same day again: nothing new
    assert Notification.objects.filter(kind="hazard_reminder", recipient=hw.world.grid_worker).count() == 1


def test_overdue_hazard_is_flagged_and_escalated_up_the_chain_once_per_step(hw):
    hazard = rectifying(hw, days=1)
    deadline = hazard.due_at
    run_sweep(HAZARD_DEADLINES, now=deadline + datetime.timedelta(hours=1))
    hazard.refresh_from_db()
    assert hazard.is_overdue and hazard.escalation == "grid"
    run_sweep(HAZARD_DEADLINES, now=deadline + datetime.timedelta(days=8))
    hazard.refresh_from_db()
    assert hazard.escalation == "department"
    assert len(_overdue_notices(hw.world.township_officer, hazard)) == 1
    run_sweep(HAZARD_DEADLINES, now=deadline + datetime.timedelta(days=16))
    run_sweep(HAZARD_DEADLINES, now=deadline + datetime.timedelta(days=17))
    assert Hazard.objects.get(pk=hazard.pk).escalation == "county"
    assert len(_overdue_notices(hw.world.admin, hazard)) == 1


def _overdue_notices(user, hazard):
    rows = Notification.objects.filter(kind="hazard_overdue", recipient=user)
    return [row for row in rows if hazard.pk in row.payload.get("hazards", [])]


def test_an_area_only_hazard_with_no_department_is_escalated_to_the_county_safety_office(hw):
    w = hw.world
    hazard = hw.hazard(place_id=None, area_id=w.grid.pk)
    assert hazard.industry_id is None
    step(w.township_officer, hazard, "grade", grade="general", reason="易于整改")
    step(w.township_officer, hazard, "issue_notice", responsible_unit="村委会", responsible_person="乙",
         measures="疏通排水沟", deadline=(timezone.localdate() + datetime.timedelta(days=1)).isoformat())
    hazard.refresh_from_db()
    run_sweep(HAZARD_DEADLINES, now=hazard.due_at + datetime.timedelta(days=8))
    hazard.refresh_from_db()
    assert hazard.is_overdue and hazard.escalation == "county"
    assert len(_overdue_notices(w.admin, hazard)) == 1
    assert _overdue_notices(w.department, hazard) == []


def test_one_person_gets_one_escalation_message_listing_all_their_overdue_hazards(hw):
    first, second = rectifying(hw, days=1), rectifying(hw, days=1)
    run_sweep(HAZARD_DEADLINES, now=max(first.due_at, second.due_at) + datetime.timedelta(hours=1))
    mine = Notification.objects.filter(kind="hazard_overdue", recipient=hw.world.grid_worker)
    assert mine.count() == 1
    assert first.code in mine.get().body and second.code in mine.get().body


def test_home_todo_counts_hazards_waiting_for_the_role(hw):
    hw.hazard()
    titles = [item.title for item in hazard_todo(hw.world.township_officer)]
    assert any("待定级" in title for title in titles)
    assert hazard_todo(hw.world.leader) == []
