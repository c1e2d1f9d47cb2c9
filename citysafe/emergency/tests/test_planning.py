"""Coverage planning, the resource map, plan statistics and reminders, on the seeded county."""
from datetime import date, timedelta
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from citysafe.core.todo import items_for
from citysafe.emergency.coverage import coverage_report
from citysafe.emergency.models import FireStation, Material, Plan
from citysafe.emergency.reminders import send_reminders
from citysafe.notifications.models import Notification


def test_coverage_counts_places_people_and_grids_and_suggests_sites(world):
    report = coverage_report(world.admin)
    totals = report.totals
    assert report.has_network and totals["stations"] == FireStation.objects.count()
    assert 0 < totals["places_covered"] < totals["places"]
    assert totals["people_covered"] <= totals["people"]
    assert len(report.townships) == 4 and report.isochrone is not None
    assert report.sites and all(added > 0 for _lon, _lat, added in report.sites)
    assert any(r.shelter_places > 0 for r in report.townships)
    # one shelter a township, radius ≤ 2.5 km: some villages' people live beyond every radius
    assert sum(r.beyond_radius for r in report.townships) > 0


def test_coverage_lists_only_the_townships_own_rows(world):
    report = coverage_report(world.township_officer)
    assert [r.area.pk for r in report.townships] == [world.township_a.pk]
    assert all(g.township_id == world.township_a.pk for g in report.uncovered_grids)


def test_coverage_page_map_and_export(client, world):
    client.force_login(world.department)
    assert "5分钟" in client.get(reverse("emergency:coverage")).content.decode()
    geo = client.get(reverse("emergency:coverage-geojson")).json()
    assert {f["properties"]["kind"] for f in geo["features"]} >= {"isochrone", "station", "site"}
    book = load_workbook(BytesIO(client.get(reverse("emergency:coverage-export")).content))
    assert book.sheetnames == ["乡镇汇总", "未覆盖网格", "未覆盖场所", "建议新建消防站站址"]
    assert book["乡镇汇总"].max_row == 5


def test_coverage_page_folds_uncovered_grids_under_their_township(client, world):
    # A county has about a thousand grids: the page listed every uncovered one in one paragraph.
    client.force_login(world.admin)
    html = client.get(reverse("emergency:coverage")).content.decode()
    section = html.split('id="uncovered-grids"')[1].split("</div>")[0]
    report = coverage_report(world.admin)
    townships = {g.township.name for g in report.uncovered_grids}
    assert section.count("<details>") == len(townships) > 0
    for name in townships:
        assert f"<summary>{name}" in section


def test_resource_map_layers_are_scoped(client, world):
    client.force_login(world.other_township_officer)
    names = {f["properties"]["name"] for f in client.get(reverse("emergency:layer", args=["teams"])).json()["features"]}
    assert names and not any(world.township_a.name in n for n in names)
    assert client.get(reverse("emergency:map")).status_code == 200
    assert client.get(reverse("emergency:roads-layer")).json()["features"]


def test_low_stock_and_overdue_reviews_reach_the_todo_list_and_the_outbox(world):
    material = Material.objects.filter(stockpile__township=world.township_a).order_by("id").first()
    Material.objects.filter(pk=material.pk).update(quantity=1, minimum_stock=10)
    plan = Plan.objects.filter(township=world.township_a, level="community").first()
    Plan.objects.filter(pk=plan.pk).update(review_due=date.today() - timedelta(days=1))
    titles = [item.title for item in items_for(world.township_officer)]
    assert any(material.name in t and "最低库存" in t for t in titles)
    assert any(plan.name in t for t in titles)
    assert not any(plan.name in item.title for item in items_for(world.other_township_officer))
    send_reminders()
    send_reminders()  # once a day, whatever the number of runs
    mine = Notification.objects.filter(kind="emergency.reminder", recipient=world.township_officer)
    assert mine.count() == 1 and plan.name in mine.get().body


def test_plan_review_is_due_three_years_after_approval(world, api_as):
    answer = api_as(world.township_officer).post("plans", {
        "code": "YA-T1", "name": "测试预案", "level": "community", "township_id": world.township_a.pk,
        "status": "approved", "approved_on": "2024-02-29"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["review_due"] == "2027-02-28"
    refused = api_as(world.township_officer).post("plans", {
        "code": "YA-T2", "name": "未填批准日期", "level": "community", "township_id": world.township_a.pk,
        "status": "approved"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "approved_on"


def test_plan_statistics_page_counts_by_area_and_level(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("emergency:plan-statistics")).content.decode()
    assert world.township_a.name in page and "社区（村）预案" in page
    assert client.get(reverse("emergency:index")).status_code == 200
