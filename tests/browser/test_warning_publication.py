"""A red rainstorm warning over three townships, in a real headless Chromium: drafted and
passed by the department, approved and published by the county leader; the public page
shows it without signing in; the delivery dashboard shows every channel."""
import shutil
import threading
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import sync_playwright

from citysafe.early_warning.models import Subscription, Warning
from citysafe.registry.models import Area
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS

mqtt_mod = pytest.importorskip("citysafe.notifications.tests.test_mqtt")
broker = mqtt_mod.broker


def _in_thread(function, *args):
    """Database work while Playwright's loop runs in this thread goes to another thread."""
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("value", function(*args)))
    worker.start()
    worker.join()
    return result.get("value")


def _board_url() -> str:
    """A loopback HTTP server answering 200 to every POST, standing in for a display board."""
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Board(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Board)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/board"


def _deliver(warning_id):
    from citysafe.early_warning.delivery import fan_out
    from citysafe.notifications.delivery import deliver_due

    fan_out(warning_id)
    deliver_due()
    from django.db import connection

    connection.close()


def _sign_in(browser, url, user):
    page = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page()
    page.goto(f"{url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    return page


def _step(page, label):
    page.click(f"button[data-step] >> text={label}")
    page.wait_for_selector(".messages li")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("mosquitto") is None, reason="needs the mosquitto broker")
def test_red_rainstorm_warning_over_three_townships_from_draft_to_public_page_and_dashboard(
        live_server, transactional_world, settings, broker, tmp_path):
    world = transactional_world
    settings.NOTIFICATION_MQTT_HOST, settings.NOTIFICATION_MQTT_PORT = "127.0.0.1", broker
    settings.NOTIFICATION_CHANNELS = {**settings.NOTIFICATION_CHANNELS, "mqtt": "citysafe.notifications.mqtt.MqttChannel"}
    settings.NOTIFICATION_SMS_FILE = str(tmp_path / "sms.jsonl")
    settings.WARNING_WEBHOOK_URLS = [_board_url()]  # another system (a display board's controller)
    townships = list(Area.objects.filter(level="township").order_by("code")[:3])
    for n, channel, address in ((1, "sms", "13900007001"), (2, "email", "resident@example.cn")):
        Subscription.objects.create(channel=channel, address=address, confirmed_at=timezone.now()).areas.set(
            [townships[n]])
    now = timezone.localtime().replace(second=0, microsecond=0)
    fmt = "%Y-%m-%dT%H:%M"
    headline = "东乡县暴雨红色预警"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = _sign_in(browser, live_server.url, world.department)
            page.goto(f"{live_server.url}/early-warning/warnings/new/")
            page.select_option("#id_warning_type", "rainstorm")
            page.select_option("#id_level", "1")
            page.fill("#id_headline", headline)
            page.fill("#id_description", "预计未来3小时内降雨量将达100毫米以上。")
            page.fill("#id_instructions", "停止集会，转移危险地带人员。")
            page.fill("#id_onset", now.strftime(fmt))
            page.fill("#id_effective", now.strftime(fmt))
            page.fill("#id_expires", (now + timedelta(hours=12)).strftime(fmt))
            page.select_option("#id_area_kind", "areas")
            page.select_option("#id_areas", [str(t.pk) for t in townships])
            page.click("form.record-form button[type=submit], main form button[type=submit] >> nth=-1")
            page.wait_for_selector("#warning-workflow")
            _step(page, "提交部门审核")
            _step(page, "部门审核通过")
            assert "审批同意" not in page.inner_text("#warning-workflow")  # red: not the department's to approve
            detail_url = page.url

            leader = _sign_in(browser, live_server.url, world.leader)
            leader.goto(detail_url)
            _step(leader, "审批同意")
            _step(leader, "发布")
            assert "已发布" in leader.inner_text("#warning-status")

            warning_id = int(detail_url.rstrip("/").split("/")[-1])
            _in_thread(_deliver, warning_id)

            public = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
            public.goto(f"{live_server.url}/early-warning/public/")
            assert headline in public.inner_text("#active-warnings")
            public.wait_for_selector("#warning-map[data-loaded=true] .leaflet-interactive")
            public.screenshot(path="/tmp/warning_public.png", full_page=True)

            leader.goto(detail_url)
            channels = set(leader.locator("#delivery-by-channel tr[data-channel]").evaluate_all(
                "rows => rows.map(r => r.dataset.channel)"))
            leader.screenshot(path="/tmp/warning_dashboard.png", full_page=True)
            assert channels == {"inbox", "sms", "email", "webhook", "mqtt"}
            failed = leader.locator("#delivery-by-channel tr[data-channel] td:nth-child(6)").all_inner_texts()
            assert set(failed) == {"0"}
        finally:
            browser.close()
    warning = Warning.objects.get(pk=warning_id)
    assert warning.status == "published" and warning.townships.count() == 3
