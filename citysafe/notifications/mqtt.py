"""MQTT channel: publishes a notification as JSON to its target topic (an MQTT target), QoS 1,
on the broker at NOTIFICATION_MQTT_HOST:NOTIFICATION_MQTT_PORT (registered as "mqtt" in
NOTIFICATION_CHANNELS when that host is set). Sent = the broker acknowledged the publish
(PUBACK); what subscribers do with it is theirs. QoS 1 is at-least-once, like every external
channel: subscribers drop repeats by `idempotency_key` in the body.

paho-mqtt (the Eclipse client) does the protocol; one short connection per delivery keeps
the worker free of long-lived sockets and is plenty for warnings (not for telemetry).
"""
import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from citysafe.notifications.channels import Channel, DeliveryError, DeliveryResult, message_document
from citysafe.notifications.models import Notification, Receipt, TargetKind


class MqttChannel(Channel):
    label = _("MQTT")
    target_kinds = frozenset({TargetKind.MQTT})
    timeout_seconds = 10

    def deliver(self, notification: Notification, *, idempotency_key: str) -> DeliveryResult:
        import paho.mqtt.client as mqtt

        host = getattr(settings, "NOTIFICATION_MQTT_HOST", "")
        port = int(getattr(settings, "NOTIFICATION_MQTT_PORT", 1883))
        if not host:
            raise DeliveryError("NOTIFICATION_MQTT_HOST is not set")
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
        client.connect_timeout = self.timeout_seconds / 2
        username = getattr(settings, "NOTIFICATION_MQTT_USERNAME", "")
        if username:
            client.username_pw_set(username, getattr(settings, "NOTIFICATION_MQTT_PASSWORD", "") or None)
        body = json.dumps(message_document(notification, idempotency_key), ensure_ascii=False).encode()
        try:
            client.connect(host, port, keepalive=30)
        except OSError as exc:
            raise DeliveryError(f"MQTT broker {host}:{port} unreachable: {exc}") from exc
        client.loop_start()
        try:
            info = client.publish(notification.address, body, qos=1)
            info.wait_for_publish(timeout=self.timeout_seconds / 2)
            if not info.is_published():
                raise DeliveryError(f"MQTT broker {host}:{port} did not acknowledge the publish (rc={info.rc})")
        except (RuntimeError, ValueError) as exc:
            raise DeliveryError(f"MQTT publish failed: {exc}") from exc
        finally:
            client.disconnect()
            client.loop_stop()
        return DeliveryResult(Receipt.Status.SENT, f"PUBACK from {host}:{port} for message {info.mid}")
