"""Malformed query strings, keys and form posts on pages get a clear 4xx, never a 500."""
import pytest

MALFORMED_GETS = [
    "/registry/enterprises/99999999999999999999/",
    "/registry/enterprises/99999999999999999999/edit/",
    "/io/export/nosuch/",
    "/io/jobs/99999999999999999999/",
    "/io/templates/nosuch.xlsx",
    "/map/layers/enterprises.geojson?township=abc",
    "/api/v1/enterprises?township_id=abc",
    "/api/v1/enterprises/99999999999999999999",
]


@pytest.mark.parametrize("url", MALFORMED_GETS)
def test_malformed_get_is_a_client_error(client, world, url):
    client.raise_request_exception = False
    client.force_login(world.admin)
    assert 400 <= client.get(url).status_code < 500


@pytest.mark.parametrize("query", ["township_id=abc", "grid_id=99999999999999999999", "industry_id=1.5"])
def test_export_with_a_malformed_filter_answers_422_naming_it(client, world, query):
    client.force_login(world.admin)
    response = client.get(f"/io/export/enterprises/?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in response.content.decode()


def test_malformed_posts_are_client_errors_or_form_errors(client, world):
    client.raise_request_exception = False
    client.force_login(world.admin)
    for url, data in [
        ("/io/import/", {"resource": "enterprises"}),
        ("/io/import/", {"resource": "nosuch"}),
        (f"/registry/enterprises/{world.enterprise.pk}/transition/", {"transition": "zzz", "version": "x"}),
        ("/registry/enterprises/new/", {"name": "x", "lon": "nan", "lat": "inf", "uscc": "1", "industry_id": "abc"}),
        ("/registry/places/new/", {"name": "x", "geometry": '{"type":"Polygon","coordinates":[[[1,2]]]}'}),
        ("/registry/places/new/", {"name": "x", "geometry": "[1,2]"}),
        ("/notifications/99999999999999999999/read/", {}),
    ]:
        assert client.post(url, data).status_code < 500, url
