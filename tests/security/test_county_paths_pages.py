"""Issue 19, cross-county paths through the pages: every page, feed, layer, export and /api/v1/
endpoint that takes no argument (found by walking the URL configuration, so a new one is covered
automatically), requested by each role of one county, must not show the other county's data:

- no marker of the other county (its townships' and enterprises' names, credit codes) in the body;
- the second county admin's answers (counts on the dashboards, the cockpit, statistics, charts,
  the home page, the inbox) do not change when the first county's data grows (its rows of every
  scoped model copied), a difference oracle for aggregates a marker cannot see.

Pages for the public (no sign-in, the whole deployment) and the admin site are not walked here."""
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.security.county_paths_world import body_of, found_markers, fresh, markers
from tests.security.test_county_matrix import scoped_models

SKIP = ("admin/", "logout/", "login/", "password/", "i18n/", "captcha", "api/v1/docs", "api/v1/openapi", "favicon",
        "healthz", "api/v1/$")


def argument_free_urls() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    found = set()
    for path in walk(get_resolver().url_patterns):
        path = path.replace("^", "").replace("$", "")
        if "<" in path or "(?P" in path or path.startswith(SKIP) or "public" in path:
            continue
        found.add("/" + path)
    return sorted(found)


def _get_all(user, urls) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {url: body_of(client.get(url)) for url in urls}


@pytest.mark.parametrize("who", ["b_department", "b_township", "b_grid", "b_enterprise", "a_admin"])
def test_no_argument_free_path_shows_the_other_countys_data(two, who):
    """(The second county's admin: in the difference test below, which walks the same paths.)"""
    side, role = who.split("_", 1)
    of_b = side == "b"
    user = fresh((two.b if of_b else two.a)[role])
    other = markers(two, not of_b)
    leaks = {url: hit for url, text in _get_all(user, argument_free_urls()).items()
             if (hit := found_markers(text, other))}
    assert leaks == {}


NOISE = re.compile(r'csrfmiddlewaretoken" value="[^"]*"|CSRFToken": "[^"]*"|csrf[_-]?token["\']?[:=]\s*["\'][^"\']*["\']'
                   r'|\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?|nonce="[^"]*"')


def _grow_the_first_county(two) -> int:
    """Copies of up to 20 rows of every scoped model of the first county (unique text made
    unique again); a model whose copy breaks a constraint is left as it was."""
    copied = 0
    for model in scoped_models():
        label = model._meta.label
        if label.startswith("core."):  # the audit chain is append-only, attachments need files
            continue
        rows = list(model._default_manager.filter(pk__lte=two.before[label]).order_by("-pk")[:20])
        uniques = [f for f in model._meta.concrete_fields if f.unique and not f.primary_key]
        try:
            with transaction.atomic():
                for number, row in enumerate(rows):
                    row.pk = None
                    row.id = None
                    for f in uniques:
                        value = getattr(row, f.attname)
                        if isinstance(value, str) and value:
                            setattr(row, f.attname, (f"Z{number}" + value)[:f.max_length or 100])
                        elif f.get_internal_type() in ("UUIDField",):
                            setattr(row, f.attname, f.get_default())
                        elif value is not None:
                            raise IntegrityError("a unique value that cannot be made unique")
                    row.save(force_insert=True)
                    two.made_in_a(row)
                    copied += 1
        except Exception:  # noqa: BLE001, S112 (a copy some model's save refuses: that model is left as it was)
            continue
    return copied


def test_the_second_countys_counts_and_pages_do_not_change_when_the_first_county_grows(two):
    urls = argument_free_urls()
    user = fresh(two.b["admin"])
    first, again = _get_all(user, urls), _get_all(user, urls)
    other = markers(two, False)
    leaks = {url: hit for url, text in first.items() if (hit := found_markers(text, other))}
    stable = [url for url in urls if NOISE.sub("", first[url]) == NOISE.sub("", again[url])]
    assert _grow_the_first_county(two) > 100
    after = _get_all(fresh(two.b["admin"]), stable)
    changed = sorted(url for url in stable if NOISE.sub("", after[url]) != NOISE.sub("", first[url]))
    assert (leaks, changed) == ({}, [])
    assert len(stable) > len(urls) * 0.8, sorted(set(urls) - set(stable))


def _layer_urls() -> list[str]:
    from django.urls import reverse

    from citysafe.emergency.views.planning import MAP_LAYERS
    from citysafe.risks.map.layers import LAYERS as RISK_LAYERS

    urls = [reverse("registry_map:layer", args=[key]) for key in ("townships", "villages", "grids", "enterprises",
                                                                   "places")]
    urls += [reverse("emergency:layer", args=[key]) for key in MAP_LAYERS]
    urls += [reverse("risk_map:layer", args=[key]) for key in RISK_LAYERS]
    return urls


def _kind_urls() -> list[str]:
    from django.urls import reverse

    from citysafe.core.kinds import all_kinds

    urls = []
    for kind in all_kinds():
        if kind.model.scope.public:  # a directory (organisations, industries): shared by the counties
            continue
        urls.append(reverse(kind.urls["list"], args=[kind.key]) if "list" in kind.urls else None)
        urls.append(reverse("io:export", args=[kind.key]) + "?format=xlsx")
    return [url for url in urls if url]


@pytest.mark.parametrize("who", ["b_admin", "b_department", "b_township", "b_enterprise", "a_admin"])
def test_the_list_page_export_and_map_layer_of_every_kind_show_only_the_users_county(two, who):
    side, role = who.split("_", 1)
    of_b = side == "b"
    client = Client()
    client.force_login(fresh((two.b if of_b else two.a)[role]))
    other = markers(two, not of_b)
    leaks = {}
    for url in _kind_urls() + _layer_urls():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            from tests.security.test_county_paths_io import _workbook_text

            text = _workbook_text(body)
        else:
            text = body.decode(errors="replace")
        if hit := found_markers(text, other):
            leaks[url] = hit
    assert leaks == {}


LIVE_FEEDS = ["/api/v1/monitoring/latest", "/api/v1/monitoring/alarms", "/api/v1/monitoring/vehicles/positions",
              "/api/v1/monitoring/vehicle-alarms", "/monitoring/wall/sensors.geojson",
              "/monitoring/wall/vehicles.geojson", "/monitoring/wall/live/"]


def _entries(data) -> list:
    """The rows of a feed's JSON answer, whatever its envelope."""
    if isinstance(data, list):
        return data
    for key in ("features", "items", "results", "alarms", "sensors", "vehicles", "readings"):
        if isinstance(data.get(key), list):
            return data[key]
    return [value for value in data.values() if isinstance(value, list) for value in value]


@pytest.mark.parametrize("role", ["admin", "leader", "department", "township"])
def test_the_monitoring_feeds_of_a_county_without_devices_are_empty(two, role):
    """The second county has no sensors, vehicles or alarms: every live feed (the wall's polling
    endpoint, the alarm lists, the vehicles feed) answers its users with nothing, while the
    first county's admin gets rows from the same feeds."""
    import json

    def rows(user, url):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        text = body_of(response)
        if response["Content-Type"].startswith("text/html"):  # the wall's polling fragment: its tiles
            return re.findall(r'<li class="tile ', text) + re.findall(r'data-unacknowledged="[1-9]', text)
        return _entries(json.loads(text))

    seen_by_a = {url: len(rows(fresh(two.a["admin"]), url)) for url in LIVE_FEEDS}
    assert sum(seen_by_a.values()) > 0, seen_by_a
    assert {url: rows(fresh(two.b[role]), url) for url in LIVE_FEEDS} == {url: [] for url in LIVE_FEEDS}
