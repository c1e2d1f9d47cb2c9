"""Keyset (cursor) pagination of the record-kind list API (issue 19): following `next` walks
every row exactly once even while rows are written between page fetches, in any offered
order; a cursor is opaque and checked (422 naming `cursor`); it is a position only, the
caller's scope still decides which rows exist; the OpenAPI document describes it."""
import itertools

import pytest

from citysafe.registry.models import Enterprise, Place

_counter = itertools.count(1)


def _copy_enterprise(template: Enterprise, name: str) -> Enterprise:
    copy = Enterprise.objects.get(pk=template.pk)
    copy.pk = copy.id = None
    copy.name = name
    copy.uscc = f"91622926X{next(_counter):09d}"
    copy.save()
    return copy


def _walk(api, path, on_page=None, **params):
    page = api.get(path, **params)
    assert page.status_code == 200, page.content
    page, seen, pages = page.json(), [], 0
    while True:
        seen += [item["id"] for item in page["items"]]
        pages += 1
        if on_page is not None:
            on_page(pages)
        if page["next"] is None:
            return seen
        assert "cursor=" in page["next"] and "offset=" not in page["next"]
        response = api.client.get(page["next"], headers=api.headers)
        assert response.status_code == 200, response.content
        page = response.json()


@pytest.mark.parametrize("ordering", ["id", "-id", "name", "-name", "-created_at"])
def test_walking_by_cursor_sees_every_enterprise_once_while_enterprises_are_added(world, api_as, ordering):
    api = api_as(world.admin)
    before = set(Enterprise.objects.filter(archived_at__isnull=True).values_list("pk", flat=True))
    added = []

    def add_rows(page_number):
        # rows that sort before and after the position reached: offset pages would repeat rows
        added.append(_copy_enterprise(world.enterprise_in_a, f"0000 插入{page_number}").pk)
        added.append(_copy_enterprise(world.enterprise_in_a, f"龥龥 插入{page_number}").pk)

    seen = _walk(api, "enterprises", on_page=add_rows, limit=7, ordering=ordering)
    assert len(seen) == len(set(seen)), "a row was served twice"
    assert before <= set(seen), "a row that existed all along was skipped"
    assert set(seen) <= before | set(added)


