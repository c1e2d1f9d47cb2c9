"""The dashboard in headless Chromium: a leader's county numbers, charts and map; a township
officer sees only its own numbers and a drill-down shows exactly the records counted; the big
screen (1920 px) refreshes its numbers from JSON without reloading. Screenshots in /tmp."""
import re

import pytest
from playwright.sync_api import sync_playwright

from citysafe.hazards.models import OPEN_STATES, Hazard
from conftest import DEMO_PASSWORD

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def _login(page, url, user):
    page.goto(f"{url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def _value(page, key) -> int:
    return int(page.get_attribute(f'.dash-tile[data-key="{key}"] .dash-value', "data-value"))


def _listed_total(page) -> int:
    return int(re.search(r"共 (\d+) 条", page.inner_text("p.count")).group(1))


def _drawn(page):
    page.wait_for_selector("#chart-months canvas")
    page.wait_for_selector("#dash-map path.leaflet-interactive")


@pytest.mark.browser
def test_leader_and_township_officer_dashboards(live_server, transactional_world, settings):
    world = transactional_world
    settings.DASHBOARD_REFRESH_SECONDS = 5
    own_open = Hazard.objects.filter(status__in=OPEN_STATES, township=world.township_a,
                                     archived_at__isnull=True).count()
    own_overdue = Hazard.objects.filter(is_overdue=True, township=world.township_a, archived_at__isnull=True).count()
    all_open = Hazard.objects.filter(status__in=OPEN_STATES, archived_at__isnull=True).count()
    errors = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            _login(page, live_server.url, world.leader)
            page.goto(f"{live_server.url}/dashboard/")
            _drawn(page)
            page.screenshot(path="/tmp/dashboard_leader_1440.png", full_page=True)
            assert _value(page, "hazards_open") == all_open
            page.click('.dash-tile[data-key="hazards_open"] a')
            page.wait_for_selector("table.records")
            assert _listed_total(page) == all_open

            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(f"{live_server.url}/dashboard/")
            _drawn(page)
            page.screenshot(path="/tmp/dashboard_leader_390.png", full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390

            page.set_viewport_size({"width": 1920, "height": 1080})
            page.goto(f"{live_server.url}/dashboard/screen/")
            _drawn(page)
            for _tick in range(40):   # the page's CSP forbids wait_for_function's eval: poll the attribute
                if page.get_attribute("body", "data-refreshed"):
                    break
                page.wait_for_timeout(500)
            assert page.get_attribute("body", "data-refreshed"), "the big screen did not refresh itself"
            page.wait_for_timeout(1000)
            page.screenshot(path="/tmp/dashboard_screen_1920.png")
            assert page.evaluate("document.documentElement.scrollHeight") <= 1080
            # a report on demand from the reports page, at 1440 and 390 px
            page.set_viewport_size({"width": 1440, "height": 900})
            page.goto(f"{live_server.url}/dashboard/reports/")
            page.click("details.panel summary")
            page.select_option("#id_period", "month")
            page.click("form.stacked-form button[type=submit]")
            page.wait_for_selector("text=下载PDF", timeout=60_000)
            page.screenshot(path="/tmp/dashboard_report_1440.png", full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(f"{live_server.url}/dashboard/reports/")
            page.screenshot(path="/tmp/dashboard_reports_390.png", full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.context.clear_cookies()

            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page.on("pageerror", lambda e: errors.append(str(e)))
            _login(page, live_server.url, world.township_officer)
            page.goto(f"{live_server.url}/dashboard/")
            _drawn(page)
            page.screenshot(path="/tmp/dashboard_township_1440.png", full_page=True)
            assert _value(page, "hazards_open") == own_open < all_open
            assert _value(page, "hazards_overdue") == own_overdue
            names = page.locator("#rank-townships tbody td:nth-child(2)").all_inner_texts()
            assert names == [world.township_a.name]
            page.click('.dash-tile[data-key="hazards_overdue"] a')
            page.wait_for_selector("table.records")
            assert _listed_total(page) == own_overdue
            townships = page.locator("table.records td[data-label=所属乡镇]").all_inner_texts()
            assert set(townships) <= {world.township_a.name}
            assert len(townships) == min(own_overdue, 25)
        finally:
            browser.close()
    assert not [e for e in errors if "Content Security Policy" in e or "Uncaught" in e], errors
