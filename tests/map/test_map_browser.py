"""The registry map in a real headless Chromium: layers load, the layer control lists them,
an enterprise marker's popup links to the enterprise's detail page."""
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import DEMO_PASSWORD

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture
def page(live_server, transactional_world):
    # Playwright's sync API runs an event loop in this thread, after which Django refuses
    # database calls here: the county is built (and read into `world`) before it starts.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page
        context.close()
        browser.close()


def log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(?!login/)[^/]*$"))


@pytest.mark.browser
def test_map_shows_layers_and_an_enterprise_popup_leads_to_its_page(page, live_server, transactional_world):
    world = transactional_world
    enterprise = world.enterprise_in_a
    log_in(page, live_server.url, world.admin.username)
    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector('#registry-map[data-loaded="true"]')

    control = page.locator(".leaflet-control-layers-overlays")
    for label in ("乡镇边界", "村（社区）边界", "网格", "企业", "场所：学校", "场所：加油加气站"):
        expect(control).to_contain_text(label)
    expect(page.locator("#registry-map-status")).to_contain_text("企业")

    # Choosing a township reloads the points of that township only.
    count_markers = "window.citysafeMap.registry.layers.enterprises.getLayers().length"
    county_count = page.evaluate(count_markers)
    page.select_option("select[name=township]", str(world.township_a.id))
    page.wait_for_selector('#registry-map[data-loaded="true"]')
    township_count = page.evaluate(count_markers)
    assert 0 < township_count < county_count

    # Zoom until the enterprise leaves its cluster, then click the marker where it is drawn.
    x, y = page.evaluate(
        """(id) => new Promise((resolve) => {
            const map = window.citysafeMap;
            const marker = map.registry.enterpriseMarker(id);
            map.registry.layers.enterprises.zoomToShowLayer(marker, () => {
                const point = map.latLngToContainerPoint(marker.getLatLng());
                resolve([point.x, point.y]);
            });
        })""",
        enterprise.id,
    )
    box = page.locator("#registry-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(enterprise.name)
    expect(popup).to_contain_text(world.township_a.name)
    # Not wait_for_function: it evaluates a string, which the Content-Security-Policy forbids.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    page.screenshot(path="/tmp/map.png")

    popup.locator("a.registry-map-detail").click()
    page.wait_for_url(f"{live_server.url}/registry/enterprises/{enterprise.id}/")
    expect(page.locator("body")).to_contain_text(enterprise.name)
