"""The MQTT channel against a real Mosquitto broker: a warning published to its topic with
QoS 1 reaches a subscriber; a broker that is down is a failed attempt, retried."""
import json
import queue
import shutil

import pytest

from citysafe.notifications.models import Notification, Receipt
from citysafe.notifications.services import notify
from citysafe.notifications.targets import Target
from citysafe.notifications.tasks import deliver_notifications
from tests.support.brokers import Mosquitto, free_port

mqtt = pytest.importorskip("paho.mqtt.client")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("mosquitto") is None, reason="needs the mosquitto broker")]


@pytest.fixture
def broker(tmp_path):
    with Mosquitto(tmp_path) as mosquitto:
        yield mosquitto.port


@pytest.fixture
def mqtt_channel(settings):
    def register(port):
        settings.NOTIFICATION_MQTT_HOST = "127.0.0.1"
        settings.NOTIFICATION_MQTT_PORT = port
        settings.NOTIFICATION_CHANNELS = {**settings.NOTIFICATION_CHANNELS,
                                          "mqtt": "citysafe.notifications.mqtt.MqttChannel"}
    return register


def subscribe(port, topic):
    received = queue.Queue()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    subscribed = queue.Queue()
    client.on_message = lambda c, userdata, message: received.put((message.topic, message.payload, message.qos))
    client.on_subscribe = lambda *args: subscribed.put(True)
    client.connect("127.0.0.1", port)
    client.loop_start()
    client.subscribe(topic, qos=1)
    subscribed.get(timeout=5)
    return client, received


def test_a_warning_is_published_to_its_mqtt_topic(world, broker, mqtt_channel):
    mqtt_channel(broker)
    subscriber, received = subscribe(broker, "citysafe/warnings/#")
    try:
        [row] = notify(Target.mqtt("citysafe/warnings/township-1"), kind="warning.issued", subject="暴雨红色预警",
                       channels=("mqtt",), payload={"level": "red"})
        assert deliver_notifications.call()["sent"] == 1
        topic, payload, qos = received.get(timeout=5)
    finally:
        subscriber.disconnect()
        subscriber.loop_stop()
    body = json.loads(payload)
    assert topic == "citysafe/warnings/township-1" and qos == 1
    assert body["subject"] == "暴雨红色预警" and body["payload"] == {"level": "red"}
    assert body["idempotency_key"] == row.idempotency_key
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    [receipt] = row.receipts.all()
    assert receipt.status == Receipt.Status.SENT and "PUBACK" in receipt.detail


def test_a_broker_that_is_down_is_a_failed_attempt(world, mqtt_channel):
    mqtt_channel(free_port())  # nothing listens there
    [row] = notify(Target.mqtt("citysafe/warnings/township-1"), kind="warning.issued", subject="暴雨红色预警",
                   channels=("mqtt",))
    deliver_notifications.call()
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED and "unreachable" in row.last_error


def test_the_mqtt_channel_reaches_only_topics(world, broker, mqtt_channel):
    mqtt_channel(broker)
    with pytest.raises(Exception, match="不能发送给此类接收对象"):
        notify(world.admin, kind="test", subject="x", channels=("mqtt",))
