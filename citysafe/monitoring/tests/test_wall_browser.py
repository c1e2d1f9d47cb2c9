"""The monitoring wall in a real headless Chromium: a speeding hazmat truck appears on the map
as a square in its alarm colour, at desktop and phone widths (screenshots in var/screens/)."""
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from citysafe.monitoring.models import Vehicle, VehicleType
from citysafe.monitoring.services.ingest import Credential
from citysafe.monitoring.services.vehicles import ingest_positions
from tests.browser.test_header_responsive import CHROMIUM_ARGS
from tests.browser.test_map_picker import sign_in

SCREENS = Path(__file__).resolve().parents[3] / "var" / "screens"


@pytest.mark.browser
def test_a_speeding_truck_is_drawn_on_the_wall_map_in_its_alarm_colour(live_server, transactional_world):
    truck = Vehicle.objects.filter(vehicle_type=VehicleType.HAZMAT).order_by("id").first()
    lon, lat = truck.route[1]
    ingest_positions(Credential(), [(truck.code, time.time() - 30, lon, lat, truck.speed_limit + 25)])
    SCREENS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            for width, height in ((1440, 1000), (390, 844)):
                page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
                page.set_default_timeout(30_000)
                sign_in(page, live_server.url, transactional_world.admin)
                page.goto(f"{live_server.url}/monitoring/wall/")
                marker = page.locator(f".vehicle-marker[title='{truck.plate}']")
                expect(marker).to_have_count(1)
                assert "vehicle-status-2" in marker.get_attribute("class")   # speeding: level 2 colour
                expect(page.locator("#vehicle-alarms")).to_contain_text(truck.plate)
                page.screenshot(path=str(SCREENS / f"monitoring-wall-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()


@pytest.mark.browser
def test_a_trucks_track_replays_on_the_map_and_the_zones_map_draws_polygons(live_server, transactional_world):
    """The replay page at desktop and phone widths: the track drawn, the slider moves the truck
    and shows its time and speed (over the limit flagged); the zones map shows a drawn polygon."""
    from citysafe.monitoring.services.zones import create_zone

    truck = Vehicle.objects.filter(vehicle_type=VehicleType.HAZMAT).order_by("id").first()
    (lon0, lat0), (lon1, lat1) = truck.route[0], truck.route[1]
    create_zone(transactional_world.admin, {"name": "学校周边禁行区", "start_hour": 7, "end_hour": 9, "polygon": [
        [lon1 - 0.004, lat1 - 0.003], [lon1 + 0.004, lat1 - 0.003], [lon1 + 0.004, lat1 + 0.003], [lon1 - 0.004, lat1 + 0.003]]})
    start = time.time() - 1800
    fixes = [(truck.code, start + 30 * i, lon0 + (lon1 - lon0) * i / 40, lat0 + (lat1 - lat0) * i / 40,
              truck.speed_limit + (20 if 20 <= i < 25 else -15)) for i in range(41)]
    ingest_positions(Credential(), fixes)
    SCREENS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            for width, height in ((1440, 1000), (390, 844)):
                page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
                page.set_default_timeout(30_000)
                sign_in(page, live_server.url, transactional_world.admin)
                page.goto(f"{live_server.url}/monitoring/vehicles/{truck.pk}/replay/")
                expect(page.locator("#replay-map path.leaflet-interactive").first).to_be_visible()
                page.locator("#replay-slider").fill("22")
                expect(page.locator("#replay-now")).to_have_class("replay-now over")
                expect(page.locator("#replay-now")).to_contain_text("公里/小时")
                page.screenshot(path=str(SCREENS / f"monitoring-replay-{width}.png"), full_page=True)
                page.goto(f"{live_server.url}/monitoring/zones/")
                expect(page.locator("#zones-map path.leaflet-interactive").first).to_be_visible()
                expect(page.locator(".leaflet-draw-draw-polygon")).to_have_count(1)
                page.screenshot(path=str(SCREENS / f"monitoring-zones-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()
