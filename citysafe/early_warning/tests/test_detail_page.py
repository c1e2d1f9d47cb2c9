"""The staff detail page of a warning reads as a warning notice: level colour and headline,
workflow steps, area map, times, text and instructions, review history, delivery per channel;
the CAP message as a download and a collapsed block, not a field among the others."""
import re
import shutil
import threading
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from citysafe.early_warning.cap_import import import_cap
from citysafe.early_warning.delivery import fan_out
from citysafe.notifications.delivery import deliver_due


def _page(user, pk):
    client = Client()
    client.force_login(user)
    response = client.get(f"/early-warning/warnings/{pk}/")
    assert response.status_code == 200
    return response.text


def test_the_detail_page_leads_with_level_headline_times_and_history_and_folds_the_cap(
        world, make_warning, publish):
    warning = publish(make_warning(level=1, instructions="立即转移低洼地带人员"))
    fan_out(warning.pk)
    deliver_due()
    html = _page(world.leader, warning.pk)
    assert 'class="warning-banner banner-red"' in html and "一级（红色）预警" in html
    assert re.search(r'<h1 id="warning-headline">暴雨预警', html)
    assert 'class="warning-instructions"' in html and "立即转移低洼地带人员" in html
    assert 'id="warning-map"' in html and 'id="warning-areas"' in html
    history = html[html.index('id="warning-history"'):]
    for step in ("提交部门审核", "部门审核通过", "审批同意", "发布"):
        assert step in history
    assert 'tr data-channel="inbox"' in html
    # CAP: a download and a collapsed block; the XML is not one of the listed fields.
    assert f'download="{warning.identifier}.xml"' in html
    assert re.search(r'<details id="warning-cap-xml"><summary>[^<]+</summary><pre class="cap-xml">&lt;\?xml', html)
    assert html.count("&lt;alert") == 1


def test_an_imported_alerts_original_text_is_folded_too(world):
    from citysafe.early_warning.tests.test_cap import SAMPLES  # real-world-shaped alerts

    warning = import_cap(world.admin, (SAMPLES / "cma_rainstorm_12.xml").read_bytes(), source="test")
    html = _page(world.admin, warning.pk)
    assert '<details id="warning-cap-xml">' in html and "发布后生成CAP消息" not in html
    fields = html[html.index('class="warning-fields"'):]
    assert "&lt;alert" not in fields


def _deliver(warning_id):
    from django.db import connection

    fan_out(warning_id)
    deliver_due()
    connection.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium")
def test_detail_page_at_desktop_and_phone_width(live_server, transactional_world):
    from playwright.sync_api import sync_playwright

    from citysafe.early_warning.services import create_warning, transition_warning
    from citysafe.registry.models import Area
    from conftest import DEMO_PASSWORD
    from tests.browser.test_township_officer import CHROMIUM_ARGS

    world = transactional_world
    now = timezone.now().replace(microsecond=0)
    townships = list(Area.objects.filter(level="township").order_by("code")[:3])
    warning = create_warning(world.department, {
        "warning_type": "rainstorm", "level": 1, "headline": "东乡县暴雨红色预警",
        "description": "预计未来3小时内东乡县北部降雨量将达100毫米以上，并伴有雷电和短时大风。",
        "instructions": "停止集会、停课停业；转移低洼地带和山洪、地质灾害危险区人员。",
        "onset": now, "effective": now, "expires": now + timedelta(hours=12), "area_kind": "areas",
        "areas": [t.pk for t in townships], "area_description": "东乡县北部三个乡镇"})
    for name, actor in (("submit", world.department), ("pass_review", world.department),
                        ("approve", world.leader), ("publish", world.leader)):
        warning = transition_warning(actor, warning.pk, name, expected_version=warning.version)
    worker = threading.Thread(target=_deliver, args=(warning.pk,))
    worker.start()
    worker.join()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            for width, height in ((1440, 1000), (390, 844)):
                page = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN").new_page()
                page.goto(f"{live_server.url}/login/")
                page.fill("#id_username", world.leader.username)
                page.fill("#id_password", DEMO_PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{live_server.url}/")
                page.goto(f"{live_server.url}/early-warning/warnings/{warning.pk}/")
                page.wait_for_selector("#warning-map[data-loaded=true] .leaflet-interactive")
                page.screenshot(path=f"/tmp/warning_detail_{width}.png", full_page=True)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{overflow}px wider than the {width}px screen"
                assert not page.is_visible("#warning-cap-xml pre")  # folded until asked for
        finally:
            browser.close()
