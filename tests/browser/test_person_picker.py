"""A township officer on a phone (390 px), in a real headless Chromium, names a place's
responsible persons with the multiple person picker: types ahead two of its township's persons,
removes one chip with a 44 px button, saves; the place keeps the other. The typed-ahead answer
holds only the township's own persons."""
import pytest
from playwright.sync_api import sync_playwright

from citysafe.registry.models import Person, Place
from tests.browser.test_choices_form import _sign_in
from tests.browser.test_township_officer import CHROMIUM_ARGS


@pytest.mark.browser
def test_township_officer_picks_and_removes_responsible_persons_on_a_phone(live_server, transactional_world):
    world = transactional_world
    officer = world.township_officer
    place = Place.objects.filter(township=world.township_a, archived_at__isnull=True).order_by("id").first()
    place.responsible_persons.clear()
    first, second = Person.objects.filter(township=world.township_a, archived_at__isnull=True).order_by("id")[:2]
    outsiders = set(Person.objects.exclude(township=world.township_a).values_list("pk", flat=True))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            _sign_in(page, live_server.url, officer)
            page.goto(f"{live_server.url}/registry/places/{place.pk}/edit/")
            assert page.locator("select[name=responsible_person_ids]").count() == 0
            for person in (first, second):
                page.fill("#id_responsible_person_ids", person.name)
                option = page.locator(f"#id_responsible_person_ids_options li[data-id='{person.pk}']")
                option.wait_for()
                offered = {int(v) for v in page.locator("#id_responsible_person_ids_options li[role=option]")
                           .evaluate_all("els => els.map(e => e.dataset.id)")}
                assert not offered & outsiders
                option.click()
            chips = page.locator(".picker-chip")
            assert chips.count() == 2
            assert page.input_value("input[name=responsible_person_ids]") == f"{first.pk},{second.pk}"
            remove = page.locator(f".picker-chip[data-id='{first.pk}'] .picker-chip-remove")
            box = remove.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, box
            remove.click()
            assert page.input_value("input[name=responsible_person_ids]") == str(second.pk)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.click("form.record-form button[type=submit]")
            page.wait_for_url(f"{live_server.url}/registry/places/{place.pk}/")
            assert not errors, errors
        finally:
            browser.close()

    assert list(place.responsible_persons.values_list("pk", flat=True)) == [second.pk]
