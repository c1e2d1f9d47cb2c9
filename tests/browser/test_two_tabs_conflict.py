"""Two browser tabs edit one enterprise: the second save ends in a conflict message that
shows what the first tab changed, not in a silent overwrite."""
import pytest
from playwright.sync_api import sync_playwright

from citysafe.registry.models import Enterprise
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS


@pytest.mark.browser
def test_second_tab_saving_a_stale_enterprise_gets_a_conflict_not_an_overwrite(live_server, transactional_world):
    world = transactional_world
    officer = world.township_officer
    ent = world.enterprise_in_a
    edit_url = f"{live_server.url}/registry/enterprises/{ent.pk}/edit/"
    # Database reads happen before Playwright starts its event loop in this thread.

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            first = context.new_page()
            first.goto(f"{live_server.url}/login/")
            first.fill("#id_username", officer.username)
            first.fill("#id_password", DEMO_PASSWORD)
            first.click("button[type=submit]")
            first.wait_for_url(f"{live_server.url}/")

            first.goto(edit_url)
            second = context.new_page()  # the same session, another tab
            second.goto(edit_url)

            first.fill("#id_address", "第一个标签页的地址")
            first.click("button[type=submit].primary")
            first.wait_for_url(f"{live_server.url}/registry/enterprises/{ent.pk}/")
            assert "已保存" in first.inner_text("ul.messages")

            second.fill("#id_address", "第二个标签页的地址")
            second.fill("#id_legal_representative", "第二个标签页的法人")
            second.click("button[type=submit].primary")
            second.wait_for_selector("#edit-conflict")
            second.screenshot(path="/tmp/pages_edit_conflict.png", full_page=True)
            conflict = second.inner_text("#edit-conflict")
            assert "他人已修改并保存了这条记录" in conflict
            assert "地址" in conflict and "第一个标签页的地址" in conflict and "第二个标签页的地址" in conflict
            # What the user typed is still in the form.
            assert second.input_value("#id_legal_representative") == "第二个标签页的法人"
            assert second.input_value("#id_address") == "第二个标签页的地址"
        finally:
            browser.close()

    saved = Enterprise.objects.get(pk=ent.pk)
    assert saved.address == "第一个标签页的地址"
    assert saved.legal_representative == ent.legal_representative
