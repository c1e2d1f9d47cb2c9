"""A township officer, in a real headless Chromium, filters a list live (htmx), sorts it by a
column, exports it and gets exactly the rows on screen."""
import re
import tempfile
from collections import Counter

import pytest
from openpyxl import load_workbook
from playwright.sync_api import sync_playwright

from citysafe.registry.models import Enterprise
from conftest import DEMO_PASSWORD
from tests.browser.test_township_officer import CHROMIUM_ARGS


def _exported_column(path: str, heading: str) -> list[str]:
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if heading in row)
    column = rows[header].index(heading)
    return [row[column] for row in rows[header + 1:] if row and row[column]]


def _exported_usccs(path: str) -> set[str]:
    return set(_exported_column(path, "统一社会信用代码"))


@pytest.mark.browser
def test_township_officer_exports_exactly_the_filtered_sorted_rows(live_server, transactional_world):
    world = transactional_world
    officer = world.township_officer
    live = Enterprise.objects.filter(township=world.township_a, archived_at__isnull=True)
    # A grid of the officer's township with a few enterprises (all on one page).
    per_grid = Counter(live.exclude(grid=None).values_list("grid_id", flat=True))
    grid_id = next(g for g, n in per_grid.most_common() if 2 <= n <= 25)
    expected = set(live.filter(grid_id=grid_id).values_list("uscc", flat=True))
    descending = list(live.filter(grid_id=grid_id).order_by("-name", "id").values_list("name", flat=True))
    total = live.count()
    assert total > len(expected)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True)
            page.goto(f"{live_server.url}/login/")
            page.fill("#id_username", officer.username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/")
            page.goto(f"{live_server.url}/registry/enterprises/")
            page.wait_for_selector(f"p.count >> text=共 {total} 条")
            xlsx = page.locator("#export-links a[data-export=xlsx]")
            assert "grid_id" not in xlsx.get_attribute("href")

            # Filter live: htmx swaps the table (and the export links) without a page load.
            page.select_option("select[name=grid_id]", str(grid_id))
            page.wait_for_selector(f"p.count >> text=共 {len(expected)} 条")
            assert f"grid_id={grid_id}" in xlsx.get_attribute("href")

            # Sort by name, then descending; the filter stays.
            page.click("th[data-col=name] a.sort")
            page.wait_for_selector("th[data-col=name] >> text=▲")
            page.click("th[data-col=name] a.sort")
            page.wait_for_selector("th[data-col=name] >> text=▼")
            assert f"共 {len(expected)} 条" in page.inner_text("p.count")
            names = page.locator("table.records td[data-col=name]").all_inner_texts()
            assert names == descending
            href = xlsx.get_attribute("href")
            assert f"grid_id={grid_id}" in href and "ordering=-name" in href
            on_screen = set(page.locator("table.records td[data-col=uscc]").all_inner_texts())
            assert on_screen == expected
            assert re.search(r"ordering=-name", page.url)

            # Changing the filters keeps the order (and the export links follow).
            page.select_option("select[name=grid_id]", "")
            page.wait_for_selector(f"p.count >> text=共 {total} 条")
            assert "grid_id=&" in xlsx.get_attribute("href") or f"grid_id={grid_id}" not in xlsx.get_attribute("href")
            page.select_option("select[name=grid_id]", str(grid_id))
            page.wait_for_selector(f"p.count >> text=共 {len(expected)} 条")
            assert page.locator("table.records td[data-col=name]").all_inner_texts() == descending
            assert "ordering=-name" in xlsx.get_attribute("href")

            with page.expect_download() as info:
                xlsx.click()
            with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
                info.value.save_as(handle.name)
                assert _exported_usccs(handle.name) == on_screen
                # ... in the order on screen, not by id.
                assert _exported_column(handle.name, "企业名称") == descending
        finally:
            browser.close()


@pytest.mark.browser
def test_on_a_phone_a_grid_worker_sees_places_as_cards_without_horizontal_squeeze(live_server, transactional_world):
    worker = transactional_world.grid_worker
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            sizes = {}
            for width in (1440, 390):
                page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
                page.goto(f"{live_server.url}/login/")
                page.fill("#id_username", worker.username)
                page.fill("#id_password", DEMO_PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{live_server.url}/")
                page.goto(f"{live_server.url}/registry/places/")
                page.wait_for_selector("table.records tbody tr")
                page.screenshot(path=f"/tmp/lists-places-{width}.png", full_page=True)
                sizes[width] = page.evaluate(
                    "() => ({scroll: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,"
                    " display: getComputedStyle(document.querySelector('table.records tbody tr')).display,"
                    " label: getComputedStyle(document.querySelector('table.records tbody td'), '::before').content,"
                    " nameWidth: document.querySelector('table.records td[data-col=name]').getBoundingClientRect().width,"
                    " headWidth: document.querySelector('table.records th[data-col=name]').getBoundingClientRect().width})")
                page.close()
            phone, desktop = sizes[390], sizes[1440]
            assert desktop["display"] == "table-row" and desktop["label"] in ("none", "normal")
            assert desktop["headWidth"] == desktop["nameWidth"]  # header and cells line up
            assert phone["display"] == "block" and "名称" in phone["label"]  # a card of label: value lines
            assert phone["scroll"] <= 390  # nothing wider than the phone
            assert phone["nameWidth"] > 200  # names are not squeezed into one character per line
        finally:
            browser.close()
