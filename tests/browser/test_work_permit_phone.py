"""A township officer takes a confined-space work permit from draft to closed on a phone
(390 px, headless Chromium): approve, gas test and start, close with a note; a gas test below
the oxygen limit is refused first with the rule named. Then the project page at 1440 px."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import sync_playwright

from citysafe.accounts.models import Role, User
from citysafe.construction.kinds import PERMITS
from citysafe.construction.models import ConstructionProject, WorkPermit
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS


@pytest.mark.browser
def test_a_township_officer_takes_a_work_permit_from_draft_to_closed_on_a_phone(live_server, transactional_world):
    project = ConstructionProject.objects.order_by("id").first()
    officer = User.objects.filter(role=Role.TOWNSHIP, is_active=True,
                                  organisation__area=project.township_id).order_by("id").first()
    now = timezone.now()
    permit = PERMITS.create(User.objects.get(username="admin"), {
        "project_id": project.pk, "code": "ZYP-PHONE-1", "kind": "confined_space", "work_location": "1#污水检查井",
        "valid_from": now - timedelta(minutes=30), "valid_to": now + timedelta(hours=4)})
    url = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(f"{url}/login/")
        phone.fill("#id_username", officer.username)
        phone.fill("#id_password", DEMO_PASSWORD)
        phone.click("button[type=submit]")
        phone.wait_for_url(f"{url}/")
        detail = f"{url}/construction/work-permits/{permit.pk}/"
        phone.goto(detail)
        assert "待审批" in phone.inner_text("#permit-state")
        phone.click("#permit-step button[value=approve]")
        assert "已批准" in phone.inner_text("#permit-state")
        phone.fill("input[name=oxygen_percent]", "18.2")
        phone.fill("input[name=combustible_percent_lel]", "0")
        phone.fill("input[name=toxic_ppm]", "0")
        phone.click("#permit-step button[value=start]")
        assert "19.5–23.5" in phone.inner_text("body") and "已批准" in phone.inner_text("#permit-state")
        phone.screenshot(path="/tmp/construction-permit-refused-390.png", full_page=True)
        phone.fill("input[name=oxygen_percent]", "20.9")
        phone.fill("input[name=combustible_percent_lel]", "0")
        phone.fill("input[name=toxic_ppm]", "0")
        phone.click("#permit-step button[value=start]")
        assert "作业中" in phone.inner_text("#permit-state")
        phone.fill("#permit-step input[name=note]", "作业完毕，人员撤离，现场清理")
        phone.click("#permit-step button[value=close]")
        assert "已关闭" in phone.inner_text("#permit-state")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path="/tmp/construction-permit-390.png", full_page=True)

        desk = browser.new_page(viewport={"width": 1440, "height": 900})
        desk.context.add_cookies(phone.context.cookies())
        desk.goto(f"{url}/construction/construction-projects/{project.pk}/")
        assert "ZYP-PHONE-1" in desk.inner_text("#project-permits")
        assert "138****1234" in desk.inner_text("body")
        desk.screenshot(path="/tmp/construction-project-1440.png", full_page=True)
        browser.close()
    permit.refresh_from_db()
    assert (permit.status, permit.oxygen_percent, permit.approver_id) == (WorkPermit.Status.CLOSED, 20.9, officer.pk)
