"""The prefecture office's pages in headless Chromium at 1440 px and 390 px, as pref_admin after
the second county is loaded: the county comparison, its assessment of the counties and one
county's result; and 广河's office reading its own published result. Screenshots in
/tmp/prefassess-*.png; no page scrolls sideways on a phone."""
import pytest
from playwright.sync_api import sync_playwright

from tests.browser.test_header_responsive import CHROMIUM_ARGS, sign_in


@pytest.mark.browser
def test_prefecture_pages_fit_desktop_and_phone(live_server, transactional_world):
    import importlib

    from django.apps import apps

    from citysafe.accounts.models import User
    from citysafe.assessment.demo_counties import build_prefecture_assessment_demo
    from citysafe.assessment.models import CountyResult
    from citysafe.hazards.demo_counties import seed_second_county_hazards
    from citysafe.registry.demo.second_county import build_second_county
    from conftest import DEMO_PASSWORD

    importlib.import_module("citysafe.assessment.migrations.0002_seed_targets_and_city_items").seed(apps, None)
    build_second_county(DEMO_PASSWORD)
    seed_second_county_hazards()
    demo = build_prefecture_assessment_demo()
    prefecture, gh_admin = User.objects.get(username="pref_admin"), User.objects.get(username="gh_admin")
    result_b = CountyResult.objects.get(system_id=demo["county system"], county__code="622924")
    visits = {
        prefecture: {"compare": "/assessment/counties/?sort=hazards_open&dir=desc",
                     "county-system": f"/assessment/county-systems/{demo['county system']}/",
                     "county-result": f"/assessment/county-results/{result_b.pk}/"},
        gh_admin: {"own-result": f"/assessment/county-results/{result_b.pk}/"},
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            for user, pages in visits.items():
                for width in (1440, 390):
                    page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
                    sign_in(page, live_server.url, user)
                    for name, url in pages.items():
                        response = page.goto(live_server.url + url)
                        assert response.status == 200, (name, width)
                        page.screenshot(path=f"/tmp/prefassess-{name}-{width}.png", full_page=True)
                        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (name, width)
                        if name == "compare":
                            assert page.locator("#county-compare tbody tr").count() == 2
                            assert page.get_by_text("东乡族自治县").first.is_visible()
                    page.close()
        finally:
            browser.close()
