"""The notification outbox: written with the change, delivered exactly once to the inbox,
retried with backoff, given up after N attempts."""
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from citysafe.notifications.channels import Channel
from citysafe.notifications.models import InboxMessage, Notification, Receipt
from citysafe.notifications.selectors import inbox_for, unread_count
from citysafe.notifications.services import notify, notify_many
from citysafe.notifications.tasks import deliver_notifications

DELIVERY_TASK = "citysafe.notifications.tasks.deliver_notifications"


class AlwaysFailingChannel(Channel):
    """A gateway that is down."""

    def deliver(self, notification, *, idempotency_key):
        raise ConnectionError("gateway down")


def with_channels(settings, **extra):
    settings.NOTIFICATION_CHANNELS = {**settings.NOTIFICATION_CHANNELS, **extra}


def run_delivery():
    return deliver_notifications.call()


def make_due(notification):
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())


def test_notify_writes_the_row_and_the_delivery_job_in_the_callers_transaction(world):
    jobs_before = DBTaskResult.objects.filter(task_path=DELIVERY_TASK).count()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(world.grid_worker, kind="hazard.assigned", subject="新隐患待核查")
        raise RuntimeError("the announced change fails")
    assert not Notification.objects.filter(recipient=world.grid_worker).exists()
    assert DBTaskResult.objects.filter(task_path=DELIVERY_TASK).count() == jobs_before

    rows = notify(world.grid_worker, kind="hazard.assigned", subject="新隐患待核查", link="/hazards/1/")
    assert [row.status for row in rows] == [Notification.Status.PENDING]
    job = DBTaskResult.objects.filter(task_path=DELIVERY_TASK).latest("enqueued_at")
    assert job.status == "READY" and job.queue_name == "notifications"


def test_delivery_puts_one_message_in_the_recipients_inbox(world):
    [row] = notify(world.grid_worker, kind="hazard.assigned", subject="新隐患待核查", body="请于三日内核查",
                   link="/hazards/1/")
    assert unread_count(world.grid_worker) == 0
    result = run_delivery()
    assert result["sent"] >= 1
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT and row.attempts == 1 and row.sent_at is not None
    assert list(row.receipts.values_list("status", flat=True)) == [Receipt.Status.DELIVERED]
    message = row.inbox_message
    assert (message.user, message.subject, message.body, message.link) == (
        world.grid_worker, "新隐患待核查", "请于三日内核查", "/hazards/1/")
    assert unread_count(world.grid_worker) == 1
    assert list(inbox_for(world.grid_worker)) == [message]
    assert not inbox_for(world.township_officer).filter(pk=message.pk).exists()

    run_delivery()  # a second job finds nothing left to do
    assert InboxMessage.objects.filter(notification=row).count() == 1


def test_same_dedupe_key_queues_the_notification_once(world):
    first = notify(world.township_officer, kind="warning.issued", subject="暴雨橙色预警", dedupe_key="warning:7")
    again = notify(world.township_officer, kind="warning.issued", subject="暴雨橙色预警", dedupe_key="warning:7")
    assert [n.pk for n in first] == [n.pk for n in again]
    many = notify_many([world.township_officer, world.grid_worker], kind="warning.issued", subject="暴雨橙色预警",
                       dedupe_key="warning:8")
    many_again = notify_many([world.township_officer, world.grid_worker], kind="warning.issued",
                             subject="暴雨橙色预警", dedupe_key="warning:8")
    assert len({n.pk for n in many}) == 2 and [n.pk for n in many] == [n.pk for n in many_again]


def test_unknown_channel_is_a_programming_error(world):
    with pytest.raises(ValueError):
        notify(world.admin, kind="x", subject="x", channels=("pigeon",))


def test_failing_channel_is_retried_with_growing_delay_then_given_up(world, settings):
    with_channels(settings, sms=f"{__name__}.AlwaysFailingChannel")
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    [row] = notify(world.grid_worker, kind="alarm", subject="燃气浓度超限", channels=("sms",))

    run_delivery()
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED and row.attempts == 1
    assert "gateway down" in row.last_error
    first_delay = row.next_attempt_at - timezone.now()
    assert timedelta(seconds=20) < first_delay <= timedelta(seconds=30)

    run_delivery()  # not due yet: nothing happens
    row.refresh_from_db()
    assert row.attempts == 1

    make_due(row)
    run_delivery()
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED and row.attempts == 2
    assert row.next_attempt_at - timezone.now() > timedelta(seconds=50)  # 60 s: doubled

    make_due(row)
    run_delivery()
    row.refresh_from_db()
    assert row.status == Notification.Status.DEAD and row.attempts == 3
    assert "ConnectionError" in row.last_error
    make_due(row)
    run_delivery()
    row.refresh_from_db()
    assert row.attempts == 3  # dead rows are left alone


class _Recorder(BaseHTTPRequestHandler):
    received: list = []
    answer = 200

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).received.append((dict(self.headers), json.loads(self.rfile.read(length))))
        self.send_response(type(self).answer)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_server():
    _Recorder.received = []
    _Recorder.answer = 200
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, _Recorder
    finally:
        server.shutdown()
        server.server_close()


def test_webhook_posts_json_with_the_notification_id_as_idempotency_key(world, settings, webhook_server):
    server, recorder = webhook_server
    settings.NOTIFICATION_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/notify"
    [row] = notify(world.leader, kind="warning.issued", subject="暴雨红色预警", channels=("webhook",),
                   payload={"level": "red"})
    run_delivery()
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    [(headers, body)] = recorder.received
    assert headers["Idempotency-Key"] == row.idempotency_key == body["idempotency_key"]
    assert body["subject"] == "暴雨红色预警" and body["payload"] == {"level": "red"} and body["id"] == row.pk
    assert body["target"] == {"kind": "user", "user": world.leader.pk, "username": world.leader.username,
                              "name": world.leader.get_full_name(), "phone": body["target"]["phone"],
                              "email": world.leader.email}
    [receipt] = row.receipts.all()
    assert receipt.status == Receipt.Status.SENT and receipt.detail == "HTTP 200"


def test_webhook_error_answer_is_retried(world, settings, webhook_server):
    server, recorder = webhook_server
    recorder.answer = 503
    settings.NOTIFICATION_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/notify"
    [row] = notify(world.leader, kind="warning.issued", subject="暴雨红色预警", channels=("webhook",))
    run_delivery()
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED and "503" in row.last_error
    [receipt] = row.receipts.all()
    assert receipt.status == Receipt.Status.FAILED and "503" in receipt.detail and receipt.attempt == 1


def test_webhook_without_a_configured_url_fails_visibly(world, settings):
    settings.NOTIFICATION_WEBHOOK_URL = ""
    [row] = notify(world.leader, kind="x", subject="测试", channels=("webhook",))
    run_delivery()
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED and "NOTIFICATION_WEBHOOK_URL" in row.last_error
