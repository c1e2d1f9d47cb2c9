"""A township officer, in a real headless Chromium, picks township → village → grid on the new
place form (each choice narrows the next, through htmx) and types ahead the owner enterprise
(a scoped search, not a 5,000-item list); the place is saved where it was put. Screenshots of
the form with the picker open at 1440 px and 390 px go to var/shots/ (not committed)."""
from pathlib import Path

import pytest
from django.db.models import Q
from playwright.sync_api import sync_playwright
from shapely.geometry import shape

from citysafe.registry.models import Area, Enterprise, Place
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS

SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"


def _sign_in(page, url, user):
    page.goto(f"{url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def _wait_for_answer(page, answer: list[str]) -> None:
    """The picker's list shows exactly the server's answer for the text typed."""
    page.wait_for_function(
        "ids => JSON.stringify([...document.querySelectorAll('#id_owner_enterprise_id_options li[role=option]')]"
        ".map(li => li.dataset.id)) === JSON.stringify(ids)", arg=answer)


def _grid_options(page) -> list[str]:
    return [v for v in page.locator("#id_grid_id option").evaluate_all("els => els.map(e => e.value)") if v]


@pytest.mark.browser
def test_township_officer_picks_township_village_grid_and_types_ahead_the_owner(live_server, transactional_world):
    world = transactional_world
    officer, township = world.township_officer, world.township_a
    village = Area.objects.filter(level="village", township=township, children__level="grid").order_by("code")[1]
    village_grids = sorted(str(pk) for pk in Area.objects.filter(level="grid", parent=village).values_list("pk", flat=True))
    township_grids = Area.objects.filter(level="grid", township=township).count()
    grid = Area.objects.filter(level="grid", parent=village).order_by("code").first()
    point = shape(grid.geometry).representative_point()
    owner = world.enterprise_in_a
    typed = owner.name[:4]
    # What the server answers for the typed text: names, codes, addresses of the township's own.
    matching = Enterprise.objects.filter(
        Q(name__icontains=typed) | Q(uscc__icontains=typed) | Q(address__icontains=typed)
        | Q(legal_representative__icontains=typed), township=township, archived_at__isnull=True)
    answer = [str(pk) for pk in matching.order_by("name", "pk").values_list("pk", flat=True)[:20]]
    assert str(owner.pk) in answer
    SHOTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
            errors = []
            # Script errors and failed requests (an options request a newer parent change replaced
            # is aborted by hx-sync, which htmx logs; that is no failure).
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            _sign_in(page, live_server.url, officer)
            page.goto(f"{live_server.url}/registry/places/new/")
            assert len(_grid_options(page)) == township_grids  # its own township's grids, not the county's

            page.select_option("#id_township_id", str(township.pk))
            page.select_option("#id_village_id", str(village.pk))
            page.wait_for_function(
                "n => document.querySelectorAll('#id_grid_id option[value]:not([value=\"\"])').length === n",
                arg=len(village_grids))
            assert sorted(_grid_options(page)) == village_grids
            page.select_option("#id_grid_id", str(grid.pk))

            # The owner: typed ahead, answered by the server from what the officer may reference.
            assert page.locator("select[name=owner_enterprise_id]").count() == 0
            page.fill("#id_owner_enterprise_id", typed)
            _wait_for_answer(page, answer)
            option = page.locator(f"#id_owner_enterprise_id_options li[data-id='{owner.pk}']")
            page.screenshot(path=str(SHOTS / "choices-form-1440.png"), full_page=True)
            option.click()
            assert page.input_value("input[name=owner_enterprise_id]") == str(owner.pk)
            assert page.input_value("#id_owner_enterprise_id") == owner.name

            page.fill("#id_name", "浏览器新建的仓库")
            page.select_option("#id_place_type", "other")
            page.fill("input[name=lon]", f"{point.x:.6f}")
            page.fill("input[name=lat]", f"{point.y:.6f}")
            page.click("form.record-form button[type=submit]")
            page.wait_for_url(f"{live_server.url}/registry/places/*/")
            assert not errors, errors

            phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
            _sign_in(phone, live_server.url, officer)
            phone.goto(f"{live_server.url}/registry/places/new/")
            phone.select_option("#id_village_id", str(village.pk))
            phone.wait_for_function(
                "n => document.querySelectorAll('#id_grid_id option[value]:not([value=\"\"])').length === n",
                arg=len(village_grids))
            phone.fill("#id_owner_enterprise_id", typed)
            _wait_for_answer(phone, answer)
            phone.screenshot(path=str(SHOTS / "choices-form-390.png"), full_page=True)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, width
        finally:
            browser.close()

    place = Place.objects.get(name="浏览器新建的仓库")
    assert (place.township_id, place.village_id, place.grid_id, place.owner_enterprise_id) == (
        township.pk, village.pk, grid.pk, owner.pk)
