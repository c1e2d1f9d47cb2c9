"""Kill -9 the ingesting process (HTTP server, MQTT subscriber) in the middle of a run and
restart it: every reading the sender saw acknowledged is stored, and after the sender's retries
(HTTP) or the broker's redelivery (MQTT) nothing is stored twice — the roll-ups, which add up
every stored reading, count each reading exactly once."""
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db.models import Sum

from citysafe.monitoring.models import Gateway, MinuteRollup, Reading, Sensor, token_digest
from tests.support.brokers import Mosquitto
from tests.support.brokers import free_port as _free_port
from tests.worker.support import ROOT, manage_py, stop, wait_until
from tests.worker.support import test_database_url as database_url

pytestmark = pytest.mark.slow


def _gateway():
    gateway = Gateway.objects.order_by("id").first()
    raw = secrets.token_urlsafe(32)
    Gateway.objects.filter(pk=gateway.pk).update(token_digest=token_digest(raw), token_prefix=raw[:8])
    codes = list(Sensor.objects.filter(gateway=gateway).values_list("code", flat=True))
    return raw, gateway, codes


def _batches(codes, count, size, start):
    """Distinct readings: batch b, reading i → sensor i % n at its own second, small values."""
    return [[{"sensor": codes[i % len(codes)], "ts": start + b * size + i, "value": 0.5} for i in range(size)]
            for b in range(count)]


def _assert_each_stored_once(total):
    stored = Reading.objects.count()
    rolled = MinuteRollup.objects.aggregate(n=Sum("count"))["n"]
    assert (stored, rolled) == (total, total)


def _start_web(port, log):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": database_url(),
           "SECRET_KEY": "test-only-insecure-key", "DEBUG": "0"}
    handle = open(log, "ab")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
                                "--timeout", "60"], cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                               start_new_session=True)
    process._log = handle
    return process


def _kill_group(process):
    """SIGKILL the server we started and its worker (its own session: its process group)."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    process._log.close()


def test_http_ingestion_killed_mid_run_loses_nothing_acknowledged_and_stores_nothing_twice(
        transactional_world, tmp_path):
    raw, _gateway_row, codes = _gateway()
    count, size = 40, 2000
    batches = _batches(codes, count, size, int(time.time()) - 86400 + 60)
    port, log = _free_port(), tmp_path / "web.log"
    acknowledged, attempts, answers = [], [0] * count, {}

    def sender():
        for b, batch in enumerate(batches):
            data = json.dumps(batch).encode()
            while True:
                attempts[b] += 1
                request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/ingest/readings", data=data,
                                                 headers={"Authorization": f"Bearer {raw}",
                                                          "Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our test server)
                        answers[b] = json.loads(response.read())
                    acknowledged.append(b)
                    break
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                    time.sleep(0.1)      # the server is down: retry the same batch

    web = _start_web(port, log)
    thread = threading.Thread(target=sender, daemon=True)
    try:
        thread.start()
        wait_until(lambda: len(acknowledged) >= 5, timeout=120, what="first batches", process=web, log_path=log)
        _kill_group(web)
        killed_after = len(acknowledged)
        stored_at_kill = Reading.objects.count()
        # every acknowledged batch is stored already
        assert stored_at_kill >= killed_after * size
        web = _start_web(port, log)
        thread.join(timeout=300)
        assert not thread.is_alive()
    finally:
        if web.poll() is None:
            _kill_group(web)
    retried = [b for b in range(count) if attempts[b] > 1]
    print(f"\nhttp crash: {count} batches of {size}, killed after {killed_after} acknowledged "
          f"({stored_at_kill} readings stored at the kill), retried batches {retried}, "
          f"duplicates reported on retry {sum(answers[b]['duplicated'] for b in retried)}")
    assert all(answers[b]["stored"] + answers[b]["duplicated"] == size for b in range(count))
    _assert_each_stored_once(count * size)


@pytest.fixture
def broker(tmp_path):
    with Mosquitto(tmp_path, unlimited_queues=True) as mosquitto:
        yield mosquitto.port


def test_mqtt_subscriber_killed_mid_run_loses_nothing_and_stores_nothing_twice(transactional_world, broker, tmp_path):
    import paho.mqtt.client as mqtt

    raw, gateway, codes = _gateway()
    count, size = 150, 200
    batches = _batches(codes, count, size, int(time.time()) - 86400 + 60)
    log = tmp_path / "mqtt.log"
    args = ["mqtt_ingest", "--port", str(broker), "--client-id", "crash-test"]
    subscriber = manage_py(args, log)
    results = []
    watcher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="crash-watcher")
    watcher.on_message = lambda c, u, m: results.append(json.loads(m.payload))
    watcher.connect("127.0.0.1", broker)
    watcher.subscribe("citysafe/v1/results/#", qos=0)
    watcher.loop_start()
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="crash-publisher")
    publisher.connect("127.0.0.1", broker)
    publisher.loop_start()
    second = None
    try:
        # the subscriber's persistent session exists once it answers a first (empty) message
        wait_until(lambda: publisher.publish(f"citysafe/v1/readings/{gateway.code}",
                                             json.dumps({"token": raw, "readings": []}), qos=1) and results,
                   timeout=60, interval=0.5, what="subscriber ready", process=subscriber, log_path=log)
        for batch in batches:
            publisher.publish(f"citysafe/v1/readings/{gateway.code}", json.dumps({"token": raw, "readings": batch}),
                              qos=1).wait_for_publish(timeout=30)
        wait_until(lambda: Reading.objects.count() >= 10 * size, timeout=120, what="first messages stored",
                   process=subscriber, log_path=log)
        subscriber.send_signal(signal.SIGKILL)
        subscriber.wait(timeout=30)
        stored_at_kill = Reading.objects.count()
        assert stored_at_kill < count * size, "kill must land mid-run"
        second = manage_py(args, log)
        wait_until(lambda: Reading.objects.count() >= count * size, timeout=300, what="all readings stored",
                   process=second, log_path=log)
        time.sleep(1)     # a redelivered message after the last one would show as a second storage
    finally:
        stop(subscriber, signal.SIGKILL)
        stop(second)
        publisher.loop_stop()
        watcher.loop_stop()
    redelivered = sum(r["duplicated"] for r in results)
    print(f"\nmqtt crash: {count} messages of {size}, {stored_at_kill} readings stored at the kill, "
          f"{redelivered} duplicates from redelivery")
    _assert_each_stored_once(count * size)
