"""Every registry page, every role: what is outside a user's data scope cannot be listed,
read, edited or archived through the pages; what is inside can be changed as the role
allows, and each change is audited with channel "page"."""
import pytest
from django.test import Client
from django.urls import reverse

from citysafe.core import scope
from citysafe.core.audit_models import AuditChannel
from citysafe.registry.kinds import KINDS
from tests.pages.helpers import audits_for, form_payload, inside_record, outside_record

RESOURCES = {kind.key: kind for kind in KINDS if kind.form is not None}  # the kinds with pages

SCOPED = ["enterprises", "places", "persons", "areas"]
LIMITED_ROLES = ["department", "township", "grid", "enterprise"]
ALL_ROLES = ["admin", "leader", "department", "township", "grid", "enterprise"]
# A search term that finds exactly this record, so its absence from a list means something.
SEARCH_KEY = {"enterprises": "uscc", "places": "name", "persons": "phone", "areas": "code", "organisations": "code"}
# A harmless change per resource, to show an allowed edit goes through.
EDIT = {"enterprises": ("address", "新地址1号"), "places": ("address", "新地址2号"), "persons": ("title", "安全员"),
        "areas": ("name", "更名区域"), "organisations": ("phone", "0794-1234567")}


def _urls(resource, pk):
    return {name: reverse(f"registry:{name}", args=[resource, pk]) for name in ("detail", "edit", "archive")}


# Departments see the whole county's map (areas), so they have no area outside their scope.
OUTSIDE_CASES = [(r, role) for role in LIMITED_ROLES for r in SCOPED if (r, role) != ("areas", "department")]


@pytest.mark.parametrize(("resource", "role"), OUTSIDE_CASES)
def test_record_outside_scope_cannot_be_listed_read_edited_or_archived(client, world, resource, role):
    user = world.role_users()[role]
    res = RESOURCES[resource]
    other = outside_record(user, res.model)
    assert other is not None, "the demo county has records outside every limited role's scope"
    term = getattr(other, SEARCH_KEY[resource])
    urls = _urls(resource, other.pk)

    # The admin finds it with this search, so the search itself would reveal it.
    admin_client = Client()
    admin_client.force_login(world.admin)
    assert urls["detail"] in admin_client.get(reverse("registry:list", args=[resource]), {"q": term}).text

    client.force_login(user)
    listing = client.get(reverse("registry:list", args=[resource]), {"q": term})
    assert listing.status_code == 200
    assert urls["detail"] not in listing.text
    assert client.get(urls["detail"]).status_code == 404
    assert client.get(urls["edit"]).status_code in (403, 404)
    field, value = EDIT[resource]
    payload = {**form_payload(res.form.initial_from(other)), field: value}
    assert client.post(urls["edit"], payload).status_code in (403, 404)
    assert client.post(urls["archive"]).status_code in (403, 404)

    before = getattr(other, field)
    other.refresh_from_db()
    assert getattr(other, field) == before
    assert other.archived_at is None
    assert not audits_for(other).exists()


@pytest.mark.parametrize("resource", SCOPED)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_record_inside_scope_is_listed_and_readable(client, world, resource, role):
    user = world.role_users()[role]
    res = RESOURCES[resource]
    mine = inside_record(user, res.model, world)
    assert mine is not None
    client.force_login(user)
    listing = client.get(reverse("registry:list", args=[resource]), {"q": getattr(mine, SEARCH_KEY[resource])})
    assert reverse("registry:detail", args=[resource, mine.pk]) in listing.text
    assert client.get(reverse("registry:detail", args=[resource, mine.pk])).status_code == 200


@pytest.mark.parametrize("resource", SCOPED + ["organisations"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_edit_inside_scope_follows_role_and_is_audited_as_page(client, world, resource, role):
    user = world.role_users()[role]
    res = RESOURCES[resource]
    mine = inside_record(user, res.model, world)
    field, value = EDIT[resource]
    url = reverse("registry:edit", args=[resource, mine.pk])
    client.force_login(user)
    payload = {**form_payload(res.form.initial_from(mine)), field: value}
    response = client.post(url, payload)
    if not scope.may(user, res.model, scope.Action.CHANGE):
        assert response.status_code == 403
        assert client.get(url).status_code == 403
        assert not audits_for(mine).exists()
        return
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    mine.refresh_from_db()
    assert getattr(mine, field) == value
    audit = audits_for(mine, action="update").get()
    assert audit.channel == AuditChannel.PAGE
    assert audit.actor == user


@pytest.mark.parametrize("resource", SCOPED + ["organisations"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_archive_inside_scope_follows_role_and_is_audited_as_page(client, world, resource, role):
    user = world.role_users()[role]
    res = RESOURCES[resource]
    mine = inside_record(user, res.model, world)
    url = reverse("registry:archive", args=[resource, mine.pk])
    client.force_login(user)
    response = client.post(url, {"note": "测试归档"})
    mine.refresh_from_db()
    if not scope.may(user, res.model, scope.Action.ARCHIVE):
        assert response.status_code == 403
        assert mine.archived_at is None
        return
    assert response.status_code == 302
    assert mine.archived_at is not None
    audit = audits_for(mine, action="archive").get()
    assert audit.channel == AuditChannel.PAGE
    # Archived records leave the list and the detail page for everyone but admins.
    detail = client.get(reverse("registry:detail", args=[resource, mine.pk]))
    assert detail.status_code == (200 if role == "admin" else 404)


@pytest.mark.parametrize("role", ["department", "township", "grid", "enterprise", "leader"])
def test_only_admins_can_purge(client, world, role):
    user = world.role_users()[role]
    mine = inside_record(user, RESOURCES["persons"].model, world)
    client.force_login(user)
    assert client.post(reverse("registry:purge", args=["persons", mine.pk])).status_code == 403
    assert type(mine).objects.filter(pk=mine.pk).exists()


def test_admin_sees_archived_records_only_when_asked_and_can_purge_them(client, world):
    from citysafe.registry.models import Person

    person = Person.objects.create(name="待删除", phone="13800000000", township=world.township_a)
    client.force_login(world.admin)
    assert client.post(reverse("registry:archive", args=["persons", person.pk])).status_code == 302
    detail_url = reverse("registry:detail", args=["persons", person.pk])
    listing = reverse("registry:list", args=["persons"])
    assert detail_url not in client.get(listing, {"q": "13800000000"}).text
    assert detail_url in client.get(listing, {"q": "13800000000", "archived": "1"}).text
    assert client.post(reverse("registry:purge", args=["persons", person.pk])).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert audits_for(person, action="purge", channel=AuditChannel.PAGE).exists()


def test_township_officer_creates_enterprise_in_own_township_only(client, world):
    from citysafe.registry.models import Enterprise

    client.force_login(world.township_officer)
    form = client.get(reverse("registry:create", args=["enterprises"])).context["form"]
    assert set(form.fields["township_id"].queryset) == {world.township_a}
    client.force_login(world.leader)
    assert client.get(reverse("registry:create", args=["enterprises"])).status_code == 403
    assert client.post(reverse("registry:create", args=["enterprises"]), {"name": "x"}).status_code == 403
    assert not Enterprise.objects.filter(name="x").exists()
