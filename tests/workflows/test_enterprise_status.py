"""The enterprise operating-status workflow tells the people concerned (issue 8) and keeps
its deadlines (issue 7): effects in the transaction, a sweep registered by the registry."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from citysafe.accounts.models import Role
from citysafe.core.scheduler import schedules
from citysafe.core.workflow import TransitionError
from citysafe.core.workflow.deadlines import registered_sweeps, run_deadline_sweeps
from citysafe.core.workflow.tasks import sweep_deadlines
from citysafe.notifications.delivery import deliver_due
from citysafe.notifications.models import InboxMessage, Notification
from citysafe.registry.models import Enterprise
from citysafe.registry.services import transition_enterprise

User = get_user_model()


def township_officers_of(enterprise):
    return set(User.objects.filter(role=Role.TOWNSHIP, organisation__area_id=enterprise.township_id))


def suspend(world, enterprise, deadline=None):
    actor = world.admin
    payload = {"deadline": deadline.isoformat()} if deadline else None
    return transition_enterprise(actor, enterprise.pk, "suspend", note="检查发现重大隐患",
                                 expected_version=Enterprise.objects.get(pk=enterprise.pk).version, payload=payload)


def test_suspending_an_enterprise_tells_its_officer_and_its_township_in_their_inbox(world, client):
    enterprise = world.enterprise  # the enterprise officer's own
    township = township_officers_of(enterprise)
    assert township, "the demo county has an officer for every township"
    suspend(world, enterprise)
    deliver_due()

    told = set(User.objects.filter(inbox__subject__contains=enterprise.name))
    assert told == {world.enterprise_officer} | township
    outsider = world.other_township_officer if world.other_township_officer not in township else world.township_officer
    assert not InboxMessage.objects.filter(user=outsider).exists()
    client.force_login(world.enterprise_officer)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert enterprise.name in page and "停产整顿" in page


def test_the_api_shows_the_suspension_deadline(world):
    from tests.api.conftest import Api

    deadline = timezone.localdate() + dt.timedelta(days=7)
    suspend(world, world.enterprise_in_a, deadline)
    body = Api(world.township_officer).get(f"enterprises/{world.enterprise_in_a.pk}").json()
    assert body["operating_status"] == "suspended" and body["due_at"].startswith(deadline.isoformat())


def test_a_refused_transition_tells_nobody(world):
    enterprise = world.enterprise
    before = Notification.objects.count()
    with pytest.raises(TransitionError, match="必须填写说明"):  # a suspension needs its reason
        transition_enterprise(world.admin, enterprise.pk, "suspend", note="", expected_version=enterprise.version)
    assert Notification.objects.count() == before


def test_the_suspension_deadline_sweep_reminds_once_then_escalates_once_per_suspension(world):
    enterprise = world.enterprise_in_a
    deadline = timezone.localdate() + dt.timedelta(days=5)
    suspended = suspend(world, enterprise, deadline)
    due = suspended.due_at
    township = township_officers_of(enterprise)

    def sent(stage):
        return Notification.objects.filter(kind="enterprise_suspension_deadline", payload__stage=stage,
                                           payload__enterprise=enterprise.pk)

    assert run_deadline_sweeps(now=due - dt.timedelta(days=2))["enterprise_suspension_deadline"] == 0
    run_deadline_sweeps(now=due - dt.timedelta(hours=12))
    run_deadline_sweeps(now=due - dt.timedelta(hours=6))  # again: nothing new
    assert township <= {n.recipient for n in sent("reminder")} and sent("reminder").count() >= 1
    reminders = sent("reminder").count()

    run_deadline_sweeps(now=due + dt.timedelta(hours=1))
    run_deadline_sweeps(now=due + dt.timedelta(hours=2))
    assert sent("reminder").count() == reminders
    assert {n.recipient for n in sent("overdue")} == township and sent("overdue").count() == len(township)

    run_deadline_sweeps(now=due + dt.timedelta(days=4))
    run_deadline_sweeps(now=due + dt.timedelta(days=5))
    escalated = {n.recipient for n in sent("escalate")}
    assert world.admin in escalated and township <= escalated
    assert sent("escalate").count() == len(escalated) and sent("overdue").count() == len(township)

    # A new suspension is a new entry into the state: its deadline is reminded afresh.
    version = Enterprise.objects.get(pk=enterprise.pk).version
    transition_enterprise(world.admin, enterprise.pk, "resume", expected_version=version)
    run_deadline_sweeps(now=due + dt.timedelta(days=6))  # not suspended: nothing
    assert sent("escalate").count() == len(escalated)
    again = suspend(world, enterprise, deadline + dt.timedelta(days=1))
    run_deadline_sweeps(now=again.due_at - dt.timedelta(hours=1))
    assert sent("reminder").count() == 2 * reminders


def test_the_sweep_is_registered_by_the_registry_and_run_by_one_scheduled_job(world):
    assert "enterprise_suspension_deadline" in {s.name for s in registered_sweeps()}
    assert [s.task for s in schedules()].count(sweep_deadlines) == 1
    assert sweep_deadlines.call() == {sweep.name: 0 for sweep in registered_sweeps()}
