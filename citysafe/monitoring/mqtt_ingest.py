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
"duplicated": …, "rejected": …, "reasons": {…}}`.

Delivery: QoS 1 with a persistent session (clean_session false, a fixed client id) and paho's
manual acknowledgement: a message is acknowledged only after its batch has committed. A
process killed before the PUBACK leaves the message with the broker, which delivers it again
to the restarted subscriber; the (sensor, ts) key turns the second delivery into duplicates.
A message that can never be stored (not JSON, a bad token) is acknowledged and logged, or the
broker would redeliver it forever. Run one subscriber per client id; more subscribers share
the load with a shared subscription (`$share/<group>/citysafe/v1/readings/#`, --share).
"""
import json
import logging
import time

import paho.mqtt.client as mqtt
from django.db import close_old_connections

from citysafe.monitoring.services import ingest

log = logging.getLogger("citysafe.monitoring.mqtt")
TOPIC = "citysafe/v1/readings/#"
POSITIONS_TOPIC = "citysafe/v1/positions/#"
RESULTS = "citysafe/v1/results/"
CREDENTIAL_CACHE_SECONDS = 60   # a revoked token stops working within a minute


class Subscriber:
    def __init__(self, host: str, port: int, client_id: str, share: str = ""):
        self.host, self.port = host, port
        self.topics = [(f"$share/{share}/{topic}" if share else topic) for topic in (TOPIC, POSITIONS_TOPIC)]
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False,
                                  manual_ack=True)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self._credentials: dict[str, tuple[float, ingest.Credential]] = {}
        self.handled = 0

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        log.info("mqtt connected", extra={"reason": str(reason_code)})
        client.subscribe([(topic, 1) for topic in self.topics])

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
        code = msg.topic.rsplit("/", 1)[-1]
        if result is None:
            log.warning("mqtt message refused (not JSON, bad token or shape)", extra={"topic": msg.topic})
            return
        client.publish(RESULTS + code, json.dumps({"mid": msg.mid, **result.as_dict()}), qos=0)

    def run(self, *, max_messages: int | None = None):
        self.client.connect(self.host, self.port, keepalive=30)
        if max_messages is None:
            self.client.loop_forever(retry_first_connection=True)
            return
        while self.handled < max_messages:
            self.client.loop(timeout=0.5)
        self.client.disconnect()
