"""Issue 19, cross-county reads through the configuration site (/admin/, a county office's staff
administrators): every registered model's change list, read by the second county's staff
admin, shows nothing of the first county. Before core/admin.py read through core.scope, the
audit records, workflow events and danger reports of the first county were listed there.
Audit records are COUNTY_WIDE (the home county's) until the countywide branch gives them a
county: the second county's admin then sees its own; today it sees none."""
import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.security.county_paths_world import body_of, found_markers, fresh, markers


def _changelists() -> list:
    found = []
    for model in admin.site._registry:
        label = model._meta.label
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        found.append(pytest.param(url, label, id=label))
    return sorted(found, key=lambda p: p.id)


@pytest.mark.parametrize(("url", "label"), _changelists())
def test_the_second_countys_staff_admin_reads_no_first_county_row_in_the_configuration_site(two, url, label):
    user = fresh(two.b["admin"])
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code in (200, 403), (url, response.status_code)
    assert found_markers(body_of(response), markers(two, of_b=False)) == []



@pytest.mark.parametrize("url", ["/admin/core/auditrecord/", "/admin/core/workflowevent/", "/admin/registry/area/"])
def test_the_first_countys_staff_admin_still_reads_its_own_rows_there(two, url):
    user = fresh(two.a["admin"])
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200 and response.context["cl"].result_count > 0
