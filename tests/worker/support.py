"""Starting real platform processes (worker, scheduler) against the test database."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

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
    return manage_py(["db_worker", "--queue-name", "*", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
                     log_path, **extra_env)


def stop(process: subprocess.Popen | None, sig=signal.SIGTERM, timeout: float = 15) -> None:
    if process is None:
        return
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
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
