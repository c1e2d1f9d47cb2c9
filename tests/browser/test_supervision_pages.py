"""The 应急管理局 opens its annual plan and progress, runs a random draw from the page, re-runs it
from its record; an anonymous visitor reads the public page (一公开). Headless Chromium;
screenshots at 1440 and 390 px (/tmp/supervision-*.png)."""
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import sync_playwright

from citysafe.supervision.demo import build_supervision_demo
from citysafe.supervision.models import DrawnInspection, EnforcementPlan, RandomDraw
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS


@pytest.mark.browser
def test_a_department_follows_its_plan_draws_and_the_public_reads_the_result(live_server, transactional_world,
                                                                           monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # the test reads the draw from the database
    build_supervision_demo()
    user = get_user_model().objects.get(username="dept_yjj")
    plan = EnforcementPlan.objects.get(department=user.organisation)
    url = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/supervision/plans/{plan.pk}/")
        assert "年度执法计划" in page.inner_text("h1")
        assert page.locator("svg.month-bars rect.bar-planned").count() == 12
        page.screenshot(path="/tmp/supervision-plan-1440.png", full_page=True)

        page.goto(f"{url}/supervision/draws/")
        page.click("summary")
        page.fill("#title", "浏览器测试抽查")
        page.fill("#targets", "2")
        page.fill("#due_on", "2099-12-31")
        page.click("#draw-form button[type=submit]")
        page.wait_for_url(f"{url}/supervision/draws/*/")
        record = RandomDraw.objects.get(title="浏览器测试抽查")
        drawn = DrawnInspection.objects.filter(draw=record).select_related("enterprise").first()
        assert drawn.enterprise.name in page.inner_text("#drawn-table")
        page.click("text=按记录重新运行")
        assert "完全一致" in page.inner_text("#verification")
        page.screenshot(path="/tmp/supervision-draw-1440.png", full_page=True)

        public = browser.new_page(viewport={"width": 1440, "height": 900})
        public.goto(f"{url}/supervision/public/")
        text = public.inner_text("main")
        assert "浏览器测试抽查" in text and drawn.enterprise.name in text and str(record.seed) in text
        public.screenshot(path="/tmp/supervision-public-1440.png", full_page=True)

        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(f"{url}/supervision/public/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path="/tmp/supervision-public-390.png", full_page=True)
        phone.context.add_cookies(page.context.cookies())
        phone.goto(f"{url}/supervision/plans/{plan.pk}/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path="/tmp/supervision-plan-390.png", full_page=True)
        browser.close()
