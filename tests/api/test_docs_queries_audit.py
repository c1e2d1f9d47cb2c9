"""OpenAPI document and local docs, list query counts, audit channel of API changes."""
import re

import pytest

from citysafe.core.audit_models import AuditRecord


def test_openapi_document_describes_every_resource(client):
    document = client.get("/api/v1/openapi.json").json()
    for resource in ("enterprises", "places", "persons", "areas", "industries", "organisations", "tokens", "me"):
        assert f"/api/v1/{resource}" in document["paths"]
    assert "/api/v1/enterprises/{record_id}/transitions" in document["paths"]
    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["PageSessionAuth"]["in"] == "cookie"


def test_interactive_docs_load_only_local_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    assert urls and all(u.startswith("/static/") for u in urls), urls
    # No external URL anywhere in the page (a bare "cdn" substring could be a random CSRF token).
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html.lower()), html
    for url in urls:  # and they are really served from the installed ninja package
        assert client.get(url).status_code == 200, url


def test_unauthenticated_requests_are_401(client):
    assert client.get("/api/v1/enterprises").status_code == 401
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("resource", ["enterprises", "places"])
@pytest.mark.parametrize("who", ["admin", "township_officer"])
def test_list_of_50_rows_takes_a_fixed_number_of_queries(world, token_for, resource, who,
                                                         django_assert_max_num_queries):
    from tests.api.conftest import Api

    api = Api(token=token_for(getattr(world, who)))
    api.get("me")  # first use stamps last_used_at; the pinned request below is a steady-state one
    # token + user lookup, count, page (related names joined), and for a township officer
    # nothing more: its township comes with the token's user row. Roles that see the whole
    # county also read the deployment's counties (core.scope: one county → no condition).
    with django_assert_max_num_queries(4 if who == "admin" else 3):
        response = api.get(resource, limit=50)
    assert response.status_code == 200
    assert len(response.json()["items"]) == (50 if who == "admin" or resource == "places" else
                                             min(50, response.json()["count"]))


def test_organisation_list_fetches_industry_map_in_one_query(world, api_as, django_assert_max_num_queries):
    api = api_as(world.admin)
    with django_assert_max_num_queries(5):  # session, user, count, page, industries
        response = api.get("organisations", limit=100)
    assert response.json()["count"] == len(response.json()["items"]) > 5


def test_an_api_change_is_audited_with_channel_api(world, token_for, api_as):
    from tests.api.conftest import Api

    enterprise = world.enterprise_in_a
    Api(token=token_for(world.township_officer, name="乡镇系统")).patch(
        f"enterprises/{enterprise.pk}", {"address": "令牌修改地址", "version": enterprise.version})
    record = AuditRecord.objects.order_by("-id").first()
    assert (record.channel, record.action, record.object_id) == ("api", "update", str(enterprise.pk))
    assert record.actor.is_service_account
    assert record.after["address"] == "令牌修改地址"

    api_as(world.township_officer).patch(f"enterprises/{enterprise.pk}",
                                         {"address": "会话修改地址", "version": enterprise.version + 1})
    record = AuditRecord.objects.order_by("-id").first()
    assert (record.channel, record.actor_id) == ("api", world.township_officer.pk)
