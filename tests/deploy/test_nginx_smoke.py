"""The shipped nginx configuration (deploy/nginx) in front of two gunicorn processes, as
docs/deploy.md sets it up: rendered into a temporary directory with free ports, checked with
`nginx -t`, then run over HTTPS (a self-signed certificate) against the test database."""
import re
import subprocess
import sys
import time
from collections import Counter

import pytest

from tests.deploy.stack import ROOT, Nginx, fetch, free_port, kill_group, platform_env, start_gunicorn, wait_http
from tests.worker.support import test_database_url as database_url

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """collectstatic's output, as `manage.py collectstatic` writes it on a server."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], check=True,
                   cwd=ROOT, env=platform_env("sqlite:///:memory:", STATIC_ROOT=root))
    return root


@pytest.fixture
def stack(transactional_world, tmp_path, static_root):
    """nginx → two gunicorn processes (one worker each) on the test database."""
    media = tmp_path / "media"
    media.mkdir()
    env = platform_env(database_url(), STATIC_ROOT=static_root, MEDIA_ROOT=media,
                       BEHIND_HTTPS=1, TRUSTED_PROXY_COUNT=1)
    ports = [free_port(), free_port()]
    webs = [start_gunicorn(port, env, tmp_path / f"web{port}.log") for port in ports]
    nginx = Nginx(tmp_path / "nginx", [f"127.0.0.1:{port}" for port in ports], static_root, media)
    try:
        nginx.render()
        checked = nginx.check()
        assert checked.returncode == 0, checked.stderr
        nginx.start()
        wait_http(nginx.url("/login/"), 90, webs)
        yield nginx, ports
    finally:
        nginx.stop()
        for web in webs:
            kill_group(web)


def _upstreams_in_log(nginx, marker: str) -> Counter:
    """Requests whose line holds `marker`, per gunicorn process ("-": answered by nginx itself)."""
    lines = [line for line in nginx.access_log.read_text().splitlines() if marker in line]
    return Counter(re.search(r"upstream=(\S+)", line).group(1) for line in lines)


def _wait_for_line(nginx, text: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while True:
        found = [line for line in nginx.access_log.read_text().splitlines() if text in line]
        if found or time.monotonic() > deadline:
            assert found, f"no access-log line with {text!r}"
            return found[-1]
        time.sleep(0.1)


def _wait_for_count(nginx, marker: str, count: int, timeout: float = 10) -> Counter:
    """nginx writes a request's line after answering it: wait until all `count` are there."""
    deadline = time.monotonic() + timeout
    while sum((served := _upstreams_in_log(nginx, marker)).values()) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return served


def test_rendered_configuration_passes_nginx_t_and_leaves_no_placeholder(tmp_path, static_root):
    nginx = Nginx(tmp_path / "nginx", ["127.0.0.1:8001", "127.0.0.1:8002"], static_root, tmp_path)
    nginx.render()
    site = (nginx.prefix / "site.conf").read_text()
    code = "\n".join(line for line in site.splitlines() if not line.lstrip().startswith("#"))
    assert not re.search(r"@[A-Z_]+@", code)
    assert "server 127.0.0.1:8001" in code and "server 127.0.0.1:8002" in code
    checked = nginx.check()
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_sign_in_page_static_files_and_health_come_through_nginx_from_both_web_processes(stack):
    nginx, ports = stack
    for n in range(12):
        page = fetch(nginx.url(f"/login/?smoke={n}"))
        assert page.status == 200
        assert "登录" in page.body.decode()
    # Django's own security headers arrive once each (nginx adds none to proxied answers),
    # and HSTS proves X-Forwarded-Proto reached Django (it sends HSTS only on HTTPS requests).
    assert page.headers.get_all("X-Frame-Options") == ["DENY"]
    assert page.headers.get_all("X-Content-Type-Options") == ["nosniff"]
    assert "Content-Security-Policy" in page.headers
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in page.headers["Set-Cookie"]

    css = fetch(nginx.url("/static/favicon.svg"))
    assert css.status == 200 and css.body.startswith(b"<")
    assert css.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=" in css.headers["Cache-Control"]

    health = fetch(nginx.url("/healthz"))
    assert (health.status, health.body) == (200, b'{"status": "ok"}')

    served = _wait_for_count(nginx, "smoke=", 12)
    assert served[f"127.0.0.1:{ports[0]}"] > 0 and served[f"127.0.0.1:{ports[1]}"] > 0, served
    # each page answered by one process, none tried twice
    assert sum(served.values()) == 12, served


def test_oversized_upload_is_refused_by_nginx_before_any_web_process_sees_it(stack):
    nginx, _ports = stack
    too_big = b"x" * (11 * 1024 * 1024 + 1)
    answer = fetch(nginx.url("/api/v1/attachments"), data=too_big, method="POST",
                   headers={"Content-Type": "application/octet-stream"})
    assert answer.status == 413
    assert b"nginx" in answer.body or b"413" in answer.body
    # nginx writes the line once it has drained the refused body (lingering close)
    refused = _wait_for_line(nginx, '"POST /api/v1/attachments HTTP/1.1" 413')
    assert "upstream=-" in refused
    assert _upstreams_in_log(nginx, '"POST /api/v1/attachments') == Counter({"-": 1})
    # the import pages take a workbook of IMPORT_MAX_BYTES: the same body passes nginx there
    # (and Django answers: no CSRF token, 403)
    answer = fetch(nginx.url("/io/import/"), data=too_big, method="POST",
                   headers={"Content-Type": "application/octet-stream"})
    assert answer.status == 403
    assert "upstream=127.0.0.1:" in _wait_for_line(nginx, '"POST /io/import/ HTTP/1.1" 403')


def test_uploaded_files_are_not_served_by_path_and_http_redirects_to_https(stack):
    nginx, _ports = stack
    (nginx.media_root / "attachments").mkdir()
    (nginx.media_root / "attachments" / "secret.pdf").write_bytes(b"%PDF-1.4 private")
    assert fetch(nginx.url("/media/attachments/secret.pdf")).status == 404
    plain = fetch(f"http://127.0.0.1:{nginx.http_port}/login/")
    assert plain.status == 301
    assert plain.headers["Location"] == "https://127.0.0.1/login/"
