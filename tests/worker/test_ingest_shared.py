"""Two `mqtt_ingest` processes in one MQTT 5 shared-subscription group on a real Mosquitto
(started here on a free port): the broker splits the readings and vehicle positions between
them, every reading is stored exactly once; a member killed with SIGKILL mid-run gets its
unacknowledged share again when it restarts (persistent session) and still stores it once; a
member taken away for good (`--leave`) stores what its session holds and the rest goes to the
other."""
import json
import secrets
import signal
import time
from collections import Counter

import pytest
from django.db.models import Sum

from citysafe.monitoring.models import (
    Gateway,
    MinuteRollup,
    Reading,
    Sensor,
    Vehicle,
    VehiclePosition,
    token_digest,
)
from tests.support.brokers import Mosquitto
from tests.worker.support import manage_py, stop, wait_until

pytestmark = pytest.mark.slow
GROUP = "ingest"


@pytest.fixture
def mosquitto(tmp_path):
    """Our own Mosquitto 2 (MQTT 5, `$share`) on a free port; unlimited queues, as in production."""
    with Mosquitto(tmp_path, unlimited_queues=True) as broker:
        yield broker.port


class Field:
    """The demo's first gateway's sensors and a hazmat truck, with fresh tokens, and an MQTT
    publisher plus a watcher of the results topic (each result names the subscriber)."""

    def __init__(self, port, start):
        import paho.mqtt.client as mqtt

        self.tokens = {}
        gateway = Gateway.objects.order_by("id").first()
        self.gateway, self.codes = gateway.code, list(Sensor.objects.filter(gateway=gateway)
                                                      .values_list("code", flat=True))
        self.vehicle = Vehicle.objects.filter(gateway__isnull=False).order_by("id").first()
        self.vehicle_gateway = self.vehicle.gateway.code
        for row in {gateway, self.vehicle.gateway}:
            raw = secrets.token_urlsafe(32)
            Gateway.objects.filter(pk=row.pk).update(token_digest=token_digest(raw), token_prefix=raw[:8])
            self.tokens[row.code] = raw
        self.start, self.results = start, []
        self.watcher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="shared-watcher",
                                   protocol=mqtt.MQTTv5)
        self.watcher.on_message = lambda c, u, m: self.results.append(json.loads(m.payload))
        self.watcher.connect("127.0.0.1", port)
        self.watcher.subscribe("citysafe/v1/results/#", qos=0)
        self.watcher.loop_start()
        self.publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="shared-publisher",
                                     protocol=mqtt.MQTTv5)
        self.publisher.connect("127.0.0.1", port)
        self.publisher.loop_start()

    def close(self):
        self.publisher.loop_stop()
        self.watcher.loop_stop()

    def readings(self, first, count, size):
        """Messages first … first+count-1 of `size` distinct readings each (own seconds)."""
        for b in range(first, first + count):
            rows = [{"sensor": self.codes[i % len(self.codes)], "ts": self.start + b * size + i, "value": 0.5}
                    for i in range(size)]
            self.publish("readings", self.gateway, {"readings": rows})

    def positions(self, first, count, size):
        lon, lat = self.vehicle.route[0]
        for b in range(first, first + count):
            rows = [{"device": self.vehicle.code, "ts": self.start + b * size + i, "lon": lon, "lat": lat,
                     "speed": 40} for i in range(size)]
            self.publish("positions", self.vehicle_gateway, {"positions": rows})

    def publish(self, kind, code, body):
        self.publisher.publish(f"citysafe/v1/{kind}/{code}", json.dumps({"token": self.tokens[code], **body}),
                               qos=1).wait_for_publish(timeout=30)

    def wait_for_members(self, names, processes, log):
        """Every member has subscribed once each has answered an (empty) message of its share."""
        def ready():
            self.publish("readings", self.gateway, {"readings": []})
            return set(names) <= {r.get("ingest") for r in self.results}
        for process in processes:
            wait_until(ready, timeout=120, interval=0.5, what=f"members {names} subscribed", process=process,
                       log_path=log)

    def shares(self):
        """Messages that carried rows, by the subscriber that stored them (or found them duplicates)."""
        return Counter(r["ingest"] for r in self.results if r["stored"] + r["duplicated"] + r["rejected"])

    def positions_stored(self):
        return VehiclePosition.objects.filter(vehicle=self.vehicle, ts__gte=_utc(self.start)).count()


def _utc(epoch):
    from datetime import UTC, datetime
    return datetime.fromtimestamp(epoch, tz=UTC)


def _member(port, name, log, *extra):
    return manage_py(["mqtt_ingest", "--port", str(port), "--share", GROUP, "--client-id", name, *extra], log)


def _assert_each_reading_stored_once(total):
    rolled = MinuteRollup.objects.aggregate(n=Sum("count"))["n"]
    assert (Reading.objects.count(), rolled) == (total, total)


def _start():
    return int(time.time()) - 86400 + 60


