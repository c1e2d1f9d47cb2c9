"""A township officer opens the restricted / obsolete industry list in headless Chromium: the
demo's starch / flour mills and chemical stores of that township are listed with the action and
deadline, none of another township; the Excel ledger downloads. Screenshots at 1440 and 390 px."""
import importlib

import pytest
from django.apps import apps
from playwright.sync_api import sync_playwright

from citysafe.accounts.models import Role, User
from citysafe.siting.models import CatalogueMatch
from citysafe.siting.services.catalogue import rematch
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS


@pytest.mark.browser
def test_a_township_officer_lists_the_restricted_industry_matches_of_the_township(live_server, transactional_world):
    # a transactional test's flush empties what data migrations wrote: put the catalogue back
    importlib.import_module("citysafe.siting.migrations.0004_seed_catalogue").seed(apps, None)
    rematch()
    match = CatalogueMatch.objects.filter(is_current=True).select_related("enterprise").order_by("id").first()
    assert match is not None, "the seeded catalogue matches no demo enterprise"
    officer = User.objects.filter(role=Role.TOWNSHIP, is_active=True,
                                  organisation__area=match.township_id).order_by("id").first()
    elsewhere = CatalogueMatch.objects.exclude(township=match.township_id).select_related("enterprise").first()
    url = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/login/")
        page.fill("#id_username", officer.username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/siting/catalogue-matches/")
        table = page.inner_text("#match-table")
        assert match.enterprise.name in table and match.get_action_display() in table
        if elsewhere:
            assert elsewhere.enterprise.name not in table
        page.screenshot(path="/tmp/siting-catalogue-1440.png", full_page=True)
        with page.expect_download() as download:
            page.click("text=导出台账")
        assert download.value.suggested_filename.endswith(".xlsx")
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.context.add_cookies(page.context.cookies())
        phone.goto(page.url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path="/tmp/siting-catalogue-390.png", full_page=True)
        browser.close()
