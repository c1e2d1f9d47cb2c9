"""Start the production stack's processes for a test or the cluster bench: gunicorn web
processes, nginx in front of them (deploy/nginx rendered into a directory), Mosquitto; each in
its own process group, so teardown kills the group (gunicorn's workers included).

No Django import here: bench/cluster_mixed_load.py uses it before settings are configured."""
import contextlib
import importlib.util
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.brokers import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def load_render():
    """deploy/render.py as a module (deploy/ is not a Python package: it is copied to servers)."""
    spec = importlib.util.spec_from_file_location("citysafe_deploy_render", DEPLOY / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ipv6_available() -> bool:
    """Whether nginx could bind the template's `listen [::]:…` lines here (containers often
    have no IPv6)."""
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


def wait_port(port: int, timeout: float, process: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"process exited with {process.returncode} before port {port} opened:\n"
                                   + (log.read_text(errors="replace")[-3000:] if log and log.exists() else "")) from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def spawn(command: list[str], log: Path, env: dict | None = None, cwd: Path = ROOT) -> subprocess.Popen:
    """A process in its own session (process group = its pid), output appended to `log`."""
    handle = open(log, "ab")  # noqa: SIM115 (closed by kill_group)
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT,  # noqa: S603
                               start_new_session=True)
    process._log = handle  # type: ignore[attr-defined]
    return process


def kill_group(process: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    """Stop the process and everything in its group (gunicorn's workers, nginx's workers)."""
    if process is None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
    finally:
        # The leader may be gone while children of its group live on: make sure.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        handle = getattr(process, "_log", None)
        if handle is not None:
            handle.close()


def platform_env(database_url: str, **extra) -> dict:
    """The environment of a platform process (what /etc/citysafe/citysafe.env gives in production)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-only-insecure-key",
        "DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
        **{key: str(value) for key, value in extra.items()},
    }


def start_gunicorn(port: int, env: dict, log: Path, workers: int = 1) -> subprocess.Popen:
    """What deploy/systemd/citysafe-web@.service runs, on 127.0.0.1:port."""
    return spawn([sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                  "--workers", str(workers), "--timeout", "120", "--graceful-timeout", "10",
                  "--forwarded-allow-ips", "127.0.0.1", "--log-level", "warning"], log, env)


@dataclass
class Nginx:
    """deploy/nginx/citysafe.conf rendered into `prefix` with its own ports, run in the foreground."""

    prefix: Path
    upstreams: list[str]
    static_root: Path
    media_root: Path
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def main_conf(self) -> Path:
        return self.prefix / "nginx.conf"

    @property
    def access_log(self) -> Path:
        return self.prefix / "logs" / "citysafe-access.log"

    def render(self) -> None:
        render = load_render()
        (self.prefix / "logs").mkdir(parents=True, exist_ok=True)
        cert, key = self.prefix / "cert.pem", self.prefix / "key.pem"
        # A self-signed certificate: the HTTPS server block is the one production uses.
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),  # noqa: S607
                        "-out", str(cert), "-days", "2", "-subj", "/CN=localhost"], check=True, capture_output=True)
        site = render.render({
            "SERVER_NAME": "localhost 127.0.0.1", "HTTP_PORT": self.http_port, "HTTPS_PORT": self.https_port,
            "TLS_CERT": cert, "TLS_KEY": key, "STATIC_ROOT": self.static_root, "MEDIA_ROOT": self.media_root,
            "LOG_DIR": self.prefix / "logs", "ACME_ROOT": self.prefix / "acme",
            "PROXY_PARAMS": DEPLOY / "nginx" / "citysafe-proxy.conf"}, self.upstreams, ipv6=ipv6_available())
        (self.prefix / "site.conf").write_text(site)
        self.main_conf.write_text(render.standalone_main_conf(self.prefix, self.prefix / "site.conf"))

    def check(self) -> subprocess.CompletedProcess:
        """`nginx -t` on the rendered configuration."""
        return subprocess.run(["nginx", "-t", "-c", str(self.main_conf), "-p", str(self.prefix),  # noqa: S607
                               "-e", str(self.prefix / "logs" / "error.log")], capture_output=True, text=True)

    def start(self) -> None:
        self.process = spawn(["nginx", "-c", str(self.main_conf), "-p", str(self.prefix),
                              "-e", str(self.prefix / "logs" / "error.log")], self.prefix / "logs" / "nginx.out")
        wait_port(self.https_port, 20, self.process, self.prefix / "logs" / "error.log")

    def stop(self) -> None:
        kill_group(self.process, signal.SIGQUIT)   # graceful: running requests finish

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.https_port}{path}"


INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE   # the test's own self-signed certificate


@dataclass
class Answer:
    status: int
    headers: object
    body: bytes


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(urllib.request.HTTPSHandler(context=INSECURE), NoRedirect())


def fetch(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None,
          timeout: float = 30) -> Answer:
    """One request; HTTP errors are answers too (status, headers, body), redirects are not followed."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def wait_http(url: str, timeout: float, processes=()) -> Answer:
    deadline = time.monotonic() + timeout
    while True:
        try:
            answer = fetch(url, timeout=5)
            if answer.status < 500:
                return answer
        except OSError:
            pass
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"a process exited with {process.returncode} while waiting for {url}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no answer from {url} within {timeout}s")
        time.sleep(0.2)
