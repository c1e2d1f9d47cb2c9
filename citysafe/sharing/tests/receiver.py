"""A real webhook receiver for the tests: an HTTP server in a thread that checks the
signature and keeps each delivery it accepted (200), once per delivery id."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from citysafe.sharing.webhooks.transport import verify


class Receiver:
    def __init__(self, secret: str = "", port: int = 0):
        self.secret, self.port = secret, port
        self.accepted: list[dict] = []
        self.refused = 0
        self.server = None

    def start(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if not verify(owner.secret, self.headers.get("X-CitySafe-Signature", ""), body):
                    owner.refused += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                document = json.loads(body)
                # Idempotent by delivery id, as docs/integration.md tells a receiver to be.
                if all(item["id"] != document["id"] for item in owner.accepted):
                    owner.accepted.append(document)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        """Killed: the port is closed, deliveries meet a refused connection."""
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/citysafe/events"
