"""run_platform starts web server, worker and scheduler with DEBUG off; it serves static
files itself, says when it is ready (address, demo accounts, log files), keeps request lines
off the terminal; Ctrl-C stops all of them, and the death of one child stops the rest."""
import json
import os
import signal
import socket
import urllib.request
from pathlib import Path

import pytest

from tests.worker.support import manage_py, stop, wait_until


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> set[int]:
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.add(int(status.parent.name))
    return found


def all_three_children(pid: int) -> set[int] | None:
    found = children_of(pid)
    return found if len(found) == 3 else None


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def get_json(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except OSError:
        return None


def start_platform(tmp_path, port, *options):
    log = tmp_path / "platform.log"
    process = manage_py(["run_platform", "--bind", f"127.0.0.1:{port}", "--web-workers", "1", *options], log,
                        STATIC_ROOT=tmp_path / "static", MEDIA_ROOT=tmp_path / "media", LOG_DIR=tmp_path / "log")
    return process, log


@pytest.mark.slow
def test_platform_serves_and_stops_all_children_on_ctrl_c(transactional_db, tmp_path):
    port = free_port()
    platform, log = start_platform(tmp_path, port)
    try:
        answer = wait_until(lambda: get_json(f"http://127.0.0.1:{port}/healthz"), timeout=90,
                            what="healthz answering", process=platform, log_path=log)
        assert answer[0] == 200 and answer[1]["status"] == "ok"
        children = wait_until(lambda: all_three_children(platform.pid), timeout=30,
                              what="three children", process=platform, log_path=log)
        assert (tmp_path / "static" / "admin").is_dir()  # collectstatic ran first
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/admin/css/base.css", timeout=5) as css:
            assert css.status == 200  # WhiteNoise serves static files with DEBUG off
        wait_until(lambda: "is ready" in log.read_text(), timeout=30, what="ready banner", process=platform,
                   log_path=log)
        output = log.read_text()
        assert f"open http://127.0.0.1:{port}/" in output
        assert str(tmp_path / "log" / "access.log") in output
        assert "GET /healthz" in (tmp_path / "log" / "access.log").read_text()
        assert "GET /healthz" not in output  # request lines stay off the terminal

        platform.send_signal(signal.SIGINT)
        assert platform.wait(timeout=60) == 0
        wait_until(lambda: not any(is_running(pid) for pid in children), timeout=30, what="children gone")
    finally:
        stop(platform, signal.SIGKILL)


@pytest.mark.slow
def test_platform_stops_when_one_child_dies(transactional_db, tmp_path):
    port = free_port()
    platform, log = start_platform(tmp_path, port, "--no-collectstatic")  # static files: the Ctrl-C test
    try:
        wait_until(lambda: get_json(f"http://127.0.0.1:{port}/healthz"), timeout=90,
                   what="healthz answering", process=platform, log_path=log)
        children = wait_until(lambda: all_three_children(platform.pid), timeout=30,
                              what="three children", process=platform, log_path=log)
        worker = next(pid for pid in children if b"db_worker" in Path(f"/proc/{pid}/cmdline").read_bytes())
        os.kill(worker, signal.SIGKILL)
        assert platform.wait(timeout=60) != 0
        wait_until(lambda: not any(is_running(pid) for pid in children), timeout=30, what="children gone")
        assert "worker exited with code -9" in log.read_text()
    finally:
        stop(platform, signal.SIGKILL)


@pytest.mark.slow
def test_the_demo_platform_runs_the_simulator_and_its_readings_are_stored(transactional_world, tmp_path):
    """`make demo` runs `run_platform --simulate`: the demo's sensors send live data through the
    platform's own ingestion endpoint, so the wall shows values without anyone starting a sender."""
    from django.contrib.auth import get_user_model

    from citysafe.monitoring.demo.build import build_monitoring_demo
    from citysafe.monitoring.models import Reading

    tokens = build_monitoring_demo(get_user_model().objects.get(username="admin"), per_type=1, verbose=lambda *a: None)
    tokens_path = tmp_path / "tokens.json"
    tokens_path.write_text(json.dumps(tokens))
    port = free_port()
    log = tmp_path / "platform.log"
    platform = manage_py(["run_platform", "--bind", f"127.0.0.1:{port}", "--web-workers", "1", "--simulate",
                          "--no-collectstatic"], log,
                         STATIC_ROOT=tmp_path / "static", MEDIA_ROOT=tmp_path / "media", LOG_DIR=tmp_path / "log",
                         MONITORING_TOKENS_FILE=tokens_path, SIMULATE_INTERVAL=1)
    try:
        wait_until(lambda: len(children_of(platform.pid)) == 4, timeout=60, what="four children", process=platform,
                   log_path=log)
        wait_until(lambda: Reading.objects.exists(), timeout=120, what="simulated readings stored", process=platform,
                   log_path=log)
        # gunicorn writes a request's access-log line after answering it, so after the readings
        # are committed: wait for the line rather than read the log at once.
        access_log = tmp_path / "log" / "access.log"
        wait_until(lambda: "POST /api/v1/ingest/readings" in access_log.read_text(), timeout=30,
                   what="the ingestion request in the access log", process=platform, log_path=log)
        platform.send_signal(signal.SIGINT)
        assert platform.wait(timeout=60) == 0
    finally:
        stop(platform, signal.SIGKILL)
