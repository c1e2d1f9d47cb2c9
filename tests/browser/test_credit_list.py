"""The serious-untrustworthiness list in headless Chromium: a township officer proposes an entry
for an enterprise, the county office approves (not the proposer), notifies and publishes it;
the public page (no sign-in) lists it with the responsible person masked; the enterprise's
officer applies for credit repair and the office removes it from the list. Screenshots of the
entry page and the public page at 1440 and 390 px."""
import pytest
from playwright.sync_api import sync_playwright

from citysafe.accounts.models import Role, User
from citysafe.credit.demo import seed_rates_and_criteria
from citysafe.credit.models import Criterion, ListEntry
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS


def _sign_in(browser, url, user, width=1440):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    return page


def _step(page, url, entry, name, **fields):
    page.goto(f"{url}/credit/credit-entries/{entry.pk}/")
    for field, value in fields.items():
        page.fill(f"form.entry-step:has(button[data-step={name}]) input[name={field}]", value)
    page.click(f"button[data-step={name}]")
    page.wait_for_selector("#entry-status")


@pytest.mark.browser
def test_an_entry_from_proposal_to_publication_to_repair_and_the_public_page(live_server, transactional_world,
                                                                             monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # the test reads the entry the form created
    world = transactional_world
    seed_rates_and_criteria()
    criterion = Criterion.objects.create(code="T01", name="瞒报、谎报生产安全事故的生产经营单位", basis="安全生产法第七十八条",
                                         objection_days=0, repair_after_months=0, joint_departments="scjgj")
    enterprise = world.enterprise
    township_officer = User.objects.filter(role=Role.TOWNSHIP, organisation__area=enterprise.township_id,
                                           is_active=True).order_by("pk").first()
    url = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = _sign_in(browser, url, township_officer)
        page.goto(f"{url}/credit/credit-entries/new/")
        page.fill("#id_enterprise_id", enterprise.name)
        page.locator(f"#id_enterprise_id_options li[data-id='{enterprise.pk}']").click()
        page.select_option("#id_criterion_id", str(criterion.pk))
        page.fill("#id_responsible_person", "马永福")
        page.fill("#id_basis_text", "2026年3月发生一般生产安全事故后迟报、瞒报，经调查认定")
        page.fill("#id_basis_reference", "临应急罚〔2026〕12号")
        page.click("form.record-form button[type=submit]")
        entry = ListEntry.objects.get(criterion=criterion)
        assert entry.proposed_by == township_officer and entry.status == "proposed"
        page.goto(f"{url}/credit/credit-entries/{entry.pk}/")
        assert page.locator("button[data-step=approve]").count() == 0  # the proposer does not approve

        office = _sign_in(browser, url, world.admin)
        for name in ("approve", "notify", "publish"):
            _step(office, url, entry, name)
        assert office.inner_text("#entry-status") == "已公布"
        office.screenshot(path="/tmp/credit-entry-1440.png", full_page=True)

        public = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        public.goto(f"{url}/credit/public/")
        table = public.inner_text("#public-entries")
        assert entry.code in table and enterprise.name in table
        assert "马永福" not in table and "马**" in table
        public.screenshot(path="/tmp/credit-public-1440.png", full_page=True)
        phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        phone.goto(f"{url}/credit/public/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path="/tmp/credit-public-390.png", full_page=True)

        officer = _sign_in(browser, url, world.enterprise_officer, width=390)
        _step(officer, url, entry, "apply_repair", reason="已缴清罚款并完成整改，公开作出信用承诺")
        assert officer.inner_text("#entry-status") == "信用修复申请中"
        assert officer.evaluate("document.documentElement.scrollWidth") <= 390
        officer.screenshot(path="/tmp/credit-entry-390.png", full_page=True)
        _step(office, url, entry, "approve_repair")
        assert office.inner_text("#entry-status") == "已修复移出"
        public.goto(f"{url}/credit/public/")
        assert entry.code not in public.inner_text("#public-entries")
        for name, path, table in (("agencies", "/credit/agencies/", "#agency-ranking"),
                                  ("uninsured", "/credit/uninsured/", "#uninsured")):
            office.goto(f"{url}{path}")
            assert office.locator(f"{table} tbody tr").count() >= 1
            office.screenshot(path=f"/tmp/credit-{name}-1440.png", full_page=True)
            officer.goto(f"{url}{path}")
            assert officer.evaluate("document.documentElement.scrollWidth") <= 390
        browser.close()
    entry.refresh_from_db()
    assert entry.status == "removed" and entry.removed_on is not None
