"""The generic create endpoint of every declared record kind checks the caller's role before it
reads the body: a role that may not create gets 403 whatever it sends (an empty or invalid body
included), so the 422 that lists the required fields is only for those who may create."""
import pytest

from citysafe.core import scope
from citysafe.core.kinds import all_kinds, get_kind

KINDS = sorted(kind.key for kind in all_kinds())
BAD_BODIES = [{}, {"version": "x", "no_such_field": [1, 2]}]


def _may_create(user, kind) -> bool:
    return scope.may(user, kind.model, scope.Action.CREATE)


@pytest.mark.parametrize("key", KINDS)
def test_a_role_that_may_not_create_gets_403_for_an_empty_or_invalid_body(world, api_as, key):
    kind = get_kind(key)
    refused = [user for user in world.role_users().values() if not _may_create(user, kind)]
    assert refused, f"every role may create {key}: the matrix would prove nothing"
    before = kind.model.objects.count()
    for user in refused:
        api = api_as(user)
        for body in BAD_BODIES:
            response = api.post(key, body)
            assert response.status_code == 403, (user.role, body, response.content)
            assert response.json()["detail"][0]["type"] == "forbidden"
    assert kind.model.objects.count() == before


@pytest.mark.parametrize("key", KINDS)
def test_a_role_that_may_create_still_gets_422_naming_the_missing_fields(world, api_as, key):
    kind = get_kind(key)
    permitted = [user for user in world.role_users().values() if _may_create(user, kind)]
    assert permitted, f"no role of the test world may create {key}"
    response = api_as(permitted[0]).post(key, {})
    assert response.status_code == 422, response.content
    assert all(item["loc"][0] == "body" for item in response.json()["detail"])


def test_a_token_whose_role_may_not_create_gets_403_before_its_body_is_read(world, token_for):
    from tests.api.conftest import Api

    kind = get_kind("hazards")
    assert not _may_create(world.enterprise_officer, kind) or not _may_create(world.leader, kind)
    user = world.leader if not _may_create(world.leader, kind) else world.enterprise_officer
    response = Api(token=token_for(user)).post("hazards", {})
    assert response.status_code == 403, response.content


def test_without_sign_in_a_create_is_still_401(db):
    from tests.api.conftest import Api

    response = Api().post("hazards", {})
    assert response.status_code == 401, response.content
