"""CAP sources the admin configures: fetched by the periodic job (a local HTTP server here),
imported once per identifier; a hostile or broken source is recorded, never imported."""
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from citysafe.early_warning.cap_import import fetch_all_sources
from citysafe.early_warning.config_services import set_approvers
from citysafe.early_warning.models import ApprovalRule, CapSource, Warning

SAMPLES = Path(__file__).parent / "cap"


@pytest.fixture
def cap_server():
    files = {"/alert.xml": (SAMPLES / "cma_rainstorm_12.xml").read_bytes(),
             "/evil.xml": (SAMPLES / "billion_laughs.xml").read_bytes()}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = files.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/cap+xml")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_configured_source_is_fetched_and_imported_once(world, cap_server):
    good = CapSource.objects.create(name="州气象台", url=f"{cap_server}/alert.xml")
    evil = CapSource.objects.create(name="坏源", url=f"{cap_server}/evil.xml")
    before = Warning.objects.count()
    assert fetch_all_sources() == {"imported": 1, "failed": 1}
    assert fetch_all_sources() == {"imported": 0, "failed": 1}
    assert Warning.objects.count() == before + 1
    imported = Warning.objects.order_by("-id").first()
    assert imported.status == "draft" and imported.source.startswith("州气象台")
    evil.refresh_from_db()
    good.refresh_from_db()
    assert "DOCTYPE" in evil.last_error and good.last_error == "" and good.last_fetched_at


def test_only_the_county_office_edits_the_approval_table(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    world.admin.is_staff = True
    world.admin.save()
    set_approvers(world.admin, 3, ["leader"])
    assert ApprovalRule.objects.get(level=3).roles == ["leader"]
    with pytest.raises(ValidationError):
        set_approvers(world.admin, 3, ["grid"])
    with pytest.raises(PermissionDenied):
        set_approvers(world.leader, 1, ["department"])
