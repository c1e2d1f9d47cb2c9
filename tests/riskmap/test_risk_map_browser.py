"""The four-colour map in headless Chromium: a grid turns red once a 重大 assessment of a risk
point in it is accepted, and returns to its former colour when the point is regraded; the map
works at 1440 px and at 390 px (legend, filters, a risk card on click)."""
import re
import threading

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import DEMO_PASSWORD

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
RED = "#e53935"


def in_thread(work):
    """Database work while Playwright's event loop runs in this thread (Django refuses it here)."""
    result, errors = [], []

    def run():
        from django.db import connection

        try:
            result.append(work())
        except Exception as error:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]


@pytest.fixture
def browser(live_server, transactional_world):
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(?!login/)[^/]*$"))


def grid_fill(page, base_url, grid_id):
    page.goto(f"{base_url}/risk-map/")
    page.wait_for_selector('#risk-map[data-loaded="true"]')
    return page.evaluate(f"window.citysafeRiskMap.risk.areaFill('grids', {grid_id})")


def _quiet_grid_with_an_enterprise(world):
    """A grid of township A without 重大 or 较大 risks, holding an enterprise."""
    from citysafe.registry.models import Enterprise
    from citysafe.risks.models import AreaLevel

    loud = set(AreaLevel.objects.filter(effective_level__in=(1, 2)).values_list("area_id", flat=True))
    enterprise = (Enterprise.objects.filter(township=world.township_a, archived_at__isnull=True, grid__isnull=False)
                  .exclude(grid_id__in=loud).order_by("id").first())
    return enterprise.grid_id, enterprise


@pytest.mark.browser
def test_grid_turns_red_after_a_major_assessment_is_accepted_and_returns_when_regraded(browser, live_server,
                                                                                         transactional_world):
    from tests.riskmap.helpers import grade, point_for

    world = transactional_world
    grid_id, enterprise = in_thread(lambda: _quiet_grid_with_an_enterprise(world))
    page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
    page.set_default_timeout(30_000)
    log_in(page, live_server.url, world.township_officer.username)
    former = grid_fill(page, live_server.url, grid_id)
    assert former != RED

    point = in_thread(lambda: grade(world, point_for(world, enterprise, "浏览器测试储罐区"), 1))
    assert grid_fill(page, live_server.url, grid_id) == RED
    tooltip = page.evaluate(f"window.citysafeRiskMap.risk.areaLayer('grids', {grid_id}).getTooltip().getContent()")
    assert "重大风险" in tooltip

    in_thread(lambda: grade(world, point, 4))
    assert grid_fill(page, live_server.url, grid_id) == former


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_map_works_on_desktop_and_phone_with_legend_filters_and_card(browser, live_server, transactional_world,
                                                                      width, height):
    world = transactional_world
    page = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN").new_page()
    page.set_default_timeout(30_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A Content-Security-Policy violation (an inline script or style) shows as a console error.
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    log_in(page, live_server.url, world.admin.username)
    page.goto(f"{live_server.url}/risk-map/")
    page.wait_for_selector('#risk-map[data-loaded="true"]')
    box = page.locator("#risk-map").bounding_box()
    assert box["width"] >= width - 20 and box["height"] >= 300
    legend = page.locator(".risk-map-legend")
    if width < 768:
        legend.locator("summary").click()
    for label in ("重大风险", "较大风险", "一般风险", "低风险", "临时提级区域", "重大危险源"):
        expect(legend).to_contain_text(label)
    opened = page.evaluate("""() => {
      const m = window.citysafeRiskMap; let target = null;
      m.risk.layers.points.eachLayer(l => { if (!target) target = l; });
      if (!target) return false; m.setView(target.getLatLng(), 15); target.fire('click'); return true; }""")
    assert opened
    expect(page.locator(".risk-card")).to_contain_text("管控措施")
    expect(page.locator(".risk-card a").last).to_have_attribute("href", re.compile(r"/card\.pdf$"))
    page.select_option("select[name=level]", "1")
    page.wait_for_selector('#risk-map[data-loaded="true"]')
    assert "level=1" in page.get_attribute("#risk-map-pdf", "href")
    assert errors == []