@pytest.mark.parametrize("ordering", ["capacity", "-capacity"])
def test_walking_by_a_key_with_empty_values_sees_every_place_once(world, api_as, ordering):
    Place.objects.filter(pk__in=Place.objects.order_by("pk").values("pk")[:15]).update(capacity=None)
    Place.objects.filter(pk__in=Place.objects.order_by("-pk").values("pk")[:15]).update(capacity=500)
    api = api_as(world.admin)
    seen = _walk(api, "places", limit=9, ordering=ordering)
    expected = set(Place.objects.filter(archived_at__isnull=True).values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_the_pages_by_cursor_are_the_pages_by_offset_when_nothing_changes(world, api_as):
    api = api_as(world.admin)
    by_offset = []
    for offset in range(0, 60, 10):
        by_offset += [i["id"] for i in api.get("enterprises", limit=10, offset=offset, ordering="-name").json()["items"]]
    assert _walk(api, "enterprises", limit=10, ordering="-name")[:60] == by_offset


def test_a_township_officer_following_a_cursor_sees_only_the_township(world, api_as):
    township = api_as(world.township_officer)
    seen = _walk(township, "enterprises", limit=5, ordering="name")
    assert set(seen) == set(Enterprise.objects.filter(township=world.township_a, archived_at__isnull=True)
                            .values_list("pk", flat=True))


def test_a_cursor_from_a_wider_scope_does_not_open_rows_outside_the_callers_scope(world, api_as):
    admin_next = api_as(world.admin).get("enterprises", limit=3, ordering="id").json()["next"]
    township = api_as(world.township_officer)
    page = township.client.get(admin_next.replace("limit=3", "limit=500")).json()
    ids = {item["id"] for item in page["items"]}
    assert ids and ids <= set(Enterprise.objects.filter(township=world.township_a).values_list("pk", flat=True))


@pytest.mark.parametrize("cursor", ["abc", "eyJ0YW1wZXJlZCI6dHJ1ZX0", "x" * 300])
def test_a_cursor_the_server_did_not_hand_out_is_refused_naming_the_field(world, api_as, cursor):
    response = api_as(world.admin).get("enterprises", cursor=cursor)
    assert response.status_code == 422, response.content
    [item] = response.json()["detail"]
    assert item["loc"] == ["query", "cursor"] and "游标" in item["msg"]


def test_an_edited_cursor_is_refused(world, api_as):
    api = api_as(world.admin)
    cursor = api.get("enterprises", limit=3).json()["next"].split("cursor=")[1].split("&")[0]
    edited = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    assert api.get("enterprises", cursor=edited).status_code == 422


def test_a_cursor_for_one_order_is_refused_for_another(world, api_as):
    api = api_as(world.admin)
    next_url = api.get("enterprises", limit=3, ordering="name").json()["next"]
    response = api.client.get(next_url.replace("ordering=name", "ordering=-created_at"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "cursor"]


def test_the_openapi_document_offers_the_cursor_and_says_next_carries_it(world, api_as):
    document = api_as(world.admin).get("openapi.json").json()
    operation = document["paths"]["/api/v1/enterprises"]["get"]
    [cursor] = [p for p in operation["parameters"] if p["name"] == "cursor"]
    assert cursor["in"] == "query" and "游标" in cursor["schema"]["description"]
    assert "cursor" in operation["description"]
    offset = next(p for p in operation["parameters"] if p["name"] == "offset")
    assert "cursor" in offset["schema"]["description"]


# Hand-written lists: the ones answering a page object carry `next`; the ones answering a bare
# JSON array carry the next page in an RFC 8288 `Link: <…>; rel="next"` header.
def _add_data_jobs(world, n):
    from citysafe.registry.io.models import DataJob

    DataJob.objects.bulk_create([DataJob(direction="export", resource="enterprises", user=world.admin)
                                 for _ in range(n)])


def _add_subscriptions(world, n):
    from citysafe.early_warning.models import Subscription

    Subscription.objects.bulk_create([Subscription(channel="sms", address=f"139{next(_counter):08d}")
                                     for _ in range(n)])


def _next_of(response):
    body = response.json()
    if isinstance(body, dict):
        return body["next"], body["items"]
    link = response.headers.get("Link")
    return (link.split(";")[0].strip("<>") if link else None), body


@pytest.mark.parametrize(("path", "add"), [("data-jobs", _add_data_jobs), ("subscriptions", _add_subscriptions)])
def test_hand_written_lists_link_the_next_page_by_cursor_and_walk_every_row_once(world, api_as, path, add):
    api = api_as(world.admin)
    add(world, 7)
    expected = [item["id"] for item in api.get(path, limit=100).json()]
    assert len(expected) >= 7
    seen, response = [], api.get(path, limit=3)
    while True:
        assert response.status_code == 200, response.content
        next_url, items = _next_of(response)
        seen += [item["id"] for item in items]
        if next_url is None:
            break
        assert "cursor=" in next_url and "offset=" not in next_url
        add(world, 1)  # written between page fetches: neither repeats nor hides a row
        response = api.client.get(next_url, headers=api.headers)
    assert len(seen) == len(set(seen)) and set(expected) <= set(seen)


@pytest.mark.parametrize("path", ["monitoring/alarms", "conflicts", "site-checks", "supervision/draws",
                                  "subscriptions", "data-jobs"])
def test_hand_written_lists_refuse_a_bad_cursor_naming_the_field(world, api_as, path):
    response = api_as(world.admin).get(path, cursor="not-a-cursor")
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["query", "cursor"]
