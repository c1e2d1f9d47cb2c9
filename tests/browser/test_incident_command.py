"""Incident command in a real headless Chromium: a township officer reports an incident, sees
the resources ranked by travel time, dispatches a team (and shows its green-channel route),
issues materials, and runs the incident to its close."""
import pytest
from playwright.sync_api import expect, sync_playwright
from shapely.geometry import shape

from citysafe.emergency.models import Dispatch, Incident, Material
from tests.browser.test_header_responsive import CHROMIUM_ARGS
from tests.browser.test_map_picker import sign_in


@pytest.mark.browser
def test_report_an_incident_dispatch_a_team_and_materials_and_close_it(live_server, transactional_world):
    world = transactional_world
    officer = world.township_officer
    grid = world.grid
    spot = shape(grid.geometry).representative_point()
    stock_before = {m.pk: m.quantity for m in Material.objects.filter(stockpile__township=world.township_a)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
            page.set_default_timeout(30_000)
            sign_in(page, live_server.url, officer)
            page.goto(f"{live_server.url}/emergency/incidents/new/")
            page.fill("#id_title", "浏览器测试：民房火灾")
            page.select_option("#id_incident_type", "fire")
            page.select_option("#id_severity", "large")
            page.select_option("#id_township_id", str(world.township_a.pk))
            page.fill("#id_lon", f"{spot.x:.6f}")
            page.fill("#id_lat", f"{spot.y:.6f}")
            page.fill("#id_injuries", "2")
            page.click("button[type=submit].primary")
            page.wait_for_url(f"{live_server.url}/emergency/incidents/*/")
            assert "已保存" in page.inner_text("ul.messages")

            # Resources ranked by travel time, fastest first.
            rows = page.locator("#ranked-teams tbody tr")
            assert rows.count() >= 1
            minutes = [float(t) for t in page.locator("#ranked-teams tbody tr td:nth-child(3)").all_inner_texts()]
            assert minutes == sorted(minutes)
            first_team = rows.first.locator("td").first.inner_text()

            page.locator("#ranked-teams tbody tr").first.locator("button.route-button").click()
            expect(page.locator("#emergency-map")).to_have_attribute("data-loaded", "true")
            expect(page.locator("#route-message")).to_contain_text(first_team)

            rows.first.locator("button:has-text('调派')").click()
            expect(page.locator("ul.messages")).to_contain_text("队伍已调派")
            expect(page.locator("#dispatches")).to_contain_text(first_team)

            quantity = page.locator("#ranked-materials input[name=quantity]").first
            quantity.fill("2")
            page.locator("#ranked-materials button:has-text('调拨')").first.click()
            expect(page.locator("ul.messages")).to_contain_text("物资已调拨")
            page.locator("#ranked-materials input[name=quantity]").first.fill("99999999")
            page.locator("#ranked-materials button:has-text('调拨')").first.click()
            expect(page.locator("ul.messages")).to_contain_text("库存不足")

            page.click("button[name=transition][value=respond]")
            expect(page.locator("ul.messages")).to_contain_text("事件状态已更新")
            page.click("button[name=transition][value=control]")
            expect(page.locator("#incident-command h2").first).to_contain_text("已控制")
            page.fill("textarea[name=summary]", "火势已扑灭，两人轻伤送医")
            page.click("button[name=transition][value=close]")
            expect(page.locator("#incident-command h2").first).to_contain_text("已结束")
            expect(page.locator("#timeline")).to_contain_text("已结束")
            page.screenshot(path="/tmp/incident-command.png", full_page=True)
        finally:
            browser.close()

    incident = Incident.objects.get(title="浏览器测试：民房火灾")
    assert incident.status == Incident.Status.CLOSED and incident.summary.startswith("火势已扑灭")
    orders = Dispatch.objects.filter(incident=incident)
    assert orders.filter(kind="team").count() == 1 and orders.filter(kind="material").count() == 1
    issued = orders.get(kind="material")
    assert Material.objects.get(pk=issued.material_id).quantity == stock_before[issued.material_id] - 2
