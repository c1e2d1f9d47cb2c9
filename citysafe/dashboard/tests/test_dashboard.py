"""The dashboard's numbers: each one equals the total of the list it links to, for every role;
a township sees only its own; the first load is a bounded number of queries; the big screen's
refresh answers the same numbers as JSON."""
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from citysafe.dashboard.selectors import kpis
from citysafe.hazards.models import OPEN_STATES, Hazard

pytestmark = pytest.mark.django_db


def _tiles(response):
    return [m for group in response.context["tiles"].values() for m in group]


@pytest.mark.parametrize("role", ["admin", "leader", "department", "township"])
def test_every_dashboard_number_equals_the_total_of_the_list_it_links_to(client, world, role):
    user = world.role_users()[role]
    client.force_login(user)
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    checked = 0
    for metric in _tiles(response):
        if not metric["url"] or metric["url"] == reverse("monitoring:wall"):
            continue
        listed = client.get(metric["url"])
        assert listed.status_code == 200, metric["url"]
        total = listed.context["page"].paginator.count
        assert total == metric["value"], (role, metric["key"], metric["url"])
        # every filter of the link is one the list applies (an ignored filter would show more rows)
        applied = {w["name"]: w["chosen"] for w in listed.context["filters"] if w["chosen"]}
        assert applied == {k: v[0] for k, v in parse_qs(urlsplit(metric["url"]).query).items()}, metric["url"]
        checked += 1
    assert checked == len(kpis.METRICS)
    for row in response.context["townships"]:   # the ranking's numbers drill down the same way
        assert client.get(row["url"]).context["page"].paginator.count == row["open"], row["name"]
        assert client.get(row["overdue_url"]).context["page"].paginator.count == row["overdue"], row["name"]


def test_the_demo_has_something_to_count_so_the_equality_means_something(client, world):
    client.force_login(world.leader)
    values = {m["key"]: m["value"] for m in _tiles(client.get(reverse("dashboard:index")))}
    assert values["hazards_open"] > 0 and values["hazards_overdue"] > 0
    assert sum(values[f"risk_level_{n}"] for n in range(1, 5)) > 0


def test_a_township_officer_counts_only_its_own_townships_records(client, world):
    client.force_login(world.township_officer)
    values = {m["key"]: m["value"] for m in _tiles(client.get(reverse("dashboard:index")))}
    own = Hazard.objects.filter(status__in=OPEN_STATES, township=world.township_a, archived_at__isnull=True).count()
    everywhere = Hazard.objects.filter(status__in=OPEN_STATES, archived_at__isnull=True).count()
    assert values["hazards_open"] == own < everywhere
    ranking = client.get(reverse("dashboard:index")).context["townships"]
    assert [row["township_id"] for row in ranking] in ([world.township_a.pk], [])


def test_an_open_hazard_drill_down_lists_exactly_the_open_hazards(client, world):
    client.force_login(world.leader)
    metric = next(m for m in _tiles(client.get(reverse("dashboard:index"))) if m["key"] == "hazards_open")
    listed = client.get(metric["url"] + "&page=1")
    shown = {row[0].pk for row in listed.context["rows"]}
    assert shown <= set(Hazard.objects.filter(status__in=OPEN_STATES).values_list("pk", flat=True))


@pytest.mark.parametrize("role", ["leader", "township"])
def test_the_first_load_is_a_bounded_number_of_queries(client, world, role, django_assert_max_num_queries):
    client.force_login(world.role_users()[role])
    client.get(reverse("dashboard:index"))   # warm the per-process caches (content types, sessions)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("dashboard:index")).status_code == 200


def test_the_big_screen_refreshes_from_json_with_the_same_numbers(client, world):
    client.force_login(world.leader)
    page = client.get(reverse("dashboard:screen"))
    assert page.status_code == 200 and b'data-refresh="' in page.content
    data = client.get(reverse("dashboard:data")).json()
    assert {m["key"]: m["value"] for g in data["tiles"].values() for m in g} == {
        m["key"]: m["value"] for m in _tiles(page)}
    assert len(data["charts"]["months"]) == 12 and len(data["charts"]["days"]) == 30


def test_the_open_hazard_layer_holds_only_records_in_scope(client, world):
    client.force_login(world.township_officer)
    features = client.get(reverse("dashboard:hazards-geojson")).json()["features"]
    allowed = set(Hazard.objects.filter(township=world.township_a).values_list("pk", flat=True))
    assert all(int(f["properties"]["url"].rstrip("/").rsplit("/", 1)[1]) in allowed for f in features)


def test_the_hazard_list_applies_the_overdue_filter_the_todo_link_has_always_used(client, world):
    client.force_login(world.leader)
    listed = client.get(reverse("hazards:list", args=["hazards"]) + "?is_overdue=true")
    assert listed.context["page"].paginator.count == Hazard.objects.filter(
        is_overdue=True, archived_at__isnull=True).count() < Hazard.objects.filter(archived_at__isnull=True).count()


def test_closed_on_time_means_by_the_deadlines_local_day(world):
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from citysafe.dashboard.selectors.trends import CLOSED_ON_TIME

    shanghai = ZoneInfo("Asia/Shanghai")
    hazards = list(Hazard.objects.filter(status="closed")[:3])
    deadline = date(2026, 10, 10)
    closings = [datetime(2026, 10, 10, 23, 30, tzinfo=shanghai), datetime(2026, 10, 11, 0, 30, tzinfo=shanghai),
                datetime(2026, 10, 10, 0, 10, tzinfo=shanghai) - timedelta(days=1)]
    for hazard, closed in zip(hazards, closings, strict=True):
        Hazard.objects.filter(pk=hazard.pk).update(closed_at=closed, rectification_deadline=deadline)
    on_time = set(Hazard.objects.filter(pk__in=[h.pk for h in hazards]).filter(CLOSED_ON_TIME)
                  .values_list("pk", flat=True))
    assert on_time == {hazards[0].pk, hazards[2].pk}
