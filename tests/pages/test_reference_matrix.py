"""The reference matrix through the pages: every reference a page form offers, every role that
may write the record — posting the edit form with the reference pointed outside the role's
scope (or at a record nobody may choose) changes nothing; where the form shows the field, the
error is on it. (References a form does not offer cannot be set through the pages at all.)"""
import pytest
from django.urls import reverse

from citysafe.registry.kinds import KINDS
from tests.pages.helpers import form_payload
from tests.security.reference_cases import CASES, case_id, current_value, inside_record, outside_target

RESOURCES = {kind.key: kind for kind in KINDS if kind.form is not None}  # the kinds with pages

PAGE_CASES = [c for c in CASES if c[1] in RESOURCES[c[0]].form.base_fields]


@pytest.mark.parametrize("resource,field,role", PAGE_CASES, ids=[case_id(c) for c in PAGE_CASES])
def test_role_cannot_point_a_reference_outside_its_scope_through_the_edit_form(client, world, resource, field, role):
    user = world.role_users()[role]
    res = RESOURCES[resource]
    record = inside_record(world, role, resource)
    target = outside_target(world, role, field)
    before = current_value(record, field)
    payload = form_payload(res.form.initial_from(record))
    payload[field] = [str(target)] if field.endswith("_ids") else str(target)
    client.force_login(user)

    response = client.post(reverse("registry:edit", args=[resource, record.pk]), payload)

    assert response.status_code in (200, 302, 403), response.status_code
    if response.status_code == 200 and field in response.context["form"].fields:
        assert field in response.context["form"].errors
    assert current_value(record, field) == before
