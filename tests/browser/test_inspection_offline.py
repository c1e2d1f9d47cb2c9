"""The phone inspection form where the signal drops (390 px, Playwright's offline mode): the
filled checklist and its photo are kept in the browser (IndexedDB) and sent, photo included, when
the connection returns; the failed item becomes a hazard."""
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import sync_playwright

from citysafe.core.models import Attachment
from citysafe.hazards.inspection_models import ChecklistTemplate, Inspection
from citysafe.hazards.services.inspections import assign_task
from citysafe.registry.models import Place
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS

SCREENSHOT = "/tmp/hazards_inspection_offline_390.png"


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.browser
def test_an_offline_inspection_keeps_its_photo_and_sends_it_when_back_online(live_server, transactional_world,
                                                                              monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # the test reads the database while the browser runs
    world = transactional_world
    worker = world.grid_worker
    place = Place.objects.filter(grid=world.grid, archived_at__isnull=True).order_by("id").first()
    template = ChecklistTemplate.objects.get(name="通用安全检查表")
    task = assign_task(world.township_officer, template_id=template.pk, place_id=place.pk, assignee_id=worker.pk,
                       due_on=timezone.localdate() + datetime.timedelta(days=3))
    url = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
            page = context.new_page()
            page.goto(f"{url}/login/")
            page.fill("#id_username", worker.username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{url}/")
            page.goto(f"{url}/hazards/inspections/{task.pk}/")
            for n in range(len(template.items)):
                page.check(f"input[name=item-{n}][value={'fail' if n == 0 else 'ok'}]")
            page.fill("input[name=note-0]", "灭火器压力不足")
            page.set_input_files("input[name=photos]", files=[
                {"name": "extinguisher.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])

            context.set_offline(True)
            page.click("#inspection-form button[type=submit]")
            page.wait_for_selector("#inspection-form[data-kept='1']")
            assert page.is_visible("#offline-status")
            page.screenshot(path=SCREENSHOT, full_page=True)
            assert not Inspection.objects.filter(task=task).exists()

            context.set_offline(False)
            page.wait_for_selector("#inspection-form[data-sent='1']", timeout=15000)
            kept = page.evaluate("""() => new Promise(resolve => {
                const open = indexedDB.open('citysafe-inspections', 1);
                open.onsuccess = () => { const get = open.result.transaction('forms').objectStore('forms')
                    .get('citysafe.inspection.' + document.getElementById('inspection-form').dataset.task);
                    get.onsuccess = () => resolve(get.result === undefined); };
            })""")
            assert kept, "the sent form is removed from the browser"
        finally:
            browser.close()
    inspection = Inspection.objects.get(task=task)
    assert inspection.failed == 1 and inspection.results[0]["note"] == "灭火器压力不足"
    photos = Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(Inspection), owner_id=inspection.pk)
    assert photos.count() == 1 and photos.get().content_type == "image/jpeg"
