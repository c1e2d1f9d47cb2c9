"""The shell on a phone (390 px), English, as the grid worker and the township officer: the home,
the places list, a place detail and its edit form never scroll sideways, and the detail page's
actions and the form's 取消 are 44 px touch targets; coordinates on the detail page read to six
decimals (a float's 17 digits next to long English labels pushed the card past the screen)."""
import pytest
from playwright.sync_api import sync_playwright

from citysafe.registry.models import Place
from tests.browser.test_choices_form import _sign_in
from tests.browser.test_township_officer import CHROMIUM_ARGS


@pytest.mark.browser
@pytest.mark.parametrize("role", ["grid", "township"])
def test_phone_pages_fit_and_actions_are_touch_sized_in_english(live_server, transactional_world, role):
    world = transactional_world
    user = world.grid_worker if role == "grid" else world.township_officer
    where = {"grid": world.grid} if role == "grid" else {"township": world.township_a}
    place = Place.objects.filter(archived_at__isnull=True, **where).order_by("id").first()
    Place.objects.filter(pk=place.pk).update(lon=103.42543967729999, lat=35.536652038936644)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-US")
            _sign_in(page, live_server.url, user)
            page.click("button[name=language][value=en]")
            page.wait_for_load_state("networkidle")
            for path in ("/", "/registry/places/", f"/registry/places/{place.pk}/",
                         f"/registry/places/{place.pk}/edit/"):
                page.goto(live_server.url + path)
                page.wait_for_load_state("networkidle")
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, (path, width)
                # nor does a table scroll inside its box (the home page's counts, long English headers)
                for inner in page.locator(".table-scroll").evaluate_all("els => els.map(e => e.scrollWidth - e.clientWidth)"):
                    assert inner <= 0, (path, inner)
            page.goto(f"{live_server.url}/registry/places/{place.pk}/")
            assert page.locator("dd", has_text="103.42544").count() == 1
            assert page.locator("dd", has_text="103.4254396").count() == 0
            for box in page.locator(".page-head .actions > a").evaluate_all(
                    "els => els.map(e => e.getBoundingClientRect().height)"):
                assert box >= 44, box
            page.goto(f"{live_server.url}/registry/places/{place.pk}/edit/")
            cancel = page.locator("form.record-form .actions a").bounding_box()
            assert cancel["height"] >= 44, cancel
        finally:
            browser.close()
