"""The MQTT subscriber (`manage.py mqtt_ingest`): field gateways publish readings to the broker
(Mosquitto, EMQX), this process stores them through the same path as HTTP (services/ingest.py).

Topic scheme (QoS 1), payload UTF-8 JSON with the sender's token (the gateway's or sensor's
own: brokers in the field rarely give per-device ACLs, so the platform checks it):
- `citysafe/v1/readings/<gateway or sensor code>`: `{"token": "…", "readings": [{"sensor":
  "<code>", "ts": <epoch s|ms|ISO 8601>, "value": <number>}, …]}` — the HTTP endpoint's readings;
- `citysafe/v1/positions/<gateway code>`: `{"token": "…", "positions": [{"device": "<terminal
  id>", "ts": …, "lon": …, "lat": …, "speed": <km/h>}, …]}` — vehicle positions (两客一危),
  the HTTP positions endpoint's body (services/vehicles.py), WGS-84 coordinates.
The outcome is published (QoS 0) to `citysafe/v1/results/<code>`: `{"mid": …, "stored": …,
"duplicated": …, "rejected": …, "reasons": {…}, "ingest": "<client id of the subscriber>"}`.

Delivery: MQTT 5, QoS 1, a persistent session (a fixed client id, clean_start false and a
session expiry, MONITORING_MQTT_SESSION_EXPIRY) and paho's manual acknowledgement: a message is
acknowledged only after its batch has committed. A process killed before the PUBACK leaves the
message in its session at the broker, which delivers it again to the restarted subscriber; the
(sensor, ts) key turns the second delivery into duplicates. A message that can never be stored
(not JSON, a bad token) is acknowledged and logged, or the broker would redeliver it forever.

Several processes: each has its own client id and all subscribe to the same shared
subscription, `$share/<group>/citysafe/v1/readings/#` and `$share/<group>/citysafe/v1/positions/#`
(--share / MONITORING_MQTT_SHARE); the broker hands each message to one member of the group.
Mosquitto 2 picks the member per message in turn *including members that are offline with a
live session*: their share waits in their session until they come back (systemd restarts them)
— so a process taken away for good must leave the group (`--leave`: unsubscribe, store what its
session still holds, end the session), or its queued share is dropped when the session expires.
"""
import json
import logging
import time

import paho.mqtt.client as mqtt
from django.db import close_old_connections
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from citysafe.monitoring.services import ingest

log = logging.getLogger("citysafe.monitoring.mqtt")
TOPIC = "citysafe/v1/readings/#"
POSITIONS_TOPIC = "citysafe/v1/positions/#"
RESULTS = "citysafe/v1/results/"
CREDENTIAL_CACHE_SECONDS = 60   # a revoked token stops working within a minute


def subscriptions(share: str = "") -> list[str]:
    """The topic filters a subscriber takes: plain, or the shared subscription of group `share`."""
    return [(f"$share/{share}/{topic}" if share else topic) for topic in (TOPIC, POSITIONS_TOPIC)]


class Subscriber:
    def __init__(self, host: str, port: int, client_id: str, share: str = "", *, session_expiry: int = 86400,
                 username: str = "", password: str = ""):
        if share and any(c in share for c in "/+#"):
            raise ValueError(f"shared-subscription group {share!r} may not contain '/', '+' or '#'")
        self.host, self.port, self.client_id = host, port, client_id
        self.session_expiry = session_expiry
        self.topics = subscriptions(share)
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5,
                                  manual_ack=True)
        if username:
            self.client.username_pw_set(username, password or None)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self._credentials: dict[str, tuple[float, ingest.Credential]] = {}
        self._leaving = False
        self.handled = 0
        self.last_message = time.monotonic()

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        log.info("mqtt connected", extra={"reason": str(reason_code), "session_present": flags.session_present,
                                          "client_id": self.client_id})
        if reason_code.is_failure:
            return
        if self._leaving:       # stop new messages coming to this session; what it holds still arrives
            client.unsubscribe(self.topics)
        else:
            client.subscribe([(topic, mqtt.SubscribeOptions(qos=1)) for topic in self.topics])

    def _credential(self, token: str) -> ingest.Credential:
        cached = self._credentials.get(token)
        if cached and time.monotonic() - cached[0] < CREDENTIAL_CACHE_SECONDS:
            return cached[1]
        credential = ingest.credential_for(token)
        self._credentials[token] = (time.monotonic(), credential)
        return credential

    def handle(self, payload: bytes, topic: str = TOPIC):
        """Store one message's readings or positions (committed when this returns). Returns
        the result, or None when the message can never be stored."""
        from citysafe.monitoring.services import vehicles

        positions = topic.startswith(POSITIONS_TOPIC[:-1])
        try:
            message = json.loads(payload.decode("utf-8"))
            credential = self._credential(message.get("token", "") if isinstance(message, dict) else "")
            rows = (vehicles.rows_from_json if positions else ingest.rows_from_json)(message)
        except (UnicodeDecodeError, ValueError, ingest.BadCredential):
            return None
        close_old_connections()
        return (vehicles.ingest_positions if positions else ingest.ingest)(credential, rows)

    def _on_message(self, client, userdata, msg):
        result = self.handle(msg.payload, msg.topic)          # raises on a database failure: no ack, redelivered
        client.ack(msg.mid, msg.qos)
        self.handled += 1
        self.last_message = time.monotonic()
        code = msg.topic.rsplit("/", 1)[-1]
        if result is None:
            log.warning("mqtt message refused (not JSON, bad token or shape)", extra={"topic": msg.topic})
            return
        client.publish(RESULTS + code, json.dumps({"mid": msg.mid, **result.as_dict(), "ingest": self.client_id}),
                       qos=0)

    def _connect(self):
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = self.session_expiry
        self.client.connect(self.host, self.port, keepalive=30, clean_start=False, properties=properties)

    def run(self, *, max_messages: int | None = None):
        self._connect()
        if max_messages is None:
            self.client.loop_forever(retry_first_connection=True)
            return
        while self.handled < max_messages:
            self.client.loop(timeout=0.5)
        self.client.disconnect()

    def leave(self, *, idle_seconds: float = 5.0, timeout: float = 3600.0):
        """Leave the group for good: unsubscribe, store what the session still holds (until no
        message came for `idle_seconds`), then disconnect ending the session (expiry 0)."""
        self._leaving = True
        self._connect()
        started = self.last_message = time.monotonic()
        while time.monotonic() - self.last_message < idle_seconds and time.monotonic() - started < timeout:
            self.client.loop(timeout=0.5)
        ending = Properties(PacketTypes.DISCONNECT)
        ending.SessionExpiryInterval = 0
        self.client.disconnect(properties=ending)
        self.client.loop(timeout=0.5)
        return self.handled
