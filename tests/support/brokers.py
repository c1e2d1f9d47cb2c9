"""The brokers that tests and benches start for themselves: a Mosquitto and a redis-server,
each on a free loopback port with its files in a directory the caller owns (a tmp dir) —
never a system service. CI installs both binaries (scripts/ensure_services.sh), so a missing
one is an error, not a skip.

No Django import here: bench scripts start brokers before settings are configured.

    with Mosquitto(tmp_path, unlimited_queues=True) as broker:   # broker.port
        ...
    redis = RedisServer(tmp_path)                               # redis.url; redis.stop()
"""
import shutil
import socket
import subprocess
import time
from pathlib import Path

# Where Debian puts them when PATH lacks /usr/sbin (a non-root shell).
FALLBACK_PATHS = {"mosquitto": "/usr/sbin/mosquitto", "redis-server": "/usr/bin/redis-server"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def binary(name: str) -> str:
    found = shutil.which(name) or (FALLBACK_PATHS[name] if Path(FALLBACK_PATHS[name]).exists() else None)
    if found is None:
        raise RuntimeError(f"{name} is not installed (scripts/ensure_services.sh installs it)")
    return found


class _Server:
    """A broker process in its own session (so a bench's kill_group stops it too), its output
    appended to <directory>/<name>.log; `ready()` says when it answers."""

    name = ""
    startup_seconds = 10.0

    def __init__(self, directory: Path | str, command: list[str]):
        self.directory = Path(directory)
        self.log = self.directory / f"{self.name}.log"
        handle = open(self.log, "ab")  # noqa: SIM115 (closed by stop())
        self.process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT,  # noqa: S603
                                        start_new_session=True)
        self.process._log = handle  # type: ignore[attr-defined]  (tests/deploy/stack.kill_group closes it)
        deadline = time.monotonic() + self.startup_seconds
        while not self.ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not start on port {self.port}:\n"
                                   + self.log.read_text(errors="replace")[-3000:])
            time.sleep(0.05)

    def ready(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process._log.close()  # type: ignore[attr-defined]

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class Mosquitto(_Server):
    """Mosquitto 2 (MQTT 3.1.1 and 5, `$share` groups), anonymous, on 127.0.0.1:`port`.
    unlimited_queues: `max_queued_messages 0`, as in production, so a persistent session keeps
    every QoS 1 message while its subscriber is down (the crash and shared-ingest tests)."""

    name = "mosquitto"

    def __init__(self, directory: Path | str, *, unlimited_queues: bool = False):
        self.port = free_port()
        config = Path(directory) / "mosquitto.conf"
        config.write_text(f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
                          + ("max_queued_messages 0\n" if unlimited_queues else ""))
        super().__init__(directory, [binary("mosquitto"), "-c", str(config)])


class RedisServer(_Server):
    """redis-server on 127.0.0.1:`port`, nothing persisted; `url` for REDIS_URL."""

    name = "redis"
    startup_seconds = 20.0

    def __init__(self, directory: Path | str):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        super().__init__(directory, [binary("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
                                     "--dir", str(directory), "--save", "", "--appendonly", "no"])

    def ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False
