"""The hazard landing page's charts load and fit at 1440 px and 390 px (screenshots to look at)."""
import pytest
from playwright.sync_api import sync_playwright

from citysafe.hazards.services.hazards import create_hazard
from citysafe.registry.models import Place
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS


@pytest.mark.browser
def test_hazard_charts_load_and_fit_the_page_on_desktop_and_phone(live_server, transactional_world):
    world = transactional_world
    for place in Place.objects.filter(township=world.township_a, archived_at__isnull=True).order_by("id")[:6]:
        create_hazard(world.admin, {"category": "fire", "description": "疏散通道堆放杂物", "place_id": place.pk})
    url = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            for width in (1440, 390):
                page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
                page.goto(f"{url}/login/")
                page.fill("#id_username", world.admin.username)
                page.fill("#id_password", DEMO_PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{url}/")
                page.goto(f"{url}/hazards/")
                page.wait_for_load_state("networkidle")
                for name in ("township", "industry", "month"):
                    image = page.locator(f"#chart-{name}")
                    image.scroll_into_view_if_needed()
                    natural = page.evaluate("""(id) => new Promise(resolve => {
                        const img = document.getElementById(id);
                        const done = () => resolve(img.naturalWidth);
                        if (img.complete) done(); else { img.onload = done; img.onerror = done; }
                    })""", f"chart-{name}")
                    assert natural > 0, name
                    box = image.bounding_box()
                    assert box["width"] <= width, (name, box)
                assert page.evaluate("() => document.documentElement.scrollWidth") <= width + 1
                page.screenshot(path=f"/tmp/hazards_charts_{width}.png", full_page=True)
                page.close()
        finally:
            browser.close()
