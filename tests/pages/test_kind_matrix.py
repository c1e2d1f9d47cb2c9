"""The page scope matrix of every declared record kind with pages (core.kinds) × every role,
generated: a record the oracle (tests/scope_oracle.py) says a role may see is found by
searching its list and shown; any other is neither listed nor shown, edited or archived."""
import pytest
from django.test import Client
from django.urls import reverse

from citysafe.core.kinds import all_kinds, get_kind
from tests.scope_oracle import split

KINDS = sorted(kind.key for kind in all_kinds() if kind.form is not None)
ROLES = ["admin", "leader", "department", "township", "grid", "enterprise"]


def _term(kind, obj) -> str:
    """A search term that finds `obj`: an identifier where the kind searches one, else its name."""
    field = next((f for f in ("uscc", "code", "phone") if f in kind.search), kind.search[0])
    for hop in field.split("__"):  # a search path through a relation ("risk_point__name")
        obj = getattr(obj, hop)
    return str(obj)


@pytest.mark.parametrize("key", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_pages_show_what_the_role_may_see_and_nothing_else(client, world, key, role):
    user, kind = world.role_users()[role], get_kind(key)
    inside, outside = split(user, kind.model)
    admin = Client()
    admin.force_login(world.admin)
    client.force_login(user)
    for obj in inside[:1] + inside[-1:]:
        detail = reverse(kind.urls["detail"], args=[key, obj.pk])
        assert detail in client.get(reverse(kind.urls["list"], args=[key]), {"q": _term(kind, obj)}).text
        assert client.get(detail).status_code == 200
    for obj in outside[:1] + outside[-1:]:
        detail = reverse(kind.urls["detail"], args=[key, obj.pk])
        # the search finds it for the admin, so its absence below means something
        assert detail in admin.get(reverse(kind.urls["list"], args=[key]), {"q": _term(kind, obj)}).text
        assert detail not in client.get(reverse(kind.urls["list"], args=[key]), {"q": _term(kind, obj)}).text
        assert client.get(detail).status_code == 404
        assert client.get(reverse(kind.urls["edit"], args=[key, obj.pk])).status_code in (403, 404)
        assert client.post(reverse(kind.urls["archive"], args=[key, obj.pk])).status_code in (403, 404)
        obj.refresh_from_db()
        assert obj.archived_at is None
    assert inside or outside
