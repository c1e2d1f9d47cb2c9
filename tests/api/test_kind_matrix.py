"""The scope matrix of every declared record kind (core.kinds) × every role, generated: a new
kind gets it by being declared. Through the API, each role lists exactly the records the
oracle (tests/scope_oracle.py, independent of core.scope) says it may see — every page,
following `next` — reads those, and cannot read, change or archive any other."""
import pytest

from citysafe.core import scope
from citysafe.core.kinds import all_kinds, get_kind
from tests.scope_oracle import live, split

KINDS = sorted(kind.key for kind in all_kinds())
ROLES = ["admin", "leader", "department", "township", "grid", "enterprise"]


def listed_ids(api, key: str) -> list[int]:
    ids, page = [], api.get(key, limit=100)
    while True:
        assert page.status_code == 200, page.content
        ids += [item["id"] for item in page.json()["items"]]
        if page.json()["next"] is None:
            return ids
        page = api.client.get(page.json()["next"], headers=api.headers)


@pytest.mark.parametrize("key", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_exactly_the_records_in_its_scope(world, api_as, key, role):
    user, kind = world.role_users()[role], get_kind(key)
    inside, _outside = split(user, kind.model)
    ids = listed_ids(api_as(user), key)
    assert sorted(ids) == [o.pk for o in inside]
    assert len(ids) == len(set(ids))  # no record on two pages


@pytest.mark.parametrize("key", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_outside_records_cannot_be_read_changed_or_archived_inside_ones_can_be_read(world, api_as, key, role):
    user, kind = world.role_users()[role], get_kind(key)
    inside, outside = split(user, kind.model)
    api = api_as(user)
    for obj in inside[:1] + inside[-1:]:
        assert api.get(f"{key}/{obj.pk}").status_code == 200
    if not outside:
        assert role in ("admin", "leader") or kind.model.scope.public or role in kind.model.scope.all_rows_for
        return
    for obj in outside[:1] + outside[-1:]:
        assert api.get(f"{key}/{obj.pk}").status_code == 404
        may_change = scope.may(user, kind.model, scope.Action.CHANGE)
        assert api.patch(f"{key}/{obj.pk}", {"version": obj.version}).status_code == (404 if may_change else 403)
        may_archive = scope.may(user, kind.model, scope.Action.ARCHIVE)
        assert api.delete(f"{key}/{obj.pk}").status_code == (404 if may_archive else 403)
        obj.refresh_from_db()
        assert obj.archived_at is None


@pytest.mark.parametrize("key", KINDS)
def test_the_matrix_is_not_vacuous(world, key):
    """Every scoped kind has, for some limited role, records both inside and outside its scope."""
    kind = get_kind(key)
    assert live(kind.model).exists()
    if kind.model.scope.public:
        return
    splits = [split(world.role_users()[role], kind.model) for role in ("department", "township", "grid", "enterprise")]
    assert any(inside and outside for inside, outside in splits)
