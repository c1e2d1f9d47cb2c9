"""Receipts: channels fill sent/delivered/failed; a user reading an inbox message
acknowledges it — once, and without an audit record (no hash-chain lock per read)."""
from django.urls import reverse

from citysafe.core.audit_models import AuditRecord
from citysafe.notifications.models import InboxMessage, Receipt
from citysafe.notifications.services import mark_read, notify, record_receipt
from citysafe.notifications.tasks import deliver_notifications


def test_reading_an_inbox_message_acknowledges_it_once_and_writes_no_audit_record(client, world):
    [row] = notify(world.township_officer, kind="hazard.assigned", subject="隐患整改提醒", link="/notifications/")
    deliver_notifications.call()
    message = InboxMessage.objects.get(notification=row)
    audit_before = AuditRecord.objects.count()

    client.force_login(world.township_officer)
    assert client.post(reverse("notifications:mark_read", args=[message.pk])).status_code == 302
    mark_read(world.township_officer, message.pk)  # a second click changes nothing

    message.refresh_from_db()
    assert message.read_at is not None
    receipts = list(row.receipts.values_list("status", flat=True))
    assert receipts == [Receipt.Status.DELIVERED, Receipt.Status.ACKNOWLEDGED]
    assert f"user {world.township_officer.pk}" in row.receipts.get(status=Receipt.Status.ACKNOWLEDGED).detail
    assert AuditRecord.objects.count() == audit_before


def test_a_gateway_can_report_a_later_receipt_and_delivered_counts_once(world):
    [row] = notify(world.leader, kind="warning.issued", subject="暴雨红色预警", channels=("webhook",))
    assert record_receipt(row, Receipt.Status.DELIVERED, detail="SMS gateway: handset reached") is not None
    assert record_receipt(row, Receipt.Status.DELIVERED, detail="repeat callback") is None
    assert list(row.receipts.values_list("status", "detail")) == [("delivered", "SMS gateway: handset reached")]
