"""A township officer, in a real headless Chromium, sees only its own township's enterprises."""
import pytest
from playwright.sync_api import sync_playwright

from citysafe.registry.models import Enterprise
from conftest import DEMO_PASSWORD

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOT = "/tmp/pages_enterprise_list.png"


@pytest.mark.browser
def test_township_officer_sees_only_own_township_enterprises(live_server, transactional_world):
    world = transactional_world
    officer = world.township_officer
    own_township = world.township_a.name
    foreign = world.enterprise_in_b
    own_count = Enterprise.objects.filter(township=world.township_a, archived_at__isnull=True).count()
    # Database reads happen before Playwright starts its event loop in this thread.

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.goto(f"{live_server.url}/login/")
            page.fill("#id_username", officer.username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/")
            assert officer.display_name in page.inner_text("header")

            page.click("nav >> text=基础数据")  # the 基础数据 menu (core.nav), then its first page
            page.click("nav >> text=企业")
            page.wait_for_selector("table.records tbody tr")
            page.screenshot(path=SCREENSHOT, full_page=True)
            townships = page.locator("table.records td[data-col=township]").all_inner_texts()
            assert townships and set(townships) == {own_township}
            assert f"共 {own_count} 条" in page.inner_text("p.count")
            assert foreign.name not in page.content()
            seen = len(townships)
            while page.locator("nav.pager >> text=下一页").count():
                page.click("nav.pager >> text=下一页")
                page.wait_for_selector(f"nav.pager >> text=第 {seen // 25 + 1} /")
                more = page.locator("table.records td[data-col=township]").all_inner_texts()
                assert set(more) == {own_township}
                seen += len(more)
            assert seen == own_count

            # The detail page draws the enterprise's location with the local Leaflet.
            page.locator("table.records td[data-col=name] a").first.click()
            page.wait_for_selector("#record-map .leaflet-interactive")
            page.screenshot(path="/tmp/pages_enterprise_detail.png", full_page=True)
            page.goto(f"{live_server.url}/registry/enterprises/")

            # Searching for another township's enterprise by its exact code finds nothing;
            # htmx swaps in the table without a page load.
            page.fill("input[name=q]", foreign.uscc)
            page.wait_for_selector("text=没有符合条件的记录")
            assert foreign.name not in page.content()
            assert page.locator("table.records td[data-col=township]").count() == 0

            # Its detail page does not exist for this officer.
            response = page.goto(f"{live_server.url}/registry/enterprises/{foreign.pk}/")
            assert response.status == 404
            assert "页面不存在" in page.content()
        finally:
            browser.close()
