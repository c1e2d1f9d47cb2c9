"""Targeting down the responsibility chain and to subscribers; fan-out through the outbox;
gateway receipts, acknowledgements, the dashboard and the reminder."""
import json
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from shapely.geometry import shape

from citysafe.accounts.models import User
from citysafe.core.roles import Role
from citysafe.early_warning.delivery import dashboard, fan_out, remind_unacknowledged
from citysafe.early_warning.models import Subscription
from citysafe.early_warning.targeting import recipients_for
from citysafe.notifications.delivery import deliver_due
from citysafe.notifications.models import Notification, Receipt
from citysafe.notifications.signing import ack_code, sign
from citysafe.registry.models import Enterprise


def _subscriber(address, lon=None, lat=None, areas=()):
    sub = Subscription.objects.create(channel="sms", address=address, lon=lon, lat=lat, confirmed_at=timezone.now())
    sub.areas.set(areas)
    return sub


def test_recipients_are_the_areas_responsible_persons_and_subscribers(world, make_warning, publish):
    inside = shape(world.township_a.geometry).representative_point()
    outside = shape(world.township_b.geometry).representative_point()
    near = _subscriber("13900000001", inside.x, inside.y)
    far = _subscriber("13900000002", outside.x, outside.y)
    by_area = _subscriber("13900000003", areas=[world.township_a])
    unconfirmed = Subscription.objects.create(channel="sms", address="13900000004", lon=inside.x, lat=inside.y)
    warning = publish(make_warning())
    found = recipients_for(warning)
    assert world.township_officer in found.users and world.grid_worker in found.users
    assert world.other_township_officer not in found.users
    assert {near, by_area} <= set(found.subscriptions) and far not in found.subscriptions
    assert unconfirmed not in found.subscriptions
    officers = {e.safety_officer for e in Enterprise.objects.filter(township=world.township_a,
                                                                       safety_officer__isnull=False)}
    assert officers and officers <= set(found.persons)


def test_fan_out_writes_each_row_once_even_when_repeated(world, make_warning, publish):
    warning = publish(make_warning())
    first = fan_out(warning.pk)["queued"]
    rows = Notification.objects.filter(kind="warning", payload__warning=warning.pk).count()
    assert first == rows > 0
    fan_out(warning.pk)
    assert Notification.objects.filter(kind="warning", payload__warning=warning.pk).count() == rows
    channels = set(Notification.objects.filter(kind="warning", payload__warning=warning.pk)
                   .values_list("channel", flat=True))
    assert {"inbox", "sms"} <= channels
    assert Notification.objects.filter(kind="warning", payload__warning=warning.pk, priority=1).count() == rows


def test_a_draft_or_expired_warning_is_not_fanned_out(world, make_warning):
    assert fan_out(make_warning().pk)["queued"] == 0


def test_gateway_receipts_and_sms_replies_are_recorded_when_signed(world, make_warning, publish, settings, tmp_path):
    settings.NOTIFICATION_SMS_FILE = str(tmp_path / "sms.jsonl")
    warning = publish(make_warning())
    fan_out(warning.pk)
    deliver_due()
    sms = Notification.objects.filter(kind="warning", channel="sms", payload__warning=warning.pk).first()
    assert sms.status == "sent"
    lines = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert any(ack_code(sms.pk) in line["text"] for line in lines)
    client = Client()
    body = json.dumps({"id": sms.idempotency_key, "status": "delivered"}).encode()
    assert client.post("/api/v1/notifications/receipts", body, content_type="application/json",
                       headers={"X-CitySafe-Signature": "sha256=forged"}).status_code == 403
    ok = client.post("/api/v1/notifications/receipts", body, content_type="application/json",
                     headers={"X-CitySafe-Signature": sign(body)})
    assert ok.status_code == 200, ok.content
    reply = json.dumps({"from": "13900000000", "text": f"1 {ack_code(sms.pk)}"}).encode()
    assert client.post("/api/v1/notifications/replies", reply, content_type="application/json",
                       headers={"X-CitySafe-Signature": sign(reply)}).status_code == 200
    statuses = set(Receipt.objects.filter(notification=sms).values_list("status", flat=True))
    assert {"sent", "delivered", "acknowledged"} <= statuses
    figures = dashboard(warning)["by_channel"]["sms"]
    assert figures["delivered"] == 1 and figures["acknowledged"] == 1
    assert figures["sent"] == figures["total"]


def test_the_acknowledge_link_needs_a_post_and_a_valid_code(world, make_warning, publish):
    warning = publish(make_warning())
    fan_out(warning.pk)
    row = Notification.objects.filter(kind="warning", payload__warning=warning.pk).first()
    client = Client()
    assert client.get(f"/notifications/ack/{row.pk}-000000/").status_code == 404
    assert client.get(f"/notifications/ack/{ack_code(row.pk)}/").status_code == 200
    assert not Receipt.objects.filter(notification=row, status="acknowledged").exists()
    assert client.post(f"/notifications/ack/{ack_code(row.pk)}/").status_code == 200
    assert Receipt.objects.filter(notification=row, status="acknowledged").exists()


def test_responsible_persons_who_did_not_acknowledge_get_one_reminder(world, make_warning, publish, settings):
    settings.WARNING_ACK_REMINDER_MINUTES = 30
    warning = publish(make_warning())
    fan_out(warning.pk)
    deliver_due()
    late = timezone.now() + timedelta(minutes=31)
    acked = Notification.objects.filter(kind="warning", payload__warning=warning.pk, channel="inbox").first()
    Receipt.objects.create(notification=acked, status="acknowledged")
    Notification.objects.filter(kind="warning", payload__warning=warning.pk).update(sent_at=timezone.now())
    from citysafe.early_warning.models import Warning

    Warning.objects.filter(pk=warning.pk).update(sent_at=timezone.now() - timedelta(minutes=40))
    Notification.objects.filter(kind="warning", payload__warning=warning.pk).update(
        sent_at=timezone.now() - timedelta(minutes=40))
    reminded = remind_unacknowledged(now=late - timedelta(minutes=31) + timedelta(minutes=1))
    assert reminded > 0
    reminders = Notification.objects.filter(kind="warning_reminder", payload__warning=warning.pk)
    assert not reminders.filter(payload__reminder_of=acked.pk).exists()
    assert remind_unacknowledged() == reminded  # the same rows: no second reminder row
    assert reminders.count() == reminded


def test_grid_workers_phone_gets_sms_and_inbox(world, make_warning, publish):
    User.objects.filter(pk=world.grid_worker.pk).update(phone="13912345678")
    warning = publish(make_warning())
    fan_out(warning.pk)
    mine = Notification.objects.filter(kind="warning", payload__warning=warning.pk, recipient=world.grid_worker)
    assert set(mine.values_list("channel", flat=True)) == {"inbox", "sms"}
    assert world.grid_worker.role == Role.GRID
