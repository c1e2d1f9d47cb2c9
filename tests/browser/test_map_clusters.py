"""The registry map asks for the current view only (issue 19): at county zoom it draws the
clusters the server counted, zoomed in it draws the places and enterprises themselves, and it
does both on a phone."""
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import DEMO_PASSWORD

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
CLUSTERS = ".registry-map-server-cluster"


@pytest.fixture
def browser(live_server, transactional_world, settings):
    # The small demo county holds a few hundred rows; a county the size of the real one (20,000
    # places) is clustered at county zoom by the default limit. Cluster whenever zoomed out here.
    settings.MAP_FEATURE_LIMIT = 0
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def open_map(browser, base_url, username, width, height, watch=None):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    watched = watch(page) if watch else None
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(?!login/)[^/]*$"))
    page.goto(f"{base_url}/map/")
    page.wait_for_selector('#registry-map[data-loaded="true"]')
    return (page, watched) if watch else page


def settle(page, map_name="citysafeMap", element="registry-map"):
    """Until the map has stopped moving and the view it shows is loaded (polled from Python:
    wait_for_function evaluates a string, which the Content-Security-Policy forbids)."""
    state = None
    for _ in range(120):
        page.wait_for_timeout(500)
        now = page.evaluate(f"""() => [window.{map_name}.getZoom(), window.{map_name}.getCenter().toString(),
                                       document.getElementById("{element}").dataset.loaded]""")
        if now == state and now[2] != "false":
            return
        state = now
    raise AssertionError(f"the map did not settle: {state}")


def wait_for_mode(page, mode):
    page.wait_for_selector(f'#registry-map[data-loaded="true"][data-mode="{mode}"]')


def point_requests(page):
    """The registry map's point-layer requests, in the order the page makes them."""
    asked = []
    page.on("request", lambda request: asked.append(request.url)
            if "/map/layers/places.geojson" in request.url else None)
    return asked


def asked_view(url):
    query = url.split("?", 1)[1]
    return "&".join(part for part in query.split("&") if part.startswith(("bbox=", "zoom=")))


def view_on_screen(page):
    return page.evaluate("window.CitySafeMapView.query(window.citysafeMap)")


def bubble_on_top(page, selector=CLUSTERS):
    """The centre of a cluster bubble nothing else (a control, another bubble) covers."""
    where = page.evaluate(f"""() => {{
        for (const bubble of document.querySelectorAll("{selector}")) {{
            const r = bubble.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
            if (bubble.contains(document.elementFromPoint(x, y))) return [x, y];
        }}
        return null; }}""")
    assert where, "no cluster bubble is uncovered"
    return where


@pytest.mark.browser
@pytest.mark.parametrize("width, height, name", [(1440, 900, "1440"), (390, 844, "390")])
def test_county_view_shows_clusters_and_zooming_in_shows_the_features(browser, live_server, transactional_world,
                                                                      width, height, name):
    world = transactional_world
    page, asked = open_map(browser, live_server.url, world.admin.username, width, height, watch=point_requests)
    wait_for_mode(page, "clusters")
    # What "loaded" shows is the view on screen: on a phone the county is framed at another zoom
    # than the page opened with, and the clusters must be the ones counted for the framed view.
    assert asked_view(asked[-1]) == view_on_screen(page)
    clusters = page.locator(CLUSTERS)
    expect(clusters.first).to_be_visible()
    zoom = page.evaluate("window.citysafeMap.getZoom()")
    assert zoom < 15
    page.screenshot(path=f"/tmp/map-clusters-{name}.png")

    # A tap on a bubble (at once, as a user would) zooms in two levels on it (bubbles of several
    # families may share a cell: the tap lands on whichever is on top).
    x, y = bubble_on_top(page)
    page.mouse.click(x, y)
    settle(page)
    assert page.evaluate("window.citysafeMap.getZoom()") == zoom + 2
    assert asked_view(asked[-1]) == view_on_screen(page)

    # From zoom 15 on the rows themselves are drawn.
    enterprise = world.enterprise_in_a
    page.evaluate("([lat, lon]) => window.citysafeMap.setView([lat, lon], 16, {animate: false})",
                  [enterprise.lat, enterprise.lon])
    wait_for_mode(page, "features")
    expect(page.locator(CLUSTERS)).to_have_count(0)
    assert page.evaluate(f"!!window.citysafeMap.registry.enterpriseMarker({enterprise.id})")
    expect(page.locator(".registry-map-enterprise, .registry-map-place").first).to_be_visible()
    page.screenshot(path=f"/tmp/map-features-{name}.png")
    page.context.close()


