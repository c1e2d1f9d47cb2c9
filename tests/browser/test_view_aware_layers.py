"""The monitoring wall, the underground map and the emergency resource map in a real headless
Chromium ask their layers for the view they show (bbox + zoom, issue 19) and draw the server's
cluster bubbles when zoomed out; screenshots at 1440 and 390 px in var/screens/."""
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.test_header_responsive import CHROMIUM_ARGS
from tests.browser.test_map_picker import sign_in

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"
PAGES = [
    ("monitoring-wall", "/monitoring/wall/", "/monitoring/wall/sensors.geojson", "#monitoring-map"),
    ("underground-map", "/siting/underground/", "/siting/underground.geojson", "#underground-map"),
    ("emergency-map", "/emergency/map/", "/emergency/map/layers/", "#emergency-map"),
]


@pytest.mark.browser
@pytest.mark.parametrize("name, page_url, layer_url, box", PAGES)
def test_the_page_asks_for_its_view_and_draws_clusters_zoomed_out(live_server, transactional_world, settings,
                                                                   name, page_url, layer_url, box):
    settings.MAP_FEATURE_LIMIT = 0  # a few demo rows: cluster whenever a view is zoomed out
    SCREENS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            for width, height in ((1440, 1000), (390, 844)):
                page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
                page.set_default_timeout(30_000)
                asked = []
                page.on("request", lambda request, asked=asked: asked.append(request.url)
                        if layer_url in request.url else None)
                sign_in(page, live_server.url, transactional_world.admin)
                page.goto(f"{live_server.url}{page_url}")
                page.wait_for_selector(f"{box}.leaflet-container")
                page.wait_for_timeout(2000)
                assert asked, f"{name}: no layer request"
                assert all("bbox=" in url and "zoom=" in url for url in asked), asked
                page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
                # Zoomed far out: the layers answer with bubbles, which the page draws.
                page.locator(".leaflet-control-zoom-out").click()
                page.locator(".leaflet-control-zoom-out").click()
                page.locator(".leaflet-control-zoom-out").click()
                page.wait_for_selector(".registry-map-cluster", timeout=15_000)
                page.screenshot(path=str(SCREENS / f"{name}-clusters-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()
