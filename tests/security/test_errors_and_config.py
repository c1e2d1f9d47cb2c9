"""Errors and configuration (issue 6, finding 9): the API answers JSON for every error, pages
carry a Content-Security-Policy, HTTPS deployments get HSTS and Secure cookies, sessions are
short, and /healthz tells anonymous callers nothing but ok / not ok."""
import importlib.util
import json
import uuid

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings

from conftest import DEMO_PASSWORD

BODY_LIMIT = 64 * 1024


def _assert_json_problem(response, status, rule):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    item = response.json()["detail"][0]
    assert item["loc"] == ["body"] and item["type"] == rule
    assert not item["msg"].isascii()  # the rule is named in Chinese
    return item["msg"]


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_api_body_over_the_limit_answers_json_413(world, debug):
    client = _signed_in(world.admin)
    body = json.dumps({"name": "x" * (BODY_LIMIT + 10)})
    with override_settings(DEBUG=debug, DATA_UPLOAD_MAX_MEMORY_SIZE=BODY_LIMIT):
        for method in (client.post, client.patch):
            response = method(f"/api/v1/enterprises{'' if method == client.post else '/1'}",
                              body, content_type="application/json")
            assert "上限" in _assert_json_problem(response, 413, "body_too_large")
        # A form-encoded body (read by Django, not the JSON parser) is refused the same way.
        response = client.post("/api/v1/enterprises", {"name": "x" * (BODY_LIMIT + 10)})
        _assert_json_problem(response, 413, "body_too_large")


@pytest.mark.parametrize("body", ['{"name": "企业", ', "not json", '{"lon": NaN}', b"\xff\xfe{}"],
                         ids=["truncated", "text", "nan", "not-utf8"])
def test_malformed_json_answers_json_422(world, body):
    client = _signed_in(world.admin)
    response = client.post("/api/v1/enterprises", body, content_type="application/json")
    assert "JSON" in _assert_json_problem(response, 422, "json_invalid")


@pytest.mark.parametrize("depth", [65, 100_000])
def test_too_deep_json_answers_json_422(world, depth):
    client = _signed_in(world.admin)
    body = '{"name": ' + "[" * depth + "]" * depth + "}"
    for debug in (False, True):
        with override_settings(DEBUG=debug):
            response = client.post("/api/v1/enterprises", body, content_type="application/json")
        assert "64" in _assert_json_problem(response, 422, "json_too_deep")


def test_json_within_the_nesting_limit_is_parsed(world):
    # 64 levels are fine: the request reaches validation, which names the missing fields.
    body = '{"name": "企业", "extra": ' + "[" * 63 + "]" * 63 + "}"
    response = _signed_in(world.admin).post("/api/v1/enterprises", body, content_type="application/json")
    assert response.status_code == 422
    assert all(item["type"] not in {"json_too_deep", "json_invalid"} for item in response.json()["detail"])


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_unknown_api_path_answers_json_404(world, debug):
    client = _signed_in(world.admin)
    with override_settings(DEBUG=debug):
        missing = client.get("/api/v1/no-such-resource")
        outside = client.get("/api/v2/enterprises")
        wrong_method = client.put("/api/v1/enterprises", "{}", content_type="application/json")
    for response in (missing, outside):
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert "接口不存在" in response.json()["detail"][0]["msg"]
    assert wrong_method.status_code == 405
    assert wrong_method["Content-Type"].startswith("application/json")
    assert "PUT" in wrong_method.json()["detail"][0]["msg"] and "GET" in wrong_method["Allow"]
    # Pages keep their Chinese HTML error page.
    page = client.get("/registry/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
    assert "页面不存在" in page.content.decode()


class _Undo(Exception):
    pass


def test_unexpected_api_error_answers_json_500_without_a_traceback(world):
    from django.db import connection, transaction

    from citysafe.registry.models import Enterprise

    client = Client(raise_request_exception=False)
    client.force_login(world.admin)
    table = Enterprise._meta.db_table
    for debug in (False, True):
        # A real failure inside an endpoint: its table is gone (rolled back afterwards).
        with pytest.raises(_Undo), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
            with override_settings(DEBUG=debug):
                response = client.get("/api/v1/enterprises")
            raise _Undo
        assert response.status_code == 500
        assert response["Content-Type"].startswith("application/json")
        assert "Traceback" not in response.content.decode() and table not in response.content.decode()
        assert "服务器内部错误" in response.json()["detail"][0]["msg"]


def test_pages_keep_chinese_html_error_pages(world):
    from django.db import connection, transaction

    from citysafe.registry.models import Enterprise

    client = Client(raise_request_exception=False)
    client.force_login(world.admin)
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=BODY_LIMIT):
        too_big = client.post(f"/registry/enterprises/{world.enterprise_in_a.pk}/edit/",
                              {"name": "x" * (BODY_LIMIT + 10)})
    assert too_big.status_code == 400 and too_big["Content-Type"].startswith("text/html")
    assert "请求无效" in too_big.content.decode()

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.admin)
    stale_form = strict.post(f"/registry/enterprises/{world.enterprise_in_a.pk}/edit/", {"name": "x"})
    assert stale_form.status_code == 403 and "表单已失效" in stale_form.content.decode()

    table = Enterprise._meta.db_table
    with pytest.raises(_Undo), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
        broken = client.get("/registry/enterprises/")
        raise _Undo
    assert broken.status_code == 500 and broken["Content-Type"].startswith("text/html")
    assert "服务器内部错误" in broken.content.decode() and table not in broken.content.decode()


