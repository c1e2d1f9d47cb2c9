"""The assessment pages in headless Chromium at 1440 px and 390 px: they render with the demo's
data and fit a phone without sideways scrolling (screenshots in /tmp/assessment-*.png)."""
import importlib

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.test_header_responsive import CHROMIUM_ARGS, sign_in


@pytest.mark.browser
def test_assessment_pages_fit_desktop_and_phone(live_server, transactional_world):
    from django.apps import apps

    from citysafe.assessment.demo import build_assessment_demo
    from citysafe.assessment.models import IndicatorSystem, UnitResult

    importlib.import_module("citysafe.assessment.migrations.0002_seed_targets_and_city_items").seed(apps, None)
    build_assessment_demo(transactional_world.admin)  # the flush of transactional tests emptied the seed too
    system = IndicatorSystem.objects.filter(unit_kind="township").first()
    result = UnitResult.objects.filter(system=system).order_by("rank").first()
    pages = {"targets": "/assessment/targets/", "statistics": "/assessment/statistics/",
             "system": f"/assessment/systems/{system.pk}/", "result": f"/assessment/results/{result.pk}/",
             "city": "/assessment/city/"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            for width in (1440, 390):
                page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
                sign_in(page, live_server.url, transactional_world.admin)
                for name, url in pages.items():
                    response = page.goto(live_server.url + url)
                    assert response.status == 200, (name, width)
                    page.screenshot(path=f"/tmp/assessment-{name}-{width}.png", full_page=True)
                    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (name, width)
                page.close()
        finally:
            browser.close()