def test_two_subscribers_of_a_shared_group_split_the_messages_and_store_each_reading_once(
        transactional_world, mosquitto, tmp_path):
    log, messages, size, fixes, fix_size = tmp_path / "ingest.log", 60, 200, 20, 10
    field = Field(mosquitto, _start())
    a, b = _member(mosquitto, "ingest-a", log), _member(mosquitto, "ingest-b", log)
    try:
        field.wait_for_members(["ingest-a", "ingest-b"], [a, b], log)
        field.readings(0, messages, size)
        field.positions(0, fixes, fix_size)
        wait_until(lambda: Reading.objects.count() >= messages * size
                   and field.positions_stored() >= fixes * fix_size,
                   timeout=300, interval=0.2, what="every reading and position stored", process=a, log_path=log)
        time.sleep(1)     # a late second delivery would show as a second storage
    finally:
        stop(a)
        stop(b)
        field.close()
    shares = field.shares()
    print(f"\nshared subscription: {messages} reading + {fixes} position messages split {dict(shares)}")
    assert shares["ingest-a"] > 0 and shares["ingest-b"] > 0
    assert sum(shares.values()) == messages + fixes
    _assert_each_reading_stored_once(messages * size)
    assert field.positions_stored() == fixes * fix_size
    assert sum(r["duplicated"] for r in field.results) == 0


def test_a_subscriber_killed_mid_run_gets_its_unacknowledged_share_again_after_restart_and_stores_it_once(
        transactional_world, mosquitto, tmp_path):
    log, messages, size, fixes, fix_size = tmp_path / "ingest.log", 120, 200, 20, 10
    field = Field(mosquitto, _start())
    a, b, again = _member(mosquitto, "ingest-a", log), _member(mosquitto, "ingest-b", log), None
    try:
        field.wait_for_members(["ingest-a", "ingest-b"], [a, b], log)
        field.readings(0, messages, size)
        field.positions(0, fixes, fix_size)
        wait_until(lambda: field.shares()["ingest-a"] >= 5, timeout=120, interval=0.1,
                   what="ingest-a stored some", process=a, log_path=log)
        a.send_signal(signal.SIGKILL)
        a.wait(timeout=30)
        handled_before_kill = field.shares()["ingest-a"]
        stored_at_kill = Reading.objects.count()
        assert stored_at_kill < messages * size, "the kill must land mid-run"
        # the survivor keeps storing its own share; the dead member's share waits in its session
        wait_until(lambda: field.shares()["ingest-b"] >= (messages + fixes) // 2 - 1, timeout=300, interval=0.2,
                   what="ingest-b stored its share", process=b, log_path=log)
        stored_while_dead = Reading.objects.count()
        again = _member(mosquitto, "ingest-a", log)
        wait_until(lambda: Reading.objects.count() >= messages * size
                   and field.positions_stored() >= fixes * fix_size,
                   timeout=300, interval=0.2, what="every reading and position stored", process=again, log_path=log)
        time.sleep(1)
    finally:
        stop(a, signal.SIGKILL)
        stop(again)
        stop(b)
        field.close()
    shares = field.shares()
    redelivered = sum(r["duplicated"] for r in field.results)
    print(f"\nkill -9 of one member: {messages} + {fixes} messages; ingest-a had handled {handled_before_kill} "
          f"({stored_at_kill} readings stored at the kill, {stored_while_dead} while it was dead), after its "
          f"restart it handled {shares['ingest-a'] - handled_before_kill} more; shares {dict(shares)}; "
          f"{redelivered} rows reported duplicate on redelivery")
    assert shares["ingest-a"] > handled_before_kill, "the restarted member took its queued share"
    _assert_each_reading_stored_once(messages * size)
    assert field.positions_stored() == fixes * fix_size


def test_a_subscriber_leaving_the_group_stores_what_its_session_holds_and_the_rest_goes_to_the_other(
        transactional_world, mosquitto, tmp_path):
    log, size = tmp_path / "ingest.log", 100
    field = Field(mosquitto, _start())
    a, b = _member(mosquitto, "ingest-a", log), _member(mosquitto, "ingest-b", log)
    try:
        field.wait_for_members(["ingest-a", "ingest-b"], [a, b], log)
        stop(a)                               # offline, its session (and group membership) kept
        field.readings(0, 20, size)           # half of these wait in ingest-a's session
        wait_until(lambda: field.shares()["ingest-b"] >= 10, timeout=120, interval=0.2, what="ingest-b's half",
                   process=b, log_path=log)
        assert Reading.objects.count() < 20 * size
        leave = manage_py(["mqtt_ingest", "--port", str(mosquitto), "--share", GROUP, "--client-id", "ingest-a",
                           "--leave"], log)
        assert leave.wait(timeout=300) == 0, log.read_text()[-3000:]
        leave._log.close()
        assert Reading.objects.count() == 20 * size
        before = field.shares()
        field.readings(20, 10, size)          # after the leave: all to ingest-b
        wait_until(lambda: Reading.objects.count() >= 30 * size, timeout=120, interval=0.2,
                   what="messages after the leave stored", process=b, log_path=log)
    finally:
        stop(a)
        stop(b)
        field.close()
    after = field.shares()
    assert after["ingest-a"] == before["ingest-a"] == 10
    assert after["ingest-b"] - before["ingest-b"] == 10
    _assert_each_reading_stored_once(30 * size)


def test_a_shared_group_needs_a_client_id_per_process_and_a_group_name_without_topic_characters():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--client-id"):
        call_command("mqtt_ingest", "--share", GROUP)            # the default id: members would take over each other
    with pytest.raises(CommandError, match="may not contain"):
        call_command("mqtt_ingest", "--share", "a/b", "--client-id", "ingest-a")
