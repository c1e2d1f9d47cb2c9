"""A township officer runs a dig check in the demo county seat in headless Chromium: draws the
excavation point with the map's marker tool, gets the lines within 150 m (kinds, owners to notify)
listed and drawn; the underground map shows the lines by kind with a legend. Screenshots at 1440
and 390 px (/tmp/siting-dig-check-*.png, /tmp/siting-underground-map-1440.png)."""
import json

import pytest
from playwright.sync_api import sync_playwright

from citysafe.accounts.models import Role, User
from citysafe.siting.models import UtilityTunnel
from citysafe.siting.underground_demo import build_underground_demo
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS


@pytest.mark.browser
def test_a_dig_check_drawn_on_the_map_lists_and_draws_the_lines_nearby(live_server, transactional_world):
    world = transactional_world
    build_underground_demo(world.admin)
    officer = User.objects.filter(role=Role.TOWNSHIP, organisation__area=world.township_a, is_active=True).first()
    crossing = UtilityTunnel.objects.get(code="YS-GL-1").geometry["coordinates"][0]
    url = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/login/")
        page.fill("#id_username", officer.username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/siting/underground/")
        page.wait_for_selector("#underground-map[data-loaded=true]")
        assert page.locator("#underground-map path.leaflet-interactive").count() > 100
        assert "燃气" in page.inner_text(".underground-legend")
        page.screenshot(path="/tmp/siting-underground-map-1440.png", full_page=True)

        page.goto(f"{url}/siting/dig-check/")
        page.wait_for_selector("#underground-map[data-loaded=true]")
        page.click(".leaflet-draw-draw-marker")
        box = page.locator("#underground-map").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert '"Point"' in page.input_value("#dig-geometry")  # the drawing tool fills the form
        # The check itself at a known spot: the west end of the demo tunnel, at a street crossing.
        page.fill("#dig-geometry", json.dumps({"type": "Point", "coordinates": crossing}))
        page.fill("#dig-metres", "150")
        page.click("#dig-check-form button[type=submit]")
        page.wait_for_selector("#dig-results")
        rows = page.locator("#dig-results tbody tr")
        assert rows.count() >= 2 and "（演示）" in page.inner_text("#dig-owners")
        page.wait_for_selector("#underground-map[data-loaded=true]")
        assert int(page.get_attribute("#underground-map", "data-zoom")) >= 15
        page.screenshot(path="/tmp/siting-dig-check-1440.png", full_page=True)

        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.context.add_cookies(page.context.cookies())
        phone.goto(f"{url}/siting/dig-check/")
        phone.fill("#dig-geometry", page.input_value("#dig-geometry"))
        phone.fill("#dig-metres", "150")
        phone.click("#dig-check-form button[type=submit]")
        phone.wait_for_selector("#dig-results")
        phone.wait_for_selector("#underground-map[data-loaded=true]")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        assert int(phone.get_attribute("#underground-map", "data-zoom")) >= 15  # fitted to what was found
        phone.screenshot(path="/tmp/siting-dig-check-390.png", full_page=True)
        browser.close()
