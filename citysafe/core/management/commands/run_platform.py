"""Run web server, worker and scheduler together: the one command for a trial installation.

In production run them as separate services instead (gunicorn behind nginx, any number of
`db_worker` processes, one or more `run_scheduler`): this command is a convenience, not a
process manager. It starts the three as children, forwards Ctrl-C / SIGTERM to all of
them, and stops everything as soon as one of them dies, so a broken part is never hidden
behind the others still running.

It keeps the terminal quiet: warnings and errors only. Request lines (gunicorn access log)
and the worker's and scheduler's routine records go to files under var/log/ (LOG_DIR),
whose paths it prints together with the address to open and the demo accounts once the
web server answers /healthz.
"""
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

PR_SET_PDEATHSIG = 1


def _die_with_parent():
    # Linux: children get SIGTERM if run_platform itself is killed (kill -9), instead of
    # lingering as orphans holding the port and the database.
    with contextlib.suppress(OSError):  # not Linux: children are stopped by our signal handlers instead
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Command(BaseCommand):
    help = "Start web server (gunicorn), background worker and scheduler together."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="Address for gunicorn (default %(default)s).")
        parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument("--no-collectstatic", action="store_true", help="Skip collectstatic.")
        parser.add_argument("--simulate", action="store_true",
                            help="Also run `simulate_monitoring` against this web server, so the demo's sensors "
                                 "and vehicles send live data (needs load_monitoring_demo's tokens; make demo).")

    def handle(self, *args, bind, web_workers, no_collectstatic, simulate=False, **options):
        if not no_collectstatic:
            # With DEBUG off WhiteNoise serves only what collectstatic put into STATIC_ROOT.
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write(f"Static files collected into {settings.STATIC_ROOT}")
        log_dir = Path(os.environ.get("LOG_DIR", settings.BASE_DIR / "var" / "log"))
        log_dir.mkdir(parents=True, exist_ok=True)
        app_log, access_log = log_dir / "platform.log", log_dir / "access.log"
        # Children log everything to app_log and only warnings and errors to the terminal.
        env = {**os.environ, "LOG_FILE": str(app_log),
               "CONSOLE_LOG_LEVEL": os.environ.get("CONSOLE_LOG_LEVEL", "WARNING")}
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        commands = {
            "web": [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", bind,
                    "--workers", str(web_workers), "--access-logfile", str(access_log),
                    "--log-level", "warning"],
            "worker": [*manage, "db_worker", "--queue-name", "*", "--no-reload"],
            "scheduler": [*manage, "run_scheduler"],
        }
        children: dict[str, subprocess.Popen] = {}
        stopping = {"signal": None}
        host, _, port = bind.rpartition(":")
        base_url = f"http://{'127.0.0.1' if host in ('', '0.0.0.0', '[::]') else host}:{port}"  # noqa: S104 (reading, not binding)
        if simulate:
            # A sender like any gateway, over HTTP with the demo gateways' tokens; until the web
            # server answers, its posts fail and it logs that and sends the next tick.
            commands["simulator"] = [*manage, "simulate_monitoring", "--url", f"{base_url}/api/v1/ingest/readings",
                                     "--interval", os.environ.get("SIMULATE_INTERVAL", "5")]
        self._announce = {"base_url": base_url, "logs": (app_log, access_log), "done": False, "next_probe": 0.0}

        def forward(signum, frame):
            stopping["signal"] = signum

        signal.signal(signal.SIGINT, forward)
        signal.signal(signal.SIGTERM, forward)
        try:
            for name, command in commands.items():
                # Own session: a terminal's Ctrl-C reaches only us, and we pass it on once
                # (a second SIGINT would make db_worker abandon its current job).
                # stdout (routine chatter) to the log file; stderr (warnings, errors) to the terminal.
                with open(app_log, "ab") as out:
                    children[name] = subprocess.Popen(  # noqa: S603 (our own manage.py/gunicorn argument list, no shell)
                        command, cwd=settings.BASE_DIR, start_new_session=True, env=env, stdout=out,
                        preexec_fn=_die_with_parent)
                self.stdout.write(f"started {name} (pid {children[name].pid}): {' '.join(command[1:4])}")
            self.stdout.write(f"waiting for the web server at {base_url} …")
            exit_code = self._supervise(children, stopping)
        finally:
            self._stop_all(children)
        sys.exit(exit_code)

    def _supervise(self, children, stopping) -> int:
        while True:
            if stopping["signal"] is not None:
                self.stdout.write(f"received {signal.Signals(stopping['signal']).name}, stopping all")
                return 0
            for name, child in children.items():
                code = child.poll()
                if code is not None:
                    self.stderr.write(f"{name} exited with code {code}; stopping the others")
                    return code or 1
            self._announce_when_ready()
            time.sleep(0.2)

    def _announce_when_ready(self):
        state = self._announce
        if state["done"] or time.monotonic() < state["next_probe"]:
            return
        state["next_probe"] = time.monotonic() + 1
        try:
            with urllib.request.urlopen(state["base_url"] + "/healthz", timeout=2) as response:  # noqa: S310 (our own http URL)
                if response.status != 200:
                    return
        except OSError:
            return
        state["done"] = True
        app_log, access_log = state["logs"]
        lines = ["", f"CitySafe 城市安全风险管理平台 is ready: open {state['base_url']}/", ""]
        for path in getattr(settings, "PLATFORM_READY_NOTES", []):
            note = import_string(path)(state["base_url"])
            if note:
                lines += [note, ""]
        lines += [f"Logs: {app_log} (application, worker, scheduler), {access_log} (requests).",
                  "The terminal shows warnings and errors only. Stop with Ctrl-C.", ""]
        self.stdout.write("\n".join(lines))

    def _stop_all(self, children, timeout: float = 20):
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for name, child in children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} did not stop in {timeout}s; killing it")
                child.kill()
                child.wait()
        self.stdout.write("all processes stopped")
