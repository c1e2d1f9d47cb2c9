"""What a generated client (openapi-python-client) relies on: choice fields as enums with
their Chinese labels, one error model for every 4xx, unknown filter values and null for a
field that cannot be empty refused with a 422 naming them, the document's nullability
matching what the server accepts, and a link to the next page."""
import json

import pytest
from ninja import Schema

from citysafe.core.kinds import all_kinds, get_kind
from citysafe.core.kinds.schemas import model_field
from citysafe.registry.models import Enterprise, Place
from tests.api.conftest import field_errors


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json()


def _param(document, path, name):
    return next(p for p in document["paths"][path]["get"]["parameters"] if p["name"] == name)["schema"]


def _enum(schema):
    return next((s for s in [schema, *schema.get("anyOf", [])] if "enum" in s), None)


def test_choice_fields_are_published_as_enums_with_chinese_labels(document):
    schemas = document["components"]["schemas"]
    scale = schemas["EnterpriseOut"]["properties"]["scale"]
    assert scale["enum"] == ["large", "medium", "small", "micro"]
    assert scale["x-enum-descriptions"] == ["大型", "中型", "小型", "微型"]
    assert "small：小型" in scale["description"]
    assert _enum(schemas["EnterpriseOut"]["properties"]["operating_status"])["enum"] == list(
        Enterprise.OperatingStatus.values)
    assert _enum(schemas["PlaceCreate"]["properties"]["place_type"])["enum"] == list(Place._meta.get_field(
        "place_type").choices and [v for v, _ in Place._meta.get_field("place_type").choices])
    assert _enum(_param(document, "/api/v1/enterprises", "scale"))["x-enum-descriptions"][0] == "大型"
    ordering = _enum(_param(document, "/api/v1/places", "ordering"))["enum"]
    assert "name" in ordering and "-capacity" in ordering


def test_every_4xx_answer_has_the_one_error_shape(world, client, api_as):
    def shaped(response, status):
        assert response.status_code == status
        (item,) = response.json()["detail"]
        assert set(item) == {"loc", "msg", "type"} and item["msg"] and item["type"]
        return item

    assert shaped(client.get("/api/v1/enterprises"), 401)["type"] == "not_authenticated"
    leader = api_as(world.leader)
    assert shaped(leader.patch(f"enterprises/{world.enterprise.pk}", {"version": 1}), 403)["type"] == "forbidden"
    assert shaped(leader.get("enterprises/999999999"), 404) == {"loc": ["path"], "msg": "记录不存在",
                                                                "type": "not_found"}
    assert shaped(leader.get("no-such-thing"), 404)["type"] == "not_found"


def test_every_error_response_in_the_document_is_the_typed_error_model(document):
    error = document["components"]["schemas"]["ErrorOut"]
    assert error["properties"]["detail"]["type"] == "array"
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorOut"), (path, status)


@pytest.mark.parametrize(("resource", "name", "value"), [
    ("enterprises", "scale", "huge"), ("enterprises", "operating_status", "open"), ("places", "place_type", "castle"),
    ("areas", "level", "planet"), ("organisations", "kind", "club"), ("places", "ordering", "-bogus"),
])
def test_an_unknown_filter_value_is_refused_naming_the_filter(world, api_as, resource, name, value):
    response = api_as(world.admin).get(resource, **{name: value})
    assert field_errors(response) == {name: "literal_error"}
    assert "可选" in response.json()["detail"][0]["msg"]


def test_null_for_a_field_that_cannot_be_empty_is_refused_naming_it(world, api_as):
    api = api_as(world.admin)
    place = Place.objects.filter(archived_at__isnull=True).order_by("id").first()
    response = api.patch(f"places/{place.pk}", {"address": None, "version": place.version})
    assert field_errors(response) == {"address": "null_not_allowed"}
    for body in ({"name": None}, {"place_type": None}, {"responsible_person_ids": None}):
        assert field_errors(api.patch(f"places/{place.pk}", {**body, "version": place.version})) == {
            next(iter(body)): "null_not_allowed"}
    # Nullable columns may be cleared with null; a left-out field is not changed.
    cleared = api.patch(f"places/{place.pk}", {"capacity": None, "version": place.version})
    assert cleared.status_code == 200 and cleared.json()["capacity"] is None
    assert cleared.json()["address"] == place.address


def test_the_documents_nullability_matches_the_model(document):
    """A request field is nullable in the document exactly where the column may hold NULL."""
    schemas = document["components"]["schemas"]
    for kind in all_kinds():
        for schema in (kind.create_in, kind.update_in):
            properties = schemas[schema.__name__]["properties"]
            for name, spec in properties.items():
                if name == "version":
                    continue
                field = model_field(kind.model, name)
                nullable = any(s.get("type") == "null" for s in spec.get("anyOf", []))
                assert nullable == (field.null and not field.many_to_many), (schema.__name__, name)


def test_lists_link_to_the_next_page_until_the_last(world, api_as):
    api = api_as(world.admin)
    first = api.get("enterprises", limit=10, scale="small").json()
    assert first["count"] > 20 and first["next"].startswith("http://testserver/api/v1/enterprises?")
    seen = [item["id"] for item in first["items"]]
    page = first
    while page["next"]:
        page = api.client.get(page["next"]).json()
        assert page["count"] == first["count"]
        seen += [item["id"] for item in page["items"]]
    assert len(seen) == len(set(seen)) == first["count"]
    assert all(item["scale"] == "small" for item in page["items"])
    beyond = api.get("enterprises", offset=10**6).json()
    assert beyond == {"count": Enterprise.objects.filter(archived_at__isnull=True).count(), "next": None, "items": []}


@pytest.mark.parametrize("key", sorted(k.key for k in all_kinds()))
@pytest.mark.parametrize("role", ["admin", "township", "grid"])
def test_the_fast_list_answers_what_validating_the_rows_through_the_schema_answers(world, api_as, key, role):
    """core.kinds.listing reads values() and skips per-row validation: byte for byte the same
    as building model instances and serializing them through the item schema."""
    from django.test import RequestFactory
    from ninja.responses import NinjaJSONEncoder

    from citysafe.core.kinds import selectors

    kind, user = get_kind(key), world.role_users()[role]
    response = api_as(user).get(key, limit=40, ordering="-id")
    request = RequestFactory().get("/")
    request.auth = user
    queryset = selectors.list_records(user, kind, ordering="-id")
    if kind.prefetch:
        queryset = queryset.prefetch_related(*kind.prefetch)

    class Page(Schema):
        items: list[kind.item]

    expected = Page.model_validate({"items": list(queryset[:40])}, context={"request": request}).model_dump()
    assert json.loads(response.content)["items"] == json.loads(json.dumps(expected["items"], cls=NinjaJSONEncoder))
    assert response.content.endswith(json.dumps(expected["items"], cls=NinjaJSONEncoder).encode() + b"}")
