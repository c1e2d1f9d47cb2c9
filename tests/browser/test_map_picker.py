"""The map picker of record forms in a real headless Chromium: a grid worker on a phone creates
a place by tapping the map; an officer at a desk draws a polygon for a place."""
import pytest
from playwright.sync_api import expect, sync_playwright
from shapely.geometry import Point, shape

from citysafe.registry.models import Place
from conftest import DEMO_PASSWORD
from tests.browser.test_header_responsive import CHROMIUM_ARGS

# Where a geographic position is on screen (page coordinates), through the picker's own map.
SCREEN_POINT = """([lat, lon]) => {
  const el = document.getElementById('map-picker-map');
  const p = el.leafletMap.latLngToContainerPoint([lat, lon]);
  const box = el.getBoundingClientRect();
  return {x: box.left + p.x, y: box.top + p.y};
}"""
SHOW = "([lat, lon, zoom]) => document.getElementById('map-picker-map').leafletMap.setView([lat, lon], zoom, {animate: false}) && null"


def sign_in(page, base, user):
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
def test_grid_worker_on_a_390px_phone_creates_a_place_by_tapping_the_map(live_server, transactional_world):
    worker = transactional_world.grid_worker
    grid = worker.grids.get()
    outline = shape(grid.geometry)
    target = outline.representative_point()
    # Database reads happen before Playwright starts its event loop in this thread.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                          has_touch=True, is_mobile=True, device_scale_factor=2)
            page = context.new_page()
            page.set_default_timeout(30_000)
            sign_in(page, live_server.url, worker)
            page.goto(f"{live_server.url}/registry/places/new/")
            map_el = page.locator("#map-picker-map")
            expect(map_el).to_have_attribute("data-loaded", "true")
            box = map_el.bounding_box()
            assert box["width"] >= 370 and box["height"] >= 300, box  # full width, tall enough for a thumb
            assert page.evaluate("document.documentElement.scrollWidth") <= 390

            # Zoomed in on the worker's grid (as a user pinches to it), then a tap sets the point.
            map_el.scroll_into_view_if_needed()
            page.evaluate(SHOW, [target.y, target.x, 16])
            page.wait_for_timeout(300)
            spot = page.evaluate(SCREEN_POINT, [target.y, target.x])
            page.touchscreen.tap(spot["x"], spot["y"])
            expect(page.locator("#map-picker-status")).to_contain_text("已设定点位")
            lon, lat = float(page.input_value("#id_lon")), float(page.input_value("#id_lat"))
            assert abs(lon - target.x) < 1e-4 and abs(lat - target.y) < 1e-4  # a few metres at zoom 16
            assert page.locator("#map-picker-map .leaflet-marker-icon").count() == 1
            page.screenshot(path="var/shots/picker-390-grid-tapped.png", full_page=True)

            page.fill("#id_name", "网格员手机新增场所")
            page.select_option("#id_place_type", "gas_station")
            page.click("button[type=submit].primary")
            page.wait_for_url(f"{live_server.url}/registry/places/*/")
            assert "已保存" in page.inner_text("ul.messages")
        finally:
            browser.close()

    place = Place.objects.get(name="网格员手机新增场所")
    assert place.geometry["type"] == "Point"
    saved_lon, saved_lat = place.geometry["coordinates"]
    assert abs(saved_lon - lon) < 1e-9 and abs(saved_lat - lat) < 1e-9
    assert place.grid_id == grid.pk and outline.covers(Point(saved_lon, saved_lat))


@pytest.mark.browser
def test_officer_at_1440px_draws_a_polygon_for_a_place(live_server, transactional_world):
    officer = transactional_world.township_officer
    centre = shape(transactional_world.grid.geometry).representative_point()
    corners = [(centre.x - 0.0008, centre.y - 0.0005), (centre.x + 0.0008, centre.y - 0.0005),
               (centre.x + 0.0002, centre.y + 0.0007)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page.set_default_timeout(30_000)
            sign_in(page, live_server.url, officer)
            page.goto(f"{live_server.url}/registry/places/new/")
            expect(page.locator("#map-picker-map")).to_have_attribute("data-loaded", "true")
            page.locator("#map-picker-map").scroll_into_view_if_needed()
            page.evaluate(SHOW, [centre.y, centre.x, 17])
            page.wait_for_timeout(300)

            page.click("#map-picker-map .leaflet-draw-draw-polygon")
            for lon, lat in corners:
                spot = page.evaluate(SCREEN_POINT, [lat, lon])
                page.mouse.click(spot["x"], spot["y"])
                page.wait_for_timeout(150)
            first = page.evaluate(SCREEN_POINT, [corners[0][1], corners[0][0]])
            page.mouse.click(first["x"], first["y"])  # back on the first point closes the polygon
            expect(page.locator("#map-picker-status")).to_contain_text("已画好")
            geometry = page.input_value("#id_geometry")
            assert '"Polygon"' in geometry
            assert page.input_value("#id_lon") == "" and page.input_value("#id_lat") == ""
            page.screenshot(path="var/shots/picker-1440-polygon.png", full_page=True)

            page.fill("#id_name", "画面新增场所")
            page.select_option("#id_place_type", "gas_station")
            page.click("button[type=submit].primary")
            page.wait_for_url(f"{live_server.url}/registry/places/*/")
        finally:
            browser.close()

    place = Place.objects.get(name="画面新增场所")
    assert place.geometry["type"] == "Polygon"
    ring = place.geometry["coordinates"][0]
    assert len(ring) == 4 and ring[0] == ring[-1]
    for (lon, lat), (want_lon, want_lat) in zip(ring[:3], corners, strict=True):
        assert abs(lon - want_lon) < 2e-5 and abs(lat - want_lat) < 2e-5  # a pixel at zoom 17
    assert place.township_id == transactional_world.township_a.pk
