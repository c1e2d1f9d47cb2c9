"""The Content-Security-Policy, in a real headless Chromium: every kind of page still works
(htmx search, the Leaflet maps, swagger-ui, the admin) and none causes a CSP violation or a
console error."""
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import DEMO_PASSWORD

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

# Playwright's wait_for_function evaluates strings, which the policy itself forbids: use
# locators and expect() here. Runs in every page before its own scripts: remember each violation the browser reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.mark.browser
def test_pages_work_under_the_content_security_policy_without_violations(live_server, transactional_world):
    world = transactional_world
    base = live_server.url
    enterprise = world.enterprise_in_a
    admin_user_id = world.admin.pk
    # Database reads happen before Playwright starts its event loop in this thread.

    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            context.add_init_script(RECORD_VIOLATIONS)
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.on("console", lambda message: message.type == "error" and problems.append(
                f"{page.url}: console: {message.text}"))
            page.on("pageerror", lambda error: problems.append(f"{page.url}: page error: {error}"))

            def visit(path, ready):
                response = page.goto(f"{base}{path}")
                assert response.ok, f"{path}: {response.status}"
                assert "default-src 'self'" in response.headers["content-security-policy"]
                page.wait_for_selector(ready)
                check(path)

            def check(where):
                page.wait_for_timeout(200)  # let late violations (async scripts, styles) arrive
                problems.extend(f"{where}: CSP: {v}" for v in page.evaluate("window.__cspViolations"))

            visit("/login/", "#id_username")
            page.fill("#id_username", world.admin.username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(re.compile(r".*/$"))
            check("/ (home)")

            # The detector itself works: an inline style attribute is reported (then forgotten).
            seen = len(problems)
            page.evaluate("document.body.insertAdjacentHTML('beforeend', '<b style=\"color: red\">x</b>')")
            page.wait_for_timeout(200)
            assert any("style-src" in v for v in page.evaluate("window.__cspViolations.splice(0)"))
            assert any("Content Security Policy" in p for p in problems[seen:])
            del problems[seen:]

            # The list page: htmx swaps in the table for a search, no page load, no eval.
            visit("/registry/enterprises/", "table.records tbody tr")
            assert page.evaluate("htmx.config.allowEval") is False
            page.evaluate("window.__samePage = true")
            page.fill("input[name=q]", enterprise.uscc)
            expect(page.locator("table.records tbody tr")).to_have_count(1)
            assert page.evaluate("window.__samePage") is True
            check("/registry/enterprises/ (htmx search)")

            visit(f"/registry/enterprises/{enterprise.pk}/", "#record-map .leaflet-interactive")
            visit(f"/registry/enterprises/{enterprise.pk}/edit/", '#map-picker-map[data-loaded="true"]')
            # The map picker of a place form: a click sets the point, the polygon tool starts.
            visit("/registry/places/new/", '#map-picker-map[data-loaded="true"]')
            page.locator("#map-picker-map").click()
            expect(page.locator("#id_lon")).not_to_have_value("")
            page.locator("#map-picker-map .leaflet-draw-draw-polygon").click()
            page.keyboard.press("Escape")
            check("/registry/places/new/ (map picker used)")

            # The registry map: layers load, the legend's colour swatches show.
            visit("/map/", '#registry-map[data-loaded="true"]')
            page.locator(".leaflet-control-layers-overlays label").last.click()
            page.wait_for_timeout(300)
            swatch = page.locator(".leaflet-control-layers-overlays .registry-map-swatch circle").first
            assert swatch.get_attribute("fill")
            check("/map/ (place layer on)")

            visit("/io/", "main h1")
            visit("/notifications/", "main h1")
            visit("/api/v1/docs", ".swagger-ui .opblock")
            page.locator(".swagger-ui .opblock-summary").first.click()
            page.wait_for_selector(".swagger-ui .opblock-body")
            check("/api/v1/docs (operation opened)")

            visit("/admin/", "#content-main")
            visit(f"/admin/accounts/user/{admin_user_id}/change/", "#content-main form")
            visit("/admin/registry/area/", "#result_list")

            # An error page is a page too.
            response = page.goto(f"{base}/registry/enterprises/999999999/")
            assert response.status == 404 and "页面不存在" in page.content()
            check("404 page")
        finally:
            browser.close()

    # A 404 answer is reported by Chromium as a console error of its own; it is expected.
    problems = [p for p in problems if "404 (Not Found)" not in p]
    assert problems == [], "\n".join(problems)
