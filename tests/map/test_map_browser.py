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
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
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


def enterprise_marker_on_screen(page, enterprise_id):
    """Where the enterprise's marker is drawn, in map container pixels. Neighbours at the same
    spot may still share a Leaflet.markercluster bubble at street level: click it (it zooms in or
    spreads its markers) until the marker is drawn by itself. Polled from Python with a bound:
    no page.evaluate waits on a map callback (a reload may replace the layer it waits on)."""
    for _ in range(10):
        where = page.evaluate(
            """(id) => { const map = window.citysafeMap, marker = map.registry.enterpriseMarker(id);
                         if (!marker) return null;
                         // drawn by itself: on the map (a circle marker has no _icon for
                         // markercluster's getVisibleParent); else the bubble that holds it
                         const shown = map.hasLayer(marker) ? marker
                           : map.registry.layers.enterprises.getVisibleParent(marker);
                         if (!shown) return null;
                         const p = map.latLngToContainerPoint(shown.getLatLng());
                         return [shown === marker, p.x, p.y]; }""",
            enterprise_id,
        )
        if where and where[0]:
            return where[1], where[2]
        if where:  # inside a bubble: a click on it, as a user would
            box = page.locator("#registry-map").bounding_box()
            page.mouse.click(box["x"] + where[1], box["y"] + where[2])
            page.wait_for_timeout(500)  # the zoom (or the spreading) animation
            page.wait_for_selector('#registry-map[data-loaded="true"]', timeout=30_000)
        else:
            page.wait_for_timeout(500)
    raise AssertionError(f"enterprise {enterprise_id} is not drawn on its own at street level")


@pytest.mark.browser
def test_map_shows_layers_and_an_enterprise_popup_leads_to_its_page(page, live_server, transactional_world):
    world = transactional_world
    enterprise = world.enterprise_in_a
    log_in(page, live_server.url, world.admin.username)
    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector('#registry-map[data-loaded="true"]')

    control = page.locator(".leaflet-control-layers-overlays")
    for label in ("底图", "乡镇边界", "村（社区）边界", "网格", "企业", "人员密集场所", "危险源", "交通设施"):
        expect(control).to_contain_text(label)
    # The base layer: township names drawn at their seats, the river under them.
    labels = page.locator(".leaflet-tooltip.registry-map-label")
    expect(labels.first).to_be_visible()
    expect(page.locator(".leaflet-tooltip-pane")).to_contain_text(world.township_a.name)
    assert page.evaluate("window.citysafeMap.registry.layers.water.getLayers().length") > 0
    expect(page.locator(".registry-map-pane-water path").first).to_be_attached()
    expect(page.locator(".registry-map-legend")).to_contain_text("危险源")
    page.screenshot(path="/tmp/map-1440.png")
    expect(page.locator("#registry-map-status")).to_contain_text("企业")

    # Choosing a township reloads the points of that township only.
    count_markers = "window.citysafeMap.registry.layers.enterprises.getLayers().length"
    county_count = page.evaluate(count_markers)
    page.select_option("select[name=township]", str(world.township_a.id))
    page.wait_for_selector('#registry-map[data-loaded="true"]')
    township_count = page.evaluate(count_markers)
    assert 0 < township_count < county_count

    # Street level on the enterprise: the layers answer with the rows themselves (issue 19). The
    # map reports data-loaded "false" from the move until the answer for the new view is drawn.
    page.evaluate("([lat, lon]) => window.citysafeMap.setView([lat, lon], 18, {animate: false})",
                  [enterprise.lat, enterprise.lon])
    page.wait_for_selector('#registry-map[data-loaded="true"][data-mode="features"]', timeout=30_000)
    x, y = enterprise_marker_on_screen(page, enterprise.id)
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


@pytest.mark.browser
def test_on_a_phone_the_layer_control_is_collapsed_and_the_map_fills_the_screen(page, live_server,
                                                                                transactional_world):
    world = transactional_world
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, world.township_officer.username)
    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector('#registry-map[data-loaded="true"]')
    control = page.locator(".leaflet-control-layers")
    expect(control).not_to_have_class(re.compile(r"leaflet-control-layers-expanded"))
    expect(page.locator(".leaflet-control-layers-list")).to_be_hidden()
    box = page.locator("#registry-map").bounding_box()
    assert box["width"] >= 370
    assert box["y"] + box["height"] >= 844 - 10  # reaches the bottom of the screen
    assert box["height"] >= 844 * 0.6
    expect(page.locator(".leaflet-tooltip-pane")).to_contain_text(world.township_a.name)
    page.screenshot(path="/tmp/map-390.png")


@pytest.mark.browser
def test_record_mini_map_draws_the_township_and_river_under_the_record(page, live_server, transactional_world):
    world = transactional_world
    log_in(page, live_server.url, world.township_officer.username)
    page.goto(f"{live_server.url}/registry/enterprises/{world.enterprise_in_a.id}/")
    page.wait_for_selector('#record-map[data-loaded="true"]')
    expect(page.locator("#record-map .leaflet-tooltip-pane")).to_contain_text(world.township_a.name)
    expect(page.locator("#record-map .registry-map-pane-water path").first).to_be_attached()
    page.screenshot(path="/tmp/map-detail.png", full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1440, 900), (390, 844)])
def test_grid_worker_map_opens_on_its_grid_with_the_grid_drawn(page, live_server, transactional_world, width, height):
    """A grid worker has no township outline: the map shows its grid and zooms to it, not to the
    county with its few points on the edge — on a phone too, where the points shown must be the
    ones asked for the grid's view (not the county view the page opened with)."""
    world = transactional_world
    page.set_viewport_size({"width": width, "height": height})
    asked = []
    page.on("request", lambda request: asked.append(request.url)
            if "/map/layers/places.geojson" in request.url else None)
    log_in(page, live_server.url, world.grid_worker.username)
    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector('#registry-map[data-loaded="true"]')
    view = page.evaluate("window.CitySafeMapView.query(window.citysafeMap)")
    assert asked[-1].endswith(view)
    assert page.evaluate("window.citysafeMap.hasLayer(window.citysafeMap.registry.layers.grids)")
    # The view holds the grid and is no wider than a few times the grid's own extent.
    fits = page.evaluate("""() => {
        const map = window.citysafeMap, grid = map.registry.layers.grids.getBounds();
        const view = map.getBounds();
        const span = b => b.getEast() - b.getWest();
        return view.contains(grid) && span(view) < 6 * span(grid);
    }""")
    assert fits
    # Cluster bubbles carry their layer's colour, not markercluster's count colours.
    assert page.locator(".marker-cluster-small, .marker-cluster-medium, .marker-cluster-large").count() == 0
