"""Issue 19, cross-county choices in the configuration site's change forms: a foreign-key or
many-to-many field offers (and accepts) only the rows its target's change list shows the
administrator (core/admin.py relation_choices). Before, the second county's staff admin adding
an organisation or an account was offered the first county's townships, grids and organisations,
and could make an account for the first county's enterprise. The account services refuse it on
every path (the admin site, POST /api/v1/tokens): a service account placed in the other county
would read that county's records."""
import json

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from citysafe.accounts.models import ApiToken, Organisation, User
from citysafe.registry.models import Area, Enterprise
from tests.security.county_paths_world import body_of, found_markers, fresh, markers


def _staff(user):
    """The county's administrator with every model permission of the site (as the home county's
    demo admin has): only core.scope stands between it and another county's rows."""
    user = fresh(user)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    client.force_login(user)
    return client


def _add_pages() -> list:
    found = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        found.append(pytest.param(url, id=model._meta.label))
    return sorted(found, key=lambda p: p.id)


@pytest.mark.parametrize("url", _add_pages())
def test_the_second_countys_staff_admin_is_offered_no_first_county_row_on_an_add_page(two, url):
    response = _staff(two.b["admin"]).get(url)
    assert response.status_code in (200, 403), (url, response.status_code)
    assert found_markers(body_of(response), markers(two, of_b=False)) == []


def test_the_first_countys_staff_admin_is_still_offered_its_own_townships(two):
    response = _staff(two.a["admin"]).get(reverse("admin:accounts_organisation_add"))
    assert response.status_code == 200
    assert found_markers(body_of(response), markers(two, of_b=False))


def test_the_second_countys_staff_admin_cannot_make_an_account_for_a_first_county_enterprise(two):
    enterprise = Enterprise.objects.filter(pk__lte=two.before["registry.Enterprise"], archived_at__isnull=True)[0]
    response = _staff(two.b["admin"]).post(reverse("admin:accounts_user_add"), {
        "username": "gh_intruder", "password1": "Kx9#long-enough-pass", "password2": "Kx9#long-enough-pass",
        "usable_password": "true", "role": "enterprise", "enterprise": enterprise.pk})
    assert not User.objects.filter(username="gh_intruder").exists()
    assert response.status_code == 200 and response.context["adminform"].form.errors.get("enterprise")


@pytest.mark.parametrize("placed", ["enterprise", "grid", "organisation"])
def test_the_second_countys_admin_cannot_place_an_api_token_in_the_first_county(two, placed):
    first = two.before["registry.Area"]
    target = {"enterprise": lambda: {"role": "enterprise", "enterprise_id": Enterprise.objects.filter(
                  pk__lte=two.before["registry.Enterprise"], archived_at__isnull=True).order_by("pk")[0].pk},
              "grid": lambda: {"role": "grid", "grid_ids": [Area.objects.filter(
                  level="grid", pk__lte=first, archived_at__isnull=True).order_by("pk")[0].pk]},
              "organisation": lambda: {"role": "township", "organisation_id": Organisation.objects.filter(
                  kind="township", area__county__code="622926").order_by("pk")[0].pk}}[placed]()
    client = Client()
    client.force_login(fresh(two.b["admin"]))
    before = ApiToken.objects.count()
    response = client.post("/api/v1/tokens", json.dumps({"name": "越界", **target}), content_type="application/json")
    assert response.status_code == 422, response.content
    assert ApiToken.objects.count() == before


def test_the_second_countys_admin_still_places_a_token_in_its_own_county(two):
    own = Enterprise.objects.filter(pk__gt=two.before["registry.Enterprise"], archived_at__isnull=True).order_by("pk")[0]
    client = Client()
    client.force_login(fresh(two.b["admin"]))
    response = client.post("/api/v1/tokens", json.dumps({"name": "本县", "role": "enterprise", "enterprise_id": own.pk}),
                           content_type="application/json")
    assert response.status_code == 201, response.content
