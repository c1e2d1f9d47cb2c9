"""The apps' workflow-step endpoints (POST …/{id}/transitions) check, before they read the
body, what the workflow engine checks when it opens the record for change: a role that may not
change such records gets 403, a record outside the caller's write scope 404, whatever the body
(an empty or invalid one included); the 422 about the body is only for those who may change
that record (accounts.auth.changers_of)."""
import pytest

from citysafe.construction.kinds import PERMITS, WORKS
from citysafe.core import scope
from citysafe.credit.models import ListEntry
from citysafe.emergency.api import INCIDENTS
from citysafe.enforcement.kinds import CASES
from citysafe.hazards.kinds import HAZARDS
from citysafe.registry.kinds import ENTERPRISES
from tests.scope_oracle import live, split

STEPS = {"hazards": HAZARDS.model, "enterprises": ENTERPRISES.model, "incidents": INCIDENTS.model,
         "cases": CASES.model, "high-danger-works": WORKS.model, "work-permits": PERMITS.model,
         "credit/entries": ListEntry}
BAD_BODIES = [{}, {"transition": ["x"], "expected_version": "x", "no_such_field": [1, 2]}]


def _may_change(user, model) -> bool:
    return scope.may(user, model, scope.Action.CHANGE)


def _record(model):
    record = live(model).first()
    if record is None:
        pytest.skip(f"the test world has no {model.__name__}")
    return record


@pytest.mark.parametrize("prefix", sorted(STEPS))
def test_a_role_that_may_not_change_gets_403_for_an_empty_or_invalid_step(world, api_as, prefix):
    model = STEPS[prefix]
    record = _record(model)
    for user in [u for u in world.role_users().values() if not _may_change(u, model)]:
        for body in BAD_BODIES:
            response = api_as(user).post(f"{prefix}/{record.pk}/transitions", body)
            assert response.status_code == 403, (user.role, body, response.content)
            assert response.json()["detail"][0]["type"] == "forbidden"


@pytest.mark.parametrize("prefix", sorted(STEPS))
def test_a_record_outside_the_callers_scope_is_404_for_an_empty_or_invalid_step(world, api_as, prefix):
    model = STEPS[prefix]
    _record(model)
    for user in [u for u in world.role_users().values() if _may_change(u, model)]:
        for record in split(user, model)[1][:1]:
            for body in BAD_BODIES:
                response = api_as(user).post(f"{prefix}/{record.pk}/transitions", body)
                assert response.status_code == 404, (user.role, body, response.content)


@pytest.mark.parametrize("prefix", sorted(STEPS))
def test_who_may_change_the_record_still_gets_422_naming_the_bad_fields(world, api_as, prefix):
    model = STEPS[prefix]
    record = _record(model)
    response = api_as(world.admin).post(f"{prefix}/{record.pk}/transitions", {})
    assert response.status_code == 422, response.content
    assert all(item["loc"][0] == "body" for item in response.json()["detail"])


def test_the_step_refusals_are_not_vacuous(world):
    users = world.role_users().values()
    assert live(HAZARDS.model).exists() and live(ENTERPRISES.model).exists()
    for model in (HAZARDS.model, ENTERPRISES.model):
        assert any(not _may_change(u, model) for u in users)
        assert any(_may_change(u, model) and split(u, model)[1] for u in users)
