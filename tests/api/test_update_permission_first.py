"""The generic update endpoint (PATCH) of every declared record kind checks the caller's role and
the record's scope before it reads the body, in the order of the service (core.records.
load_for_write): a role that may not change gets 403 and a record outside the caller's write
scope 404, whatever the body (an empty or invalid one included); the 422 that lists the body's
errors is only for those who may change that record."""
import pytest

from citysafe.core import scope
from citysafe.core.kinds import all_kinds, get_kind
from tests.scope_oracle import live, split

KINDS = sorted(kind.key for kind in all_kinds())
BAD_BODIES = [{}, {"version": "x", "no_such_field": [1, 2]}]


def _may_change(user, kind) -> bool:
    return scope.may(user, kind.model, scope.Action.CHANGE)


def _unchanged(record) -> bool:
    before = record.version
    record.refresh_from_db()
    return record.version == before


@pytest.mark.parametrize("key", KINDS)
def test_a_role_that_may_not_change_gets_403_for_an_empty_or_invalid_patch(world, api_as, key):
    kind = get_kind(key)
    record = live(kind.model).order_by("pk").first()
    for user in [u for u in world.role_users().values() if not _may_change(u, kind)]:
        for body in BAD_BODIES:
            response = api_as(user).patch(f"{key}/{record.pk}", body)
            assert response.status_code == 403, (user.role, body, response.content)
            assert response.json()["detail"][0]["type"] == "forbidden"
    assert _unchanged(record)


@pytest.mark.parametrize("key", KINDS)
def test_a_record_outside_the_callers_scope_is_404_for_an_empty_or_invalid_patch(world, api_as, key):
    kind = get_kind(key)
    for user in [u for u in world.role_users().values() if _may_change(u, kind)]:
        _inside, outside = split(user, kind.model)
        for record in outside[:1]:
            for body in BAD_BODIES:
                response = api_as(user).patch(f"{key}/{record.pk}", body)
                assert response.status_code == 404, (user.role, body, response.content)
            assert _unchanged(record)


@pytest.mark.parametrize("key", KINDS)
def test_who_may_change_the_record_still_gets_422_naming_the_bad_fields(world, api_as, key):
    kind = get_kind(key)
    user = world.role_users()["admin"]
    assert _may_change(user, kind), f"the admin may not change {key}: nobody would get the 422"
    record = live(kind.model).order_by("pk").first()
    response = api_as(user).patch(f"{key}/{record.pk}", {})
    assert response.status_code == 422, response.content
    assert all(item["loc"][0] == "body" for item in response.json()["detail"])


def test_the_refusals_are_not_vacuous(world):
    """Most kinds have a role that may not change them and one that may, but not everywhere."""
    users = world.role_users().values()
    refused = [key for key in KINDS if any(not _may_change(u, get_kind(key)) for u in users)]
    scoped = [key for key in KINDS if any(_may_change(u, get_kind(key)) and split(u, get_kind(key).model)[1]
                                          for u in users)]
    assert len(refused) >= len(KINDS) // 2 and len(scoped) >= len(KINDS) // 2, (refused, scoped)


def test_a_token_whose_role_may_not_change_gets_403_before_its_body_is_read(world, token_for):
    from tests.api.conftest import Api

    kind = get_kind("hazards")
    user = next(u for u in (world.leader, world.enterprise_officer, world.grid_worker) if not _may_change(u, kind))
    record = live(kind.model).order_by("pk").first()
    response = Api(token=token_for(user)).patch(f"hazards/{record.pk}", {})
    assert response.status_code == 403, response.content


def test_without_sign_in_a_patch_is_still_401(world):
    from tests.api.conftest import Api

    record = live(get_kind("hazards").model).order_by("pk").first()
    assert Api().patch(f"hazards/{record.pk}", {}).status_code == 401
