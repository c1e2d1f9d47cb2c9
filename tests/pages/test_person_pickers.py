"""An enterprise's safety officer and a place's responsible persons on the page forms: typed-ahead
person pickers (one, and several), offering exactly the persons the role may reference (the
API's rule, core.scope.reference_targets) — expected sets from tests/scope_oracle.py, never from
core.scope — and refusing a person outside the role's scope on save."""
import json

import pytest
from django.test import Client
from django.urls import reverse

from citysafe.core.kinds import choice_views
from citysafe.registry.models import Person, Place
from citysafe.registry.services import update_place
from tests.scope_oracle import split

WRITERS = ("admin", "department", "township", "grid", "enterprise")
PICKERS = [("enterprises", "safety_officer_id"), ("places", "responsible_person_ids")]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lookup_ids(user, resource, field, q="") -> list[int]:
    response = signed_in(user).get(reverse("registry:lookup", args=[resource, field]), {"q": q})
    assert response.status_code == 200, response.status_code
    return [r["id"] for r in json.loads(response.content)["results"]]


def persons_in(user) -> set[int]:
    inside, _outside = split(user, Person)
    return {p.pk for p in inside}


def a_place_of_township(world) -> Place:
    return Place.objects.filter(township=world.township_a, archived_at__isnull=True).order_by("id").first()


def test_safety_officer_and_responsible_persons_are_typed_ahead_pickers(world):
    enterprise = world.enterprise_in_a
    html = signed_in(world.township_officer).get(
        reverse("registry:edit", args=["enterprises", enterprise.pk])).content.decode()
    assert '<select name="safety_officer_id"' not in html
    assert 'data-picker-url="/registry/enterprises/lookup/safety_officer_id/"' in html
    html = signed_in(world.township_officer).get(reverse("registry:create", args=["places"])).content.decode()
    assert '<select name="responsible_person_ids"' not in html
    assert 'data-picker-url="/registry/places/lookup/responsible_person_ids/"' in html
    assert "data-multiple" in html


@pytest.mark.parametrize("resource,field", PICKERS)
@pytest.mark.parametrize("role", WRITERS)
def test_person_picker_offers_exactly_the_persons_the_role_may_reference(world, monkeypatch, resource, field, role):
    # The answer is capped at 20 for the page; lifted here to compare whole sets.
    monkeypatch.setattr(choice_views, "LOOKUP_LIMIT", 10_000)
    user = world.role_users()[role]
    offered = lookup_ids(user, resource, field)
    assert len(offered) == len(set(offered))
    assert set(offered) == persons_in(user)


@pytest.mark.parametrize("resource,field", PICKERS)
def test_person_picker_is_refused_to_a_role_without_a_form(world, resource, field):
    response = signed_in(world.leader).get(reverse("registry:lookup", args=[resource, field]))
    assert response.status_code == 403


def test_person_picker_finds_by_name_within_scope_only(world):
    own = Person.objects.filter(township=world.township_a, archived_at__isnull=True).order_by("id").first()
    other = Person.objects.filter(township=world.township_b, archived_at__isnull=True).order_by("id").first()
    assert own.pk in lookup_ids(world.township_officer, "places", "responsible_person_ids", own.name)
    assert other.pk not in lookup_ids(world.township_officer, "places", "responsible_person_ids", other.name)


def test_place_saved_with_responsible_persons_typed_as_numbers_or_picked(world):
    officer = world.township_officer
    own = list(Person.objects.filter(township=world.township_a, archived_at__isnull=True).order_by("id")[:2])
    where = world.enterprise_in_a
    payload = {"name": "锁南镇责任人测试仓库", "place_type": "other", "lon": where.lon, "lat": where.lat}
    # Without the script: one text box, numbers separated by commas.
    response = signed_in(officer).post(reverse("registry:create", args=["places"]),
                                       {**payload, "responsible_person_ids": f"{own[0].pk}，{own[1].pk}"})
    assert response.status_code == 302, response.context["form"].errors
    place = Place.objects.get(name="锁南镇责任人测试仓库")
    assert set(place.responsible_persons.values_list("pk", flat=True)) == {own[0].pk, own[1].pk}
    # The edit form shows them by name, as chips for the script and in the hint without it.
    html = signed_in(officer).get(reverse("registry:edit", args=["places", place.pk])).content.decode()
    assert f'value="{own[0].pk},{own[1].pk}"' in html
    assert f'data-id="{own[0].pk}" data-label="{own[0].name}"' in html


def test_out_of_scope_person_is_refused_on_save_and_nothing_changes(world):
    officer = world.township_officer
    own = Person.objects.filter(township=world.township_a, archived_at__isnull=True).order_by("id").first()
    other = Person.objects.filter(township=world.township_b, archived_at__isnull=True).order_by("id").first()
    where = world.enterprise_in_a
    response = signed_in(officer).post(reverse("registry:create", args=["places"]), {
        "name": "越界责任人仓库", "place_type": "other", "lon": where.lon, "lat": where.lat,
        "responsible_person_ids": [str(own.pk), str(other.pk)]})
    assert response.status_code == 200
    assert "responsible_person_ids" in response.context["form"].errors
    assert not Place.objects.filter(name="越界责任人仓库").exists()

    enterprise = world.enterprise_in_a
    form = signed_in(officer).get(reverse("registry:edit", args=["enterprises", enterprise.pk])).context["form"]
    payload = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items()}
    before = enterprise.safety_officer_id
    response = signed_in(officer).post(reverse("registry:edit", args=["enterprises", enterprise.pk]),
                                       {**payload, "safety_officer_id": other.pk})
    assert response.status_code == 200
    assert "safety_officer_id" in response.context["form"].errors
    enterprise.refresh_from_db()
    assert enterprise.safety_officer_id == before


def test_township_edit_keeps_a_responsible_person_it_cannot_see_and_shows_only_the_number(world):
    place = a_place_of_township(world)
    stranger = Person.objects.filter(township=world.township_b, archived_at__isnull=True).order_by("id").first()
    update_place(world.admin, place.pk, {"responsible_person_ids": [stranger.pk]}, expected_version=place.version)
    place.refresh_from_db()
    officer = signed_in(world.township_officer)
    page = officer.get(reverse("registry:edit", args=["places", place.pk]))
    html = page.content.decode()
    assert f'data-id="{stranger.pk}" data-label="#{stranger.pk}"' in html
    assert stranger.name not in html
    form = page.context["form"]
    payload = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items()}
    payload.update(name="改名的场所", responsible_person_ids=str(stranger.pk))
    payload = {k: v for k, v in payload.items() if k in form.fields}
    response = officer.post(reverse("registry:edit", args=["places", place.pk]), payload)
    assert response.status_code == 302, response.context["form"].errors
    place.refresh_from_db()
    assert place.name == "改名的场所"
    assert list(place.responsible_persons.values_list("pk", flat=True)) == [stranger.pk]
