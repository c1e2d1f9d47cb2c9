"""Benchmark: MQTT ingestion with one and with two `mqtt_ingest` processes (issue 19), same run.

A Mosquitto 2 on a free port; the subscribers are `manage.py mqtt_ingest --share bench
--client-id bench-N` (MQTT 5 shared subscription, QoS 1, ack after commit) on the database
DATABASE_URL names. Each round publishes --messages messages of --size distinct readings (gas
sensors, so the alarm rules are evaluated after each commit) to `citysafe/v1/readings/BM-GW` and
counts readings/s from the first publish until the results topic has reported every reading
stored. Round "1 process" is the named baseline; round "2 processes" runs right after it in
the same process against the same broker and database, and the ratio is printed with the load
average (the machine is shared: 2 cores).

    DATABASE_URL=sqlite:////tmp/cs_bench_mqtt.sqlite3 .venv/bin/python bench/bench_mqtt_ingest.py
    DATABASE_URL=postgres://citysafe:citysafe@127.0.0.1:5432/cs_bench_mqtt .venv/bin/python bench/bench_mqtt_ingest.py

The readings of the bench's own sensors (BM-…) are deleted first; the demo county (small) is
loaded if the database has none.
"""
import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/cs_bench_mqtt.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("CITYSAFE_SYNTHETIC_DATA", "1")

import django  # noqa: E402

django.setup()

import paho.mqtt.client as mqtt  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from citysafe.monitoring.models import Gateway, Reading, Sensor, token_digest  # noqa: E402
from citysafe.registry.models import Area  # noqa: E402
from tests.support.brokers import Mosquitto  # noqa: E402

GATEWAY = "BM-GW"


def setup(n_sensors):
    call_command("migrate", verbosity=0)
    if not Area.objects.exists():
        from citysafe.registry.demo.county import DemoSize, build_county
        build_county(DemoSize.small(), verbose=lambda *a: None)
    Reading.objects.filter(sensor__code__startswith="BM-").delete()
    Sensor.objects.filter(code__startswith="BM-").delete()
    townships = list(Area.objects.filter(level="township").values_list("pk", flat=True))
    gateway, _ = Gateway.objects.get_or_create(code=GATEWAY, defaults={"name": "bench mqtt",
                                                                       "township_id": townships[0]})
    raw = secrets.token_urlsafe(32)
    Gateway.objects.filter(pk=gateway.pk).update(token_digest=token_digest(raw), token_prefix=raw[:8])
    Sensor.objects.bulk_create([Sensor(code=f"BM-{i}", name=f"bench mqtt {i}", sensor_type="gas", unit="%LEL",
                                       range_min=0, range_max=100, township_id=townships[i % len(townships)],
                                       gateway=gateway) for i in range(n_sensors)])
    return raw, [f"BM-{i}" for i in range(n_sensors)]


class Results:
    """Watches citysafe/v1/results/#: readings stored, by subscriber."""

    def __init__(self, port):
        self.lock, self.stored, self.answered = threading.Lock(), Counter(), set()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-results", protocol=mqtt.MQTTv5)
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", port)
        self.client.subscribe("citysafe/v1/results/#", qos=0)
        self.client.loop_start()

    def _on_message(self, client, userdata, msg):
        result = json.loads(msg.payload)
        with self.lock:
            self.stored[result.get("ingest")] += result["stored"]
            self.answered.add(result.get("ingest"))

    def total(self):
        with self.lock:
            return sum(self.stored.values())


def subscribers(port, count, log):
    env = {**os.environ, "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    return [subprocess.Popen([sys.executable, "manage.py", "mqtt_ingest", "--port", str(port), "--share", "bench",
                              "--client-id", f"bench-{n}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            for n in range(1, count + 1)]


def run_round(port, results, publisher, token, payloads, readings, count, log):
    """readings/s with `count` subscriber processes, from the first publish to the last stored."""
    processes = subscribers(port, count, log)
    names = {f"bench-{n}" for n in range(1, count + 1)}
    try:
        # every member is subscribed once it has answered an (empty) message of its share
        while not names <= results.answered:
            publisher.publish(f"citysafe/v1/readings/{GATEWAY}", json.dumps({"token": token, "readings": []}), qos=1)
            time.sleep(0.5)
            if any(p.poll() is not None for p in processes):
                raise RuntimeError("mqtt_ingest exited (see the log)")
        before, shares_before = results.total(), Counter(results.stored)
        started = time.perf_counter()
        for payload in payloads:
            publisher.publish(f"citysafe/v1/readings/{GATEWAY}", payload, qos=1)
        while results.total() - before < readings:
            time.sleep(0.05)
            if any(p.poll() is not None for p in processes):
                raise RuntimeError("mqtt_ingest exited (see the log)")
        elapsed = time.perf_counter() - started
        shares = {name: results.stored[name] - shares_before[name] for name in sorted(names)}
        return readings / elapsed, shares
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=60)


def payloads_for(token, codes, messages, size, start):
    out, t = [], start
    for m in range(messages):
        rows = [{"sensor": codes[(m * size + i) % len(codes)], "ts": t + (m * size + i) // len(codes),
                 "value": 5.0 + (i % 7)} for i in range(size)]
        out.append(json.dumps({"token": token, "readings": rows}))
    return out, start + (messages * size) // len(codes) + 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sensors", type=int, default=500)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--size", type=int, default=500)
    args = parser.parse_args()
    token, codes = setup(args.sensors)
    readings = args.messages * args.size
    with tempfile.TemporaryDirectory(prefix="cs-bench-mqtt-") as directory:
        broker = Mosquitto(directory, unlimited_queues=True)
        log = open(Path(directory) / "ingest.log", "ab")  # noqa: SIM115 (closed below)
        results = Results(broker.port)
        publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-publisher", protocol=mqtt.MQTTv5)
        publisher.max_queued_messages_set(0)
        publisher.max_inflight_messages_set(100)
        publisher.connect("127.0.0.1", broker.port)
        publisher.loop_start()
        load_start = os.getloadavg()
        try:
            start = int(time.time()) - 5 * 86400
            print(f"database: {connection.vendor}; {args.sensors} gas sensors; {args.messages} messages of "
                  f"{args.size} readings per round (QoS 1, ack after commit); load average "
                  f"{load_start[0]:.1f} / {load_start[1]:.1f} (1 / 5 min, 2 cores shared)")
            figures = {}
            for count in (1, 2):
                payloads, start = payloads_for(token, codes, args.messages, args.size, start)
                figures[count], shares = run_round(broker.port, results, publisher, token, payloads, readings,
                                                   count, log)
                print(f"{count} ingest process{'es' if count > 1 else ''}: {figures[count]:,.0f} readings/s "
                      f"(readings stored per process {shares}); load average {os.getloadavg()[0]:.1f}")
            print(f"ratio 2 processes / 1 process (baseline): {figures[2] / figures[1]:.2f}×")
        except RuntimeError:
            log.flush()
            print((Path(directory) / "ingest.log").read_text(errors="replace")[-3000:])
            raise
        finally:
            publisher.loop_stop()
            results.client.loop_stop()
            log.close()
            broker.stop()


if __name__ == "__main__":
    main()
