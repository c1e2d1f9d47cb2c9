"""Signing in and out, lock-out after repeated failures, service accounts, password change,
and the per-role home page."""
import pytest
from django.urls import reverse

from citysafe.accounts.models import User
from citysafe.core.audit_models import AuditRecord
from citysafe.core.roles import Role
from citysafe.registry.models import Enterprise
from conftest import DEMO_PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_with_right_password_opens_home_and_logout_needs_post(client, world):
    response = _login(client, world.township_officer.username, DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert world.township_officer.display_name in home.text
    assert "乡镇" in home.text
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_chinese_error(client, world):
    response = _login(client, world.leader.username, "wrong-password")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.text


def test_sixth_attempt_is_refused_even_with_right_password(client, world):
    username = world.grid_worker.username
    for _ in range(5):
        _login(client, username, "wrong-password")
    response = _login(client, username, DEMO_PASSWORD)
    assert response.status_code == 429
    assert "账户已临时锁定" in response.text
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_four_failures_then_right_password_still_signs_in(client, world):
    username = world.grid_worker.username
    for _ in range(4):
        _login(client, username, "wrong-password")
    assert _login(client, username, DEMO_PASSWORD).status_code == 302


def test_service_account_cannot_sign_in_to_pages(client, world):
    service = User.objects.create_user("svc_gis", password=DEMO_PASSWORD, role=Role.LEADER, is_service_account=True)
    response = _login(client, service.username, DEMO_PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_password_change_replaces_the_password(client, world):
    user = world.leader
    client.force_login(user)
    url = reverse("password_change")
    weak = client.post(url, {"old_password": DEMO_PASSWORD, "new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and weak.context["form"].errors["new_password2"]
    response = client.post(url, {"old_password": DEMO_PASSWORD, "new_password1": "Lanterns-Over-River-77",
                                 "new_password2": "Lanterns-Over-River-77"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Lanterns-Over-River-77")
    assert not user.check_password(DEMO_PASSWORD)
    audit = AuditRecord.objects.get(object_type="accounts.User", object_id=str(user.pk))
    assert audit.action == "change_own_password" and audit.actor == user and audit.after is None
    assert client.get(reverse("home")).status_code == 200  # still signed in with the new hash


def test_pages_need_login(client, world):
    for url in (reverse("home"), reverse("registry:list", args=["enterprises"]), reverse("notifications:inbox")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["admin", "leader", "department", "township", "grid", "enterprise"])
def test_home_counts_only_records_in_scope(client, world, role):
    from citysafe.core import scope

    user = world.role_users()[role]
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals["enterprises"] == scope.narrow(user, Enterprise.objects.all()).count()
    if role in ("township", "grid", "enterprise", "department"):
        assert totals["enterprises"] < Enterprise.objects.filter(archived_at__isnull=True).count()
    assert user.get_role_display() in response.text


def test_home_shows_role_specific_sections(client, world):
    client.force_login(world.department)
    industries = client.get(reverse("home")).context["industries"]
    assert {row["industry"] for row in industries} == set(world.department.organisation.industries.all())
    client.force_login(world.grid_worker)
    assert [row["grid"] for row in client.get(reverse("home")).context["grids"]] == [world.grid]
    client.force_login(world.enterprise_officer)
    response = client.get(reverse("home"))
    assert response.context["enterprise"] == world.enterprise
    assert world.enterprise.uscc in response.text


def test_footer_marks_synthetic_data(client, world, settings):
    client.force_login(world.leader)
    settings.CITYSAFE_SYNTHETIC_DATA = True
    assert "合成的演示数据" in client.get(reverse("home")).text
    settings.CITYSAFE_SYNTHETIC_DATA = False
    assert "合成的演示数据" not in client.get(reverse("home")).text


def test_pages_load_assets_only_locally(client, world):
    client.force_login(world.admin)
    html = client.get(reverse("registry:detail", args=["enterprises", world.enterprise_in_a.pk])).text
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "/static/leaflet/leaflet.js" in html
    assert "http://" not in html and "https://" not in html
