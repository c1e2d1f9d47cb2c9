"""Starting real platform processes (worker, scheduler) against the test database, and the
slow channels that worker tests register in those processes (NOTIFICATION_CHANNELS_EXTRA)."""
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from citysafe.notifications.channels import Channel, DeliveryResult, InboxChannel

ROOT = Path(settings.BASE_DIR)


def test_database_url() -> str:
    """The URL of the database the test suite is using right now (the test copy)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user, password = quote(db["USER"] or "", safe=""), quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def manage_py(args: list[str], log_path: Path, **extra_env) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": test_database_url(),
        "SECRET_KEY": "test-only-insecure-key",
        "DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
        **{key: str(value) for key, value in extra_env.items()},
    }
    log = open(log_path, "ab")  # noqa: SIM115 (closed with the process by stop())
    process = subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    process._log = log  # type: ignore[attr-defined]
    return process


def start_worker(log_path: Path, **extra_env) -> subprocess.Popen:
    """A worker of the task backend in the environment (TASKS_BACKEND: database or Redis)."""
    return manage_py(["run_worker", "--interval", "0.2"], log_path, **extra_env)


def descendants(pid: int) -> list[int]:
    """The processes `pid` started, recursively (an rq work horse sits in a process group of its own)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def kill_hard(process: subprocess.Popen) -> None:
    """kill -9 the process and everything it started (an rq worker's work horse): the machine died."""
    for pid in [process.pid, *descendants(process.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=30)


def stop(process: subprocess.Popen | None, sig=signal.SIGTERM, timeout: float = 15) -> None:
    if process is None:
        return
    if process.poll() is None:
        if sig == signal.SIGKILL:
            kill_hard(process)
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_hard(process)
    process._log.close()  # type: ignore[attr-defined]


def wait_until(predicate, *, timeout: float, interval: float = 0.05, what: str = "condition",
               process: subprocess.Popen | None = None, log_path: Path | None = None):
    """Poll until `predicate()` is truthy; fail with the process log if it never is."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode} while waiting for {what}:\n"
                                 + _tail(log_path))
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}:\n" + _tail(log_path))
        time.sleep(interval)


def _tail(log_path: Path | None) -> str:
    if log_path is None or not log_path.exists():
        return ""
    return log_path.read_text(errors="replace")[-3000:]


class SlowChannel(Channel):
    """A gateway that takes SLOW_CHANNEL_SECONDS (default 10) to answer, like a webhook at
    its timeout. Registered in a worker with NOTIFICATION_CHANNELS_EXTRA="slow=tests.worker.support.SlowChannel"."""

    timeout_seconds = 15

    def deliver(self, notification, *, idempotency_key):
        time.sleep(float(os.environ.get("SLOW_CHANNEL_SECONDS", "10")))
        return DeliveryResult("sent", f"slow gateway accepted {idempotency_key}")


class SlowInboxChannel(InboxChannel):
    """The inbox, pausing SLOW_INBOX_MS after writing the message and before the outcome is
    recorded, so that a kill lands in that gap (registered as "inbox" in the crash test)."""

    timeout_seconds = 1

    def deliver(self, notification, *, idempotency_key):
        result = super().deliver(notification, idempotency_key=idempotency_key)
        time.sleep(int(os.environ.get("SLOW_INBOX_MS", "15")) / 1000)
        return result


def channels_env(**channels) -> str:
    """NOTIFICATION_CHANNELS_EXTRA for a worker process: name=dotted.path,..."""
    return ",".join(f"{name}={path}" for name, path in channels.items())


# Jobs the queue tests enqueue (imported by the worker processes by their dotted path).
from django_tasks import task  # noqa: E402


@task()
def record_run(path: str, key: str, seconds: float = 0.0) -> str:
    """Append "start <key> <worker>" to `path`, sleep, then "done <key> <worker>": a log of
    which worker ran what, in which order (O_APPEND: concurrent writers' lines do not mix). The
    worker: rq's worker name in its work horse, else the process."""
    worker = os.environ.get("RQ_WORKER_ID") or os.getpid()
    with open(path, "a") as log:
        log.write(f"start {key} {worker}\n")
    time.sleep(seconds)
    with open(path, "a") as log:
        log.write(f"done {key} {worker}\n")
    return key


def run_log(path: Path) -> list[tuple[str, str, str]]:
    if not path.exists():
        return []
    return [tuple(line.split()) for line in path.read_text().splitlines() if line.strip()]