def test_every_page_sends_a_content_security_policy(world):
    client = _signed_in(world.admin)
    enterprise = world.enterprise_in_a
    pages = ["/", "/registry/enterprises/", f"/registry/enterprises/{enterprise.pk}/",
             f"/registry/enterprises/{enterprise.pk}/edit/", "/map/", "/io/", "/notifications/",
             "/api/v1/docs", "/admin/", "/registry/no-such-page/"]
    anonymous = ["/login/"]
    responses = [(url, client.get(url)) for url in pages] + [(url, Client().get(url)) for url in anonymous]
    for url, response in responses:
        assert response.status_code in {200, 404}, url
        policy = dict(
            part.strip().split(" ", 1) for part in response.get("Content-Security-Policy", "").split(";") if part.strip()
        )
        assert policy.get("default-src") == "'self'", url
        assert policy.get("script-src") == "'self'", url  # no 'unsafe-inline', no 'unsafe-eval'
        assert policy.get("object-src") == "'none'" and policy.get("frame-ancestors") == "'none'", url
        assert policy.get("base-uri") == "'self'" and policy.get("form-action") == "'self'", url
        assert {"'self'", "data:", "blob:"} <= set(policy.get("img-src", "").split()), url
        html = response.content.decode()
        assert "<script>" not in html and "<style" not in html, url  # nothing inline to allow


def test_map_tile_service_origin_is_allowed_for_images(monkeypatch):
    module = _load_settings(monkeypatch, MAP_TILE_URL="https://{s}.tiles.example.cn:8443/wmts/{z}/{x}/{y}.png")
    assert "https://*.tiles.example.cn:8443" in module.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    assert module.tile_origin("/tiles/{z}/{x}/{y}.png") is None
    assert module.tile_origin("http://t{s}.tianditu.gov.cn/vec_c/wmts?tk=KEY") == "http://*.tianditu.gov.cn"
    assert module.tile_origin("https://tiles.{s}.example.cn/{z}/{x}/{y}.png") == "https:"


def _load_settings(monkeypatch, **env):
    """config/settings.py evaluated afresh under the given environment (a separate module)."""
    for name in ("BEHIND_HTTPS", "SECURE_COOKIES", "SESSION_HOURS", "HSTS_SECONDS", "HSTS_INCLUDE_SUBDOMAINS",
                 "SECURE_SSL_REDIRECT", "PROXY_SSL_HEADER", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "MAP_TILE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(f"settings_{uuid.uuid4().hex}",
                                                  django_settings.BASE_DIR / "config" / "settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SECURITY_SETTINGS = ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
                     "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER")


@pytest.mark.parametrize("switch", ["BEHIND_HTTPS", "SECURE_COOKIES"])
def test_hsts_and_secure_cookies_when_behind_https(world, monkeypatch, switch):
    plain = _load_settings(monkeypatch)
    assert not plain.SESSION_COOKIE_SECURE and not getattr(plain, "SECURE_HSTS_SECONDS", 0)

    https = _load_settings(monkeypatch, **{switch: "1", "HSTS_INCLUDE_SUBDOMAINS": "1"})
    assert https.SESSION_COOKIE_SECURE and https.CSRF_COOKIE_SECURE
    assert https.SECURE_HSTS_SECONDS >= 180 * 24 * 3600 and https.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert https.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert _load_settings(monkeypatch, **{switch: "1", "SECURE_SSL_REDIRECT": "1"}).SECURE_SSL_REDIRECT

    values = {name: getattr(https, name) for name in SECURITY_SETTINGS if hasattr(https, name)}
    with override_settings(**values):
        client = Client()
        # The proxy terminated TLS and says so; the browser is told to stay on HTTPS.
        response = client.get("/login/", headers={"X-Forwarded-Proto": "https"})
        assert "max-age=" in response["Strict-Transport-Security"]
        assert "includeSubDomains" in response["Strict-Transport-Security"]
        assert response.cookies["csrftoken"]["secure"]
        signed_in = client.post("/login/", {"username": world.admin.username, "password": DEMO_PASSWORD},
                                headers={"X-Forwarded-Proto": "https"})
        assert signed_in.status_code == 302
        assert signed_in.cookies["sessionid"]["secure"] and signed_in.cookies["sessionid"]["httponly"]


def test_session_lifetime_is_short_and_configurable(world, monkeypatch):
    default = _load_settings(monkeypatch)
    assert default.SESSION_COOKIE_AGE == 8 * 3600
    assert default.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert _load_settings(monkeypatch, SESSION_HOURS="2").SESSION_COOKIE_AGE == 2 * 3600
    assert _load_settings(monkeypatch, SESSION_EXPIRE_AT_BROWSER_CLOSE="0").SESSION_EXPIRE_AT_BROWSER_CLOSE is False

    # The running platform uses it: a session from sign-in ends within the configured hours.
    client = Client()
    client.post("/login/", {"username": world.admin.username, "password": DEMO_PASSWORD})
    assert client.session.get_expiry_age() <= 8 * 3600
    assert client.session.get_expire_at_browser_close()


def test_anonymous_healthz_reveals_nothing_but_ok(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}

    # A broken part: still nothing but the verdict for anonymous callers.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.json() == {"status": "error"}

    # Signed in but not an administrator: the same.
    assert _signed_in(world.township_officer).get("/healthz").json() == {"status": "error"}
    # An administrator sees which part failed and why.
    report = _signed_in(world.admin).get("/healthz").json()
    assert report["status"] == "error" and report["failing"] == ["storage"]
    assert report["checks"]["database"]["vendor"] == django_settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1] \
        or report["checks"]["database"]["ok"]
