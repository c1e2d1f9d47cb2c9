"""A township officer opens the data-sharing page from the 系统 menu: its subscription and the
delivery log (a delivered and a failed delivery, with the error), none of another township's
subscriptions. Screenshots at 1440 and 390 px."""
import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import sync_playwright

from citysafe.hazards.services import hazards as hazard_services
from citysafe.registry.models import Place
from citysafe.sharing.models import Delivery
from citysafe.sharing.webhooks.fanout import fan_out
from citysafe.sharing.webhooks.services import create_subscription
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS


@pytest.mark.browser
@override_settings(SHARING_WEBHOOK_ALLOW_PRIVATE=True)
def test_a_township_officer_reads_the_delivery_log_of_its_subscription(live_server, transactional_world):
    world = transactional_world
    officer = world.township_officer
    mine, _secret = create_subscription(officer, {"name": "乡镇应急平台", "url": "http://127.0.0.1:9/hook",
                                                  "events": ["hazard.registered"]})
    theirs, _secret = create_subscription(world.other_township_officer, {
        "name": "别的乡镇平台", "url": "http://127.0.0.1:9/hook", "events": ["hazard.registered"]})
    place = Place.objects.filter(township=world.township_a, archived_at__isnull=True).order_by("id").first()
    for _ in range(2):
        hazard_services.create_hazard(officer, {"category": "fire", "description": "疏散通道堆放杂物",
                                                "place_id": place.pk})
    fan_out()
    first, second = Delivery.objects.filter(subscription=mine).order_by("id")
    Delivery.objects.filter(pk=first.pk).update(status="delivered", attempts=1, last_status_code=200,
                                                delivered_at=timezone.now())
    Delivery.objects.filter(pk=second.pk).update(status="failed", attempts=3, last_status_code=503,
                                                 last_error="HTTP 503")
    url = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/login/")
        page.fill("#id_username", officer.username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/")
        assert page.locator("a[href='/sharing/']").count() == 1  # in the 系统 menu
        page.goto(f"{url}/sharing/")
        text = page.inner_text("main")
        assert "乡镇应急平台" in text and "别的乡镇平台" not in text
        assert "隐患登记" in text and "已送达" in text and "失败待重试" in text and "HTTP 503" in text
        page.screenshot(path="/tmp/sharing-log-1440.png", full_page=True)
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.context.add_cookies(page.context.cookies())
        phone.goto(page.url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path="/tmp/sharing-log-390.png", full_page=True)
        browser.close()
    assert theirs.pk != mine.pk
