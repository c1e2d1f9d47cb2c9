"""A township planner checks a new school 30 m from a demo gas station in headless Chromium: the
verdict names the station and GB 50156, the map draws the footprint, the station and the line
between them, and the printable report is a PDF. Screenshots at 1440 and 390 px."""
import importlib

import pyproj
import pytest
from django.apps import apps
from playwright.sync_api import sync_playwright

from citysafe.accounts.models import Role, User
from citysafe.registry.models import Place
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS


def _station_and_planner():
    for station in Place.objects.filter(place_type="gas_station", archived_at__isnull=True).order_by("id"):
        planner = User.objects.filter(role=Role.TOWNSHIP, is_active=True,
                                      organisation__area=station.township_id).order_by("id").first()
        if planner:
            return station, planner
    pytest.skip("no demo gas station with a township officer")


@pytest.mark.browser
def test_a_new_school_near_a_demo_gas_station_fails_the_site_check_and_prints(live_server, transactional_world):
    # a transactional test's flush empties what data migrations wrote: put the rule table back
    importlib.import_module("citysafe.siting.migrations.0002_seed_rules").seed(apps, None)
    station, planner = _station_and_planner()
    lon, lat, _ = pyproj.Geod(ellps="WGS84").fwd(station.lon, station.lat, 90.0, 30.0)
    url = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/login/")
        page.fill("#id_username", planner.username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/siting/site-check/")
        page.fill("[name=project_name]", "新建实验小学")
        page.select_option("[name=kind]", "school")
        page.fill("[name=lon]", f"{lon:.7f}")
        page.fill("[name=lat]", f"{lat:.7f}")
        page.click("#site-check-form button[type=submit]")
        page.wait_for_selector("#verdict")
        assert "不符合" in page.inner_text("#verdict")
        assert station.name in page.inner_text("#check-conflicts")
        assert "GB 50156" in page.inner_text("#reasons")
        page.wait_for_selector("#siting-map[data-loaded=true]")
        assert page.locator("#siting-map path.leaflet-interactive").count() >= 1  # the line
        page.screenshot(path="/tmp/siting-site-check-1440.png", full_page=True)
        report = page.request.get(url + page.get_attribute("#report-link", "href"))
        assert report.ok and report.headers["content-type"] == "application/pdf"
        assert report.body().startswith(b"%PDF")
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.context.add_cookies(page.context.cookies())
        phone.goto(page.url)
        phone.wait_for_selector("#verdict")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        phone.screenshot(path="/tmp/siting-site-check-390.png", full_page=True)
        browser.close()
