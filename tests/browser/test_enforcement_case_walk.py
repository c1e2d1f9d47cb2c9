"""An enforcement case from the on-site inspection record (a township officer on a phone) to the
published decision: the record, the proposal to open a case, the approval (county office, desk),
the notice with a legal basis that does not resolve (refused, naming 第三十八条) and then one that
does, a decision tried before the statement period ends (refused, naming 第六十二条), the party's
written waiver, the decision, the documents and the e-case file, publication, and the public page
showing the decision with the responsible person's name masked."""
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

from citysafe.enforcement.models import Case
from citysafe.registry.models import Enterprise
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def _load_two_laws(admin):
    from citysafe.knowledge.services.documents import import_document

    for name in ("安全生产法(2021-06-10).md", "行政处罚法(2021-01-22).md"):
        path = settings.KNOWLEDGE_LAWS_DIR / name
        assert import_document(admin, path.name, path.read_bytes()).ok


def _login(page, url, user):
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def _step(page, transition, **fields):
    for name, value in fields.items():
        selector = f"#case-transition-form [name={name}]"
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.click(f"#case-transition-form button[data-transition={transition}]")
    page.wait_for_selector("#case-flow")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_a_case_from_the_inspection_record_to_the_published_decision(live_server, transactional_world, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    world = transactional_world
    _load_two_laws(world.admin)
    officer = world.township_officer
    enterprise = Enterprise.objects.filter(township=world.township_a, archived_at__isnull=True).order_by("id").first()
    Enterprise.objects.filter(pk=enterprise.pk).update(legal_representative="王建国")
    url = live_server.url

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
            errors = []
            phone.on("pageerror", lambda exc: errors.append(str(exc)))
            # 1. The township officer records the inspection on a phone.
            _login(phone, url, officer)
            phone.goto(f"{url}/enforcement/inspection-records/new/")
            phone.fill("#id_enterprise_id", enterprise.name[:6])
            phone.locator(f"#id_enterprise_id_options li[data-id='{enterprise.pk}']").click()
            phone.fill("#id_inspectors", "马明 62010031、王强 62010047")
            phone.fill("#id_findings", "二楼安全出口被货物堵塞，应急照明损坏")
            phone.select_option("#id_result", "violation")
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390
            _shot(phone, "enforcement_inspection_form_390")
            phone.click("form.record-form button[type=submit]")
            phone.wait_for_selector("#open-case-form")
            # 2. … and proposes a case from it.
            phone.fill("#open-case-form [name=cause]", "安全出口、疏散通道被堵塞")
            phone.fill("#open-case-form [name=violated_basis]", "安全生产法 第四十二条")
            phone.click("#open-case-form button[type=submit]")
            phone.wait_for_selector("#case-flow")
            case = Case.objects.get(enterprise=enterprise, cause="安全出口、疏散通道被堵塞")
            assert case.status == "draft"
            assert phone.locator("#case-transition-form button[data-transition=approve_opening]").count() == 0

            # 3. The county office approves the opening at the desk.
            desk = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            _login(desk, url, world.admin)
            desk.goto(f"{url}/enforcement/cases/{case.pk}/")
            _step(desk, "approve_opening", note="同意立案")
            assert desk.inner_text("#case-status") == "调查取证"
            assert "还剩" in desk.inner_text("#case-due")

            # 4. The officer serves the notice: first without a resolvable basis, then with one.
            phone.goto(f"{url}/enforcement/cases/{case.pk}/")
            phone.fill("#evidence-form [name=title]", "现场照片：二楼安全出口")
            phone.click("#evidence-form button[type=submit]")
            phone.wait_for_selector("#evidence")
            _step(phone, "notify", penalty="fine", fine_amount="20000", penalty_basis="安全生产法 第九百九十九条")
            assert "第三十八条" in phone.content()
            assert phone.inner_text("#case-status") == "调查取证"
            _step(phone, "notify", penalty="fine", fine_amount="20000", penalty_basis="《安全生产法》第一百零五条")
            assert phone.inner_text("#case-status") == "已告知"
            _shot(phone, "enforcement_case_390")

            # 5. A decision before the statement period has passed is refused, naming the rule.
            desk.goto(f"{url}/enforcement/cases/{case.pk}/")
            _step(desk, "decide", decision_text="罚款人民币贰万元")
            assert "第六十二条" in desk.content()
            assert desk.inner_text("#case-status") == "已告知"
            # 6. The party waives its statements in writing; the decision is then made and published.
            _step(desk, "waive", note="当事人书面放弃陈述、申辩和听证")
            _step(desk, "decide", decision_text="罚款人民币贰万元")
            assert desk.inner_text("#case-status") == "已作出决定"
            case.refresh_from_db()
            assert case.decision_number and case.penalty_basis == "安全生产法 第一百零五条"
            assert desk.locator("#case-documents a").count() >= 6  # five documents and the e-case file
            with desk.expect_download() as download:
                desk.click("#case-documents a:has-text('电子卷宗')")
            assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
            desk.click("#publish-form button[type=submit]")
            desk.wait_for_selector("#case-flow")
            _shot(desk, "enforcement_case_1440")

            # 7. The public page (no sign-in) shows the decision, the person's name masked.
            phone.context.clear_cookies()
            phone.goto(f"{url}/enforcement/public/decisions/")
            row = phone.locator(f"#published-decisions tr[data-number='{case.decision_number}']")
            text = row.inner_text()
            assert enterprise.name in text and "王**" in text and "王建国" not in text
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390
            _shot(phone, "enforcement_public_390")
            assert not errors, errors
        finally:
            browser.close()
