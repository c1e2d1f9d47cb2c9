"""The scope matrix for references, through the API: for every record kind, every foreign key
and many-to-many a user can set, and every role that may write that kind, pointing it at a
record outside the role's scope (or at one nobody may choose) is a 422 naming the field, with
the same reply as for an id that does not exist, and nothing changes."""
import pytest

from tests.api.conftest import EditingApi
from tests.security.reference_cases import CASES, case_id, current_value, inside_record, outside_target, patch_value

NO_SUCH_ID = 10**9


@pytest.mark.parametrize("resource,field,role", CASES, ids=[case_id(c) for c in CASES])
def test_role_cannot_point_a_reference_outside_its_scope(world, api_as, resource, field, role):
    user = world.role_users()[role]
    record = inside_record(world, role, resource)
    target = outside_target(world, role, field)
    before = current_value(record, field)
    api = EditingApi(user=user)

    refused = api.patch(f"{resource}/{record.pk}", {field: patch_value(field, target)})
    missing = api.patch(f"{resource}/{record.pk}", {field: patch_value(field, NO_SUCH_ID)})

    assert refused.status_code == 422, refused.content
    errors = {item["loc"][-1]: item["msg"] for item in refused.json()["detail"]}
    assert field in errors
    assert missing.status_code == 422
    # The reply names the field and does not tell an existing record from a missing one.
    assert refused.json() == missing.json() or (
        errors[field].replace(str(target), "X") == {i["loc"][-1]: i["msg"] for i in missing.json()["detail"]}[
            field].replace(str(NO_SUCH_ID), "X"))
    assert current_value(record, field) == before
