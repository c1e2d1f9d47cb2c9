"""The system's own changes to hazards are audited like every other change, one audit record per
hazard in the transaction that makes them, so another system following the change feed
(sharing) sees them: the overdue escalation of the deadline sweep and the hazard code given at
registration."""
import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from citysafe.core.audit import verify_chain
from citysafe.core.audit_models import AuditRecord
from citysafe.core.workflow.deadlines import run_sweep
from citysafe.hazards.services.deadlines import HAZARD_DEADLINES, overdue_scan
from citysafe.hazards.tests.conftest import rectifying
from citysafe.sharing.feed import current_cursor
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


def _feed(user, cursor: int) -> dict[int, dict]:
    page = Api(user=user).get("changes/hazards", cursor=cursor, limit=1000)
    assert page.status_code == 200, page.content
    return {item["id"]: item for item in page.json()["items"]}


def test_an_overdue_escalation_reaches_the_change_feed_with_one_audit_record_per_hazard(hw):
    first, second = rectifying(hw, days=1), rectifying(hw, days=1)
    cursor = current_cursor()
    with CaptureQueriesContext(connection) as queries:
        run_sweep(HAZARD_DEADLINES, now=max(first.due_at, second.due_at) + datetime.timedelta(hours=1))
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "core_auditrecord"')]
    assert len(inserts) == 1  # set-based: the chunk's audit records in one statement

    audited = AuditRecord.objects.filter(pk__gt=cursor, object_type="hazards.Hazard", action="escalate")
    assert sorted(int(row.object_id) for row in audited) == sorted([first.pk, second.pk])
    for row in audited:
        assert (row.before["is_overdue"], row.before["escalation"]) == (False, "")
        assert (row.after["is_overdue"], row.after["escalation"]) == (True, "grid")
        assert row.actor_label == "system"
    feed = _feed(hw.world.township_officer, cursor)
    for hazard in (first, second):
        assert feed[hazard.pk]["op"] == "upsert"
        assert feed[hazard.pk]["record"]["is_overdue"] is True
        assert feed[hazard.pk]["record"]["escalation"] == "grid"
    assert verify_chain().is_intact


def test_the_next_escalation_level_is_audited_again_and_an_unchanged_hazard_is_not(hw):
    hazard = rectifying(hw, days=1)
    run_sweep(HAZARD_DEADLINES, now=hazard.due_at + datetime.timedelta(hours=1))
    cursor = current_cursor()
    run_sweep(HAZARD_DEADLINES, now=hazard.due_at + datetime.timedelta(hours=2))  # nothing new is due
    assert not AuditRecord.objects.filter(pk__gt=cursor, action="escalate").exists()
    run_sweep(HAZARD_DEADLINES, now=hazard.due_at + datetime.timedelta(days=4))
    row = AuditRecord.objects.get(pk__gt=cursor, action="escalate", object_id=str(hazard.pk))
    assert (row.before["escalation"], row.after["escalation"]) == ("grid", "township")
    assert _feed(hw.world.township_officer, cursor)[hazard.pk]["record"]["escalation"] == "township"


def test_the_overdue_scan_audits_each_hazard_it_flags(hw):
    hazard = rectifying(hw, days=1)
    cursor = current_cursor()
    assert overdue_scan(now=hazard.due_at + datetime.timedelta(hours=1)) >= 1
    row = AuditRecord.objects.get(pk__gt=cursor, action="escalate", object_id=str(hazard.pk))
    assert (row.before["is_overdue"], row.after["is_overdue"]) == (False, True)
    assert _feed(hw.world.township_officer, cursor)[hazard.pk]["record"]["is_overdue"] is True


def test_a_new_hazard_is_audited_with_its_code(hw):
    cursor = current_cursor()
    hazard = hw.hazard()
    assert hazard.code.startswith("YH")
    rows = AuditRecord.objects.filter(pk__gt=cursor, object_type="hazards.Hazard", object_id=str(hazard.pk))
    assert [row.action for row in rows] == ["create"]
    assert rows.get().after["code"] == hazard.code
    assert _feed(hw.world.township_officer, cursor)[hazard.pk]["record"]["code"] == hazard.code


@override_settings(SHARING_WEBHOOK_ALLOW_PRIVATE=True)
def test_a_webhook_subscriber_is_told_of_an_overdue_escalation(hw):
    from citysafe.sharing.models import Delivery
    from citysafe.sharing.webhooks.fanout import fan_out

    hazard = rectifying(hw, days=1)
    answer = Api(user=hw.world.township_officer).post(
        "webhooks", {"name": "市应急指挥平台", "url": "http://127.0.0.1:9/events", "events": ["hazard.overdue"]})
    assert answer.status_code == 201, answer.content
    while fan_out()[0]:
        pass  # what happened before this point is not what the test is about
    run_sweep(HAZARD_DEADLINES, now=hazard.due_at + datetime.timedelta(hours=1))
    while fan_out()[0]:
        pass
    told = Delivery.objects.filter(subscription_id=answer.json()["id"], event="hazard.overdue")
    assert [(d.payload["record_id"], d.payload["data"]["escalation"]) for d in told] == [(hazard.pk, "grid")]
