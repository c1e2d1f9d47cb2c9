"""The warning's channels end to end: SMS through the HTTP gateway adapter (a server on
loopback), e-mail over Django's backend, HMAC-signed webhooks, MQTT to a real Mosquitto."""
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from citysafe.early_warning.delivery import fan_out
from citysafe.early_warning.models import Subscription
from citysafe.notifications.delivery import deliver_due
from citysafe.notifications.models import Notification
from citysafe.notifications.signing import is_valid


@pytest.fixture
def http_sink():
    """A loopback HTTP server recording (path, headers, body) of every POST."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, dict(self.headers), body))
            answer = json.dumps({"message_id": f"m{len(received)}"}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


def test_sms_goes_through_the_http_gateway_signed_and_once_per_row(world, make_warning, publish, settings, http_sink):
    url, received = http_sink
    settings.NOTIFICATION_SMS_GATEWAY = "citysafe.notifications.sms.HttpSmsGateway"
    settings.NOTIFICATION_SMS_URL = f"{url}/sms"
    Subscription.objects.create(channel="sms", address="13900005555", confirmed_at=timezone.now()).areas.set(
        [world.township_a])
    warning = publish(make_warning())
    fan_out(warning.pk)
    deliver_due()
    rows = Notification.objects.filter(kind="warning", channel="sms", payload__warning=warning.pk)
    assert rows.count() == len(received) > 0 and set(rows.values_list("status", flat=True)) == {"sent"}
    keys = [headers["Idempotency-Key"] for _path, headers, _body in received]
    assert len(set(keys)) == len(keys)
    assert all(is_valid(body, headers["X-Citysafe-Signature"]) for _path, headers, body in received)
    assert any(json.loads(body)["to"] == "13900005555" for _p, _h, body in received)


def test_email_subscribers_get_the_warning_by_email(world, make_warning, publish):
    Subscription.objects.create(channel="email", address="resident@example.cn", confirmed_at=timezone.now()).areas.set(
        [world.township_a])
    warning = publish(make_warning())
    fan_out(warning.pk)
    deliver_due()
    assert any("resident@example.cn" in m.to and warning.headline in m.subject for m in mail.outbox)


def test_other_systems_get_an_hmac_signed_webhook(world, make_warning, publish, settings, http_sink):
    url, received = http_sink
    settings.WARNING_WEBHOOK_URLS = [f"{url}/board"]
    settings.NOTIFICATION_SIGNING_SECRET = "test-signing-secret"
    warning = publish(make_warning())
    fan_out(warning.pk)
    deliver_due()
    [(path, headers, body)] = [r for r in received if r[0] == "/board"]
    assert is_valid(body, headers["X-Citysafe-Signature"])
    assert json.loads(body)["payload"]["warning"] == warning.pk


mqtt_mod = pytest.importorskip("citysafe.notifications.tests.test_mqtt")
broker = mqtt_mod.broker
mqtt_channel = mqtt_mod.mqtt_channel


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("mosquitto") is None, reason="needs the mosquitto broker")
def test_sirens_and_boards_get_the_warning_over_mqtt_per_township(world, make_warning, publish, broker, mqtt_channel):
    mqtt_channel(broker)
    subscriber, received = mqtt_mod.subscribe(broker, "citysafe/warnings/#")
    try:
        warning = publish(make_warning(townships=[world.township_a, world.township_b]))
        fan_out(warning.pk)
        deliver_due()
        topics = {received.get(timeout=5)[0] for _ in range(2)}
    finally:
        subscriber.disconnect()
        subscriber.loop_stop()
    assert topics == {f"citysafe/warnings/{world.township_a.code}", f"citysafe/warnings/{world.township_b.code}"}
