"""Run web server, worker and scheduler together: the one command for a trial installation.

In production run them as separate services instead (gunicorn behind nginx, any number of
`db_worker` processes, one or more `run_scheduler`): this command is a convenience, not a
process manager. It starts the three as children, forwards Ctrl-C / SIGTERM to all of
them, and stops everything as soon as one of them dies, so a broken part is never hidden
behind the others still running.
"""
import contextlib
import ctypes
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

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

    def handle(self, *args, bind, web_workers, no_collectstatic, **options):
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write(f"Static files collected into {settings.STATIC_ROOT}")
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        commands = {
            "web": [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", bind,
                    "--workers", str(web_workers), "--access-logfile", "-"],
            "worker": [*manage, "db_worker", "--queue-name", "*", "--no-reload"],
            "scheduler": [*manage, "run_scheduler"],
        }
        children: dict[str, subprocess.Popen] = {}
        stopping = {"signal": None}

        def forward(signum, frame):
            stopping["signal"] = signum

        signal.signal(signal.SIGINT, forward)
        signal.signal(signal.SIGTERM, forward)
        try:
            for name, command in commands.items():
                # Own session: a terminal's Ctrl-C reaches only us, and we pass it on once
                # (a second SIGINT would make db_worker abandon its current job).
                children[name] = subprocess.Popen(  # noqa: S603 (our own manage.py/gunicorn argument list, no shell)
                    command, cwd=settings.BASE_DIR, start_new_session=True,
                                                  preexec_fn=_die_with_parent)
                self.stdout.write(f"started {name} (pid {children[name].pid}): {' '.join(command[1:4])}")
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
            time.sleep(0.2)

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
