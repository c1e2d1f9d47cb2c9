"""The load of the cluster bench (bench/cluster_mixed_load.py): HTTPS clients through nginx
(scoped list reads, enterprise writes), an MQTT publisher of readings, warnings through the
workflow's service, a burst of fan-out jobs. Imported before Django is configured: Django and
the apps are imported inside."""
import http.client
import json
import random
import secrets
import threading
import time
from collections import Counter

from tests.deploy.stack import INSECURE

WRITE_PREFIX = "压测企业"


class Clients:
    """HTTPS clients through nginx: scoped list reads and enterprise writes."""

    def __init__(self, port: int, data: dict, count: int):
        self.port, self.data, self.count = port, data, count
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.created: list[int] = []
        self.latencies: list[float] = []
        self.serial = 0

    def _request(self, conn, method, path, body=None, token=""):
        headers = {"Authorization": f"Bearer {token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        with self.lock:
            self.latencies.append(time.perf_counter() - started)
            self.statuses[(method, response.status)] += 1
        return response.status, payload

    def _write_body(self, rng):
        from citysafe.registry.demo.county import _uscc

        with self.lock:
            self.serial += 1
            serial = self.serial
        lon, lat = rng.choice(self.data["points"])
        return {"name": f"{WRITE_PREFIX}{serial:06d}", "uscc": _uscc(900_000 + serial + self.data.get("offset", 0)),
                "industry_id": self.data["industry"], "lon": lon, "lat": lat}

    def run_one(self, seed_value: int):
        rng = random.Random(seed_value)
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=INSECURE, timeout=60)
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                if n % 5 == 0:
                    status, payload = self._request(conn, "POST", "/api/v1/enterprises", self._write_body(rng),
                                                    self.data["write_token"])
                    if status == 201:
                        with self.lock:
                            self.created.append(json.loads(payload)["id"])
                    elif status >= 400 and len(self.statuses) < 50:
                        print(f"write answered {status}: {payload[:300]!r}", flush=True)
                else:
                    offset = rng.randrange(0, 100)
                    self._request(conn, "GET", f"/api/v1/enterprises?limit=20&offset={offset}",
                                  token=self.data["read_token"])
            except (OSError, http.client.HTTPException) as exc:
                with self.lock:
                    self.statuses[("error", type(exc).__name__)] += 1
                conn.close()
                conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=INSECURE, timeout=60)
        conn.close()

    def start(self):
        self.threads = [threading.Thread(target=self.run_one, args=(i,), daemon=True) for i in range(self.count)]
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=90)


class Publisher(threading.Thread):
    """Readings over MQTT (QoS 1), each (sensor, ts) once, 100 per message. At most `backlog`
    messages wait unanswered (the ingest processes publish an outcome per message), so the
    readings/s measured are what the ingest processes store under the mixed load, not how fast
    the broker queues."""

    def __init__(self, port: int, data: dict, start_ts: int, backlog: int):
        super().__init__(daemon=True)
        import paho.mqtt.client as mqtt

        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{secrets.token_hex(3)}")
        self.client.on_message = self._answered
        self.client.connect("127.0.0.1", port)
        self.client.subscribe(f"citysafe/v1/results/{data['gateway']}", qos=0)
        self.data, self.ts, self.backlog = data, start_ts, backlog
        self.published = self.messages = self.answers = 0
        self.outcomes: Counter = Counter()
        self.stop = threading.Event()

    def _answered(self, client, userdata, message):
        outcome = json.loads(message.payload)
        self.answers += 1
        self.outcomes.update({key: outcome.get(key, 0) for key in ("stored", "duplicated", "rejected")})

    def run(self):
        self.client.loop_start()
        sensors, topic = self.data["sensors"], f"citysafe/v1/readings/{self.data['gateway']}"
        while not self.stop.is_set():
            if self.messages - self.answers >= self.backlog:
                time.sleep(0.005)
                continue
            batch = []
            for _ in range(100 // len(sensors) + 1):
                self.ts += 1
                batch.extend({"sensor": code, "ts": self.ts, "value": 0.5} for code in sensors)
            batch = batch[:100]
            info = self.client.publish(topic, json.dumps({"token": self.data["gateway_token"], "readings": batch}), qos=1)
            info.wait_for_publish(timeout=60)
            self.published += len(batch)
            self.messages += 1
            self.ts = batch[-1]["ts"]

    def close(self):
        self.client.loop_stop()
        self.client.disconnect()


def publish_warning(township_id: int) -> int:
    """A warning through the workflow's service, as the platform's users would (API and pages
    call the same service): the publish enqueues the fan-out job in its transaction."""
    from datetime import timedelta

    from django.utils import timezone

    from citysafe.accounts.models import User
    from citysafe.early_warning.services import create_warning, transition_warning

    admin, leader = User.objects.get(username="admin"), User.objects.filter(role="leader", is_active=True).first()
    now = timezone.now().replace(microsecond=0)
    warning = create_warning(admin, {
        "warning_type": "rainstorm", "level": 2, "headline": "压测暴雨预警", "description": "压测。",
        "instructions": "压测。", "onset": now, "effective": now, "expires": now + timedelta(hours=6),
        "area_kind": "areas", "areas": [township_id]})
    for name, actor in (("submit", admin), ("pass_review", admin), ("approve", leader), ("publish", leader)):
        warning = transition_warning(actor, warning.pk, name, expected_version=warning.version)
    return warning.pk


def job_burst(count: int, warnings: list[int]) -> dict | None:
    """Worker capacity: `count` fan-out jobs for the published warnings (repeats: recipients are
    deduplicated, so each job reads and targets but writes no new row) enqueued at once, timed
    from the enqueue until the last one finished."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from citysafe.early_warning.tasks import fan_out_warning

    if count <= 0:
        return None
    started = time.perf_counter()
    with transaction.atomic():
        ids = [fan_out_warning.enqueue(warnings[i % len(warnings)]).id for i in range(count)]
    done = DBTaskResult.objects.filter(pk__in=ids, finished_at__isnull=False)
    if not wait_for(lambda: done.count() == count, 600, "the job burst", interval=0.2):
        return None
    seconds = time.perf_counter() - started
    per_worker = Counter(w for worker_ids in done.values_list("worker_ids", flat=True) for w in worker_ids[-1:])
    return {"jobs": count, "seconds": seconds, "per_worker": per_worker}


def wait_for(predicate, timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            print(f"!! gave up waiting for {what} after {timeout:.0f} s", flush=True)
            return False
        time.sleep(interval)
    return True
