"""The page header in a real headless Chromium: on a 390 px phone the nav folds behind a menu
button and opens as one tappable link per row; at 1440 px in English everything fits on one
line and every link is readable."""
import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from conftest import DEMO_PASSWORD

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

# Each link's height against its own line height: a label broken one character per line
# ("首/页") is several lines tall.
LINK_BOXES = """() => [...document.querySelectorAll('#site-menu a, #site-menu button')].map(a => {
  const style = getComputedStyle(a);
  const range = document.createRange();
  range.selectNodeContents(a);
  return {text: a.innerText.trim(), height: a.getBoundingClientRect().height,
          textHeight: range.getBoundingClientRect().height, lineHeight: parseFloat(style.lineHeight)};
})"""

FORM_SIZES = """() => {
  const form = document.querySelector('form.record-form');
  const controls = [...form.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, button[type=submit]')]
    .filter(c => c.offsetParent !== null)
    .map(c => ({name: c.name || c.innerText, height: c.getBoundingClientRect().height, width: c.getBoundingClientRect().width}));
  return {formWidth: form.getBoundingClientRect().width, controls};
}"""

READABILITY = """() => {
  const background = getComputedStyle(document.querySelector('header.topbar')).backgroundColor;
  const links = [...document.querySelectorAll('.who a, .who button, .lang-switch button')];
  return {background, colours: links.map(a => [a.innerText.trim(), getComputedStyle(a).color])};
}"""


def sign_in(page, base, user):
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
def test_phone_header_folds_the_nav_behind_a_menu_button_with_tall_links(live_server, transactional_world):
    admin = transactional_world.admin
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
            sign_in(page, live_server.url, admin)
            toggle = page.locator("button.menu-toggle")
            expect(toggle).to_be_visible()
            expect(toggle).to_have_attribute("aria-expanded", "false")
            expect(page.locator("nav.nav")).to_be_hidden()
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path="/tmp/header-390-closed.png", full_page=False)

            toggle.click()
            expect(toggle).to_have_attribute("aria-expanded", "true")
            expect(page.locator("nav.nav")).to_be_visible()
            page.screenshot(path="/tmp/header-390-open.png", full_page=False)
            boxes = page.evaluate(LINK_BOXES)
            assert len(boxes) >= 10
            for box in boxes:
                assert box["height"] >= 44, box
                assert box["textHeight"] < 2 * box["lineHeight"], box
            assert page.evaluate("document.documentElement.scrollWidth") <= 390

            page.keyboard.press("Escape")
            expect(toggle).to_have_attribute("aria-expanded", "false")
            expect(page.locator("nav.nav")).to_be_hidden()

            # Forms: one field per row, inputs and the submit button full width and 44 px tall.
            page.goto(f"{live_server.url}/registry/enterprises/new/")
            page.wait_for_selector("form.record-form button[type=submit]")
            page.screenshot(path="/tmp/header-390-form.png", full_page=True)
            sizes = page.evaluate(FORM_SIZES)
            assert sizes["controls"]
            for control in sizes["controls"]:
                assert control["height"] >= 44, control
                assert control["width"] >= sizes["formWidth"] - 2, control
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            browser.close()


@pytest.mark.browser
def test_english_header_fits_one_line_at_1440_and_its_links_are_readable(live_server, transactional_world):
    admin = transactional_world.admin
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
            context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
            page = context.new_page()
            sign_in(page, live_server.url, admin)
            assert page.get_attribute("html", "lang") == "en"
            expect(page.locator("nav.nav")).to_contain_text("Enterprises")
            expect(page.locator("button.menu-toggle")).to_be_hidden()
            page.screenshot(path="/tmp/header-1440-en.png", full_page=False)

            assert page.evaluate("document.documentElement.scrollWidth") <= 1440
            header_height = page.evaluate("document.querySelector('header.topbar').getBoundingClientRect().height")
            assert header_height <= 52
            for box in page.evaluate(LINK_BOXES):
                assert box["textHeight"] < 2 * box["lineHeight"], box

            seen = page.evaluate(READABILITY)
            assert seen["colours"]
            for label, colour in seen["colours"]:
                assert colour != seen["background"], f"{label}: {colour} on {seen['background']}"
                assert colour != "rgb(255, 255, 255)" or seen["background"] != "rgb(255, 255, 255)"

            # On a narrow tablet the English header does not fit one line: it folds behind the menu
            # button (measured by menu.js, not a breakpoint: 769 px is above the phone rule).
            page.set_viewport_size({"width": 769, "height": 1024})
            expect(page.locator("button.menu-toggle")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 769
            page.locator("button.menu-toggle").click()
            expect(page.locator("nav.nav")).to_be_visible()
            page.screenshot(path="/tmp/header-769-en-open.png", full_page=False)

            # A nav group opens its menu on a click and closes on Escape (core.nav, menu.js).
            page.set_viewport_size({"width": 1440, "height": 900})
            group = page.locator(".nav-group-toggle", has_text="Registry")
            group.click()
            expect(group).to_have_attribute("aria-expanded", "true")
            expect(page.locator("#nav-registry a", has_text="Places")).to_be_visible()
            page.keyboard.press("Escape")
            expect(page.locator("#nav-registry a", has_text="Places")).to_be_hidden()
            page.set_viewport_size({"width": 1440, "height": 900})
            expect(page.locator("button.menu-toggle")).to_be_hidden()
            expect(page.locator("nav.nav")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 1440
        finally:
            browser.close()