@pytest.mark.browser
def test_on_a_phone_a_zoom_asked_as_soon_as_the_map_is_loaded_is_not_dropped(browser, live_server,
                                                                            transactional_world):
    """The phone's first view is framed at another zoom than the page opened with; the map says
    "loaded" only once that view stands, so a zoom asked right then is honoured (Leaflet drops a
    zoom asked while it animates one) and its answer is the features of the street."""
    world = transactional_world
    page, asked = open_map(browser, live_server.url, world.admin.username, 390, 844, watch=point_requests)
    wait_for_mode(page, "clusters")
    assert asked_view(asked[-1]) == view_on_screen(page)
    enterprise = world.enterprise_in_a
    page.evaluate("([lat, lon]) => window.citysafeMap.setView([lat, lon], 16, {animate: false})",
                  [enterprise.lat, enterprise.lon])
    assert page.evaluate("window.citysafeMap.getZoom()") == 16
    wait_for_mode(page, "features")
    assert asked_view(asked[-1]) == view_on_screen(page)
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width, height, name", [(1440, 900, "1440"), (390, 844, "390")])
def test_risk_map_county_view_shows_clusters_in_their_worst_level_colour_and_zooming_in_shows_the_points(
        browser, live_server, transactional_world, width, height, name):
    world = transactional_world
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", world.admin.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(?!login/)[^/]*$"))
    page.goto(f"{live_server.url}/risk-map/")
    page.wait_for_selector('#risk-map[data-loaded="true"][data-mode="clusters"]')
    bubbles = ".risk-map-server-cluster"
    expect(page.locator(bubbles).first).to_be_visible()
    page.screenshot(path=f"/tmp/risk-map-clusters-{name}.png")

    # A tap on a bubble zooms in two levels (the same loader as the registry map: map_view.js).
    zoom = page.evaluate("window.citysafeRiskMap.getZoom()")
    x, y = bubble_on_top(page, bubbles)
    page.mouse.click(x, y)
    settle(page, "citysafeRiskMap", "risk-map")
    assert page.evaluate("window.citysafeRiskMap.getZoom()") == zoom + 2

    # Street level on a single point's bubble: the points themselves, coloured by level.
    lat, lon = page.evaluate("""() => { let at = null;
        window.citysafeRiskMap.risk.layers.points.eachLayer(l => { if (!at && l.options.title === "1") at = l.getLatLng(); });
        if (!at) window.citysafeRiskMap.risk.layers.points.eachLayer(l => { if (!at) at = l.getLatLng(); });
        return [at.lat, at.lng]; }""")
    page.evaluate("([lat, lon]) => window.citysafeRiskMap.setView([lat, lon], 16, {animate: false})", [lat, lon])
    page.wait_for_selector('#risk-map[data-loaded="true"][data-mode="features"]')
    expect(page.locator(bubbles)).to_have_count(0)
    drawn = page.evaluate("""() => { const found = [];
        window.citysafeRiskMap.risk.layers.points.eachLayer(l => found.push(!!l.setRadius)); return found; }""")
    assert drawn and all(drawn)  # circle markers (on the canvas), no bubbles
    page.screenshot(path=f"/tmp/risk-map-features-{name}.png")
    context.close()
