"""A major hazard from a public report to closure across four roles in headless Chromium: the
public reports it (map, CAPTCHA, tracking code), the county office triages it, the township
grades, notifies, lists it and re-inspects (one fail, one pass), the grid worker rectifies and
asks for acceptance. The public disclosure page lists it while it is listed and no longer after
closure, and its grid's colour on the risk map (risks' area levels) is red while it is open and
back to what it was at the end."""
import re

import pytest
from playwright.sync_api import sync_playwright

from citysafe.accounts.models import Role, User
from citysafe.registry.models import Place
from citysafe.risks.models import AreaLevel
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS

COLOUR_RED = "red"


def _pick(world):
    """A grid of township A with a grid worker, a located place and a colour below red."""
    for worker in User.objects.filter(role=Role.GRID, is_active=True, grids__township=world.township_a).order_by("id"):
        grid = worker.grids.get()
        level = AreaLevel.objects.filter(pk=grid.pk).first()
        place = Place.objects.filter(grid=grid, lon__isnull=False, archived_at__isnull=True).order_by("id").first()
        if place and level and level.effective_level != 1:
            return worker, grid, place, level.effective_level
    pytest.skip("no grid below red in the demo county")


def _login(page, url, user):
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def _colour(page, url, township_id, grid_id):
    rows = page.evaluate(f"fetch('{url}/api/v1/area-levels?area_level=grid&township_id={township_id}')"
                         ".then(r => r.json())")
    return next(row for row in rows if row["area_id"] == grid_id)["effective_level"]


def _step(page, transition, **fields):
    for name, value in fields.items():
        page.fill(f"#transition-form [name={name}]", value)
    page.click(f"#transition-form button[data-transition={transition}]")
    page.wait_for_selector(".messages, .message, [role=alert], #hazard-loop")


@pytest.mark.browser
def test_major_hazard_from_public_report_to_closure_across_four_roles(live_server, transactional_world, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # the test reads the CAPTCHA answer from the database
    from captcha.models import CaptchaStore

    world = transactional_world
    worker, grid, place, start_level = _pick(world)
    township = User.objects.get(role=Role.TOWNSHIP, organisation__area=grid.township_id)
    url = live_server.url
    import datetime

    from django.utils import timezone

    deadline = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 414, "height": 900}, locale="zh-CN")
            # 1. The public (no login): describe, pick the place on the map, CAPTCHA → tracking code.
            page.goto(f"{url}/hazards/public/report/")
            page.fill("#id_description", "饭店后厨液化气钢瓶存放在地下室，有气味")
            page.select_option("#id_category", "gas")
            page.click("#report-map", position={"x": 150, "y": 150})
            assert page.input_value("#id_lon") and page.input_value("#id_lat")
            page.evaluate(f"document.getElementById('id_lon').value='{place.lon}';"
                          f"document.getElementById('id_lat').value='{place.lat}'")
            page.fill("#id_reporter_name", "马小明")
            page.fill("#id_reporter_phone", "13912345678")
            hashkey = page.input_value("input[name=captcha_0]")
            page.fill("input[name=captcha_1]", CaptchaStore.objects.get(hashkey=hashkey).response)
            page.click("#public-report-form button[type=submit]")
            code = page.inner_text("#tracking-code").strip()
            page.goto(f"{url}/hazards/public/progress/?code={code}")
            assert "已受理" in page.inner_text("#report-progress")

            # 2. The county office triages it into a hazard and sees the reporter.
            from citysafe.hazards.models import Hazard, PublicReport

            report = PublicReport.objects.get(tracking_code=code)
            _login(page, url, world.admin)
            page.goto(f"{url}/hazards/public-reports/{report.pk}/")
            assert "马小明" in page.inner_text("#report-triage")
            page.click("#triage-form button[value=accept]")
            page.wait_for_selector("text=对应隐患")
            hazard = PublicReport.objects.get(pk=report.pk).hazard
            assert _colour(page, url, grid.township_id, grid.pk) == start_level

            # 3. The township grades it major, issues the notice and lists it; the grid turns red.
            _login(page, url, township)
            page.goto(f"{url}/hazards/public-reports/{report.pk}/")
            assert "马小明" not in page.content()
            detail = f"{url}/hazards/hazards/{hazard.pk}/"
            page.goto(detail)
            page.select_option("#transition-form [name=grade]", "major")
            _step(page, "grade", reason="需停业整改，本单位难以自行排除")
            assert "已定级" in page.inner_text("#hazard-status")
            _step(page, "issue_notice", responsible_unit="某饭店", responsible_person="李四",
                  measures="移出钢瓶，改用管道气", deadline=deadline)
            page.fill("#listing-form [name=authority]", "东乡县安全生产委员会办公室")
            page.fill("#listing-form [name=deadline]", deadline)
            page.click("#listing-form button[type=submit]")
            page.wait_for_selector("p.listing")
            page.fill("#plan-form [name=plan_measures]", "移出钢瓶，改用管道气")
            page.fill("#plan-form [name=plan_funds]", "1.5")
            page.fill("#plan-form [name=plan_person]", "李四")
            page.fill("#plan-form [name=plan_deadline]", deadline)
            page.fill("#plan-form [name=plan_emergency]", "燃气泄漏现场处置方案")
            page.click("#plan-form button[type=submit]")
            page.wait_for_selector("text=治理方案已保存")
            assert _colour(page, url, grid.township_id, grid.pk) == 1

            # The public disclosure page lists it, with no personal data.
            page.context.clear_cookies()
            page.goto(f"{url}/hazards/public/listed/")
            listed = page.inner_text("#listed-hazards")
            assert hazard.code in listed and "东乡县安全生产委员会办公室" in listed
            assert "马小明" not in page.content() and "13912345678" not in page.content() and "李四" not in listed

            # 4. The grid worker starts, asks for acceptance; the township fails it once, then passes it.
            _login(page, url, worker)
            page.goto(detail)
            _step(page, "start")
            _step(page, "request_acceptance", note="钢瓶已移出")
            _login(page, url, township)
            page.goto(detail)
            _step(page, "reinspect_fail", note="地下室仍有一只钢瓶")
            assert "整改中" in page.inner_text("#hazard-status")
            _login(page, url, worker)
            page.goto(detail)
            _step(page, "request_acceptance", note="全部移出")
            _login(page, url, township)
            page.goto(detail)
            _step(page, "reinspect_pass")
            assert "已销号" in page.inner_text("#hazard-status")
            page.screenshot(path="/tmp/hazard_closed.png", full_page=True)
            assert _colour(page, url, grid.township_id, grid.pk) == start_level

            page.context.clear_cookies()
            page.goto(f"{url}/hazards/public/listed/")
            assert hazard.code not in page.inner_text("#listed-hazards")
            page.goto(f"{url}/hazards/public/progress/?code={code}")
            assert "已销号" in page.inner_text("#report-progress")
            closed = Hazard.objects.get(pk=hazard.pk)
            assert closed.status == "closed" and not closed.is_listed and closed.reinspection_result == "pass"
            assert re.match(r"YH\d+", closed.code)
        finally:
            browser.close()
