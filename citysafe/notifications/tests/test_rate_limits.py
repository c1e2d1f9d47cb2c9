"""Per-channel rate limits hold for all workers together (the operator limits the platform,
not each process): two real worker processes share one limit through the database."""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from citysafe.notifications.models import ChannelRateSlot
from citysafe.notifications.rate_limits import Pacer
from citysafe.notifications.services import notify_bulk
from citysafe.notifications.targets import Target
from citysafe.notifications.tasks import deliver_notifications
from tests.worker.support import start_worker, stop, wait_until

RATE = 10  # SMS per second for the whole platform
MESSAGES = 60


@pytest.fixture
def sms_gateway():
    """A loopback SMS gateway noting when each message arrived."""
    arrivals: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            arrivals.append(time.time())
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/sms", arrivals
    server.shutdown()


def busiest_second(arrivals: list[float]) -> int:
    times = sorted(arrivals)
    return max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))


@pytest.mark.slow
def test_two_workers_together_keep_the_channels_rate_limit(transactional_world, sms_gateway, tmp_path):
    url, arrivals = sms_gateway
    env = {"NOTIFICATION_RATE_LIMITS": f"sms={RATE}", "NOTIFICATION_CLAIM_BATCH": "5",
           "NOTIFICATION_SMS_GATEWAY": "citysafe.notifications.sms.HttpSmsGateway", "NOTIFICATION_SMS_URL": url}
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    workers = [start_worker(log, **env) for log in logs]
    try:
        # Both workers up before there is work, so that they deliver side by side.
        for worker, log in zip(workers, logs, strict=True):
            wait_until(lambda log=log: log.exists() and "Starting worker" in log.read_text(errors="replace"),
                       timeout=90, what="worker start", process=worker, log_path=log)
        notify_bulk(((Target.phone(f"1390000{i:04d}"), "sms", {}) for i in range(MESSAGES)),
                    kind="warning", subject="限速测试", body="两个进程共用一个限额", dedupe_key="rate-limit-test")
        deliver_notifications.enqueue()  # notify_bulk queued one wake-up; one more for the second worker
        wait_until(lambda: len(arrivals) >= MESSAGES, timeout=120, interval=0.2, what="every SMS sent",
                   process=workers[0], log_path=logs[0])
    finally:
        for worker in workers:
            stop(worker)
    assert len(arrivals) == MESSAGES
    span = max(arrivals) - min(arrivals)
    # 60 messages at 10/s take 5.9 s at the least; two workers pacing themselves alone take half.
    assert span >= (MESSAGES - 1) / RATE * 0.95, f"{MESSAGES} SMS in {span:.2f} s: faster than {RATE}/s"
    # A worker running late sends its slot next to the other worker's: one more at most, each.
    assert busiest_second(arrivals) <= RATE + 2
    assert ChannelRateSlot.objects.filter(channel="sms").exists()


def test_a_channel_without_a_limit_is_not_paced_and_needs_no_row(db, settings):
    settings.NOTIFICATION_RATE_LIMITS = {"sms": 5}
    pacer = Pacer()
    assert pacer.wait("inbox") == 0.0 and not ChannelRateSlot.objects.filter(channel="inbox").exists()
    send_at = [time.time() + pacer.wait("sms") for _ in range(3)]
    # Consecutive sends wait for their slots: a fifth of a second apart, however slow the calls.
    assert all(abs(later - earlier - 0.2) < 0.03 for earlier, later in zip(send_at, send_at[1:], strict=False))
    assert ChannelRateSlot.objects.get(channel="sms").next_slot == pytest.approx(send_at[0] + 0.6, abs=0.03)
